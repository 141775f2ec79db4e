"""Accounts as the administrator manages them in the browser: create, change role and team, deactivate and
reactivate, a temporary password, and the bulk import (check -> preview -> confirm).

Plain functions, tested without HTTP. Flush, never commit; every change is recorded in the audit log in the
caller's transaction, so it is committed or rolled back together with the change.

A professional who changes team keeps their history: rounds belong to a team, and scans and POPs to a
round, so earlier scans and POPs stay with the team they were made in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from scan.access import Role, role_label
from scan.audit import actions
from scan.audit.services import record
from scan.auth import services as auth
from scan.auth.models import User
from scan.auth.passwords import hash_password, password_problem
from scan.extensions import db
from scan.organisation.models import Region, Team

PER_PAGE = 50
# Longer than any username or name; also keeps the LIKE pattern within SQLite's limit (50,000 bytes).
SEARCH_MAX = 200
MAX_ROWS = 1000
PAYLOAD_SALT = "beheer-accounts-import"
# Readable: no 0/o, 1/l/i that look alike.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class AccountRuleError(ValueError):
    """A rule about accounts was broken; `field` names the input concerned."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def generate_password() -> str:
    """A readable temporary password: four groups of four, such as "k7mq-xa3t-9pbw-hu2e"."""
    while True:
        candidate = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))
        if password_problem(candidate) is None:
            return candidate


# --- the list -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountFilter:
    role: str = ""
    team_id: int | None = None
    active: str = ""  # "", "yes" or "no"
    q: str = ""


@dataclass
class AccountPage:
    users: list[User]
    total: int
    page: int
    pages: int


def account_page(filters: AccountFilter, page: int = 1, per_page: int = PER_PAGE) -> AccountPage:
    """One page of accounts, in three queries whatever the size: count, the page, the teams led."""
    stmt = select(User).where(User.erased_at.is_(None))
    if filters.role in {r.value for r in Role}:
        stmt = stmt.where(User.role == filters.role)
    if filters.team_id:
        led = select(User.id).join(User.led_teams).where(Team.id == filters.team_id)
        stmt = stmt.where(or_(User.team_id == filters.team_id, User.id.in_(led)))
    if filters.active == "yes":
        stmt = stmt.where(User.active.is_(True))
    elif filters.active == "no":
        stmt = stmt.where(User.active.is_(False))
    q = filters.q.strip().lower()[:SEARCH_MAX]
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
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


# --- create and change ----------------------------------------------------------------------------


@dataclass
class AccountData:
    """What the form or an import row says an account should be."""

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
                   detail: str = "") -> tuple[User, str | None]:
    """A new account with a temporary password (generated unless a hash is given); returns the
    account and the generated password, to be shown once."""
    name = auth.normalise_username(username)
    problems = check_data(data)
    problem = username_problem(name)
    if problem:
        problems.insert(0, ("username", problem))
    if problems:
        raise AccountRuleError(problems[0][1], problems[0][0])
    generated = None
    if password_hash is None:
        generated = generate_password()
        password_hash = hash_password(generated)
    user = User(username=name, full_name="", password_hash=password_hash, role=data.role,
                must_change_password=True)
    db.session.add(user)
    _apply(user, data)
    db.session.flush()
    record(actions.ACCOUNT_CREATE, object_type="account", object_id=user.id,
           detail=f"role: {user.role}" + (f"; {detail}" if detail else ""))
    return user, generated


def username_problem(username: str) -> str | None:
    if not username:
        return _("A username is required.")
    if len(username) > 80 or not all(c.isalnum() or c in "._-@" for c in username):
        return _("Use at most 80 letters, digits and . _ - @ in a username, without spaces.")
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username)) is not None:
        return _("The username %(name)s is already in use.", name=username)
    return None


def update_account(user: User, data: AccountData, actor: User, *, detail: str = "") -> list[str]:
    """Change name, role, team, teams led and region; returns the changed fields (none: nothing recorded)."""
    if user.id == actor.id and data.role != user.role:
        raise AccountRuleError(_("You cannot change your own role; ask another administrator."), "role")
    problems = check_data(data, user)
    if problems:
        raise AccountRuleError(problems[0][1], problems[0][0])
    changed = _apply(user, data)
    if changed:
        db.session.flush()
        record(actions.ACCOUNT_UPDATE, object_type="account", object_id=user.id,
               detail="fields: " + ", ".join(changed) + (f"; {detail}" if detail else ""))
    return changed


def deactivate_account(user: User, actor: User) -> None:
    """Deactivate and end every session of the account at once."""
    if user.id == actor.id:
        raise AccountRuleError(_("You cannot deactivate your own account."))
    if not user.active:
        raise AccountRuleError(_("This account is already deactivated."))
    auth.deactivate(user)
    record(actions.ACCOUNT_DEACTIVATE, object_type="account", object_id=user.id)
    db.session.flush()


def activate_account(user: User) -> None:
    if user.active:
        raise AccountRuleError(_("This account is already active."))
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

