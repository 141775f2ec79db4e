"""Rules of calibration, team priorities, agreements and the session.

Plain functions, tested without HTTP. They flush, never commit: the request commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from scan.access import Role
from scan.assessment.models import NOTE_MAX_LENGTH, Scan, ScanRound, ScanStatus
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.auth.models import User
from scan.core.forms import clean_text, too_long
from scan.core.rules import ItemChecks, RuleError
from scan.core.safety import whole_number
from scan.db import utcnow
from scan.extensions import db
from scan.kenniskaart.models import SECTION_LEEFGEBIED, Item, Section
from scan.teamschouw.models import (
    Agreement,
    AgreementKind,
    Calibration,
    ConsentStatus,
    TeamPriority,
    TeamSession,
)
from scan.teamschouw.plan import queries as plan_queries

REASON_MAX_LENGTH = 1000
GROW_TEXT_MAX_LENGTH = 300
OTHER_TEXT_MAX_LENGTH = 1000
SESSION_TEXT_MAX_LENGTH = 5000

SOURCE_OWN = "own"
SOURCE_SUGGESTED = "suggested"


# --- calibration ------------------------------------------------------------------------------------


@dataclass
class CalibrationInput:
    """What the team leader entered for one item, as typed (strings), before checking."""

    level: str = ""
    note: str = ""


@dataclass(frozen=True)
class CheckedCalibration:
    agreed_level: int | None
    note: str


# The agreed levels that passed, and per item {"level" | "note": translated message}.
CalibrationCheck = ItemChecks[CheckedCalibration]


def check_calibration(
    items: list[Item], levels: list[int], given: dict[int, CalibrationInput]
) -> CalibrationCheck:
    """Check what was entered on the calibration page. An empty level means "no agreed level"."""
    result: CalibrationCheck = ItemChecks()
    for item in items:
        entry = given.get(item.id, CalibrationInput())
        errors: dict[str, str] = {}
        level: int | None = None
        if entry.level:
            level = whole_number(entry.level)
            if level not in levels:
                errors["level"] = _("Choose one of the levels shown, or “no agreed level”.")
                level = None
        note = clean_text(entry.note)
        if message := too_long(note, NOTE_MAX_LENGTH):
            errors["note"] = message
        if errors:
            result.errors[item.id] = errors
        else:
            result.values[item.id] = CheckedCalibration(level, note)
    return result


class NotSubmitted(Exception):
    """Only a submitted scan is calibrated: a draft's content is private."""


class StaleCalibration(Exception):
    """Someone saved a calibration of this scan after the page was loaded."""


def current_calibrations(rows: list[Calibration]) -> dict[int, Calibration]:
    """item id -> the newest row (rows oldest first, as `plan_queries.calibrations` gives them)."""
    current: dict[int, Calibration] = {}
    for row in rows:
        current[row.item_id] = row
    return current


def calibrate(scan: Scan, checked: dict[int, CheckedCalibration], actor: User, expected_last: int) -> int:
    """Append a calibration row for every item whose agreed level or note changed; return how many.

    `expected_last` is the newest calibration row id when the page was loaded: if anyone saved since,
    nothing is written (StaleCalibration), so a stale page never silently undoes someone else's change.
    """
    if scan.status != ScanStatus.SUBMITTED.value:
        raise NotSubmitted()
    rows = plan_queries.calibrations(scan.id)
    if max((r.id for r in rows), default=0) != expected_last:
        raise StaleCalibration()
    current = current_calibrations(rows)
    now = utcnow()
    changed = 0
    for item_id, value in checked.items():
        row = current.get(item_id)
        before = (row.agreed_level, row.note) if row is not None else (None, "")
        if before == (value.agreed_level, value.note):
            continue
        db.session.add(
            Calibration(
                scan_id=scan.id,
                item_id=item_id,
                agreed_level=value.agreed_level,
                note=value.note,
                set_by_id=actor.id,
                set_at=now,
            )
        )
        changed += 1
    if changed:
        record(audit_actions.CALIBRATE, object_type="scan", object_id=scan.id, facts={"items": changed},
               actor=actor)
    db.session.flush()
    return changed


@dataclass(frozen=True)
class HistoryEntry:
    by: str
    at: datetime
    before: int | None
    after: int | None
    note: str


