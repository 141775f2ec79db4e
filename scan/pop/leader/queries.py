"""The team leader's overview of the team's POPs: statuses and action counts only, never content."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select, union

from scan.assessment.models import ScanRound
from scan.auth.models import User
from scan.extensions import db
from scan.organisation.queries import member_ids
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion

STATUS_ORDER = (PopStatus.DRAFT, PopStatus.PROPOSED, PopStatus.RETURNED, PopStatus.AGREED, PopStatus.SIGNED)
DONE = "afgerond"


@dataclass(frozen=True)
class MemberPop:
    user_id: int
    name: str
    pop_id: int | None
    status: str | None  # of the latest version; None without a POP
    actions_done: int
    actions_total: int


@dataclass
class TeamPopOverview:
    members: list[MemberPop]
    by_status: dict[str, int] = field(default_factory=dict)
    without_pop: int = 0
    actions_done: int = 0
    actions_total: int = 0


def team_pop_overview(scan_round: ScanRound) -> TeamPopOverview:
    """Every current professional of the team plus anyone with a POP in this round: one query.

    Statuses and counts are of each POP's latest version; cancelled actions count in the total too.
    """
    latest = (
        select(PopVersion.pop_id, func.max(PopVersion.number).label("number"))
        .join(Pop, Pop.id == PopVersion.pop_id)
        .where(Pop.round_id == scan_round.id)
        .group_by(PopVersion.pop_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            User.id,
            User.full_name,
            Pop.id,
            PopVersion.status,
            func.count(case((PopAction.status == DONE, 1))),
            func.count(PopAction.id),
        )
        .outerjoin(Pop, and_(Pop.user_id == User.id, Pop.round_id == scan_round.id))
        .outerjoin(latest, latest.c.pop_id == Pop.id)
        .outerjoin(PopVersion, and_(PopVersion.pop_id == Pop.id, PopVersion.number == latest.c.number))
        .outerjoin(PopGoal, PopGoal.version_id == PopVersion.id)
        .outerjoin(PopAction, PopAction.goal_id == PopGoal.id)
        .where(
            User.id.in_(
                union(
                    member_ids(scan_round.team_id),
                    select(Pop.user_id).where(Pop.round_id == scan_round.id),
                )
            )
        )
        .group_by(User.id, User.full_name, Pop.id, PopVersion.status)
        .order_by(User.full_name, User.id)
    ).all()
    members = [MemberPop(*row) for row in rows]
    overview = TeamPopOverview(members=members, by_status={status: 0 for status in STATUS_ORDER})
    for member in members:
        if member.pop_id is None:
            overview.without_pop += 1
        elif member.status in overview.by_status:
            overview.by_status[member.status] += 1
        overview.actions_done += member.actions_done
        overview.actions_total += member.actions_total
    return overview
