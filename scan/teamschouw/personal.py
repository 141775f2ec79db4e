"""The teamschouw's personal data: levels agreed about a person, agreements naming them and the sessions
they attended (the contract: scan.core.personal_data; collected by scan.privacy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import aliased

from scan.assessment.models import Scan, ScanRound
from scan.auth.models import User
from scan.core.personal_data import Erasure, ExportSection, Person, PersonalTable, PreviewCount, RetentionKind
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.organisation.models import Team
from scan.teamschouw.models import Agreement, Calibration, TeamSession, session_attendee


@dataclass(frozen=True)
class CalibrationRecord:
    """A level agreed with the team leader (every change is kept, so every change is exported)."""

    item_code: str
    item_title_nl: str
    item_title_en: str
    agreed_level: int | None  # None: the agreement was withdrawn
    note: str
    set_at: datetime
    set_by: str | None


@dataclass(frozen=True)
class AgreementRecord:
    """A teamschouw agreement about this person (vraagbaak, growing into a specialism, other)."""

    round_title: str
    kind: str
    theme_code: str | None
    theme_title_nl: str | None
    theme_title_en: str | None
    text: str
    consent: str | None
    consent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class AttendanceRecord:
    """A teamschouw session this person attended."""

    round_title: str
    team: str
    held_on: date


def _calibrations_of(user_id: int) -> Select[Any]:
    own_scans = select(Scan.id).where(Scan.user_id == user_id)
    return select(Calibration.id).where(Calibration.scan_id.in_(own_scans))


def calibration_records(person: Person) -> dict[int, tuple[CalibrationRecord, ...]]:
    """scan id -> every agreed level about this person in that scan, oldest first, with item and who set it
    (one query)."""
    setter = aliased(User)
    rows = db.session.execute(
        select(
            Calibration.scan_id,
            Item.code,
            Item.title_nl,
            Item.title_en,
            Calibration.agreed_level,
            Calibration.note,
            Calibration.set_at,
            setter.full_name,
        )
        .join(Scan, Scan.id == Calibration.scan_id)
        .join(Item, Item.id == Calibration.item_id)
        .outerjoin(setter, setter.id == Calibration.set_by_id)
        .where(Scan.user_id == person.id)
        .order_by(Calibration.id)
    ).all()
    result: dict[int, list[CalibrationRecord]] = {}
    for scan_id, *fields in rows:
        result.setdefault(scan_id, []).append(CalibrationRecord(*fields))
    return {scan_id: tuple(records) for scan_id, records in result.items()}


def agreement_records(person: Person) -> tuple[AgreementRecord, ...]:
    """Teamschouw agreements that name this person (one query); the theme is the item, else the leefgebied."""
    section = aliased(Section)
    rows = db.session.execute(
        select(
            ScanRound.title,
            Agreement.kind,
            func.coalesce(Item.code, section.code),
            func.coalesce(Item.title_nl, section.title_nl),
            func.coalesce(Item.title_en, section.title_en),
            Agreement.text,
            Agreement.consent,
            Agreement.consent_at,
            Agreement.created_at,
        )
        .join(ScanRound, ScanRound.id == Agreement.round_id)
        .outerjoin(Item, Item.id == Agreement.item_id)
        .outerjoin(section, section.id == Agreement.section_id)
        .where(Agreement.member_id == person.id)
        .order_by(Agreement.created_at, Agreement.id)
    ).all()
    return tuple(AgreementRecord(*row) for row in rows)


def attendance_records(person: Person) -> tuple[AttendanceRecord, ...]:
    """The teamschouw sessions this person attended (one query)."""
    rows = db.session.execute(
        select(ScanRound.title, Team.name, TeamSession.held_on)
        .join(session_attendee, session_attendee.c.session_id == TeamSession.id)
        .join(ScanRound, ScanRound.id == TeamSession.round_id)
        .join(Team, Team.id == ScanRound.team_id)
        .where(session_attendee.c.user_id == person.id)
        .order_by(TeamSession.held_on, TeamSession.id)
    ).all()
    return tuple(AttendanceRecord(*row) for row in rows)


def _blank_calibration_notes(person: Person, _replacement: str) -> None:
    # Notes with the levels agreed about them; notes they set on a colleague's scan stay with that scan.
    db.session.execute(update(Calibration).where(Calibration.id.in_(_calibrations_of(person.id))).values(note=""))


def _delete_agreements(person: Person, _replacement: str) -> None:
    # They left, so an agreement naming them (vraagbaak, growing into a specialism) no longer holds.
    db.session.execute(delete(Agreement).where(Agreement.member_id == person.id))


def _delete_attendance(person: Person, _replacement: str) -> None:
    db.session.execute(delete(session_attendee).where(session_attendee.c.user_id == person.id))


def _calibrations_of_rounds(round_ids: Sequence[int]) -> Select[Any]:
    scans = select(Scan.id).where(Scan.round_id.in_(round_ids))
    return select(Calibration.id).where(Calibration.scan_id.in_(scans))


def _delete_attendees(session_ids: list[int]) -> None:
    db.session.execute(delete(session_attendee).where(session_attendee.c.session_id.in_(session_ids)))


EXPORT = (
    ExportSection("calibrations", calibration_records),
    ExportSection("agreements", agreement_records),
    ExportSection("attendance", attendance_records),
)

# With a round that closed long ago; the attendance links go just before their sessions.
RETENTION = (
    RetentionKind("calibrations", _l("agreed levels"), position=40, removal=70, model=Calibration,
                  with_round=_calibrations_of_rounds),
    RetentionKind(
        "agreements", _l("teamschouw agreements"), position=90, removal=80, model=Agreement,
        with_round=lambda rounds: select(Agreement.id).where(Agreement.round_id.in_(rounds)),
    ),
    RetentionKind(
        "team_sessions", _l("teamschouw sessions"), position=100, removal=90, model=TeamSession,
        first=_delete_attendees,
        with_round=lambda rounds: select(TeamSession.id).where(TeamSession.round_id.in_(rounds)),
    ),
)

ERASE_PREVIEW = (
    PreviewCount("notes", lambda uid: _calibrations_of(uid).where(Calibration.note != "")),
    PreviewCount("agreements", lambda uid: select(Agreement.id).where(Agreement.member_id == uid)),
)

TABLES = (
    PersonalTable(
        "calibration", _calibrations_of, Erasure.ANONYMISE, export="scans.agreed_levels",
        erase=_blank_calibration_notes, blanked=("note",), mentions=("set_by_id",),
        retention=("calibrations",),
    ),
    PersonalTable(
        "team_agreement", lambda uid: select(Agreement.id).where(Agreement.member_id == uid), Erasure.DELETE,
        export="team_agreements", erase=_delete_agreements, person_columns=("member_id",),
        mentions=("created_by_id",), retention=("agreements",),
    ),
    PersonalTable(
        "teamschouw_attendee",
        lambda uid: select(session_attendee.c.session_id, session_attendee.c.user_id).where(
            session_attendee.c.user_id == uid
        ),
        Erasure.DELETE, export="teamschouw_attendance", erase=_delete_attendance, person_columns=("user_id",),
        retention=("team_sessions",),
    ),
    PersonalTable(
        "teamschouw_session", None, Erasure.KEEP, mentions=("updated_by_id",),
        reason="only who last edited the team's session; the name leaves with the anonymised account",
    ),
    PersonalTable(
        "team_norm", None, Erasure.KEEP, mentions=("set_by_id",),
        reason="only who set the team's norm; the name leaves with the anonymised account",
    ),
    PersonalTable(
        "team_priority", None, Erasure.KEEP, mentions=("created_by_id",),
        reason="only who set the team's priority; the name leaves with the anonymised account",
    ),
)
