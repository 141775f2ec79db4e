"""The POP's personal data: a person's POPs with every version, goal and action, for the export and the
erasure (the contract: scan.core.personal_data; collected by scan.privacy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import aliased

from scan.assessment.models import ScanRound
from scan.auth.models import User
from scan.catalogue.models import Training
from scan.core.personal_data import Erasure, ExportSection, Person, PersonalTable, PreviewCount, RetentionKind
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.organisation.models import Team
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion


@dataclass(frozen=True)
class PopActionRecord:
    type: str
    description: str
    training: str | None
    colleague: str | None
    planned_from: date | None
    planned_until: date | None
    hours: Decimal | None
    points: int | None
    status: str
    reflection: str
    status_changed_at: datetime | None


@dataclass(frozen=True)
class PopGoalRecord:
    item_code: str
    item_title_nl: str
    item_title_en: str
    description: str
    reason_kind: str
    reason: str  # typed text (or a legacy sentence); the app's sentence is built from the facts below
    target_level: int | None
    reason_level: int | None = None
    reason_ambition: int | None = None
    reason_level_agreed: bool | None = None
    actions: tuple[PopActionRecord, ...] = ()


@dataclass(frozen=True)
class PopVersionRecord:
    """One version of a POP; signatures are the two signing times (and who signed for the leader)."""

    number: int
    status: str
    created_at: datetime
    proposed_at: datetime | None
    leader_comment: str
    agreed_at: datetime | None
    agreed_by: str | None
    professional_signed_at: datetime | None
    leader_signed_at: datetime | None
    leader_signed_by: str | None
    goals: tuple[PopGoalRecord, ...] = ()


@dataclass(frozen=True)
class PopRecord:
    round_title: str
    team: str
    created_at: datetime
    versions: tuple[PopVersionRecord, ...] = ()


def own_version_ids(user_id: int) -> Select[Any]:
    return select(PopVersion.id).join(Pop, Pop.id == PopVersion.pop_id).where(Pop.user_id == user_id)


def own_goal_ids(user_id: int) -> Select[Any]:
    return select(PopGoal.id).where(PopGoal.version_id.in_(own_version_ids(user_id)))


def own_action_ids(user_id: int) -> Select[Any]:
    return select(PopAction.id).where(PopAction.goal_id.in_(own_goal_ids(user_id)))


def pop_records(person: Person) -> tuple[PopRecord, ...]:
    """Every POP of the person with every version, goal and action (one query, flat rows folded here)."""
    agreed_by, signed_by, colleague = aliased(User), aliased(User), aliased(User)
    rows = db.session.execute(
        select(
            Pop.id, ScanRound.title, Team.name, Pop.created_at,
            PopVersion.id, PopVersion.number, PopVersion.status, PopVersion.created_at,
            PopVersion.proposed_at,
            PopVersion.leader_comment, PopVersion.agreed_at, agreed_by.full_name,
            PopVersion.professional_signed_at, PopVersion.leader_signed_at, signed_by.full_name,
            PopGoal.id, Item.code, Item.title_nl, Item.title_en, PopGoal.description, PopGoal.reason_kind,
            PopGoal.reason, PopGoal.target_level, PopGoal.reason_level, PopGoal.reason_ambition,
            PopGoal.reason_level_agreed,
            PopAction.id, PopAction.type, PopAction.description, Training.title, colleague.full_name,
            PopAction.planned_from, PopAction.planned_until, PopAction.hours, PopAction.points,
            PopAction.status, PopAction.reflection, PopAction.status_changed_at,
        )
        .join(ScanRound, ScanRound.id == Pop.round_id)
        .join(Team, Team.id == ScanRound.team_id)
        .join(PopVersion, PopVersion.pop_id == Pop.id)
        .outerjoin(agreed_by, agreed_by.id == PopVersion.agreed_by_id)
        .outerjoin(signed_by, signed_by.id == PopVersion.leader_signed_by_id)
        .outerjoin(PopGoal, PopGoal.version_id == PopVersion.id)
        .outerjoin(Item, Item.id == PopGoal.item_id)
        .outerjoin(PopAction, PopAction.goal_id == PopGoal.id)
        .outerjoin(Training, Training.id == PopAction.training_id)
        .outerjoin(colleague, colleague.id == PopAction.colleague_id)
        .where(Pop.user_id == person.id)
        .order_by(ScanRound.opens_on, Pop.id, PopVersion.number, PopGoal.position, PopGoal.id, PopAction.id)
    ).all()
    # Fold the joined rows back into the tree, keeping the query's order.
    pops: dict[int, tuple[tuple, dict[int, tuple[tuple, dict[int, tuple[tuple, list]]]]]] = {}  # type: ignore[type-arg]
    for r in rows:
        _, versions = pops.setdefault(r[0], (r[1:4], {}))
        _, goals = versions.setdefault(r[4], (r[5:15], {}))
        if r[15] is None:
            continue
        _, actions = goals.setdefault(r[15], (r[16:26], []))
        if r[26] is not None:
            actions.append(PopActionRecord(*r[27:38]))
    return tuple(
        PopRecord(
            *pop_fields,
            versions=tuple(
                PopVersionRecord(
                    *version_fields,
                    goals=tuple(
                        PopGoalRecord(*fields, actions=tuple(acts)) for fields, acts in goals.values()
                    ),
                )
                for version_fields, goals in versions.values()
            ),
        )
        for pop_fields, versions in pops.values()
    )


def _blank_actions(person: Person, _replacement: str) -> None:
    db.session.execute(
        update(PopAction).where(PopAction.goal_id.in_(own_goal_ids(person.id))).values(description="",
                                                                                        reflection="")
    )


def _blank_goals(person: Person, _replacement: str) -> None:
    db.session.execute(update(PopGoal).where(PopGoal.id.in_(own_goal_ids(person.id))).values(description="",
                                                                                             reason=""))


def _blank_comments(person: Person, _replacement: str) -> None:
    # The team leader's comments are about this person's plan.
    db.session.execute(
        update(PopVersion).where(PopVersion.id.in_(own_version_ids(person.id))).values(leader_comment="")
    )


def _pops_of_rounds(round_ids: Sequence[int]) -> Select[Any]:
    return select(Pop.id).where(Pop.round_id.in_(round_ids))


def _versions_of_rounds(round_ids: Sequence[int]) -> Select[Any]:
    return select(PopVersion.id).where(PopVersion.pop_id.in_(_pops_of_rounds(round_ids)))


def _goals_of_rounds(round_ids: Sequence[int]) -> Select[Any]:
    return select(PopGoal.id).where(PopGoal.version_id.in_(_versions_of_rounds(round_ids)))


EXPORT = (ExportSection("pops", pop_records),)

# With a round that closed long ago, actions first: each select finds its rows through their parents.
RETENTION = (
    RetentionKind("pops", _l("POPs"), position=50, removal=40, with_round=_pops_of_rounds, model=Pop),
    RetentionKind("pop_versions", _l("POP versions"), position=60, removal=30, with_round=_versions_of_rounds,
                  model=PopVersion),
    RetentionKind("pop_goals", _l("POP goals"), position=70, removal=20, with_round=_goals_of_rounds,
                  model=PopGoal),
    RetentionKind(
        "pop_actions", _l("POP actions"), position=80, removal=10, model=PopAction,
        with_round=lambda rounds: select(PopAction.id).where(PopAction.goal_id.in_(_goals_of_rounds(rounds))),
    ),
)

ERASE_PREVIEW = (
    PreviewCount("pops", lambda uid: select(Pop.id).where(Pop.user_id == uid)),
    PreviewCount(
        "pop_texts",
        lambda uid: select(PopGoal.id).where(PopGoal.id.in_(own_goal_ids(uid)),
                                             or_(PopGoal.description != "", PopGoal.reason != "")),
    ),
    PreviewCount(
        "pop_texts",
        lambda uid: select(PopAction.id).where(PopAction.goal_id.in_(own_goal_ids(uid)),
                                               or_(PopAction.description != "", PopAction.reflection != "")),
    ),
    PreviewCount(
        "pop_texts",
        lambda uid: select(PopVersion.id).where(PopVersion.id.in_(own_version_ids(uid)),
                                                PopVersion.leader_comment != ""),
    ),
)

# Kept through every erasure: goals' Kenniskaart items and target levels, actions' types, periods, hours and
# statuses, on which the regional counts of past periods rest.
TABLES = (
    PersonalTable(
        "pop", lambda uid: select(Pop.id).where(Pop.user_id == uid), Erasure.KEEP, export="pops",
        person_columns=("user_id",), retention=("pops",),
        reason="which round the POP belongs to; its texts are blanked in its versions, goals and actions",
    ),
    PersonalTable(
        "pop_version", own_version_ids, Erasure.ANONYMISE, export="pops.versions", erase=_blank_comments,
        blanked=("leader_comment",), mentions=("agreed_by_id", "leader_signed_by_id"),
        retention=("pop_versions",),
    ),
    PersonalTable(
        "pop_goal", own_goal_ids, Erasure.ANONYMISE, export="pops.versions.goals", erase=_blank_goals,
        blanked=("description", "reason"), retention=("pop_goals",),
    ),
    PersonalTable(
        "pop_action", own_action_ids, Erasure.ANONYMISE, export="pops.versions.goals.actions",
        erase=_blank_actions, blanked=("description", "reflection"), mentions=("colleague_id",),
        retention=("pop_actions",),
    ),
)
