"""The regional overview and scholingsplan as a PDF download: the same filter and numbers as the pages.

Written once per publication, language and selection and kept, like the XLSX and CSV
(scan.regio.exports.files);
the download date is in the file name only.
"""

from __future__ import annotations

from flask_login import current_user
from werkzeug.wrappers import Response

from scan.access import Role, require
from scan.core.downloads import PDF_MIME, attachment_name_part, download
from scan.regio import bp, services
from scan.regio.exports.pdf import PlanPdfData, render_scholingsplan
from scan.regio.exports.routes import kept, language, prepare, publication_text, record_export
from scan.regio.forms import publication_label


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
