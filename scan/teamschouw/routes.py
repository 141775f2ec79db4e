"""The teamschouw start page of a round: what is there, and the way to every part."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from scan.access import Role, require
from scan.assessment import queries as assessment_queries
from scan.core import clock
from scan.teamschouw import bp, queries
from scan.teamschouw.loading import team_round


@bp.get("/")
@require(Role.TEAMLEIDER)
def index(team_id: int, round_id: int) -> str:
    team, scan_round = team_round(team_id, round_id)
    members = assessment_queries.member_statuses(scan_round)
    # A leader of several teams switches to another team's latest round from here.
    other_teams = [
        (t, (assessment_queries.rounds_for_team(t.id) or [None])[0])
        for t in current_user.led_teams
        if t.id != team.id
    ]
    return render_template(
        "teamschouw/index.html",
        team=team,
        scan_round=scan_round,
        status=scan_round.status(clock.today()).value,
        submitted=len(queries.submitted_members(scan_round)),
        total=len(members),
        other_teams=other_teams,
    )
