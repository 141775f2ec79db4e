"""Who may see and run a teamschouw. Pure functions on loaded objects."""

from __future__ import annotations

from scan.access import Role
from scan.assessment.models import ScanRound
from scan.auth.models import User
from scan.organisation.permissions import leads_team


def can_run_teamschouw(user: User, scan_round: ScanRound) -> bool:
    """Only the team's own leader: the teamschouw shows individual (submitted) results."""
    return leads_team(user, scan_round.team_id)


def can_see_team_plan(user: User, scan_round: ScanRound) -> bool:
    """Members see their team's priorities and the vraagbaak list, never each other's scores."""
    return can_run_teamschouw(user, scan_round) or (
        user.role == Role.PROFESSIONAL and user.team_id == scan_round.team_id
    )
