"""The scan's personal data: a person's scans with answers and history, for the export and the erasure
(the contract: scan.core.personal_data; collected by scan.privacy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update
from sqlalchemy.orm import aliased, joinedload

from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound
from scan.auth.models import User
from scan.core.personal_data import Erasure, ExportSection, Person, PersonalTable, PreviewCount, RetentionKind
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.organisation.models import Team


@dataclass(frozen=True)
class AnswerRecord:
    item_code: str
    item_title_nl: str
    item_title_en: str
    section_code: str
    level: int | None
    not_applicable: bool
    ambition: int | None
    note: str
    updated_at: datetime | None = None


@dataclass(frozen=True)
class EventRecord:
    kind: str  # "submitted" or "reopened"
    at: datetime
    actor_name: str | None
    reason: str = ""


@dataclass(frozen=True)
class ScanRecord:
    round_title: str
    team: str
    opens_on: date
    closes_on: date
    status: str  # "draft" or "submitted"
    started_at: datetime | None
    updated_at: datetime | None
    submitted_at: datetime | None
    answers: tuple[AnswerRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    # The teamschouw's CalibrationRecords, filled in by scan.privacy (the scan may not import teamschouw).
    calibrations: tuple[Any, ...] = ()


def own_scan_ids(user_id: int) -> Select[Any]:
    return select(Scan.id).where(Scan.user_id == user_id)


def scans_of_rounds(round_ids: Sequence[int]) -> Select[Any]:
    return select(Scan.id).where(Scan.round_id.in_(round_ids))


@dataclass(frozen=True)
class ClosedRound:
    id: int
    team_code: str
    title: str
    closes_on: date


def rounds_closed_before(day: date) -> list[ClosedRound]:
    """Retention: the rounds that closed before `day`, oldest first, with their team's code."""
    rows = db.session.execute(
        select(ScanRound.id, Team.code, ScanRound.title, ScanRound.closes_on)
        .join(Team, Team.id == ScanRound.team_id)
        .where(ScanRound.closes_on < day)
        .order_by(ScanRound.closes_on, Team.code, ScanRound.id)
    ).all()
    return [ClosedRound(*row) for row in rows]


def scans_of(user_id: int) -> list[Scan]:
    """Every scan of the user, drafts included, with round and the round's team; oldest round first."""
    return list(
        db.session.scalars(
            select(Scan)
            .join(ScanRound, ScanRound.id == Scan.round_id)
            .where(Scan.user_id == user_id)
            .options(joinedload(Scan.round).joinedload(ScanRound.team).joinedload(Team.municipality))
            .order_by(ScanRound.opens_on, Scan.id)
        )
    )


def answer_records(user_id: int) -> dict[int, list[AnswerRecord]]:
    """Every answer in the user's scans, per scan id, in Kenniskaart order (one query)."""
    rows = db.session.execute(
        select(
            Answer.scan_id,
            Item.code,
            Item.title_nl,
            Item.title_en,
            Section.code,
            Answer.level,
            Answer.not_applicable,
            Answer.ambition,
            Answer.note,
            Answer.updated_at,
        )
        .join(Scan, Scan.id == Answer.scan_id)
        .join(Item, Item.id == Answer.item_id)
        .join(Section, Section.id == Item.section_id)
        .where(Scan.user_id == user_id)
        .order_by(Answer.scan_id, Section.position, Item.position)
    ).all()
    result: dict[int, list[AnswerRecord]] = {}
    for scan_id, *fields in rows:
        result.setdefault(scan_id, []).append(AnswerRecord(*fields))
    return result


