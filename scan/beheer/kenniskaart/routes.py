"""The Kenniskaart for the administrator: versions, upload (check -> preview -> publish), downloads.

Upload follows the catalogue import: the file is checked and compared with the current version, nothing
is written; the preview carries the checked content in a signed hidden field; publishing checks it again
and stores it as the next version. Rounds keep the version they were opened on.
"""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from competencies import checksum
from competencies.yamlsource import MAX_BYTES
from scan.access import Role, require
from scan.assessment.models import ScanRound
from scan.audit.actions import EXPORT, KENNISKAART_PUBLISH
from scan.audit.services import record
from scan.beheer import bp
from scan.beheer.kenniskaart.forms import KenniskaartPublishForm, KenniskaartUploadForm
from scan.core.downloads import XLSX_MIME, download
from scan.db import load_or_404
from scan.extensions import db
from scan.kenniskaart import case, upload, xlsx
from scan.kenniskaart.diff import diff
from scan.kenniskaart.models import KenniskaartVersion
from scan.kenniskaart.queries import version_summaries
from scan.kenniskaart.services import newest_version, store_kenniskaart
from scan.kenniskaart.validation import validate_text

# The top-level parts of a Kenniskaart file that a new version may change (kenniskaart.diff's `general`),
# in the reader's language.
_GENERAL = {"version": _l("version label"), "region": _l("region"), "title": _l("title"),
            "scale": _l("scale"), "norms": _l("norms"), "order": _l("order of the items")}

FORMATS = ("yaml", "xlsx", "case.json")


def _rounds_per_version() -> dict[int, int]:
    rows = db.session.execute(
        select(ScanRound.version_id, func.count(ScanRound.id)).group_by(ScanRound.version_id)
    )
    return {version_id: count for version_id, count in rows}


def _page(form: KenniskaartUploadForm, problems: tuple[upload.UploadProblem, ...] = (),
          status: int = 200) -> tuple[str, int]:
    return render_template(
        "beheer/kenniskaart.html",
        form=form,
        problems=problems,
        versions=version_summaries(),
        rounds=_rounds_per_version(),
        formats=FORMATS,
        max_mb=upload.MAX_MB,
        sheets=xlsx.SHEETS,
    ), status


@bp.get("/kenniskaart")
@require(Role.BEHEERDER)
def kenniskaart() -> tuple[str, int]:
    return _page(KenniskaartUploadForm())


@bp.post("/kenniskaart")
@require(Role.BEHEERDER)
def kenniskaart_upload() -> tuple[str, int]:
    form = KenniskaartUploadForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    file = form.file.data
    if file is None or not getattr(file, "filename", ""):
        form.file.errors = [_("Choose a Kenniskaart file (.yaml, .yml or .xlsx).")]
        return _page(form, status=422)
    raw = file.read(MAX_BYTES + 1)
    result = upload.check_upload(raw, file.filename)
    if not result.ok or result.kenniskaart is None:
        form.file.errors = [
            _("Nothing has been published: correct the problems below and upload the file again.")
        ]
        return _page(form, result.problems, status=422)
    new = result.kenniskaart
    current = newest_version(new.code)
    changes = diff(upload.version_model(current) if current is not None else None, new)
    unchanged = current is not None and current.checksum == checksum(new)
    confirm = KenniskaartPublishForm(data={"payload": upload.sign(new, result.filename)})
    return render_template(
        "beheer/kenniskaart_preview.html",
        form=confirm,
        filename=result.filename,
        new=new,
        current=current,
        changes=changes,
        general=[str(_GENERAL.get(key, key)) for key in changes.general],
        unchanged=unchanged,
        next_number=(current.number + 1) if current is not None else 1,
    ), 200


@bp.post("/kenniskaart/publiceren")
@require(Role.BEHEERDER)
def kenniskaart_publish() -> BaseResponse | tuple[str, int]:
    form = KenniskaartPublishForm()
    unsigned = upload.unsign(form.payload.data or "") if form.validate_on_submit() else None
    if unsigned is None:
        flash(_("The Kenniskaart could not be published because its data was changed. "
                "Upload the file again."), "error")
        return _page(KenniskaartUploadForm(), status=422)
    name, text = unsigned
    report = validate_text(text, name)
    if not report.ok or report.kenniskaart is None:
        flash(_("Nothing has been published: the file is no longer valid. Upload it again."), "error")
        return _page(KenniskaartUploadForm(), status=422)
    version, created = store_kenniskaart(report.kenniskaart, source_name=name)
    if not created:
        db.session.rollback()
        flash(_("Nothing changed: version %(number)d of %(code)s already has exactly this content.",
                number=version.number, code=version.code), "info")
        return redirect(url_for("beheer.kenniskaart"))
    record(KENNISKAART_PUBLISH, object_type="kenniskaart_version", object_id=version.id,
           facts={"code": version.code, "version": version.number, "label": version.label})
    db.session.commit()
    flash(_("%(code)s has been published as version %(number)d (label %(label)s). Open rounds keep the "
            "version they were opened on.", code=version.code, number=version.number, label=version.label),
          "success")
    return redirect(url_for("beheer.kenniskaart"))


@bp.get("/kenniskaart/<int:version_id>.<fmt>")
@require(Role.BEHEERDER)
def kenniskaart_download(version_id: int, fmt: str) -> Response:
    if fmt not in FORMATS:
        abort(404)
    version = load_or_404(KenniskaartVersion, version_id)
    base = f"{version.code}-{version.number}"
    if fmt == "yaml":
        body = upload.to_yaml(upload.model_data(upload.version_model(version))).encode("utf-8")
        mimetype, filename = "application/yaml", f"{base}.yaml"
    elif fmt == "xlsx":
        body = xlsx.write_xlsx(upload.model_data(upload.version_model(version)))
        mimetype, filename = XLSX_MIME, f"{base}.xlsx"
    else:
        body = json.dumps(case.case_package(version), ensure_ascii=False, indent=2).encode("utf-8")
        mimetype, filename = "application/json", f"{base}.case.json"
    record(EXPORT, object_type=f"kenniskaart.{fmt}", object_id=version.id)
    db.session.commit()
    return download(body, filename, mimetype)
