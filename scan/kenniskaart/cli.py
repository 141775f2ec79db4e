"""`flask kenniskaart validate|load FILE` and `flask kenniskaart list`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from competencies import Kenniskaart, counts
from scan.core.cli_util import CommandGroup, fail
from scan.extensions import db
from scan.i18n import format_moment
from scan.kenniskaart import queries, services
from scan.kenniskaart.validation import ValidationReport, validate_file

FILE_ARGUMENT = click.argument("path", metavar="FILE", type=click.Path(path_type=Path))


@click.group(
    "kenniskaart",
    cls=CommandGroup,
    help="Kenniskaart files: validate, load as a new version, list versions.",
)
def kenniskaart_cli() -> None:
    pass


@kenniskaart_cli.command("validate")
@FILE_ARGUMENT
@with_appcontext
def validate(path: Path) -> None:
    """Check FILE and print every problem as FILE:LINE: [CODE] field: message. Writes nothing."""
    report = validate_file(path)
    if not report.ok or report.kenniskaart is None:
        fail(_problems_text(report, loaded=False))
        return
    click.echo(_summary(str(path), report.kenniskaart))


@kenniskaart_cli.command("load")
@FILE_ARGUMENT
@with_appcontext
def load(path: Path) -> None:
    """Check FILE, then store it as the next version of its code (all or nothing)."""
    # A database error (not migrated, not reachable) is reported by CommandGroup, after a rollback.
    result = services.load_kenniskaart(path)
    if not result.ok or result.version is None:
        db.session.rollback()
        fail(_problems_text(result.report, loaded=True))
        return
    version = result.version
    if result.created:
        db.session.commit()
    if result.created:
        click.echo(
            _(
                "Loaded %(code)s as version %(number)d (label %(label)s) from %(file)s.",
                code=version.code,
                number=version.number,
                label=version.label,
                file=str(path),
            )
        )
        if result.report.kenniskaart is not None:
            click.echo(_summary(str(path), result.report.kenniskaart))
    else:
        click.echo(
            _(
                "Nothing changed: version %(number)d of %(code)s already has exactly this content.",
                number=version.number,
                code=version.code,
            )
        )


@kenniskaart_cli.command("list")
@with_appcontext
def list_versions() -> None:
    """One line per loaded version: code, number, label, loaded at, items, and which one is current."""
    summaries = queries.version_summaries()
    if not summaries:
        click.echo(_("No Kenniskaart has been loaded yet."))
        return
    for s in summaries:
        columns = [
            s.code,
            _("version %(number)d", number=s.number),
            s.label,
            format_moment(s.loaded_at),
            ngettext("%(num)d item", "%(num)d items", s.items),
        ]
        if s.current:
            columns.append(_("(current)"))
        click.echo("  ".join(columns))


def _summary(file: str, kenniskaart: Kenniskaart) -> str:
    c = counts(kenniskaart)
    return _(
        "%(file)s: OK: %(code)s %(label)s, %(levels)d scale levels, %(sections)d sections, %(items)d items "
        "(%(generic)d generic, %(algemeen)d algemeen, %(specialistisch)d specialistisch).",
        file=file,
        code=kenniskaart.code,
        label=kenniskaart.version,
        levels=c.levels,
        sections=c.sections,
        items=c.items,
        generic=c.generic,
        algemeen=c.algemeen,
        specialistisch=c.specialistisch,
    )


def _problems_text(report: ValidationReport, *, loaded: bool) -> str:
    n = len(report.problems)
    if loaded:
        closing = ngettext("%(num)d problem; nothing was loaded.", "%(num)d problems; nothing was loaded.", n)
    else:
        closing = ngettext("%(num)d problem.", "%(num)d problems.", n)
    return "\n".join([*report.lines(), closing])

