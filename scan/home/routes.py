"""The professional's start page."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from scan.access import Role, require
from scan.assessment import queries as assessment_queries
from scan.catalogue.activities import ACTION_TYPE_LABELS
from scan.core import clock
from scan.home import bp
from scan.pop import queries as pop_queries


@bp.get("/mijn")
@require(Role.PROFESSIONAL)
def professional() -> str:
    team = current_user.team
    leaders = team.leaders if team else []
    scan_round = assessment_queries.open_round_for_team(team.id, clock.today()) if team else None
    scan = assessment_queries.scan_for(scan_round.id, current_user.id) if scan_round else None
    today = clock.today()
    due = pop_queries.due_actions(current_user.id, today)
    return render_template(
        "home/professional.html",
        team=team,
        leaders=leaders,
        scan_round=scan_round,
        scan=scan,
        overdue_actions=[a for a in due if a.planned_until < today],
        due_actions=[a for a in due if a.planned_until >= today],
        action_types=ACTION_TYPE_LABELS,
    )
