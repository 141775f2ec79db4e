"""The POP as a PDF download: for the professional and their own team leader only."""

from __future__ import annotations

from flask import request
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.core import clock
from scan.core.downloads import PDF_MIME, download
from scan.extensions import db
from scan.pop import bp
from scan.pop.loading import load_pop, shown_version
from scan.pop.pdf.data import pop_pdf_data
from scan.pop.pdf.render import pop_filename, render_pop
from scan.pop.permissions import visible_versions


@bp.get("/pop/<int:pop_id>/pop.pdf")
def pdf(pop_id: int) -> Response:
    pop = load_pop(pop_id)
    version = shown_version(pop, request.args.get("versie", type=int))
    # The reader's versions: "version 1 of 1" for the team leader while the professional drafts version 2.
    data = pop_pdf_data(pop, version, clock.today(), len(visible_versions(current_user, pop)))
    body = render_pop(data, str(get_locale() or "nl")[:2])
    record(audit_actions.EXPORT, object_type="pop.pdf", object_id=pop.id, facts={"version": version.number})
    db.session.commit()
    return download(body, pop_filename(data), PDF_MIME)