COLUMNS = ("username", "role", "name", "team", "region", "password")
REQUIRED = ("username", "role")
# Dutch headers are accepted too.
ALIASES = {"gebruikersnaam": "username", "rol": "role", "naam": "name", "regio": "region",
           "wachtwoord": "password"}


@dataclass
class ImportRow:
    line: int
    username: str
    role: str
    name: str = ""
    team_codes: tuple[str, ...] = ()
    region_code: str = ""
    password: str = ""  # plain text, only between upload and preview; never in the payload
    password_hash: str = ""


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return _("Row %(row)d: %(message)s", row=self.line, message=self.message)
        return _("Row %(row)d, column %(column)s: %(message)s", row=self.line, column=self.column,
                 message=self.message)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class ImportPlan:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    creates: list[tuple[ImportRow, AccountData]] = field(default_factory=list)
    changes: list[tuple[ImportRow, User, AccountData, list[Change]]] = field(default_factory=list)
    unchanged: int = 0


def rows_from_table(table: list[list[str]]) -> ImportPlan:
    """Header and cells to rows; header problems are on row 1, every row's shape is checked."""
    plan = ImportPlan()
    header = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in table[0]] if table else []
    for c in REQUIRED:
        if c not in header:
            plan.problems.append(RowProblem(1, c, _("This column is missing.")))
    seen_columns: set[str] = set()
    for h in header:
        if h and h not in COLUMNS:
            plan.problems.append(RowProblem(1, h, _("Unknown column; allowed are: %(columns)s.",
                                                    columns=", ".join(COLUMNS))))
        elif h in seen_columns:
            plan.problems.append(RowProblem(1, h, _("This column appears twice.")))
        seen_columns.add(h)
    if plan.problems:
        return plan
    body = [(n, r) for n, r in enumerate(table[1:], start=2) if any(c.strip() for c in r)]
    if not body:
        plan.problems.append(RowProblem(2, "", _("There are no accounts below the header.")))
        return plan
    if len(body) > MAX_ROWS:
        plan.problems.append(RowProblem(MAX_ROWS + 2, "", _("Import at most %(n)d accounts at a time.",
                                                             n=MAX_ROWS)))
        return plan
    for line, values in body:
        if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
            plan.problems.append(RowProblem(line, "", _("%(found)d values, expected %(expected)d.",
                                                        found=len(values), expected=len(header))))
            continue
        cell = dict(zip(header, [*values, *[""] * len(header)], strict=False))
        plan.rows.append(ImportRow(
            line=line, username=auth.normalise_username(cell.get("username", "")),
            role=cell.get("role", "").strip().lower(), name=" ".join(cell.get("name", "").split()),
            team_codes=tuple(c.strip().upper() for c in cell.get("team", "").split("|") if c.strip()),
            region_code=cell.get("region", "").strip().upper(), password=cell.get("password", ""),
        ))
    return plan


def _describe(user_or_data: Any) -> dict[str, str]:
    if isinstance(user_or_data, User):
        u = user_or_data
        team, led, region = u.team, u.led_teams, u.region
        return {"name": u.full_name, "role": str(role_label(u.role)), "team": team.code if team else "",
                "teams led": ", ".join(sorted(t.code for t in led)), "region": region.code if region else ""}
    d: AccountData = user_or_data
    role = Role(d.role)
    return {"name": d.full_name, "role": str(role_label(d.role)),
            "team": d.team.code if d.team and role is Role.PROFESSIONAL else "",
            "teams led": ", ".join(sorted(t.code for t in d.led_teams)) if role is Role.TEAMLEIDER else "",
            "region": d.region.code if d.region and role is Role.REGIOCOORDINATOR else ""}


def _labels() -> dict[str, str]:
    return {"name": _("Name"), "role": _("Role"), "team": _("Team"), "teams led": _("Teams led"),
            "region": _("Region")}


