"""`flask demo seed` and `flask demo accounts`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from scan.access import role_label
from scan.catalogue.seed import seed_catalogue
from scan.core.cli_util import CommandGroup, fail
from scan.core.clock import today
from scan.demo import seed
from scan.demo.pops import seed_demo_pops
from scan.demo.publications import seed_demo_publications
from scan.demo.rounds import seed_demo_rounds
from scan.extensions import db


@click.group("demo", cls=CommandGroup, help="The fictional demo region (Regio Lindewaard).")
def demo_cli() -> None:
    pass


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has data.")
@with_appcontext
def seed_command(if_empty: bool) -> None:
    """Load the default Kenniskaart and the demo region into an empty database."""
    from scan.kenniskaart.services import ensure_default_kenniskaart

    loaded = ensure_default_kenniskaart()
    if loaded:
        click.echo(loaded)
    if not seed.database_is_empty():
        db.session.commit()
        if if_empty:
            click.echo(_("The database already has an organisation; the demo region was not loaded again."))
            return
        fail(_("The database already has an organisation; the demo region is only loaded into an empty one."))
    count = seed.seed_demo_region()
    loaded_rounds = seed_demo_rounds(today())
    trainings = seed_catalogue(seed.demo_region_id())
    loaded_pops = seed_demo_pops(today())
    publications = seed_demo_publications(today())
    db.session.commit()
    click.echo(_("Demo region loaded: %(n)d accounts.", n=count))
    click.echo(
        _(
            "Scan rounds loaded: %(rounds)d, two closed and one open per team. Closed rounds: "
            "%(earlier_submitted)d scans submitted. Open rounds: %(submitted)d submitted, "
            "%(drafts)d drafts, %(not_started)d not started.",
            **loaded_rounds.counts(),
        )
    )
    click.echo(
        _(
            "Training catalogue: %(trainings)d entries added. POPs loaded: %(pops)d (%(signed)d signed, "
            "%(agreed)d waiting for signatures, %(proposed)d proposed, %(returned)d sent back, "
            "%(drafts)d drafts) with %(actions)d actions.",
            trainings=trainings,
            **loaded_pops.counts(),
        )
    )
    for publication in publications:
        click.echo(
            _(
                "Period %(name)s published: %(people)d professionals, %(hidden)d of %(positions)d figures "
                "hidden, counted and audited in %(seconds).1f s.",
                name=publication.period.name,
                people=publication.professionals,
                hidden=publication.hidden,
                positions=publication.positions,
                seconds=publication.count_seconds + publication.audit_seconds,
            )
        )


@demo_cli.command("accounts")
@with_appcontext
def accounts_command() -> None:
    """Print every demo account: role, username, password, name, team."""
    rows = seed.existing_demo_accounts()
    if not rows:
        click.echo(_("There are no demo accounts in this database."))
        return
    header = (_("Role"), _("Username"), _("Password"), _("Name"), _("Team"))
    table = [
        (str(role_label(a.role)), a.username, a.password, a.full_name, " + ".join(a.teams))
        for a, _user in rows
    ]
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
    click.echo(_("Demo accounts (fictional region; for trying out only):"))
    for row in [header, *table]:
        click.echo("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
