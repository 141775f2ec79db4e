"""Who may see a team's membership. Pure functions on plain objects."""

from __future__ import annotations

from scan.access import Role
from scan.auth.models import User
from scan.organisation.models import Team


def can_view_team(user: User, team: Team) -> bool:
    if user.role == Role.BEHEERDER:
        return True
    if user.role == Role.TEAMLEIDER:
        return any(t.id == team.id for t in user.led_teams)
    return False
