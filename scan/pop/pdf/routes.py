"""The POP as a PDF download: for the professional and their own team leader only."""

from __future__ import annotations

from flask import request
from flask_babel import get_locale
from werkzeug.wrappers import Response

from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.core import clock
from scan.core.downloads import PDF_MIME, download
from scan.extensions import db
from scan.pop import bp
from scan.pop.loading import load_pop
from scan.pop.pdf.data import chosen_version, pop_pdf_data
from scan.pop.pdf.render import pop_filename, render_pop


@bp.get("/pop/<int:pop_id>/pop.pdf")
def pdf(pop_id: int) -> Response:
    pop = load_pop(pop_id)
    version = chosen_version(pop, request.args.get("versie", type=int))
    data = pop_pdf_data(pop, version, clock.today())
    body = render_pop(data, str(get_locale() or "nl")[:2])
    record(audit_actions.EXPORT, object_type="pop.pdf", object_id=pop.id, detail=f"version {version.number}")
    db.session.commit()
    return download(body, pop_filename(data), PDF_MIME)