def calibration_history(rows: list[Calibration]) -> dict[int, list[HistoryEntry]]:
    """item id -> its changes, newest first, each with the agreed level before and after."""
    history: dict[int, list[HistoryEntry]] = {}
    previous: dict[int, int | None] = {}
    for row in rows:
        entry = HistoryEntry(
            by=row.set_by.full_name if row.set_by else "",
            at=row.set_at,
            before=previous.get(row.item_id),
            after=row.agreed_level,
            note=row.note,
        )
        previous[row.item_id] = row.agreed_level
        history.setdefault(row.item_id, []).insert(0, entry)
    return history


# --- priorities ---------------------------------------------------------------------------------------


def target_of(scan_round: ScanRound, value: str) -> tuple[Item | None, Section | None]:
    """ "item:<id>" or "section:<id>" -> the item or section, which must be in the round's version."""
    kind, _sep, text = (value or "").partition(":")
    ident = whole_number(text)
    if ident is None or kind not in ("item", "section"):
        raise RuleError(_("Choose an item or a leefgebied."), "target")
    if kind == "item":
        item = db.session.get(Item, ident)
        if item is None or item.version_id != scan_round.version_id or item.retired:
            raise RuleError(_("Choose an item or a leefgebied."), "target")
        return item, None
    section = db.session.get(Section, ident)
    if section is None or section.version_id != scan_round.version_id:
        raise RuleError(_("Choose an item or a leefgebied."), "target")
    return None, section


def add_priority(
    scan_round: ScanRound,
    actor: User,
    *,
    reason: str,
    item: Item | None = None,
    section: Section | None = None,
    source: str = SOURCE_OWN,
    reason_facts: dict[str, Any] | None = None,
) -> TeamPriority:
    """Add a priority at the end of the round's list. `reason_facts`: the facts behind a suggestion taken
    over, worded for each reader (`reason` is then that wording in the current locale, kept as a fallback)."""
    reason = reason.strip().replace("\r\n", "\n")
    if (item is None) == (section is None):
        raise RuleError(_("Choose an item or a leefgebied."), "target")
    for target in (item, section):
        if target is not None and target.version_id != scan_round.version_id:
            raise RuleError(_("Choose an item or a leefgebied."), "target")
    if not reason:
        raise RuleError(_("Give a reason for this priority."), "reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise RuleError(
            _("Use at most %(n)d characters; you used %(used)d.", n=REASON_MAX_LENGTH, used=len(reason)),
            "reason",
        )
    existing = plan_queries.priorities(scan_round.id)
    if any(
        (item is not None and p.item_id == item.id) or (section is not None and p.section_id == section.id)
        for p in existing
    ):
        raise RuleError(_("This is already one of the team's priorities."), "target")
    priority = TeamPriority(
        round_id=scan_round.id,
        item_id=item.id if item else None,
        section_id=section.id if section else None,
        reason=reason,
        reason_facts=reason_facts,
        position=max((p.position for p in existing), default=-1) + 1,
        source=source,
        created_by_id=actor.id,
    )
    db.session.add(priority)
    db.session.flush()
    return priority


def _renumber(priorities: list[TeamPriority]) -> None:
    for position, priority in enumerate(priorities):
        priority.position = position


def move_priority(priority: TeamPriority, up: bool) -> bool:
    """Swap with the neighbour above (or below); False when it is already first (or last)."""
    ordered = plan_queries.priorities(priority.round_id)
    index = next(i for i, p in enumerate(ordered) if p.id == priority.id)
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(ordered)
    db.session.flush()
    return True


def remove_priority(priority: TeamPriority) -> None:
    round_id = priority.round_id
    db.session.delete(priority)
    db.session.flush()
    _renumber(plan_queries.priorities(round_id))
    db.session.flush()


# --- agreements ---------------------------------------------------------------------------------------


def _check_member(scan_round: ScanRound, member: User | None) -> User:
    if (
        member is None
        or member.role != Role.PROFESSIONAL.value
        or member.team_id != scan_round.team_id
        or not member.active
    ):
        raise RuleError(_("Choose a member of this team."), "member")
    return member


