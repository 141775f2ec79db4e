"""`flask retention apply [--dry-run]` and `flask retention erase USERNAME`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from scan.auth.cli import user_or_fail
from scan.core.cli_util import CommandGroup, fail
from scan.core.clock import today
from scan.extensions import db
from scan.i18n import format_day
from scan.privacy import erasure, retention


@click.group(
    "retention",
    cls=CommandGroup,
    help="Retention (AVG): remove old personal data; erase a leaver's account.",
)
def retention_cli() -> None:
    pass


def _describe(plan: retention.RetentionPlan) -> list[str]:
    lines = [
        _("Rounds that closed before %(day)s lose their scans, POPs and teamschouw records.",
          day=format_day(plan.round_cutoff)),
    ]
    if not plan.rounds:
        lines.append(_("No rounds to clear."))
    for r in plan.rounds:
        counts = ", ".join(f"{r.counts[k.name]} {k.label}" for k in retention.round_kinds()
                           if r.counts[k.name])
        lines.append(_("Round %(title)s (team %(team)s, closed %(day)s): %(counts)s",
                       title=r.title, team=r.team_code, day=format_day(r.closes_on), counts=counts))
    lines.append(_("In total:"))
    totals = plan.totals()
    for kind in (*retention.round_kinds(), *retention.age_kinds()):
        lines.append(f"  {kind.label}: {totals[kind.name]}")
    return lines


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Only show what would be removed; remove nothing.")
@with_appcontext
def apply_command(dry_run: bool) -> None:
    """Say what retention removes (closed rounds, audit log, sessions, failed logins), then remove it."""
    plan = retention.plan_retention(today())
    for line in _describe(plan):
        click.echo(line)
    if dry_run:
        db.session.rollback()
        click.echo(_("Dry run: nothing has been removed."))
        return
    removed = retention.apply_retention(plan)
    db.session.commit()
    total = sum(removed.values())
    click.echo(ngettext("Removed %(num)d record.", "Removed %(num)d records.", total))


@retention_cli.command("erase")
@click.argument("username")
@with_appcontext
def erase_command(username: str) -> None:
    """Erase a leaver's account: name and notes removed, counts kept."""
    user = user_or_fail(username)
    try:
        erasure.erase_account(user, None)
    except erasure.ErasureRefused as refused:
        db.session.rollback()
        fail(str(refused))
        return
    db.session.commit()
    click.echo(_("Account %(username)s erased; it is now %(new)s.", username=username,
                 new=user.username))
