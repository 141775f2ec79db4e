"""Read functions of POP drafting and progress. A fixed number of queries per call; none in a loop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from scan.assessment import queries as assessment_queries
from scan.assessment.models import Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.catalogue.models import Training, TrainingItem
from scan.extensions import db
from scan.kenniskaart import queries as kenniskaart_queries
from scan.kenniskaart.models import Item, Section
from scan.organisation.models import Municipality, Team
from scan.pop import proposals
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus, PopVersion
from scan.teamschouw.models import Agreement, AgreementKind, ConsentStatus
from scan.teamschouw.plan import queries as plan_queries
from scan.teamschouw.queries import agreed_levels

DUE_WITHIN_DAYS = 14
OPEN_STATUSES = ("gepland", "bezig")
DONE_STATUS = "afgerond"


def pops_of(user_id: int) -> list[Pop]:
    """The user's POPs, newest round first, with round and versions (three queries)."""
    return list(
        db.session.scalars(
            select(Pop)
            .join(ScanRound, ScanRound.id == Pop.round_id)
            .where(Pop.user_id == user_id)
            .options(joinedload(Pop.round), selectinload(Pop.versions))
            .order_by(ScanRound.opens_on.desc(), Pop.id.desc())
        ).unique()
    )


def pop_round(user: User, today: date) -> ScanRound | None:
    """The round whose POP the professional works on: the open round of their team, else the latest
    round in which they submitted a scan."""
    if user.team_id is not None:
        current = assessment_queries.open_round_for_team(user.team_id, today)
        if current is not None:
            return current
    return db.session.scalars(
        select(ScanRound)
        .join(Scan, Scan.round_id == ScanRound.id)
        .where(Scan.user_id == user.id, Scan.status == ScanStatus.SUBMITTED.value)
        .order_by(ScanRound.opens_on.desc(), ScanRound.id.desc())
        .limit(1)
    ).first()


def submitted_scan(round_id: int, user_id: int) -> Scan | None:
    return db.session.scalars(
        select(Scan).where(
            Scan.round_id == round_id, Scan.user_id == user_id, Scan.status == ScanStatus.SUBMITTED.value
        )
    ).first()


def version_items(version_id: int) -> list[Section]:
    """The Kenniskaart's sections with their items (two queries)."""
    return kenniskaart_queries.sections_with_items(version_id)


def proposals_for(pop: Pop, sections: list[Section]) -> list[proposals.Proposal]:
    """The ranked proposed goals of this POP's owner in its round (four queries)."""
    scan = submitted_scan(pop.round_id, pop.user_id)
    if scan is None:
        return []
    answers = assessment_queries.answers(scan.id)
    agreed = agreed_levels(scan.id)
    items = [
        proposals.ItemInfo(i.id, i.code, s.id, i.level_kind, i.title_nl, i.title_en, i.required)
        for s in sections
        for i in s.items
        if not i.retired
    ]
    mine = {
        item_id: proposals.MyAnswer(
            None if a.not_applicable else a.level,
            None if a.not_applicable else a.ambition,
            agreed.get(item_id),
        )
        for item_id, a in answers.items()
    }
    for item_id, level in agreed.items():
        mine.setdefault(item_id, proposals.MyAnswer(None, None, level))
    priorities = [
        proposals.PriorityInfo(p.item_id, p.section_id, p.reason, p.reason_facts)
        for p in plan_queries.priorities(pop.round_id)
    ]
    return proposals.rank(items, mine, priorities, pop.round.version.norms)


# --- the action picker ---------------------------------------------------------------------------------


def catalogue_region_id(pop: Pop) -> int:
    """The region whose catalogue the POP's actions choose from: that of the team of the POP's round (the
    professional's team in that round). One query."""
    region_id = db.session.scalar(
        select(Municipality.region_id)
        .join(Team, Team.municipality_id == Municipality.id)
        .join(ScanRound, ScanRound.team_id == Team.id)
        .where(ScanRound.id == pop.round_id)
    )
    assert region_id is not None  # a round has a team, a team a municipality, a municipality a region
    return int(region_id)


def active_trainings(region_id: int) -> list[Training]:
    """The region's active catalogue, by title, with the item codes each addresses (two queries)."""
    return list(
        db.session.scalars(
            select(Training)
            .where(Training.region_id == region_id, Training.active.is_(True))
            .order_by(Training.title)
        )
    )


def trainings_for(item_code: str) -> set[int]:
    """Ids of the trainings addressing the item code (one query)."""
    return set(
        db.session.scalars(select(TrainingItem.training_id).where(TrainingItem.item_code == item_code))
    )


@dataclass(frozen=True)
class Colleague:
    user_id: int
    name: str
    suggested: bool  # vraagbaak for the goal's item or its leefgebied


