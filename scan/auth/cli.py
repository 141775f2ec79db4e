"""`flask users ...`: provisioning accounts from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from scan.auth import csv_import, services
from scan.core.cli_util import CommandGroup, fail
from scan.extensions import db


@click.group("users", cls=CommandGroup, help="Accounts: add, import, set a temporary password, deactivate.")
def users_cli() -> None:
    pass


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
    account = services.NewAccount(username, role, password, full_name, tuple(teams), region)
    team_map, region_map, taken = services.lookup_tables()
    problems = services.check_new_account(account, team_map, region_map, taken)
    if problems:
        fail("\n".join(_("Error (%(field)s): %(message)s", field=f, message=m) for f, m in problems))
    user = services.create_account(account, team_map, region_map)
    db.session.commit()
    click.echo(_("Account %(username)s created (%(role)s).", username=user.username, role=user.role))


@users_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_users(path: Path) -> None:
    """Import accounts from a CSV file: every row is checked first; all or nothing."""
    try:
        rows = csv_import.read_accounts(path)
    except csv_import.ImportProblems as problems:
        fail("\n".join(problems.lines))
    team_map, region_map, taken = services.lookup_tables()
    problems = csv_import.check_accounts(rows, team_map, region_map, taken)
    if problems:
        fail("\n".join(str(p) for p in problems))
    for row in rows:
        services.create_account(row.account, team_map, region_map)
    db.session.commit()
    click.echo(ngettext("%(num)d account imported.", "%(num)d accounts imported.", len(rows)))


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password", required=True)
@click.option("--temporary/--permanent", default=True, help="Temporary: the user must change it at login")
@with_appcontext
def set_password(username: str, password: str, temporary: bool) -> None:
    user = services.find_user(username)
    if user is None:
        fail(_("No account with username %(username)s.", username=username))
        return
    try:
        services.set_password(user, password, temporary=temporary)
    except services.AccountError as error:
        fail(_("Error (%(field)s): %(message)s", field="password", message=error.message))
    services.end_all_sessions_for(user)
    db.session.commit()
    click.echo(_("Password of %(username)s set.", username=user.username))


@users_cli.command("deactivate")
@click.argument("username")
@with_appcontext
def deactivate(username: str) -> None:
    """Deactivate an account and end all its sessions, on every worker."""
    user = services.find_user(username)
    if user is None:
        fail(_("No account with username %(username)s.", username=username))
        return
    services.deactivate(user)
    db.session.commit()
    click.echo(_("Account %(username)s deactivated; its sessions have ended.", username=user.username))


@users_cli.command("activate")
@click.argument("username")
@with_appcontext
def activate(username: str) -> None:
    user = services.find_user(username)
    if user is None:
        fail(_("No account with username %(username)s.", username=username))
        return
    user.active = True
    db.session.commit()
    click.echo(_("Account %(username)s activated.", username=user.username))
