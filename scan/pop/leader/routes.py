"""The team leader's overview of the team's POPs per round."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from scan.access import Role, require
from scan.assessment import queries as assessment_queries
from scan.db import load_or_404
from scan.organisation.models import Team
from scan.organisation.permissions import leads_team
from scan.pop import bp
from scan.pop.leader import queries as leader_queries
from scan.pop.leader.queries import STATUS_ORDER


@bp.get("/teams/<int:team_id>/pops")
@require(Role.TEAMLEIDER)
def team_overview(team_id: int) -> str:
    team = load_or_404(Team, team_id)
    if not leads_team(current_user, team.id):
        abort(403)
    rounds = assessment_queries.rounds_for_team(team.id)  # newest first
    chosen = request.args.get("ronde", type=int)
    if chosen is None:
        scan_round = rounds[0] if rounds else None
    else:
        scan_round = next((r for r in rounds if r.id == chosen), None)
        if scan_round is None:
            abort(404)
    return render_template(
        "pop/team_overview.html",
        team=team,
        rounds=rounds,
        scan_round=scan_round,
        overview=leader_queries.team_pop_overview(scan_round) if scan_round else None,
        statuses=STATUS_ORDER,
    )
