"""Rules of the self-assessment: opening rounds, saving a section, submitting, reopening.

Plain functions, tested without HTTP. They flush, never commit: the request commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import update

from scan.assessment import queries
from scan.assessment.models import NOTE_MAX_LENGTH, Answer, Scan, ScanEvent, ScanRound, ScanStatus
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.auth.models import User
from scan.core.forms import clean_text, too_long
from scan.core.rules import ItemChecks, RuleError
from scan.core.safety import whole_number
from scan.db import utcnow
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.kenniskaart.queries import current_version
from scan.organisation.models import Team

NOT_APPLICABLE = "nvt"
STAY = "stay"


def open_round(
    team: Team, title: str, opens_on: date, closes_on: date, actor: User, today: date
) -> ScanRound:
    """Open a round for a team, tied to the current Kenniskaart version for good."""
    title = title.strip()
    if not title:
        raise RuleError(_("Give the round a title."), "title")
    if closes_on < opens_on:
        raise RuleError(_("The closing date must be on or after the opening date."), "closes_on")
    if closes_on < today:
        raise RuleError(_("The closing date has already passed."), "closes_on")
    version = current_version()
    if version is None:
        raise RuleError(_("No Kenniskaart has been loaded yet; ask the administrator."))
    overlap = queries.overlapping_round(team.id, opens_on, closes_on)
    if overlap is not None:
        raise RuleError(
            _(
                "This team already has the round “%(title)s” in that period; rounds may not overlap.",
                title=overlap.title,
            ),
            "opens_on",
        )
    scan_round = ScanRound(
        team=team,
        version=version,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by_id=actor.id,
    )
    db.session.add(scan_round)
    db.session.flush()
    return scan_round


@dataclass
class AnswerInput:
    """What a professional entered for one item, as typed (strings), before checking."""

    level: str = ""
    ambition: str = ""
    note: str = ""


@dataclass
class CheckedAnswer:
    level: int | None
    not_applicable: bool
    ambition: int | None
    note: str


# The answers that passed, and per item {"level" | "ambition" | "note": translated message}.
SectionCheck = ItemChecks[CheckedAnswer]


def check_section(items: list[Item], levels: list[int], given: dict[int, AnswerInput]) -> SectionCheck:
    """Check what was entered on one section page. An empty item is fine in a draft."""
    result: SectionCheck = ItemChecks()
    for item in items:
        entry = given.get(item.id, AnswerInput())
        errors: dict[str, str] = {}
        level: int | None = None
        not_applicable = False
        if entry.level == NOT_APPLICABLE:
            if item.not_applicable_allowed:
                not_applicable = True
            else:
                errors["level"] = _("“Not applicable” is not possible for this item; choose a level.")
        elif entry.level:
            level = whole_number(entry.level)
            if level not in levels:
                errors["level"] = _("Choose one of the levels shown.")
                level = None
        ambition: int | None = None
        if entry.ambition == STAY:
            if level is None and not not_applicable and "level" not in errors:
                errors["ambition"] = _("Choose your current level first, then your ambition.")
            ambition = level
        elif entry.ambition:
            wanted = whole_number(entry.ambition)
            if wanted not in levels:
                errors["ambition"] = _("Choose one of the ambitions shown.")
            elif not_applicable:
                errors["ambition"] = _(
                    "An item that does not apply to you has no ambition; choose “stay” or a level."
                )
            elif level is None and "level" not in errors:
                errors["ambition"] = _("Choose your current level first, then your ambition.")
            elif level is not None and wanted is not None and wanted <= level:
                errors["ambition"] = _("Choose a level above your current level, or choose to stay.")
            else:
                ambition = wanted
        elif level is not None:
            ambition = level  # no choice made: staying is the default
        note = clean_text(entry.note)
        if message := too_long(note, NOTE_MAX_LENGTH):
            errors["note"] = message
        if errors:
            result.errors[item.id] = errors
        else:
            result.values[item.id] = CheckedAnswer(level, not_applicable, ambition, note)
    return result


class StaleScan(Exception):
    """The scan was saved elsewhere (another tab, another device) after this page was loaded."""

    def __init__(self, scan: Scan) -> None:
        super().__init__("stale scan")
        self.scan = scan


class ScanLocked(Exception):
    """The scan is submitted or the round is closed: nothing can be changed."""


def start_scan(scan_round: ScanRound, user: User) -> Scan:
    scan = queries.scan_for(scan_round.id, user.id)
    if scan is None:
        scan = Scan(round=scan_round, user=user, status=ScanStatus.DRAFT.value)
        db.session.add(scan)
        db.session.flush()
    return scan


def save_section(scan: Scan, section_code: str, checked: dict[int, CheckedAnswer], expected_lock: int,
                 today: date) -> None:
    """Write one section's answers in the current transaction, unless that section was saved since the page
    was read (`expected_lock`: the scan's lock_version the page was loaded with). Saves of other sections
    in between do not matter: each section is locked on its own."""
    if scan.status == ScanStatus.SUBMITTED.value or scan.round.status(today).value != "open":
        raise ScanLocked()
    now = utcnow()
    # Raising lock_version locks the scan row until commit, so two saves of one scan are taken in turn and
    # section_saves below is read and written by one of them at a time. A number from the future is stale.
    bumped = db.session.execute(
        update(Scan)
        .where(Scan.id == scan.id, Scan.lock_version >= expected_lock)
        .values(lock_version=Scan.lock_version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(scan)
    saves = dict(scan.section_saves or {})
    if bumped.rowcount != 1 or saves.get(section_code, 0) > expected_lock:
        raise StaleScan(scan)
    scan.section_saves = {**saves, section_code: scan.lock_version}
    existing = queries.answers(scan.id)
    for item_id, answer in checked.items():
        row = existing.get(item_id)
        if row is None:
            if answer.level is None and not answer.not_applicable and not answer.note:
                continue  # nothing entered: no row needed
            row = Answer(scan_id=scan.id, item_id=item_id)
            db.session.add(row)
        row.level = answer.level
        row.not_applicable = answer.not_applicable
        row.ambition = answer.ambition
        row.note = answer.note
        row.updated_at = now
    db.session.flush()
    db.session.refresh(scan)


class IncompleteScan(Exception):
    def __init__(self, missing: list[tuple[Section, Item]]) -> None:
        super().__init__(f"{len(missing)} required items missing")
        self.missing = missing


def submit(scan: Scan, actor: User, today: date) -> None:
    if scan.status == ScanStatus.SUBMITTED.value or scan.round.status(today).value != "open":
        raise ScanLocked()
    missing = queries.missing_required(scan.round.version_id, scan.id)
    if missing:
        raise IncompleteScan(missing)
    now = utcnow()
    scan.status = ScanStatus.SUBMITTED.value
    scan.submitted_at = now
    scan.updated_at = now
    scan.lock_version += 1
    db.session.add(ScanEvent(scan_id=scan.id, kind="submitted", actor_id=actor.id, at=now))
    record(audit_actions.SCAN_SUBMIT, object_type="scan", object_id=scan.id, facts={"round": scan.round_id},
           actor=actor)
    db.session.flush()


def reopen(scan: Scan, actor: User, reason: str, today: date) -> None:
    """The team leader reopens a submitted scan; the reason is kept with who and when."""
    reason = reason.strip()
    if not reason:
        raise RuleError(_("Give a reason for reopening."), "reason")
    if scan.status != ScanStatus.SUBMITTED.value:
        raise RuleError(_("Only a submitted scan can be reopened."))
    if scan.round.status(today).value != "open":
        raise RuleError(_("The round is closed; its scans can no longer be changed."))
    now = utcnow()
    scan.status = ScanStatus.DRAFT.value
    scan.submitted_at = None
    scan.updated_at = now
    scan.lock_version += 1
    db.session.add(ScanEvent(scan_id=scan.id, kind="reopened", actor_id=actor.id, reason=reason, at=now))
    # The reason is the leader's own text about a person: it stays with the scan, not in the log.
    record(audit_actions.SCAN_REOPEN, object_type="scan", object_id=scan.id, facts={"round": scan.round_id},
           actor=actor)
    db.session.flush()
