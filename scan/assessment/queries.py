"""Read functions for rounds and scans. Counting happens in the database; no query runs in a loop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select, union
from sqlalchemy.orm import contains_eager, selectinload

from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound, ScanStatus
from scan.auth.models import User
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.organisation.queries import member_ids


def open_round_for_team(team_id: int, today: date) -> ScanRound | None:
    return db.session.scalars(
        select(ScanRound)
        .where(ScanRound.team_id == team_id, ScanRound.opens_on <= today, ScanRound.closes_on >= today)
        .order_by(ScanRound.opens_on.desc(), ScanRound.id.desc())
        .limit(1)
    ).first()


def rounds_for_team(team_id: int) -> list[ScanRound]:
    return list(
        db.session.scalars(
            select(ScanRound).where(ScanRound.team_id == team_id).order_by(ScanRound.opens_on.desc())
        )
    )


def overlapping_round(team_id: int, opens_on: date, closes_on: date) -> ScanRound | None:
    return db.session.scalars(
        select(ScanRound)
        .where(ScanRound.team_id == team_id, ScanRound.opens_on <= closes_on, ScanRound.closes_on >= opens_on)
        .limit(1)
    ).first()


def scan_for(round_id: int, user_id: int) -> Scan | None:
    return db.session.scalars(select(Scan).where(Scan.round_id == round_id, Scan.user_id == user_id)).first()


def answers(scan_id: int | None) -> dict[int, Answer]:
    if scan_id is None:
        return {}
    return {a.item_id: a for a in db.session.scalars(select(Answer).where(Answer.scan_id == scan_id))}


@dataclass(frozen=True)
class SectionProgress:
    section_id: int
    code: str
    kind: str
    title_nl: str
    title_en: str
    total: int
    answered: int
    required: int
    required_answered: int


def progress(version_id: int, scan_id: int | None) -> list[SectionProgress]:
    """Per section: items, answered items, required items and answered required items (one query)."""
    answered = or_(Answer.level.is_not(None), Answer.not_applicable.is_(True))
    rows = db.session.execute(
        select(
            Section.id,
            Section.code,
            Section.kind,
            Section.title_nl,
            Section.title_en,
            func.count(Item.id),
            func.count(case((answered, 1))),
            func.count(case((Item.required.is_(True), 1))),
            func.count(case((and_(Item.required.is_(True), answered), 1))),
        )
        .join(Item, and_(Item.section_id == Section.id, Item.retired.is_(False)))
        .outerjoin(Answer, and_(Answer.item_id == Item.id, Answer.scan_id == (scan_id or -1)))
        .where(Section.version_id == version_id)
        .group_by(
            Section.id, Section.code, Section.kind, Section.title_nl, Section.title_en, Section.position
        )
        .order_by(Section.position)
    ).all()
    return [SectionProgress(*row) for row in rows]


def missing_required(version_id: int, scan_id: int | None) -> list[tuple[Section, Item]]:
    """Required items without a level (or n.v.t.), in Kenniskaart order."""
    rows = db.session.execute(
        select(Section, Item)
        .join(Item, Item.section_id == Section.id)
        .outerjoin(Answer, and_(Answer.item_id == Item.id, Answer.scan_id == (scan_id or -1)))
        .where(
            Section.version_id == version_id,
            Item.required.is_(True),
            Item.retired.is_(False),
            or_(Answer.id.is_(None), and_(Answer.level.is_(None), Answer.not_applicable.is_(False))),
        )
        .order_by(Section.position, Item.position)
    ).all()
    return [(section, item) for section, item in rows]


@dataclass(frozen=True)
class MemberStatus:
    user_id: int
    name: str
    status: ScanStatus
    scan_id: int | None
    updated_at: datetime | None
    submitted_at: datetime | None
    answered: int


def member_statuses(scan_round: ScanRound) -> list[MemberStatus]:
    """Every current professional of the team, plus anyone who has a scan in this round (one query).

    Only the status and dates: a draft's content stays private.
    """
    answered_count = (
        select(func.count(Answer.id))
        .where(Answer.scan_id == Scan.id, or_(Answer.level.is_not(None), Answer.not_applicable.is_(True)))
        .correlate(Scan)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            User.id, User.full_name, Scan.id, Scan.status, Scan.updated_at, Scan.submitted_at, answered_count
        )
        .outerjoin(Scan, and_(Scan.user_id == User.id, Scan.round_id == scan_round.id))
        # Candidates by index lookups (team members, and whoever has a scan in this round), so the
        # query stays as small as the team however many accounts the region has.
        .where(
            User.id.in_(
                union(
                    member_ids(scan_round.team_id),
                    select(Scan.user_id).where(Scan.round_id == scan_round.id),
                )
            )
        )
        .order_by(User.full_name)
    ).all()
    result = []
    for user_id, name, scan_id, status, updated_at, submitted_at, answered in rows:
        state = ScanStatus.NOT_STARTED if scan_id is None else ScanStatus(status)
        result.append(MemberStatus(user_id, name, state, scan_id, updated_at, submitted_at, answered or 0))
    return result


def events(scan_id: int) -> list[ScanEvent]:
    return list(
        db.session.scalars(
            select(ScanEvent)
            .where(ScanEvent.scan_id == scan_id)
            .options(selectinload(ScanEvent.actor))
            .order_by(ScanEvent.at)
        )
    )


def submitted_scans_of(user_id: int) -> list[Scan]:
    """The user's submitted scans, newest round first, with their rounds."""
    return list(
        db.session.scalars(
            select(Scan)
            .join(ScanRound, ScanRound.id == Scan.round_id)
            .where(Scan.user_id == user_id, Scan.status == ScanStatus.SUBMITTED.value)
            # The round comes from the join: one query whether there are no earlier scans or many.
            .options(contains_eager(Scan.round))
            .order_by(ScanRound.opens_on.desc())
        )
    )


def previous_submitted_scan(user_id: int, before: ScanRound) -> Scan | None:
    return db.session.scalars(
        select(Scan)
        .join(ScanRound, ScanRound.id == Scan.round_id)
        .where(
            Scan.user_id == user_id,
            Scan.status == ScanStatus.SUBMITTED.value,
            ScanRound.opens_on < before.opens_on,
        )
        .order_by(ScanRound.opens_on.desc())
        .limit(1)
    ).first()
