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
    shown_number: int | None  # the latest version the leader may read; None: never proposed (or no POP)
    latest_number: int | None  # the latest version of all, a draft of the professional's perhaps
    shown_status: str | None
    actions_done: int
    actions_total: int

    @property
    def private_draft(self) -> bool:
        """A POP never proposed: the leader sees that it exists, nothing of its content."""
        return self.pop_id is not None and self.shown_number is None

    @property
    def status(self) -> str | None:
        """The status the leader sees: of the last version proposed; "draft" for a POP never proposed;
        None without a POP."""
        if self.pop_id is None:
            return None
        return self.shown_status or PopStatus.DRAFT

    @property
    def newer_draft(self) -> bool:
        """The professional drafts a new version after the one the leader sees."""
        return self.shown_number is not None and (self.latest_number or 0) > self.shown_number


@dataclass
class TeamPopOverview:
    members: list[MemberPop]
    by_status: dict[str, int] = field(default_factory=dict)
    without_pop: int = 0
    actions_done: int = 0
    actions_total: int = 0


def team_pop_overview(scan_round: ScanRound) -> TeamPopOverview:
    """Every current professional of the team plus anyone with a POP in this round: one query.

    Statuses and counts are of each POP's latest version the leader may read (the last one proposed: a
    draft is the professional's own, scan.pop.permissions); a POP never proposed counts as a draft, without
    its content. Cancelled actions count in the total too.
    """
    latest = (
        select(
            PopVersion.pop_id,
            func.max(PopVersion.number).label("number"),
            func.max(case((PopVersion.status != PopStatus.DRAFT, PopVersion.number))).label("shown"),
        )
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
            latest.c.shown,
            latest.c.number,
            PopVersion.status,
            func.count(case((PopAction.status == DONE, 1))),
            func.count(PopAction.id),
        )
        .outerjoin(Pop, and_(Pop.user_id == User.id, Pop.round_id == scan_round.id))
        .outerjoin(latest, latest.c.pop_id == Pop.id)
        .outerjoin(PopVersion, and_(PopVersion.pop_id == Pop.id, PopVersion.number == latest.c.shown))
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
        .group_by(User.id, User.full_name, Pop.id, latest.c.shown, latest.c.number, PopVersion.status)
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
