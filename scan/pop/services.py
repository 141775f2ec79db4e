"""Drafting rules of the POP: starting it, goals, actions and progress. Plain functions; flush, never commit.

Which version is changed is decided here, not in the routes: goals and actions change only in the latest
version while it is a draft or sent back (permissions.can_edit_plan); progress (an action's status and
reflection) changes in the latest version whatever its status, without a new version, once the POP has been
signed (permissions.can_update_progress).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from scan.assessment.models import ScanRound
from scan.auth.models import User
from scan.catalogue.activities import ACTION_TYPE_LABELS, ACTION_TYPES
from scan.catalogue.models import Training
from scan.core.rules import RuleError
from scan.db import utcnow
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.pop.forms import COLLEAGUE_TYPES
from scan.pop.models import ACTION_STATUSES, Pop, PopAction, PopGoal, PopStatus, PopVersion
from scan.pop.proposals import AMBITION, OWN, TEAM_PRIORITY, Proposal
from scan.pop.queries import catalogue_region_id, submitted_scan
from scan.pop.reasons import ambition_sentence
from scan.teamschouw.reasons import reason_sentence as priority_reason_sentence

DONE = "afgerond"


def start_pop(scan_round: ScanRound, user: User) -> Pop:
    """The professional's POP for the round, with version 1 as a draft. Needs a submitted scan."""
    if submitted_scan(scan_round.id, user.id) is None:
        raise RuleError(_("Submit your scan first: your POP starts from its result."))
    if db.session.query(Pop.id).filter_by(round_id=scan_round.id, user_id=user.id).first() is not None:
        raise RuleError(_("You already have a POP for this round."))
    pop = Pop(round_id=scan_round.id, user_id=user.id)
    pop.versions.append(PopVersion(number=1, status=PopStatus.DRAFT))
    db.session.add(pop)
    db.session.flush()
    return pop


def _require_editable(version: PopVersion) -> None:
    if version.status not in (PopStatus.DRAFT, PopStatus.RETURNED):
        raise RuleError(_("This version can no longer be changed."))


def _next_position(version: PopVersion) -> int:
    return max((g.position for g in version.goals), default=0) + 1


def proposal_reason(proposal: Proposal) -> str:
    """Why the app proposes this goal, in words, in the current locale. Adopting stores the facts behind
    it, not these words (scan.pop.reasons builds them again for each reader)."""
    if proposal.reason_kind == TEAM_PRIORITY:
        return priority_reason_sentence(proposal.priority_reason, proposal.priority_reason_facts)
    return ambition_sentence(proposal.level or 0, proposal.ambition or 0, proposal.agreed)


def adopt(version: PopVersion, proposal: Proposal, description: str = "") -> PopGoal:
    """Adopt a proposed goal; adopting one already in the plan adds nothing."""
    _require_editable(version)
    existing = next((g for g in version.goals if g.item_id == proposal.item_id), None)
    if existing is not None:
        raise RuleError(_("This goal is already in your POP."))
    goal = PopGoal(
        item_id=proposal.item_id,
        position=_next_position(version),
        description=description,
        reason_kind=proposal.reason_kind if proposal.reason_kind in (TEAM_PRIORITY, AMBITION) else OWN,
        # Only the team's typed reason is text; the sentence is built in the reader's language from these.
        reason=proposal.priority_reason if proposal.reason_kind == TEAM_PRIORITY else "",
        reason_facts=(
            dict(proposal.priority_reason_facts)
            if proposal.reason_kind == TEAM_PRIORITY and proposal.priority_reason_facts
            else None
        ),
        reason_level=proposal.level,
        reason_ambition=proposal.ambition,
        reason_level_agreed=proposal.agreed if proposal.level is not None else None,
        target_level=proposal.target_level,
    )
    version.goals.append(goal)
    db.session.flush()
    return goal


def _check_item(version: PopVersion, item: Item | None) -> Item:
    if item is None or item.version_id != version.pop.round.version_id or item.retired:
        raise RuleError(_("Choose a Kenniskaart item."), field="item")
    return item


