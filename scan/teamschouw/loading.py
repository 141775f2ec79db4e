"""Load -> check for every teamschouw route: the team and round from the URL, 404 or 403 first."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from scan.assessment.models import ScanRound
from scan.db import load_or_404
from scan.organisation.models import Team
from scan.teamschouw.permissions import can_run_teamschouw


def team_round(team_id: int, round_id: int) -> tuple[Team, ScanRound]:
    team = load_or_404(Team, team_id)
    scan_round = load_or_404(ScanRound, round_id)
    if scan_round.team_id != team.id:
        abort(404)
    if not can_run_teamschouw(current_user, scan_round):
        abort(403)
    return team, scan_round
