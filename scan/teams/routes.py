"""The team leader's start page: their teams, and each team's members."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user

from scan.access import Role, require
from scan.assessment import queries as assessment_queries
from scan.core import clock
from scan.db import load_or_404
from scan.organisation import queries
from scan.organisation.models import Team
from scan.organisation.permissions import can_view_team, leads_team
from scan.teams import bp


@bp.get("/")
@require(Role.TEAMLEIDER)
def index() -> str:
    return render_template("teams/index.html", teams=queries.teams_led_by(current_user))


@bp.get("/<int:team_id>")
@require(Role.TEAMLEIDER, Role.BEHEERDER)
def detail(team_id: int) -> str:
    team = load_or_404(Team, team_id)
    if not can_view_team(current_user, team):
        abort(403)
    back_url = url_for("teams.index" if current_user.role == Role.TEAMLEIDER else "beheer.index")
    return render_template(
        "teams/detail.html",
        team=team,
        members=queries.team_members(team),
        rounds=[(r, r.status(clock.today()).value) for r in assessment_queries.rounds_for_team(team.id)],
        back_url=back_url,
        can_view_pops=leads_team(current_user, team.id),
    )
