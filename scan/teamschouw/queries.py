"""Read functions of the teamschouw. Only submitted scans ever appear here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select

from scan.assessment.models import Answer, Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.teamschouw.models import Calibration


def latest_calibration(*, round_id: int | None = None, scan_id: int | None = None):  # type: ignore[no-untyped-def]
    """Subquery: the newest calibration row id per scan and item, of one round's or one scan's scans.

    Limiting it to the round keeps the grouping as small as the team, however large the region's history.
    """
    stmt = select(Calibration.scan_id, Calibration.item_id, func.max(Calibration.id).label("id"))
    if scan_id is not None:
        stmt = stmt.where(Calibration.scan_id == scan_id)
    elif round_id is not None:
        stmt = stmt.where(Calibration.scan_id.in_(select(Scan.id).where(Scan.round_id == round_id)))
    return stmt.group_by(Calibration.scan_id, Calibration.item_id).subquery()


def latest_rounds(team_ids: list[int]) -> dict[int, ScanRound]:
    """The latest round (by opening date) of each of these teams that has one: one query, however many
    teams, none included (the start page's "your other teams": the same count for a leader of one team)."""
    ranked = (
        select(
            ScanRound.id,
            func.row_number()
            .over(partition_by=ScanRound.team_id, order_by=(ScanRound.opens_on.desc(), ScanRound.id.desc()))
            .label("n"),
        )
        .where(ScanRound.team_id.in_(team_ids))
        .subquery()
    )
    rounds = db.session.scalars(
        select(ScanRound).join(ranked, and_(ranked.c.id == ScanRound.id, ranked.c.n == 1))
    )
    return {r.team_id: r for r in rounds}


@dataclass(frozen=True)
class Member:
    scan_id: int
    user_id: int
    name: str


def submitted_members(scan_round: ScanRound) -> list[Member]:
    """Members whose scan in this round is submitted (a reopened scan is not), by name."""
    rows = db.session.execute(
        select(Scan.id, User.id, User.full_name)
        .join(User, User.id == Scan.user_id)
        .where(Scan.round_id == scan_round.id, Scan.status == ScanStatus.SUBMITTED.value)
        .order_by(User.full_name, User.id)
    ).all()
    return [Member(*row) for row in rows]


@dataclass(frozen=True)
class TeamAnswer:
    scan_id: int
    item_id: int
    level: int | None
    not_applicable: bool
    ambition: int | None
    agreed_level: int | None


def team_answers(scan_round: ScanRound) -> list[TeamAnswer]:
    """Every answer of every submitted scan in the round, with its current agreed level: one query."""
    latest = latest_calibration(round_id=scan_round.id)
    rows = db.session.execute(
        select(
            Answer.scan_id,
            Answer.item_id,
            Answer.level,
            Answer.not_applicable,
            Answer.ambition,
            Calibration.agreed_level,
        )
        .join(Scan, Scan.id == Answer.scan_id)
        .outerjoin(latest, and_(latest.c.scan_id == Answer.scan_id, latest.c.item_id == Answer.item_id))
        .outerjoin(Calibration, Calibration.id == latest.c.id)
        .where(Scan.round_id == scan_round.id, Scan.status == ScanStatus.SUBMITTED.value)
    ).all()
    return [TeamAnswer(*row) for row in rows]


def agreed_levels(scan_id: int) -> dict[int, int]:
    """item id -> current agreed level for one scan (withdrawn agreements left out)."""
    latest = latest_calibration(scan_id=scan_id)
    rows = db.session.execute(
        select(Calibration.item_id, Calibration.agreed_level)
        .join(latest, latest.c.id == Calibration.id)
        .where(Calibration.scan_id == scan_id, Calibration.agreed_level.is_not(None))
    ).all()
    return {item_id: level for item_id, level in rows}



def previous_round(scan_round: ScanRound) -> ScanRound | None:
    """The team's round that opened last before this one, or none."""
    return db.session.scalars(
        select(ScanRound)
        .where(ScanRound.team_id == scan_round.team_id, ScanRound.opens_on < scan_round.opens_on)
        .order_by(ScanRound.opens_on.desc(), ScanRound.id.desc())
        .limit(1)
    ).first()


def previous_levels(previous: ScanRound, user_ids: list[int]) -> dict[tuple[int, str], int]:
    """(user id, item code) -> the level that counted in the previous round (agreed, else self-assessed),
    from submitted scans only; "not applicable" and unanswered items are left out. One query.

    Items are matched by code, so a round on a newer Kenniskaart version still finds its predecessor."""
    if not user_ids:
        return {}
    latest = latest_calibration(round_id=previous.id)
    rows = db.session.execute(
        select(Scan.user_id, Item.code, Answer.level, Answer.not_applicable, Calibration.agreed_level)
        .join(Scan, Scan.id == Answer.scan_id)
        .join(Item, Item.id == Answer.item_id)
        .outerjoin(latest, and_(latest.c.scan_id == Answer.scan_id, latest.c.item_id == Answer.item_id))
        .outerjoin(Calibration, Calibration.id == latest.c.id)
        .where(Scan.round_id == previous.id, Scan.status == ScanStatus.SUBMITTED.value,
               Scan.user_id.in_(user_ids))
    ).all()
    levels: dict[tuple[int, str], int] = {}
    for user_id, code, level, not_applicable, agreed in rows:
        counted = agreed if agreed is not None else (None if not_applicable else level)
        if counted is not None:
            levels[(user_id, code)] = counted
    return levels
