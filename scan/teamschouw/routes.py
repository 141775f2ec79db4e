"""The teamschouw start page of a round: what is there, and the way to every part."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from scan.access import Role, require
from scan.assessment import queries as assessment_queries
from scan.core import clock
from scan.teamschouw import bp, queries
from scan.teamschouw.coverage import queries as coverage_queries
from scan.teamschouw.coverage.build import load_coverage
from scan.teamschouw.loading import team_round
from scan.teamschouw.models import ConsentStatus
from scan.teamschouw.plan import queries as plan_queries
from scan.teamschouw.progress import Steps


@bp.get("/")
@require(Role.TEAMLEIDER)
def index(team_id: int, round_id: int) -> str:
    team, scan_round = team_round(team_id, round_id)
    members = assessment_queries.member_statuses(scan_round)
    # A leader of several teams switches to another team's latest round from here.
    others = [t for t in current_user.led_teams if t.id != team.id]
    latest = queries.latest_rounds([t.id for t in others])  # one query, however many teams
    other_teams = [(t, latest.get(t.id)) for t in others]
    submitted = len(queries.submitted_members(scan_round))
    team_norms = coverage_queries.team_norms(team.id)
    coverage = load_coverage(scan_round, team_norms=team_norms)
    agreements = plan_queries.agreements(scan_round.id)
    session = plan_queries.session_for(scan_round.id)
    steps = Steps(
        members=len(members),
        submitted=submitted,
        calibrated=len(plan_queries.calibrated_counts(scan_round)),
        attention=sum(1 for row in coverage if row.status != "ok"),
        leefgebieden=len(coverage),
        team_norms_set=bool(team_norms),
        priorities=len(plan_queries.priorities(scan_round.id)),
        agreements=len(agreements),
        agreements_waiting=sum(1 for a in agreements if a.consent == ConsentStatus.PENDING),
        session_held_on=session.held_on if session else None,
    )
    return render_template(
        "teamschouw/index.html",
        team=team,
        scan_round=scan_round,
        status=scan_round.status(clock.today()).value,
        submitted=submitted,
        total=len(members),
        steps=steps,
        other_teams=other_teams,
    )
