"""The administrator reads the audit log: filter by person, action and period; export it.

Read-only: there is no route that changes or deletes an event (see `guard` in services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, render_template, request
from flask_babel import gettext as _

from scan.access import Role, require
from scan.audit import bp, queries
from scan.audit.actions import ACTIONS, EXPORT
from scan.audit.forms import AuditFilterForm
from scan.audit.services import record
from scan.audit.wording import detail_text, object_names, object_text, object_type_label
from scan.core.clock import AMSTERDAM
from scan.core.downloads import CSV_MIME, XLSX_MIME, download
from scan.extensions import db


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


def _filter() -> tuple[AuditFilterForm, queries.AuditFilter, bool]:
    """The filter from the query string: (form, filter to apply, whether it was valid).

    An invalid filter keeps what was typed in the form, shows its errors and applies no filter at all."""
    form = AuditFilterForm(request.args)
    valid = form.validate() if request.args else True
    if not valid:
        return form, queries.AuditFilter(), False
    chosen = queries.AuditFilter(
        person=(form.person.data or "").strip(),
        action=form.action.data or "",
        first=form.first.data,
        last=form.last.data,
    )
    return form, chosen, True


@bp.get("/")
@require(Role.BEHEERDER)
def index() -> str:
    form, chosen, valid = _filter()
    result = queries.page(chosen, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "audit/index.html",
        form=form,
        valid=valid,
        chosen=chosen,
        result=result,
        names=object_names(result.events),
        action_label=action_label,
        object_text=object_text,
        detail_text=detail_text,
    )


def _local(moment: datetime) -> datetime:
    """The moment as a plain date and time in Europe/Amsterdam, to the second (for the spreadsheets)."""
    return moment.astimezone(AMSTERDAM).replace(tzinfo=None, microsecond=0)


def _export_rows(chosen: queries.AuditFilter) -> tuple[list[str], list[list[Any]]]:
    header = [_("When"), _("Who"), _("Action"), _("Object"), _("Object id"), _("Name"), _("Detail"),
              _("Address")]
    events = queries.all_events(chosen)
    names = object_names(events)
    rows = [
        [_local(e.at), e.actor_name, action_label(e.action), object_type_label(e.object_type), e.object_id,
         names.get((e.object_type, e.object_id), ""), detail_text(e.detail), e.address or ""]
        for e in events
    ]
    return header, rows


def _download(body: bytes, mimetype: str, extension: str, kind: str, chosen: queries.AuditFilter,
              count: int) -> Response:
    record(EXPORT, object_type=kind, facts={"rows": count, **chosen.query_args()})
    db.session.commit()
    day = datetime.now(AMSTERDAM).date().isoformat()
    return download(body, f"logboek-{day}.{extension}", mimetype)


def _export_filter() -> queries.AuditFilter:
    # An invalid filter exports what the page shows for it: everything.
    return _filter()[1]


@bp.get("/export.csv")
@require(Role.BEHEERDER)
def export_csv() -> Response:
    from scan.core.files import write_csv  # here: scan.catalogue imports half the app

    chosen = _export_filter()
    header, rows = _export_rows(chosen)
    for row in rows:
        row[0] = row[0].isoformat(sep=" ")
    return _download(write_csv(header, rows), CSV_MIME, "csv", "audit.csv", chosen, len(rows))


@bp.get("/export.xlsx")
@require(Role.BEHEERDER)
def export_xlsx() -> Response:
    from scan.core.files import write_xlsx

    chosen = _export_filter()
    header, rows = _export_rows(chosen)
    body = write_xlsx(header, rows, _("Audit log"), {0: "yyyy-mm-dd hh:mm:ss"})
    return _download(body, XLSX_MIME, "xlsx", "audit.xlsx", chosen, len(rows))