def add_own_goal(version: PopVersion, item: Item | None, description: str) -> PopGoal:
    _require_editable(version)
    item = _check_item(version, item)
    goal = PopGoal(
        item_id=item.id,
        position=_next_position(version),
        description=description.strip(),
        reason_kind=OWN,
        reason="",
    )
    version.goals.append(goal)
    db.session.flush()
    return goal


def update_goal(goal: PopGoal, item: Item | None, description: str) -> None:
    _require_editable(goal.version)
    item = _check_item(goal.version, item)
    goal.item_id = item.id
    goal.description = description.strip()
    db.session.flush()


def remove_goal(goal: PopGoal) -> None:
    _require_editable(goal.version)
    goal.version.goals.remove(goal)
    db.session.flush()


@dataclass(frozen=True)
class ActionInput:
    type: str
    description: str
    training: Training | None = None
    colleague: User | None = None
    planned_from: date | None = None
    planned_until: date | None = None
    hours: Decimal | None = None  # None: the training's hours (or 0)


def _apply(action: PopAction, data: ActionInput) -> None:
    if data.type not in ACTION_TYPES:
        raise RuleError(_("Choose a kind of activity."), field="type")
    if data.planned_from and data.planned_until and data.planned_until < data.planned_from:
        raise RuleError(_("The end date cannot be before the start date."), field="planned_until")
    if data.training is not None and not data.training.active and action.training_id != data.training.id:
        raise RuleError(_("This training is no longer in the catalogue."), field="training")
    # The vraagbaak colleague is who you shadow or are coached by; with any other kind it would be noise.
    if data.colleague is not None and data.type not in COLLEAGUE_TYPES:
        raise RuleError(
            _("A colleague goes with job shadowing or coaching only: choose one of those, or no colleague."),
            field="colleague",
        )
    action.type = data.type
    action.description = data.description.strip()
    action.training_id = data.training.id if data.training else None
    action.colleague_id = data.colleague.id if data.colleague else None
    action.planned_from = data.planned_from
    action.planned_until = data.planned_until
    if data.hours is not None:
        action.hours = data.hours
    else:
        action.hours = data.training.hours if data.training else Decimal("0")
    # Accreditation points come from the catalogue: only a registered training earns them.
    action.points = data.training.points if data.training else 0


def _check_region(goal: PopGoal, data: ActionInput, current_training_id: int | None = None) -> None:
    """Only the catalogue of the POP's own region (an action keeps the entry it already has)."""
    if (data.training is not None and data.training.id != current_training_id
            and data.training.region_id != catalogue_region_id(goal.version.pop)):
        raise RuleError(_("Choose a training from the list."), field="training")


def add_action(goal: PopGoal, data: ActionInput) -> PopAction:
    _require_editable(goal.version)
    _check_region(goal, data)
    action = PopAction(goal=goal, type=data.type, status="gepland")
    _apply(action, data)
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: PopAction, data: ActionInput) -> None:
    _require_editable(action.goal.version)
    _check_region(action.goal, data, action.training_id)
    _apply(action, data)
    db.session.flush()


def remove_action(action: PopAction) -> None:
    _require_editable(action.goal.version)
    action.goal.actions.remove(action)
    db.session.delete(action)
    db.session.flush()


def update_progress(action: PopAction, status: str, reflection: str) -> None:
    """Progress, not a plan change: allowed in any status of the version, and never a new version."""
    if status not in ACTION_STATUSES:
        raise RuleError(_("Choose a status."), field="status")
    reflection = reflection.strip()
    if status == DONE and not reflection:
        raise RuleError(_("Write a short reflection: what did you learn?"), field="reflection")
    if status != action.status:
        action.status_changed_at = utcnow()
    action.status = status
    action.reflection = reflection
    db.session.flush()


def action_type_label(kind: str) -> str:
    return str(ACTION_TYPE_LABELS.get(kind, kind))
