"""Creating and changing an account: the rules the administrator's pages (scan.beheer.accounts), the account
import (scan.auth.account_import) and the `flask users` commands share. Flush, never commit; every change
is recorded in the audit log in the caller's transaction.

A professional who changes team keeps their history: rounds belong to a team, and scans and POPs to a
round, so earlier scans and POPs stay with the team they were made in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from scan.access import Role
from scan.audit import actions
from scan.audit.services import record
from scan.auth.models import User
from scan.auth.passwords import hash_password, password_problem
from scan.auth.services import normalise_username
from scan.core.rules import RuleError
from scan.extensions import db
from scan.organisation.models import Region, Team

# Readable: no 0/o, 1/l/i that look alike.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def generate_password() -> str:
    """A readable temporary password: four groups of four, such as "k7mq-xa3t-9pbw-hu2e"."""
    while True:
        candidate = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
        if password_problem(candidate) is None:
            return candidate


@dataclass
class AccountData:
    """What the form, an import row or the command line says an account should be."""

    full_name: str
    role: str
    team: Team | None = None
    led_teams: list[Team] = field(default_factory=list)
    region: Region | None = None


def check_data(data: AccountData, user: User | None = None) -> list[tuple[str, str]]:
    """Every problem, as (field, translated message). Archived teams may stay, not be newly chosen."""
    problems: list[tuple[str, str]] = []
    if len(data.full_name.strip()) > 200:
        problems.append(("full_name", _("Use at most %(n)d characters.", n=200)))
    try:
        role = Role(data.role)
    except ValueError:
        return [*problems, ("role", _("Choose a role."))]
    current = set()
    if user is not None:
        current = {t.id for t in user.led_teams} | ({user.team_id} if user.team_id else set())
    if role is Role.PROFESSIONAL:
        if data.team is None:
            problems.append(("team", _("A professional belongs to exactly one team; choose it.")))
        elif data.team.archived_at is not None and data.team.id not in current:
            problems.append(("team", _("The team %(name)s is archived.", name=data.team.name)))
    if role is Role.TEAMLEIDER:
        if not data.led_teams:
            problems.append(("led_teams", _("A team leader leads at least one team; choose it.")))
        archived = [t.name for t in data.led_teams if t.archived_at is not None and t.id not in current]
        if archived:
            problems.append(("led_teams", _("The team %(name)s is archived.", name=", ".join(archived))))
    if role is Role.REGIOCOORDINATOR and data.region is None:
        problems.append(("region", _("A regional coordinator needs a region; choose it.")))
    return problems


def username_shape_problem(username: str) -> str | None:
    """What is wrong with a (normalised) username as text, before the database is asked."""
    if not username:
        return _("A username is required.")
    if len(username) > 80 or not all(c.isalnum() or c in "._-@" for c in username):
        return _("Use at most 80 letters, digits and . _ - @ in a username, without spaces.")
    return None


def username_problem(username: str) -> str | None:
    problem = username_shape_problem(username)
    if problem:
        return problem
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username)) is not None:
        return _("The username %(name)s is already in use.", name=username)
    return None


def _apply(user: User, data: AccountData) -> list[str]:
    """Set the fields; returns the names of the fields that changed."""
    role = Role(data.role)
    want_team = data.team if role is Role.PROFESSIONAL else None
    want_led = sorted({t.id: t for t in data.led_teams}.values(), key=lambda t: t.id) \
        if role is Role.TEAMLEIDER else []
    want_region = data.region if role is Role.REGIOCOORDINATOR else None
    changed = []
    name = " ".join(data.full_name.split()) or user.full_name or user.username
    if name != user.full_name:
        changed.append("name")
        user.full_name = name
    if role.value != user.role:
        changed.append("role")
        user.role = role.value
    if (want_team.id if want_team else None) != user.team_id:
        changed.append("team")
        user.team = want_team
    if sorted(t.id for t in want_led) != sorted(t.id for t in user.led_teams):
        changed.append("teams led")
        user.led_teams = list(want_led)
    if (want_region.id if want_region else None) != user.region_id:
        changed.append("region")
        user.region = want_region
    return changed


def create_account(username: str, data: AccountData, *, password_hash: str | None = None,
                   temporary: bool = True, via: str = "", source: str | None = None
                   ) -> tuple[User, str | None]:
    """A new account with a password (generated unless a hash is given; temporary unless said otherwise);
    returns the account and the generated password, to be shown once.

    `source` names the command in the audit log when no one is logged in (the command line)."""
    name = normalise_username(username)
    problems = check_data(data)
    problem = username_problem(name)
    if problem:
        problems.insert(0, ("username", problem))
    if problems:
        raise RuleError(problems[0][1], problems[0][0])
    generated = None
    if password_hash is None:
        generated = generate_password()
        password_hash = hash_password(generated)
    user = User(username=name, full_name="", password_hash=password_hash, role=data.role,
                must_change_password=temporary)
    db.session.add(user)
    _apply(user, data)
    db.session.flush()
    record(actions.ACCOUNT_CREATE, object_type="account", object_id=user.id,
           facts={"role": user.role} | ({"via": via} if via else {}), actor_name=source)
    return user, generated


def update_account(user: User, data: AccountData, actor: User | None, *, via: str = "",
                   source: str | None = None) -> list[str]:
    """Change name, role, team, teams led and region; returns the changed fields (none: nothing recorded).
    `actor` is None on the command line, where `source` names the command in the audit log."""
    if actor is not None and user.id == actor.id and data.role != user.role:
        raise RuleError(_("You cannot change your own role; ask another administrator."), "role")
    problems = check_data(data, user)
    if problems:
        raise RuleError(problems[0][1], problems[0][0])
    changed = _apply(user, data)
    if changed:
        db.session.flush()
        record(actions.ACCOUNT_UPDATE, object_type="account", object_id=user.id,
               facts={"fields": changed} | ({"via": via} if via else {}),
               actor=actor, actor_name=None if actor else source)
    return changed
