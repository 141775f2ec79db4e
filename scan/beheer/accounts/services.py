"""Accounts as the administrator manages them in the browser: the list, deactivate and reactivate, a
temporary password, and the import preview's signed payload. Creating and changing an account and the
import's rules are scan.auth.accounts and scan.auth.account_import, shared with `flask users`.

Plain functions, tested without HTTP. Flush, never commit; every change is recorded in the audit log in the
caller's transaction, so it is committed or rolled back together with the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from scan.access import Role
from scan.audit import actions
from scan.audit.services import record
from scan.auth import services as auth
from scan.auth.account_import import ImportRow
from scan.auth.accounts import generate_password
from scan.auth.models import User
from scan.core.rules import RuleError
from scan.core.uploads import SignedPreview
from scan.extensions import db
from scan.organisation.models import Region, Team

PER_PAGE = 50
# Longer than any username or name; also keeps the LIKE pattern within SQLite's limit (50,000 bytes).
SEARCH_MAX = 200
PREVIEW = SignedPreview("beheer-accounts-import")


# --- the list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountFilter:
    role: str = ""
    team: str = ""  # a team's code, or part of its name: its members and its leaders
    active: str = ""  # "", "yes" or "no"
    q: str = ""


@dataclass
class AccountPage:
    users: list[User]
    total: int
    page: int
    pages: int


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def account_page(filters: AccountFilter, page: int = 1, per_page: int = PER_PAGE) -> AccountPage:
    """One page of accounts, in three queries whatever the size: count, the page, the teams led."""
    stmt = select(User).where(User.erased_at.is_(None))
    if filters.role in {r.value for r in Role}:
        stmt = stmt.where(User.role == filters.role)
    team = filters.team.strip().lower()[:SEARCH_MAX]
    if team:
        teams = select(Team.id).where(or_(func.lower(Team.code) == team,
                                          func.lower(Team.name).like(_like(team), escape="\\")))
        led = select(User.id).join(User.led_teams).where(Team.id.in_(teams))
        stmt = stmt.where(or_(User.team_id.in_(teams), User.id.in_(led)))
    if filters.active == "yes":
        stmt = stmt.where(User.active.is_(True))
    elif filters.active == "no":
        stmt = stmt.where(User.active.is_(False))
    q = filters.q.strip().lower()[:SEARCH_MAX]
    if q:
        like = _like(q)
        stmt = stmt.where(or_(func.lower(User.username).like(like, escape="\\"),
                              func.lower(User.full_name).like(like, escape="\\")))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    users = list(db.session.scalars(
        stmt.options(selectinload(User.led_teams), joinedload(User.team), joinedload(User.region))
        .order_by(User.full_name, User.username)
        .limit(per_page).offset((page - 1) * per_page)
    ))
    return AccountPage(users, total, page, pages)


def selectable_teams(include: list[Team] | None = None) -> list[Team]:
    """Teams that can be chosen: the ones not archived, plus any the account already has."""
    teams = list(db.session.scalars(
        select(Team).options(selectinload(Team.municipality)).where(Team.archived_at.is_(None))
        .order_by(Team.name)
    ))
    known = {t.id for t in teams}
    return teams + [t for t in include or [] if t.id not in known]


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.name)))


# --- deactivate, reactivate, temporary password ---------------------------------------------------


def deactivate_account(user: User, actor: User) -> None:
    """Deactivate and end every session of the account at once."""
    if user.id == actor.id:
        raise RuleError(_("You cannot deactivate your own account."))
    if not user.active:
        raise RuleError(_("This account is already deactivated."))
    auth.deactivate(user)
    record(actions.ACCOUNT_DEACTIVATE, object_type="account", object_id=user.id)
    db.session.flush()


def activate_account(user: User) -> None:
    if user.active:
        raise RuleError(_("This account is already active."))
    user.active = True
    record(actions.ACCOUNT_ACTIVATE, object_type="account", object_id=user.id)
    db.session.flush()


def give_temporary_password(user: User) -> str:
    """A new readable temporary password, to be shown once; the user must change it at the next login.
    Every session of the account ends."""
    password = generate_password()
    auth.set_password(user, password, temporary=True)
    auth.end_all_sessions_for(user)
    record(actions.ACCOUNT_TEMPORARY_PASSWORD, object_type="account", object_id=user.id)
    db.session.flush()
    return password


# --- the bulk import ------------------------------------------------------------------------------

# The rules, the checks and the writing are scan.auth.account_import's, shared with `flask users import`;
# here only the preview's signed payload.


def sign_rows(rows: list[ImportRow]) -> str:
    """The checked rows for the confirmation; never a plain-text password (hashes only)."""
    return PREVIEW.sign([
        [r.line, r.username, r.role, r.name, "|".join(r.team_codes), r.region_code, r.password_hash]
        for r in rows
    ])


def _rows_of(data: Any) -> list[ImportRow]:
    return [ImportRow(line=int(line), username=str(u), role=str(role), name=str(name),
                      team_codes=tuple(c for c in str(teams).split("|") if c), region_code=str(region),
                      password_hash=str(pw))
            for line, u, role, name, teams, region, pw in data]


def unsign_rows(payload: str) -> list[ImportRow] | None:
    """The rows of the preview, or None when the payload was changed or is not ours."""
    return PREVIEW.load(payload, _rows_of)


# --- the import's template file -------------------------------------------------------------------

# The template's header: the Dutch column names (the import accepts these and the English ones alike).
TEMPLATE_HEADER = ["gebruikersnaam", "rol", "naam", "team", "regio", "wachtwoord"]


def template_rows() -> list[list[str]]:
    """One example row per role that can be imported, with codes of this installation where it has them
    (so the example imports as it is): a professional in one team, a team leader of two teams, a regional
    coordinator of a region. No password: the import generates one. Two queries."""
    teams = list(db.session.scalars(select(Team.code).where(Team.archived_at.is_(None))
                                    .order_by(Team.code).limit(2)))
    teams += [f"WIJKTEAM-{n}" for n in range(len(teams) + 1, 3)]
    region = db.session.scalar(select(Region.code).order_by(Region.code).limit(1)) or "REGIO"
    return [
        ["j.jansen", Role.PROFESSIONAL.value, "Jan Jansen", teams[0], "", ""],
        ["m.demir", Role.TEAMLEIDER.value, "Meryem Demir", "|".join(teams), "", ""],
        ["r.visser", Role.REGIOCOORDINATOR.value, "Rianne Visser", "", region, ""],
    ]
