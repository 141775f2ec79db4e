"""`flask regio publish-due` (the daily job) and `flask regio publish PERIOD_ID`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from scan.core import clock
from scan.core.cli_util import CommandGroup, fail
from scan.db import MAX_ID
from scan.extensions import db
from scan.regio import publish
from scan.regio.models import Period, Publication


@click.group("regio", cls=CommandGroup, help="Regional figures: publish periods whose rounds have closed.")
def regio_cli() -> None:
    pass


def _report(period: Period, publication: Publication) -> str:
    return _("%(name)s published (#%(number)d): %(people)d professionals, %(hidden)d of %(positions)d "
             "figures hidden, %(sensitive)d checked by the audit in %(seconds).1f s.", name=period.name,
             number=publication.number, people=publication.professionals, hidden=publication.hidden,
             positions=publication.positions, sensitive=publication.sensitive,
             seconds=publication.count_seconds + publication.audit_seconds)


@regio_cli.command("publish-due")
@with_appcontext
def publish_due_command() -> None:
    """Publish every period that has ended, has no open round and was never published (run daily).
    Safe when two servers run it at once: a period is published by whichever stores it first."""
    day = clock.today()
    done = 0
    for period_id in [p.id for p in publish.due_periods(day)]:
        period = db.session.get(Period, period_id)
        if period is None or period.publications:
            continue
        try:
            publication = publish.publish(period, None, day)
            db.session.commit()
        except publish.AlreadyPublishing:
            db.session.rollback()
            click.echo(_("%(name)s was published by another server at the same moment.", name=period.name))
            continue
        except publish.NotPublishable:
            db.session.rollback()
            click.echo(_("%(name)s cannot be published again: together with what was published before, it "
                         "would give a small number away. Nothing was published.", name=period.name))
            continue
        done += 1
        click.echo(_report(period, publication))
    if not done:
        click.echo(_("No period is due for publication."))


@regio_cli.command("publish")
@click.argument("period_id", type=int)
@with_appcontext
def publish_command(period_id: int) -> None:
    """Publish one period now (again: a correction, audited together with the earlier publications)."""
    period = db.session.get(Period, period_id) if 0 < period_id <= MAX_ID else None
    if period is None:
        fail(_("There is no period %(id)d.", id=period_id))
    try:
        publication = publish.publish(period, None, clock.today(), source="flask regio publish")
        db.session.commit()
    except publish.NotReady:
        db.session.rollback()
        fail(_("%(name)s cannot be published yet: a round in it is still open, or the period has not ended.",
               name=period.name))
    except publish.AlreadyPublishing:
        db.session.rollback()
        fail(_("%(name)s was published by another server at the same moment.", name=period.name))
    except publish.NotPublishable:
        db.session.rollback()
        fail(_("%(name)s cannot be published again: together with what was published before, it would give "
               "a small number away. Nothing was published.", name=period.name))
    click.echo(_report(period, publication))
