"""Who may see a team's membership. Pure functions on plain objects."""

from __future__ import annotations

from scan.access import Role
from scan.auth.models import User
from scan.organisation.models import Team


def leads_team(user: User, team_id: int) -> bool:
    """The team's own leader: a team leader with this team among their teams. Not the administrator, not
    the regional coordinator. The one answer every permission module asks (uses the loaded led_teams)."""
    return user.role == Role.TEAMLEIDER and any(t.id == team_id for t in user.led_teams)


def can_view_team(user: User, team: Team) -> bool:
    return user.role == Role.BEHEERDER or leads_team(user, team.id)
