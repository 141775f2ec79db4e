"""Mijn resultaat: the professional's own profile. (Mijn gegevens lives in scan.privacy.)"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from scan.access import Role, require
from scan.assessment import bp, hooks, permissions, queries
from scan.assessment.models import Scan, ScanStatus
from scan.assessment.results import queries as result_queries
from scan.assessment.results.pdf import render_result, result_filename
from scan.assessment.results.scores import (
    STRENGTH_LEVEL,
    ScanResult,
    compute_result,
    item_changes,
    section_results,
)
from scan.core.downloads import PDF_MIME, download
from scan.db import MAX_ID
from scan.i18n import localized
from scan.kenniskaart import queries as kenniskaart_queries


@bp.app_template_filter("decimal1")
def decimal1(value: Decimal | float | int | None) -> str:
    """A score with one decimal in the reader's language ("2,5" / "2.5"); empty for none."""
    return "" if value is None else format_decimal(value, "0.0")


@bp.app_template_filter("decimal1_signed")
def decimal1_signed(value: Decimal | float | int | None) -> str:
    """A difference with its sign ("+0,5", "-0,5", "0,0")."""
    if value is None:
        return ""
    if value == 0:
        return format_decimal(0, "0.0")
    return format_decimal(value, "+0.0;-0.0")


@dataclass(frozen=True)
class ChartGroup:
    label: str
    values: tuple[Decimal | None, ...]


def _profile_chart(result: ScanResult) -> tuple[list[tuple[str, str]], list[ChartGroup]]:
    """Series (key, label) and one group of bars per section, for the SVG macro."""
    series = [("level", _("Level")), ("ambition", _("Ambition"))]
    if result.has_previous:
        series.append(("previous", _("Previous round")))
    groups = []
    for section in result.sections:
        values: list[Decimal | None] = [section.average_level, section.average_ambition]
        if result.has_previous:
            values.append(section.previous.average_level if section.previous else None)
        groups.append(ChartGroup(localized(section, "title"), tuple(values)))
    return series, groups


def _own_submitted_scan(round_id: int) -> Scan | Response:
    """The professional's own submitted scan in a round; 404/403, or a redirect while it is a draft."""
    scan = result_queries.own_scan(round_id, current_user.id) if round_id <= MAX_ID else None
    if scan is None:
        abort(404)
    if not permissions.can_view_own(current_user, scan):
        abort(403)
    if scan.status != ScanStatus.SUBMITTED.value:
        flash(_("Submit your scan first; then you will see your result."), "info")
        return redirect(url_for("assessment.overview"))
    return scan


def _result_of(scan: Scan) -> dict[str, Any]:
    """Everything the result page and its PDF show (a fixed number of queries)."""
    version = scan.round.version
    previous_scan = queries.previous_submitted_scan(current_user.id, scan.round)
    previous = None
    if previous_scan is not None:
        previous = section_results(*result_queries.rated_sections(previous_scan.id))
    outcome = compute_result(
        kenniskaart_queries.sections_with_items(version.id),
        queries.answers(scan.id),
        version.norms,
        previous=previous,
        agreed=hooks.ask(hooks.agreed_levels, scan.id) or {},
    )
    scale = kenniskaart_queries.scale(version.id)
    return {
        "scan": scan,
        "scan_round": scan.round,
        "result": outcome,
        "previous_scan": previous_scan,
        "previous_round": previous_scan.round if previous_scan else None,
        "changes": item_changes(outcome, previous),
        "level_names": {s.level: localized(s, "title") for s in scale},
        "max_level": max((s.level for s in scale), default=4),
        "strength_level": STRENGTH_LEVEL,
        "agreed_items": [i for s in outcome.sections for i in s.items if i.agreed_level is not None],
    }


@bp.get("/mijn/resultaat/<int:round_id>")
@require(Role.PROFESSIONAL)
def result(round_id: int) -> str | Response:
    scan = _own_submitted_scan(round_id)
    if isinstance(scan, Response):
        return scan
    data = _result_of(scan)
    series, groups = _profile_chart(data["result"])
    return render_template("assessment/result.html", chart_series=series, chart_groups=groups, **data)


@bp.get("/mijn/resultaat/<int:round_id>/resultaat.pdf")
@require(Role.PROFESSIONAL)
def result_pdf(round_id: int) -> Response:
    scan = _own_submitted_scan(round_id)
    if isinstance(scan, Response):
        return scan
    data = _result_of(scan)
    body = render_result(data, current_user.display_name, str(get_locale() or "nl")[:2])
    return download(body, result_filename(current_user.username, scan.round.opens_on), PDF_MIME)


@bp.get("/mijn/resultaat")
@require(Role.PROFESSIONAL)
def latest_result() -> str | Response:
    submitted = queries.submitted_scans_of(current_user.id)
    if submitted:
        return redirect(url_for("assessment.result", round_id=submitted[0].round_id))
    return render_template("assessment/result.html", result=None)

