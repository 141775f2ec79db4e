"""Who may do what with rounds and scans. Pure functions on loaded objects."""

from __future__ import annotations

from datetime import date

from scan.access import Role
from scan.assessment.models import RoundStatus, Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.organisation.models import Team
from scan.organisation.permissions import leads_team


def can_manage_rounds(user: User, team: Team) -> bool:
    """Open rounds and see members' statuses: the team's leader, or the administrator for any team."""
    return leads_team(user, team.id) or user.role == Role.BEHEERDER


def can_fill_in(user: User, scan_round: ScanRound, today: date) -> bool:
    """A professional fills in a round of their current team while it is open."""
    return (
        user.role == Role.PROFESSIONAL
        and user.team_id == scan_round.team_id
        and scan_round.status(today) is RoundStatus.OPEN
    )


def can_view_own(user: User, scan: Scan) -> bool:
    return scan.user_id == user.id


def can_reopen(user: User, scan: Scan) -> bool:
    return leads_team(user, scan.round.team_id)


def can_view_submitted(user: User, scan: Scan) -> bool:
    """A member's answers and notes: their team's leader, once submitted (a draft stays private)."""
    return scan.status == ScanStatus.SUBMITTED.value and leads_team(user, scan.round.team_id)
