"""`flask users ...`: provisioning accounts from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from scan.auth import account_import, accounts, services
from scan.auth.models import User
from scan.auth.passwords import hash_password
from scan.core import files
from scan.core.cli_util import CommandGroup, fail
from scan.core.rules import RuleError
from scan.extensions import db


@click.group("users", cls=CommandGroup, help="Accounts: add, import, set a temporary password, deactivate.")
def users_cli() -> None:
    pass


def user_or_fail(username: str) -> User:
    """The account with this username, or the command ends with the message every command gives."""
    user = services.find_user(username)
    if user is None:
        fail(_("No account with username %(username)s.", username=username))
    return user


@users_cli.command("add")
@click.argument("username")
@click.option("--role", required=True, help="professional, teamleider, regiocoordinator or beheerder")
@click.option("--name", "full_name", default="", help="Full name shown in the app (default: the username)")
@click.option("--team", "teams", multiple=True, help="Team code; repeat for a team leader of several teams")
@click.option("--region", default=None, help="Region code (regional coordinator)")
@click.option("--password", required=True, help="At least 12 characters, not a common password")
@with_appcontext
def add_user(
    username: str, role: str, full_name: str, teams: tuple[str, ...], region: str | None, password: str
) -> None:
    # The rules of an import row, except that an administrator may be added here (the first one is).
    row = account_import.typed_row(1, username, role, full_name, "|".join(teams), region or "", password)
    team_map, region_map = account_import.codes()
    taken = accounts.username_problem(row.username)
    problems, data = account_import.check_row(row, None, team_map, region_map, password_required=True)
    if taken:
        problems.insert(0, ("username", taken))
    if problems or data is None:
        fail("\n".join(_("Error (%(field)s): %(message)s", field=f, message=m) for f, m in problems))
        return
    user, _generated = accounts.create_account(row.username, data, password_hash=hash_password(password),
                                               temporary=False, source="flask users add")
    db.session.commit()
    click.echo(_("Account %(username)s created (%(role)s).", username=user.username, role=user.role))


@users_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_users(path: Path) -> None:
    """Import accounts from a CSV or XLSX file with the checks of the administrator's import page: every row
    is checked first; all or nothing."""
    try:
        with path.open("rb") as file:
            raw = file.read(files.MAX_BYTES + 1)
    except OSError as error:
        fail(_("Cannot read %(path)s: %(reason)s", path=str(path), reason=error.strerror or str(error)))
        return
    try:
        plan = account_import.plan_file(raw, path.name)
    except files.FileProblem as problem:
        fail(problem.message)
        return
    if plan.problems:
        fail("\n".join(str(p) for p in plan.problems))
    result = account_import.apply_import(plan, None, source="flask users import")
    db.session.commit()
    click.echo(account_import.summary(result))
    generated = [(u, p) for u, p in result.created if p]
    if generated:
        click.echo(_("These passwords are shown only once. Pass them on in person or by phone, never by "
                     "e-mail; each owner must change theirs at the first login."))
        for user, password in generated:
            click.echo(f"{_('Temporary password for %(username)s', username=user.username)}: {password}")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password", required=True)
@click.option("--temporary/--permanent", default=True, help="Temporary: the user must change it at login")
@with_appcontext
def set_password(username: str, password: str, temporary: bool) -> None:
    user = user_or_fail(username)
    try:
        services.set_password(user, password, temporary=temporary)
    except RuleError as error:
        fail(_("Error (%(field)s): %(message)s", field="password", message=error.message))
    services.end_all_sessions_for(user)
    db.session.commit()
    click.echo(_("Password of %(username)s set.", username=user.username))


@users_cli.command("deactivate")
@click.argument("username")
@with_appcontext
def deactivate(username: str) -> None:
    """Deactivate an account and end all its sessions, on every worker."""
    user = user_or_fail(username)
    services.deactivate(user)
    db.session.commit()
    click.echo(_("Account %(username)s deactivated; its sessions have ended.", username=user.username))


@users_cli.command("activate")
@click.argument("username")
@with_appcontext
def activate(username: str) -> None:
    user = user_or_fail(username)
    user.active = True
    db.session.commit()
    click.echo(_("Account %(username)s activated.", username=user.username))