def add_vraagbaak(
    scan_round: ScanRound,
    member: User | None,
    actor: User,
    *,
    item: Item | None = None,
    section: Section | None = None,
) -> Agreement:
    """Ask a member to be the go-to colleague for a theme. They are listed only once they accept."""
    member = _check_member(scan_round, member)
    if (item is None) == (section is None):
        raise RuleError(_("Choose an item or a leefgebied."), "target")
    for target in (item, section):
        if target is not None and target.version_id != scan_round.version_id:
            raise RuleError(_("Choose an item or a leefgebied."), "target")
    theme = Agreement.item_id == item.id if item is not None else Agreement.section_id == section.id  # type: ignore[union-attr]
    duplicate = db.session.scalar(
        select(func.count(Agreement.id)).where(
            Agreement.round_id == scan_round.id,
            Agreement.kind == AgreementKind.VRAAGBAAK,
            Agreement.member_id == member.id,
            theme,
        )
    )
    if duplicate:
        raise RuleError(_("This member has already been asked for this theme in this round."), "target")
    agreement = Agreement(
        round_id=scan_round.id,
        kind=AgreementKind.VRAAGBAAK,
        member_id=member.id,
        item_id=item.id if item else None,
        section_id=section.id if section else None,
        consent=ConsentStatus.PENDING,
        created_by_id=actor.id,
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


def add_grow(
    scan_round: ScanRound, member: User | None, section: Section | None, text: str, actor: User
) -> Agreement:
    """Record that a member will grow into a specialism in a leefgebied."""
    member = _check_member(scan_round, member)
    if section is None or section.version_id != scan_round.version_id or section.kind != SECTION_LEEFGEBIED:
        raise RuleError(_("Choose a leefgebied."), "section")
    text = text.strip()
    if len(text) > GROW_TEXT_MAX_LENGTH:
        raise RuleError(
            _("Use at most %(n)d characters; you used %(used)d.", n=GROW_TEXT_MAX_LENGTH, used=len(text)),
            "text",
        )
    agreement = Agreement(
        round_id=scan_round.id,
        kind=AgreementKind.GROW,
        member_id=member.id,
        section_id=section.id,
        text=text,
        created_by_id=actor.id,
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


def add_other(scan_round: ScanRound, text: str, actor: User) -> Agreement:
    text = text.strip().replace("\r\n", "\n")
    if not text:
        raise RuleError(_("Describe the agreement."), "text")
    if len(text) > OTHER_TEXT_MAX_LENGTH:
        raise RuleError(
            _("Use at most %(n)d characters; you used %(used)d.", n=OTHER_TEXT_MAX_LENGTH, used=len(text)),
            "text",
        )
    agreement = Agreement(round_id=scan_round.id, kind=AgreementKind.OTHER, text=text, created_by_id=actor.id)
    db.session.add(agreement)
    db.session.flush()
    return agreement


def remove_agreement(agreement: Agreement) -> None:
    db.session.delete(agreement)
    db.session.flush()


def can_answer_request(user: User, agreement: Agreement) -> bool:
    """Only the member who was asked answers a vraagbaak request: opting in is theirs alone."""
    return (
        agreement.kind == AgreementKind.VRAAGBAAK
        and agreement.member_id is not None
        and agreement.member_id == user.id
        and user.role == Role.PROFESSIONAL.value
    )


def answer_request(agreement: Agreement, user: User, accept: bool) -> None:
    """The member accepts or declines (a declined request can be accepted later, an accepted one can
    be withdrawn: being listed stays the member's own choice)."""
    if not can_answer_request(user, agreement):
        raise PermissionError("not this member's request")
    agreement.consent = ConsentStatus.ACCEPTED if accept else ConsentStatus.DECLINED
    agreement.consent_at = utcnow()
    db.session.flush()


# --- the session ---------------------------------------------------------------------------------------


def save_session(
    scan_round: ScanRound,
    actor: User,
    *,
    held_on: date,
    attendees: list[User],
    notes: str,
    decisions: str,
) -> TeamSession:
    """Create or update the round's one session record."""
    notes = notes.strip().replace("\r\n", "\n")
    decisions = decisions.strip().replace("\r\n", "\n")
    for name, text in (("notes", notes), ("decisions", decisions)):
        if len(text) > SESSION_TEXT_MAX_LENGTH:
            raise RuleError(
                _(
                    "Use at most %(n)d characters; you used %(used)d.",
                    n=SESSION_TEXT_MAX_LENGTH,
                    used=len(text),
                ),
                name,
            )
    session = plan_queries.session_for(scan_round.id)
    if session is None:
        session = TeamSession(round_id=scan_round.id, held_on=held_on)
        db.session.add(session)
    session.held_on = held_on
    session.notes = notes
    session.decisions = decisions
    session.attendees = sorted(attendees, key=lambda u: (u.full_name, u.id))
    session.updated_by_id = actor.id
    session.updated_at = utcnow()
    db.session.flush()
    return session
