"""The account import, from the administrator's page and from `flask users import` alike: the file to rows,
every row checked against the database and the other rows, then written (created or changed) with the
audit entries. Nothing is written when any row is refused. Flush, never commit.

Matched by username: a new username is created, a known one is changed (its password stays as it is).
Administrator accounts and erased accounts are never created or changed by an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from scan.access import Role, role_label
from scan.audit import actions
from scan.audit.services import record
from scan.auth.accounts import AccountData, check_data, create_account, update_account, username_shape_problem
from scan.auth.models import User
from scan.auth.passwords import hash_password, password_problem
from scan.auth.services import normalise_username
from scan.core import files
from scan.core.uploads import RowProblem
from scan.extensions import db
from scan.organisation.models import Region, Team

MAX_ROWS = 1000
COLUMNS = ("username", "role", "name", "team", "region", "password")
REQUIRED = ("username", "role")
# Dutch headers are accepted too.
ALIASES = {"gebruikersnaam": "username", "rol": "role", "naam": "name", "regio": "region",
           "wachtwoord": "password"}


@dataclass
class ImportRow:
    """One account as a file row (or the command line) gives it, normalised."""

    line: int
    username: str
    role: str
    name: str = ""
    team_codes: tuple[str, ...] = ()
    region_code: str = ""
    password: str = ""  # plain text, only between upload and preview; never in the payload
    password_hash: str = ""


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


def read_file(raw: bytes, filename: str) -> list[list[str]]:
    """The cells of an accounts CSV or XLSX; raises files.FileProblem when it is not one at all."""
    if raw and len(raw) <= files.MAX_BYTES and not raw.startswith(b"PK") and b"\x00" in raw[:4096]:
        # A picture, a PDF or other binary data, whatever its name says.
        raise files.FileProblem(_("This is not a CSV or XLSX file. Save the accounts as CSV or XLSX and try "
                                  "again."))
    return files.read_table(raw, filename)


def plan_file(raw: bytes, filename: str) -> ImportPlan:
    """The file read and every row checked (see `check_import`); raises files.FileProblem when it is not
    an accounts CSV or XLSX at all."""
    plan = rows_from_table(read_file(raw, filename))
    return plan if plan.problems else check_import(plan)


def typed_row(line: int, username: str, role: str, name: str = "", teams: str = "", region: str = "",
        password: str = "") -> ImportRow:
    """A row from the text typed: normalised as every import row is (codes upper case, team codes by |)."""
    return ImportRow(
        line=line, username=normalise_username(username), role=role.strip().lower(),
        name=" ".join(name.split()),
        team_codes=tuple(c.strip().upper() for c in teams.split("|") if c.strip()),
        region_code=region.strip().upper(), password=password,
    )


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
        plan.rows.append(typed_row(line, cell.get("username", ""), cell.get("role", ""), cell.get("name", ""),
                                   cell.get("team", ""), cell.get("region", ""), cell.get("password", "")))
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


def codes() -> tuple[dict[str, Team], dict[str, Region]]:
    """Teams and regions by their code in upper case, as rows give them."""
    teams = {t.code.upper(): t for t in db.session.scalars(select(Team))}
    regions = {r.code.upper(): r for r in db.session.scalars(select(Region))}
    return teams, regions


def check_row(row: ImportRow, user: User | None, teams: dict[str, Team], regions: dict[str, Region],
              *, password_required: bool = False) -> tuple[list[tuple[str, str]], AccountData | None]:
    """The problems of one row's role, teams, region, name and password as (column, message), and what
    the account becomes when there are none. `user` is the account of that username, if any. The
    username itself, other rows and which accounts an import may touch are `check_import`'s."""
    problems: list[tuple[str, str]] = []
    try:
        role: Role | None = Role(row.role)
    except ValueError:
        problems.append(("role", _("Unknown role %(role)s; choose one of: %(roles)s.", role=row.role or "—",
                                   roles=", ".join(r.value for r in Role))))
        role = None
    unknown = [c for c in row.team_codes if c not in teams]
    if unknown:
        problems.append(("team", _("Unknown team code: %(codes)s.", codes=", ".join(unknown))))
    if role is Role.PROFESSIONAL and len(row.team_codes) != 1:
        problems.append(("team", _("A professional belongs to exactly one team; give its code.")))
    if role is Role.TEAMLEIDER and not row.team_codes:
        problems.append(("team", _("A team leader leads at least one team; give its code.")))
    if role in (Role.REGIOCOORDINATOR, Role.BEHEERDER) and row.team_codes:
        problems.append(("team", _("This role does not belong to a team.")))
    if role is Role.REGIOCOORDINATOR:
        if not row.region_code:
            problems.append(("region", _("A regional coordinator needs a region code.")))
        elif row.region_code not in regions:
            problems.append(("region", _("Unknown region code: %(codes)s.", codes=row.region_code)))
    elif row.region_code and role is not None:
        problems.append(("region", _("Only a regional coordinator has a region.")))
    if len(row.name) > 200:
        problems.append(("name", _("Use at most %(n)d characters.", n=200)))
    if (row.password or password_required) and user is None:
        problem = password_problem(row.password, row.username)
        if problem:
            problems.append(("password", problem))
    if problems or role is None:
        return problems, None
    chosen = [teams[c] for c in row.team_codes]
    data = AccountData(
        full_name=row.name or (user.full_name if user else row.username), role=role.value,
        team=chosen[0] if role is Role.PROFESSIONAL else None,
        led_teams=chosen if role is Role.TEAMLEIDER else [],
        region=regions.get(row.region_code) if role is Role.REGIOCOORDINATOR else None,
    )
    # The rules of the account form (archived teams), under the column names of the file.
    rules = [({"led_teams": "team", "full_name": "name"}.get(c, c), m) for c, m in check_data(data, user)]
    return rules, None if rules else data


