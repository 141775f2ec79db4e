"""Exports of the regional overview and scholingsplan: XLSX and CSV.

Both read the same filter as the pages (rounds/period, municipality, level) and show exactly what the pages
show: the suppressed tables and plan of `services.scholingsplan`, laid out by scan.regio.tables. A hidden
cell is "<k" as text; no file holds a name of a person.

- GET /regio/scholingsplan.xlsx: one workbook, one sheet per view; header frozen, filters on, numbers
  as numbers (euros in a euro format).
- GET /regio/export/<view>.csv: one view; UTF-8 with a BOM and ";" (Dutch Excel), formulas neutralised.
"""

from __future__ import annotations

import re

from flask import Response, abort
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from scan.access import Role, require
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.catalogue.io import Sheet, write_csv, write_workbook
from scan.core.clock import today
from scan.extensions import db
from scan.regio import bp, services, trends
from scan.regio.forms import filter_form, publication_label
from scan.regio.models import Publication
from scan.regio.tables import COUNT, HOURS, MONEY, NUMBER, VIEW_NAMES, About, View, build_view, build_views

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
             name=name, first=format_date(pub.period.first_day, "long"),
             last=format_date(pub.period.last_day, "long"), day=format_date(pub.published_at, "long"))


def prepare() -> tuple[services.Selection, Publication, About, str]:
    """The selection from the query string, its publication (404 when the region has none), what the
    "about" sheet says of it, and the file name's stem."""
    form, selection, valid = filter_form(current_user.region_id)
    pub = services.publication(current_user.region_id, selection.publication_id)
    if pub is None:
        abort(404)
    region = current_user.region
    names = {value: str(label) for value, label in form.municipality.choices}
    municipality = names.get(selection.municipality_id, "") if selection.municipality_id else ""
    exported_on = today()
    about = About(region.name if region else "", selection, municipality, valid, exported_on,
                  publication_text(pub), trends.for_region(current_user.region_id))
    parts = [_slug(region.code) if region else "", _slug(pub.period.name), _slug(municipality),
             exported_on.isoformat()]
    return selection, pub, about, "-".join(p for p in parts if p)


def _selection_facts(selection: services.Selection) -> str:
    """The filter as short facts for the audit log, e.g. "rounds: period, first: 2027-01-01"."""
    facts = ", ".join(f"{key}: {value}" for key, value in selection.query_args().items())
    return facts or "default selection"


def record_export(kind: str, selection: services.Selection) -> None:
    """Every regional export is recorded in the audit log (and committed: these are GET requests)."""
    record(audit_actions.EXPORT, object_type=kind, object_id=current_user.region_id,
           detail=_selection_facts(selection))
    db.session.commit()


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.get("/scholingsplan.xlsx")
@require(Role.REGIOCOORDINATOR)
def export_xlsx() -> Response:
    """The scholingsplan and the overview tables as one workbook."""
    selection, pub, about, stem = prepare()
    overview, plan = services.scholingsplan(pub, selection, current_user.region_id)  # type: ignore[misc]
    sheets = [
        Sheet(v.title, v.header, v.rows, _number_formats(v), v.total_rows, bold_header=True)
        for v in build_views(overview, plan, about)
    ]
    body = write_workbook(sheets)
    record_export("regio.xlsx", selection)
    return _download(body, XLSX_MIME, f"scholingsplan-{stem}.xlsx")


@bp.get("/export/<view>.csv")
@require(Role.REGIOCOORDINATOR)
def export_csv(view: str) -> Response:
    """One view as CSV (the names in scan.regio.tables.VIEW_NAMES)."""
    if view not in VIEW_NAMES:
        abort(404)
    selection, pub, about, stem = prepare()
    overview, plan = services.scholingsplan(pub, selection, current_user.region_id)  # type: ignore[misc]
    table = build_view(view, overview, plan, about)
    body = write_csv(table.header, table.rows)
    record_export(f"regio.{view}.csv", selection)
    return _download(body, "text/csv", f"{view}-{stem}.csv")