def event_records(user_id: int) -> dict[int, list[EventRecord]]:
    """Submitting and reopening of the user's scans, with only the actor's name (one query)."""
    actor = aliased(User)
    rows = db.session.execute(
        select(ScanEvent.scan_id, ScanEvent.kind, ScanEvent.at, actor.full_name, ScanEvent.reason)
        .join(Scan, Scan.id == ScanEvent.scan_id)
        .outerjoin(actor, actor.id == ScanEvent.actor_id)
        .where(Scan.user_id == user_id)
        .order_by(ScanEvent.at, ScanEvent.id)
    ).all()
    result: dict[int, list[EventRecord]] = {}
    for scan_id, kind, at, actor_name, reason in rows:
        result.setdefault(scan_id, []).append(EventRecord(kind, at, actor_name, reason or ""))
    return result


def scan_records(person: Person) -> dict[int, ScanRecord]:
    """scan id -> the scan with its answers and events, oldest round first (three queries)."""
    answers = answer_records(person.id)
    events = event_records(person.id)
    return {
        scan.id: ScanRecord(
            round_title=scan.round.title,
            team=scan.round.team.name,
            opens_on=scan.round.opens_on,
            closes_on=scan.round.closes_on,
            status=scan.status,
            started_at=scan.started_at,
            updated_at=scan.updated_at,
            submitted_at=scan.submitted_at,
            answers=tuple(answers.get(scan.id, ())),
            events=tuple(events.get(scan.id, ())),
        )
        for scan in scans_of(person.id)
    }


def _blank_notes(person: Person, _replacement: str) -> None:
    db.session.execute(update(Answer).where(Answer.scan_id.in_(own_scan_ids(person.id))).values(note=""))


def _blank_reasons(person: Person, _replacement: str) -> None:
    # Why their scan was reopened is about them; reasons they typed on a colleague's scan stay with it.
    db.session.execute(
        update(ScanEvent).where(ScanEvent.scan_id.in_(own_scan_ids(person.id))).values(reason="")
    )


EXPORT = (ExportSection("scans", scan_records),)

# A round that closed long ago loses its scans; answers and events go first (their selects pass the scans).
RETENTION = (
    RetentionKind("scans", _l("scans"), position=10, removal=100, with_round=scans_of_rounds, model=Scan),
    RetentionKind(
        "answers", _l("answers (levels, ambitions, notes)"), position=20, removal=50, model=Answer,
        with_round=lambda rounds: select(Answer.id).where(Answer.scan_id.in_(scans_of_rounds(rounds))),
    ),
    RetentionKind(
        "scan_events", _l("submissions and reopenings"), position=30, removal=60, model=ScanEvent,
        with_round=lambda rounds: select(ScanEvent.id).where(ScanEvent.scan_id.in_(scans_of_rounds(rounds))),
    ),
)

ERASE_PREVIEW = (
    PreviewCount("scans", own_scan_ids),
    PreviewCount(
        "notes", lambda uid: select(Answer.id).where(Answer.scan_id.in_(own_scan_ids(uid)), Answer.note != "")
    ),
    PreviewCount(
        "scan_history",
        lambda uid: select(ScanEvent.id).where(ScanEvent.scan_id.in_(own_scan_ids(uid)),
                                               ScanEvent.reason != ""),
    ),
)

TABLES = (
    PersonalTable(
        "scan", own_scan_ids, Erasure.KEEP, export="scans", person_columns=("user_id",),
        retention=("scans",),
        reason="levels and ambitions stay, under the anonymised account: every regional count rests on them",
    ),
    PersonalTable(
        "scan_answer", lambda uid: select(Answer.id).where(Answer.scan_id.in_(own_scan_ids(uid))),
        Erasure.ANONYMISE, export="scans.answers", erase=_blank_notes, blanked=("note",),
        retention=("answers",),
    ),
    PersonalTable(
        "scan_event", lambda uid: select(ScanEvent.id).where(ScanEvent.scan_id.in_(own_scan_ids(uid))),
        Erasure.ANONYMISE, export="scans.events", erase=_blank_reasons, blanked=("reason",),
        mentions=("actor_id",), retention=("scan_events",),
    ),
    PersonalTable(
        "scan_round", None, Erasure.KEEP, mentions=("created_by_id",),
        reason="only who opened the round; the name leaves with the anonymised account",
    ),
)
