"""`flask regions list` and `flask teams list`: one a line, its code first."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from scan.core.cli_util import CommandGroup
from scan.organisation import queries


@click.group("regions", cls=CommandGroup, help="Regions.")
def regions_cli() -> None:
    pass


@regions_cli.command("list")
@with_appcontext
def list_regions() -> None:
    regions = queries.all_regions()
    if not regions:
        click.echo(_("No regions yet. Run `flask demo seed` or add them first."), err=True)
    for region in regions:
        click.echo(f"{region.code}\t{region.name}")


@click.group("teams", cls=CommandGroup, help="Teams.")
def teams_cli() -> None:
    pass


@teams_cli.command("list")
@with_appcontext
def list_teams() -> None:
    teams = queries.all_teams()
    if not teams:
        click.echo(_("No teams yet. Run `flask demo seed` or add them first."), err=True)
    for team, municipality in teams:
        archived = "\t" + _("archived") if team.archived_at else ""
        click.echo(f"{team.code}\t{team.name}\t{municipality.name}{archived}")
