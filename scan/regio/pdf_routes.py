"""The regional overview and scholingsplan as a PDF download: the same filter and numbers as the pages."""

from __future__ import annotations

from flask import abort, make_response
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from scan.access import Role, require
from scan.core import clock
from scan.core.pdf import attachment_name_part
from scan.extensions import db
from scan.organisation.models import Municipality
from scan.regio import bp, services
from scan.regio.export_routes import publication_text, record_export
from scan.regio.forms import filter_form
from scan.regio.pdf import PlanPdfData, render_scholingsplan


@bp.get("/scholingsplan.pdf")
@require(Role.REGIOCOORDINATOR)
def export_pdf() -> Response:
    region = current_user.region
    _form, selection, valid = filter_form(current_user.region_id)
    pub = services.publication(current_user.region_id, selection.publication_id)
    if pub is None:
        abort(404)
    overview, plan = services.scholingsplan(pub, selection, current_user.region_id)  # type: ignore[misc]
    municipality_name = ""
    if selection.municipality_id is not None:
        municipality = db.session.get(Municipality, selection.municipality_id)
        # The form only offers the region's own municipalities; anything else is not valid there.
        if municipality is not None and municipality.region_id == current_user.region_id:
            municipality_name = municipality.name
    today = clock.today()
    data = PlanPdfData(
        region_name=region.name if region else "",
        region_code=region.code if region else "",
        selection=selection,
        municipality_name=municipality_name,
        valid=valid,
        generated_on=today,
        overview=overview,
        plan=plan,
        publication=publication_text(pub),
    )
    body = render_scholingsplan(data, str(get_locale() or "nl")[:2])
    record_export("regio.pdf", selection)
    response = make_response(body)
    response.mimetype = "application/pdf"
    code = attachment_name_part(data.region_code, "regio")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="scholingsplan-{code}-{today.isoformat()}.pdf"'
    )
    # Not kept by a browser or a proxy: the region's figures are for the regional coordinator.
    response.headers["Cache-Control"] = "no-store"
    return response
