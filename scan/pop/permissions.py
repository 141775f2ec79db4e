"""Who may see and change a POP: the professional and their own team leader, nobody else."""

from __future__ import annotations

from scan.auth.models import User
from scan.organisation.permissions import leads_team
from scan.pop.models import Pop, PopStatus, PopVersion


def is_team_leader_of(user: User, pop: Pop) -> bool:
    return leads_team(user, pop.round.team_id)


def shown_to_leader(version: PopVersion) -> bool:
    """A version the team leader may read: one that was proposed (so proposed, sent back, agreed or
    signed). A draft is the professional's own until they propose it, like a scan draft."""
    return version.status != PopStatus.DRAFT


def visible_versions(user: User, pop: Pop) -> list[PopVersion]:
    """The versions the user may read, oldest first: all for the professional, the proposed ones for the
    team leader, none for anyone else. Uses the loaded `pop.versions`, no query."""
    if pop.user_id == user.id:
        return list(pop.versions)
    if is_team_leader_of(user, pop):
        return [v for v in pop.versions if shown_to_leader(v)]
    return []


def can_view_pop(user: User, pop: Pop) -> bool:
    """The professional, and the team leader of the round's team once a version has been proposed. Never
    the regional coordinator."""
    return bool(visible_versions(user, pop))


def can_view_version(user: User, pop: Pop, version: PopVersion) -> bool:
    return version in visible_versions(user, pop)


def can_edit_plan(user: User, pop: Pop, version: PopVersion) -> bool:
    """Goals and actions change only by the professional, while the version is a draft or sent back."""
    return pop.user_id == user.id and version.status in (PopStatus.DRAFT, PopStatus.RETURNED)


def can_update_progress(user: User, pop: Pop) -> bool:
    """Action status and reflection of the latest version: progress, not plan changes.

    Only the professional, and only once the POP has been signed (in any version): a plan not yet agreed
    has nothing to make progress on. While a re-plan is drafted, proposed or agreed, progress goes on in
    the new version (start_new_version copies status and reflection), so it never waits for re-signing.
    Uses the loaded `pop.versions`, no query. The plan page and the progress POST both ask this.
    """
    return pop.user_id == user.id and any(v.status == PopStatus.SIGNED for v in pop.versions)