def vraagbaak_colleagues(round_id: int, item: Item, exclude_user_id: int) -> list[Colleague]:
    """The round's accepted vraagbaak colleagues (one query): those for the item or its leefgebied
    first, then the others; each person once."""
    rows = db.session.execute(
        select(User.id, User.full_name, Agreement.item_id, Agreement.section_id)
        .join(User, User.id == Agreement.member_id)
        .where(
            Agreement.round_id == round_id,
            Agreement.kind == AgreementKind.VRAAGBAAK,
            Agreement.consent == ConsentStatus.ACCEPTED,
            User.id != exclude_user_id,
            User.active.is_(True),
        )
        .order_by(User.full_name, User.id)
    ).all()
    people: dict[int, Colleague] = {}
    for user_id, name, item_id, section_id in rows:
        suggested = item_id == item.id or section_id == item.section_id
        if user_id not in people or suggested:
            people[user_id] = Colleague(user_id, name, suggested)
    return sorted(people.values(), key=lambda c: (not c.suggested, c.name))


# --- totals, due actions, the previous POP ---------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    hours: Decimal
    points: int
    actions: int


def totals(version: PopVersion) -> Totals:
    """Planned hours and accreditation points of the version; dropped actions do not count."""
    actions = [a for g in version.goals for a in g.actions if a.status != "vervallen"]
    return Totals(
        sum((a.hours or Decimal("0") for a in actions), Decimal("0")),
        sum(a.points or 0 for a in actions),
        len(actions),
    )


def due_actions(user_id: int, today: date) -> list[PopAction]:
    """Open actions of the latest version of the user's POPs that end within DUE_WITHIN_DAYS days or have
    ended, soonest first (one query)."""
    latest = (
        select(func.max(PopVersion.number))
        .where(PopVersion.pop_id == Pop.id)
        .correlate(Pop)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(PopAction)
            .join(PopGoal, PopGoal.id == PopAction.goal_id)
            .join(PopVersion, PopVersion.id == PopGoal.version_id)
            .join(Pop, Pop.id == PopVersion.pop_id)
            .where(
                Pop.user_id == user_id,
                PopVersion.number == latest,
                PopAction.status.in_(OPEN_STATUSES),
                PopAction.planned_until.is_not(None),
                PopAction.planned_until <= today + timedelta(days=DUE_WITHIN_DAYS),
            )
            .options(
                joinedload(PopAction.goal).joinedload(PopGoal.item).joinedload(Item.section),
                joinedload(PopAction.goal).joinedload(PopGoal.version),
            )
            .order_by(PopAction.planned_until, PopAction.id)
        ).unique()
    )


def previous_pop(user_id: int, before: ScanRound | None) -> Pop | None:
    """The user's POP of the latest round before `before` (or the latest at all when None)."""
    stmt = select(Pop).join(ScanRound, ScanRound.id == Pop.round_id).where(Pop.user_id == user_id)
    if before is not None:
        stmt = stmt.where(ScanRound.opens_on < before.opens_on)
    return db.session.scalars(
        stmt.options(joinedload(Pop.round), selectinload(Pop.versions))
        .order_by(ScanRound.opens_on.desc(), Pop.id.desc())
        .limit(1)
    ).first()


def plan_version(pop: Pop) -> PopVersion:
    """The version that counts as the plan: the last one signed by both, else (never signed) the newest.
    A re-plan drafted after signing is not the plan until it is signed too. Uses the loaded versions."""
    signed = [v for v in pop.versions if v.status == PopStatus.SIGNED]
    return signed[-1] if signed else pop.versions[-1]


@dataclass(frozen=True)
class PreviousGoal:
    """A goal of the previous POP, for the item with this code: its actions done and still open (dropped
    actions count as neither)."""

    item_code: str
    done: int
    open: int


@dataclass(frozen=True)
class PreviousGoals:
    signed: bool  # False: the previous POP was never signed; its newest version is shown
    by_code: dict[str, PreviousGoal]


def previous_goals(user_id: int, before: ScanRound) -> PreviousGoals | None:
    """The goals of the user's previous POP (the plan version, see plan_version) by Kenniskaart item code,
    so they match the items of a later Kenniskaart version too. Three queries, however many goals."""
    pop = previous_pop(user_id, before)
    if pop is None:
        return None
    version = plan_version(pop)
    rows = db.session.execute(
        select(
            Item.code,
            func.coalesce(func.sum(case((PopAction.status == DONE_STATUS, 1), else_=0)), 0),
            func.coalesce(func.sum(case((PopAction.status.in_(OPEN_STATUSES), 1), else_=0)), 0),
        )
        .select_from(PopGoal)
        .join(Item, Item.id == PopGoal.item_id)
        .outerjoin(PopAction, PopAction.goal_id == PopGoal.id)
        .where(PopGoal.version_id == version.id)
        .group_by(Item.code)
    ).all()
    return PreviousGoals(
        signed=version.status == PopStatus.SIGNED,
        by_code={code: PreviousGoal(code, int(done), int(still_open)) for code, done, still_open in rows},
    )