def check_import(plan: ImportPlan) -> ImportPlan:
    """Check every row against the database and each other; fill creates, changes and unchanged."""
    teams, regions = codes()
    names = [r.username for r in plan.rows if r.username]
    existing = {u.username.lower(): u for u in db.session.scalars(
        select(User).options(selectinload(User.led_teams)).where(func.lower(User.username).in_(names))
    )} if names else {}
    seen: dict[str, int] = {}
    labels = _labels()
    for row in plan.rows:
        problems: list[tuple[str, str]] = []
        user = existing.get(row.username)
        shape = username_shape_problem(row.username)
        if shape:
            problems.append(("username", shape))
        elif row.username in seen:
            problems.append(("username", _("The username %(name)s also appears in row %(row)d.",
                                           name=row.username, row=seen[row.username])))
        elif user is not None and (user.role == Role.BEHEERDER.value or user.erased_at is not None):
            problems.append(("username", _("The username %(name)s is already in use by an account an import "
                                           "may not change; change it on its own page.", name=row.username)))
        if row.username and row.username not in seen:
            seen[row.username] = row.line
        if row.role == Role.BEHEERDER.value:
            problems.append(("role", _("Administrator accounts are not imported; create them one by one.")))
        more, data = check_row(row, user, teams, regions)
        plan.problems.extend(RowProblem(row.line, c, m) for c, m in [*problems, *more])
        if problems or data is None:
            continue
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
    """Given passwords of new accounts become hashes; the plain text is dropped."""
    for row, _data in plan.creates:
        if row.password:
            row.password_hash = hash_password(row.password)
        row.password = ""


@dataclass
class ImportResult:
    created: list[tuple[User, str | None]]
    changed: list[User]


def apply_import(plan: ImportPlan, actor: User | None, source: str | None = None) -> ImportResult:
    """Write a checked plan (no problems). New accounts get the given password or a generated one,
    temporary either way; the generated ones are returned, to be shown once. `actor` is None on the
    command line, where `source` names the command in the audit log."""
    assert not plan.problems
    hash_given_passwords(plan)
    result = ImportResult([], [])
    for row, data in plan.creates:
        result.created.append(create_account(row.username, data, password_hash=row.password_hash or None,
                                             via="import", source=source))
    for _row, user, data, _changes in plan.changes:
        update_account(user, data, actor, via="import", source=source)
        result.changed.append(user)
    if result.created or result.changed:
        record(actions.ACCOUNT_IMPORT, object_type="account",
               facts={"created": len(result.created), "changed": len(result.changed)},
               actor=actor, actor_name=None if actor else source)
    db.session.flush()
    return result


def summary(result: ImportResult) -> str:
    return _("Import done: %(created)s, %(changed)s.",
             created=ngettext("%(num)d account created", "%(num)d accounts created", len(result.created)),
             changed=ngettext("%(num)d account changed", "%(num)d accounts changed", len(result.changed)))