def check_import(plan: ImportPlan) -> ImportPlan:
    """Check every row against the database and each other; fill creates, changes and unchanged.

    Matched by username: a new username is created, a known one is changed (its password stays as it is).
    Administrator accounts and erased accounts are never changed by an import."""
    teams = {t.code.upper(): t for t in db.session.scalars(select(Team))}
    regions = {r.code.upper(): r for r in db.session.scalars(select(Region))}
    names = [r.username for r in plan.rows if r.username]
    existing = {u.username.lower(): u for u in db.session.scalars(
        select(User).options(selectinload(User.led_teams)).where(func.lower(User.username).in_(names))
    )} if names else {}
    seen: dict[str, int] = {}
    labels = _labels()
    for row in plan.rows:
        problems: list[RowProblem] = []

        def add(column: str, message: str, line: int = row.line, into: list[RowProblem] = problems) -> None:
            into.append(RowProblem(line, column, message))

        user = existing.get(row.username)
        if not row.username:
            add("username", _("A username is required."))
        elif len(row.username) > 80 or not all(c.isalnum() or c in "._-@" for c in row.username):
            add("username", _("Use at most 80 letters, digits and . _ - @ in a username, without spaces."))
        elif row.username in seen:
            add("username", _("The username %(name)s also appears in row %(row)d.", name=row.username,
                              row=seen[row.username]))
        elif user is not None and (user.role == Role.BEHEERDER.value or user.erased_at is not None):
            add("username", _("The username %(name)s is already in use by an account an import may not "
                              "change; change it on its own page.", name=row.username))
        if row.username and row.username not in seen:
            seen[row.username] = row.line
        try:
            role = Role(row.role)
        except ValueError:
            add("role", _("Unknown role %(role)s; choose one of: %(roles)s.", role=row.role or "—",
                          roles=", ".join(r.value for r in Role)))
            role = None
        unknown = [c for c in row.team_codes if c not in teams]
        if unknown:
            add("team", _("Unknown team code: %(codes)s.", codes=", ".join(unknown)))
        if role is Role.PROFESSIONAL and len(row.team_codes) != 1:
            add("team", _("A professional belongs to exactly one team; give its code."))
        if role is Role.TEAMLEIDER and not row.team_codes:
            add("team", _("A team leader leads at least one team; give its code."))
        if role in (Role.REGIOCOORDINATOR, Role.BEHEERDER) and row.team_codes:
            add("team", _("This role does not belong to a team."))
        if role is Role.BEHEERDER:
            add("role", _("Administrator accounts are not imported; create them one by one."))
        if role is Role.REGIOCOORDINATOR:
            if not row.region_code:
                add("region", _("A regional coordinator needs a region code."))
            elif row.region_code not in regions:
                add("region", _("Unknown region code: %(codes)s.", codes=row.region_code))
        elif row.region_code and role is not None:
            add("region", _("Only a regional coordinator has a region."))
        if len(row.name) > 200:
            add("name", _("Use at most %(n)d characters.", n=200))
        if row.password and user is None:
            problem = password_problem(row.password, row.username)
            if problem:
                add("password", problem)
        if problems or role is None:
            plan.problems.extend(problems)
            continue
        chosen = [teams[c] for c in row.team_codes]
        data = AccountData(
            full_name=row.name or (user.full_name if user else row.username), role=role.value,
            team=chosen[0] if role is Role.PROFESSIONAL else None,
            led_teams=chosen if role is Role.TEAMLEIDER else [],
            region=regions.get(row.region_code) if role is Role.REGIOCOORDINATOR else None,
        )
        for column, message in check_data(data, user):
            add({"led_teams": "team", "full_name": "name"}.get(column, column), message,
                into=plan.problems)
        if user is None:
            plan.creates.append((row, data))
            continue
        old, new = _describe(user), _describe(data)
        changes = [Change(labels[k], old[k] or "—", new[k] or "—") for k in old if old[k] != new[k]]
        if changes:
            plan.changes.append((row, user, data, changes))
        else:
            plan.unchanged += 1
    if plan.problems:
        plan.creates, plan.changes, plan.unchanged = [], [], 0
    plan.problems.sort(key=lambda p: p.line)
    return plan


def hash_given_passwords(plan: ImportPlan) -> None:
    """Before the preview: given passwords of new accounts become hashes; the plain text is dropped."""
    for row, _data in plan.creates:
        if row.password:
            row.password_hash = hash_password(row.password)
        row.password = ""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=PAYLOAD_SALT)


def sign_rows(rows: list[ImportRow]) -> str:
    """The checked rows for the confirmation; never a plain-text password (hashes only)."""
    return str(_serializer().dumps([
        [r.line, r.username, r.role, r.name, "|".join(r.team_codes), r.region_code, r.password_hash]
        for r in rows
    ]))


def unsign_rows(payload: str) -> list[ImportRow] | None:
    try:
        data = _serializer().loads(payload)
    except BadSignature:
        return None
    try:
        return [ImportRow(line=int(line), username=str(u), role=str(role), name=str(name),
                          team_codes=tuple(c for c in str(teams).split("|") if c), region_code=str(region),
                          password_hash=str(pw))
                for line, u, role, name, teams, region, pw in data]
    except (TypeError, ValueError):
        return None


@dataclass
class ImportResult:
    created: list[tuple[User, str | None]]
    changed: list[User]


def apply_import(plan: ImportPlan, actor: User) -> ImportResult:
    """Write a checked plan (no problems). New accounts get the given password or a generated one,
    temporary either way; the generated ones are returned, to be shown once."""
    assert not plan.problems
    result = ImportResult([], [])
    for row, data in plan.creates:
        result.created.append(create_account(row.username, data, password_hash=row.password_hash or None,
                                             detail="import"))
    for _row, user, data, _changes in plan.changes:
        update_account(user, data, actor, detail="import")
        result.changed.append(user)
    if result.created or result.changed:
        record(actions.ACCOUNT_IMPORT, object_type="account",
               detail=f"created: {len(result.created)}; changed: {len(result.changed)}")
    db.session.flush()
    return result
