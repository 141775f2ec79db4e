"""Exports of the regional overview and scholingsplan: XLSX, CSV and PDF.

All read the same filter as the pages (rounds/period, municipality, level) and show exactly what the
pages show: the suppressed tables and plan of `services.scholingsplan`, laid out by
scan.regio.exports.tables (XLSX, CSV) and scan.regio.exports.pdf. A hidden cell is "<k" as text; no file
holds a name of a person.

- GET /regio/scholingsplan.xlsx: one workbook, one sheet per view; header frozen, filters on, numbers
  as numbers (euros in a euro format).
- GET /regio/export/<view>.csv: one view; UTF-8 with a BOM and ";" (Dutch Excel), formulas neutralised.
- GET /regio/scholingsplan.pdf: the overview and the plan, as on the pages.

Each file is written once per publication, language and selection and kept (scan.regio.exports.files):
a request reads the cheap inputs (filter, publication, catalogue, labels), and only the first download,
or one after the catalogue changed, loads the figures and renders. So a file states its publication, not
the day it was downloaded; that day is in the download's file name. Every download is recorded in the
audit log.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import Response, abort
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from scan.access import Role, require
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.core.clock import today
from scan.core.downloads import CSV_MIME, PDF_MIME, XLSX_MIME, attachment_name_part, download
from scan.core.files import Sheet, write_csv, write_workbook
from scan.extensions import db
from scan.i18n import format_day
from scan.regio import bp, queries, services, trends
from scan.regio.exports import files
from scan.regio.exports.pdf import PlanPdfData, render_scholingsplan
from scan.regio.exports.tables import (
    COUNT,
    HOURS,
    MONEY,
    NUMBER,
    VIEW_NAMES,
    About,
    View,
    build_view,
    build_views,
)
from scan.regio.forms import filter_form, publication_label
from scan.regio.models import Publication

FORMATS = {
    COUNT: "0",
    NUMBER: "0",
    HOURS: "#,##0.0",
    MONEY: '"€" #,##0.00',
}


def _number_formats(view: View) -> dict[int, str]:
    return {n: FORMATS[kind] for n, kind in enumerate(view.kinds) if kind in FORMATS}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def publication_text(pub: Publication) -> str:
    name = publication_label(pub)
    return _("%(name)s: rounds that opened from %(first)s up to and including %(last)s; published on %(day)s",
             name=name, first=format_day(pub.period.first_day),
             last=format_day(pub.period.last_day), day=format_day(pub.published_at))


def language() -> str:
    return str(get_locale() or "nl")[:2]


@dataclass(frozen=True)
class Export:
    """What a regional download is of, read on every request without loading any figure."""

    selection: services.Selection
    valid: bool  # False: the filter had errors, so the default selection is exported
    publication: Publication
    region_name: str
    region_code: str
    municipality_name: str  # "" for the whole region
    trends: tuple[Publication, ...]  # the publications the trends sheet shows (see trends.for_region)
    day: date  # today: in the download's file name only, never in its content (the file is kept)
    stem: str  # the file name's stem: region, period, municipality, day


def prepare() -> Export:
    """The selection from the query string and its publication (404 when the region has none)."""
    region_id = current_user.region_id
    form, selection, valid = filter_form(region_id)
    pub = services.publication(region_id, selection.publication_id)
    if pub is None:
        abort(404)
    region = current_user.region
    # The form offers the region's own municipalities only; another id made the filter invalid.
    names = {choice.value: str(choice.label) for choice in form.municipality.choices}
    municipality = names.get(selection.municipality_id, "") if selection.municipality_id else ""
    day = today()
    parts = [_slug(region.code) if region else "", _slug(pub.period.name), _slug(municipality),
             day.isoformat()]
    return Export(selection, valid, pub, region.name if region else "", region.code if region else "",
                  municipality, tuple(services.current_publications(region_id)[:trends.LAST]), day,
                  "-".join(p for p in parts if p))


def about(export: Export) -> About:
    """What the "about" sheet says: only while writing a file (the trends read three publications)."""
    return About(export.region_name, export.selection, export.municipality_name, export.valid,
                 publication_text(export.publication), trends.for_region(current_user.region_id))


def kept(kind: str, export: Export, write: Callable[[], bytes]) -> bytes:
    """The kept file of this kind, language and selection; written (by `write`) on the first download, and
    again when the catalogue, the labels or anything else of `files.fingerprint` changed since."""
    if not export.valid:
        # A filter with errors exports the default selection with a note; a refused request changes
        # nothing, so that file is not kept (such downloads are rare: the form offers valid choices only).
        return write()
    pub = export.publication
    region_id = current_user.region_id
    fingerprint = files.fingerprint(
        pub,
        region=(export.region_name, export.region_code),
        municipality_name=export.municipality_name,
        valid=export.valid,
        offers=queries.active_offers(region_id),
        labels=queries.labels(),
        trends=export.trends,
        texts=(publication_text(pub), publication_label(pub)),
    )
    name = files.file_name(kind, language(), export.selection, export.valid)
    return files.get_or_write(pub, name, fingerprint, write)


def _selection_facts(selection: services.Selection) -> dict[str, str]:
    """The filter as facts for the audit log, e.g. {"publication": "3", "level": "generiek"}."""
    return selection.query_args() or {"selection": "default"}


def record_export(kind: str, selection: services.Selection) -> None:
    """Every regional export is recorded in the audit log (and committed: these are GET requests)."""
    record(audit_actions.EXPORT, object_type=kind, object_id=current_user.region_id,
           facts=_selection_facts(selection))
    db.session.commit()


@bp.get("/scholingsplan.xlsx")
@require(Role.REGIOCOORDINATOR)
def export_xlsx() -> Response:
    """The scholingsplan and the overview tables as one workbook."""
    export = prepare()

    def write() -> bytes:
        overview, plan = services.scholingsplan(export.publication, export.selection,  # type: ignore[misc]
                                                current_user.region_id)
        return write_workbook([
            Sheet(v.title, v.header, v.rows, _number_formats(v), v.total_rows, bold_header=True)
            for v in build_views(overview, plan, about(export))
        ])

    body = kept("xlsx", export, write)
    record_export("regio.xlsx", export.selection)
    return download(body, f"scholingsplan-{export.stem}.xlsx", XLSX_MIME)


@bp.get("/export/<view>.csv")
@require(Role.REGIOCOORDINATOR)
def export_csv(view: str) -> Response:
    """One view as CSV (the names in scan.regio.exports.tables.VIEW_NAMES)."""
    if view not in VIEW_NAMES:
        abort(404)
    export = prepare()

    def write() -> bytes:
        overview, plan = services.scholingsplan(export.publication, export.selection,  # type: ignore[misc]
                                                current_user.region_id)
        table = build_view(view, overview, plan, about(export))
        return write_csv(table.header, table.rows)

    body = kept(f"csv:{view}", export, write)
    record_export(f"regio.{view}.csv", export.selection)
    return download(body, f"{view}-{export.stem}.csv", CSV_MIME)


@bp.get("/scholingsplan.pdf")
@require(Role.REGIOCOORDINATOR)
def export_pdf() -> Response:
    export = prepare()
    lang = language()

    def write() -> bytes:
        overview, plan = services.scholingsplan(export.publication, export.selection,  # type: ignore[misc]
                                                current_user.region_id)
        data = PlanPdfData(
            region_name=export.region_name,
            region_code=export.region_code,
            selection=export.selection,
            municipality_name=export.municipality_name,
            valid=export.valid,
            overview=overview,
            plan=plan,
            publication=publication_text(export.publication),
            publication_name=publication_label(export.publication),
        )
        return render_scholingsplan(data, lang)

    body = kept("pdf", export, write)
    record_export("regio.pdf", export.selection)
    code = attachment_name_part(export.region_code, "regio")
    return download(body, f"scholingsplan-{code}-{export.day.isoformat()}.pdf", PDF_MIME)
