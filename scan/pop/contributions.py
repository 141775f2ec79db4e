"""What the POP contributes to the pages of features below it (connected when the blueprint loads)."""

from __future__ import annotations

from typing import Any

from scan.assessment import hooks
from scan.assessment.models import ScanRound
from scan.catalogue.activities import ACTION_TYPE_LABELS
from scan.pop import queries
from scan.pop.labels import ACTION_STATUS_LABELS
from scan.pop.loading import version_with_content


@hooks.previous_plan.connect
def previous_plan(user_id: int, before: ScanRound) -> dict[str, Any] | None:
    """The POP of the previous round, as both signed it unless it never was (the page says which)."""
    pop = queries.previous_pop(user_id, before)
    if pop is None:
        return None
    return {
        "previous_pop": pop,
        "previous_plan": version_with_content(queries.plan_version(pop).id),
        "action_types": ACTION_TYPE_LABELS,
        "action_statuses": ACTION_STATUS_LABELS,
    }


@hooks.previous_goals.connect
def previous_goals(user_id: int, before: ScanRound) -> queries.PreviousGoals | None:
    return queries.previous_goals(user_id, before)
