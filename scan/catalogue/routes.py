"""The regional training catalogue: list, add, change, (de)activate, export and import.

Thin: load -> check -> service -> one commit -> redirect, or the page again with what was typed.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from scan.access import Role, require
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.catalogue import bp, io, queries, services
from scan.catalogue.forms import ActiveForm, ConfirmImportForm, ImportForm, TrainingForm
from scan.catalogue.permissions import can_manage_catalogue
from scan.db import load_or_404
from scan.extensions import db
from scan.pop.models import Training

MANAGERS = (Role.REGIOCOORDINATOR, Role.BEHEERDER)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column index -> number format in the XLSX export (hours, cost, points, min, max).
XLSX_FORMATS = {5: "0.0", 6: "0.00", 7: "0", 8: "0", 9: "0"}


def _check() -> None:
    if not can_manage_catalogue(current_user):
        abort(403)


@bp.get("/")
@require(*MANAGERS)
def index() -> str:
    _check()
    show = request.args.get("toon", "active")
    if show not in queries.FILTERS:
        show = "active"
    return render_template("catalogue/catalogue_index.html", trainings=queries.trainings(show), show=show,
                           active_form=ActiveForm(), display=services.display)


def _edit_page(form: TrainingForm, training: Training | None) -> str:
    return render_template("catalogue/training_edit.html", form=form, training=training)


@bp.route("/nieuw", methods=["GET", "POST"])
@require(*MANAGERS)
def new() -> str | BaseResponse:
    _check()
    form = TrainingForm(known_items=queries.known_item_codes(),
                        data={"active": True} if request.method == "GET" else None)
    if form.validate_on_submit():
        training = services.write_training(form.entry())
        record(audit_actions.CATALOGUE_CHANGE, object_type="training", object_id=training.id,
               detail=f"created, code {training.code}")
        db.session.commit()
        flash(_("The entry %(code)s has been added to the catalogue.", code=training.code), "success")
        return redirect(url_for("catalogue.index"))
    return _edit_page(form, None)


def _form_data(training: Training) -> dict[str, Any]:
    d = services.data_of(training)
    return {
        "code": d.code, "title": d.title, "provider": d.provider, "type": d.type, "level": d.level or "",
        "hours": str(d.hours).replace(".", ","), "cost": str(services.euros(d.cost_cents)).replace(".", ","),
        "points": str(d.points), "min_group": "" if d.min_group is None else str(d.min_group),
        "max_group": "" if d.max_group is None else str(d.max_group), "items": ", ".join(d.item_codes),
        "active": d.active,
    }


@bp.route("/<int:training_id>/wijzigen", methods=["GET", "POST"])
@require(*MANAGERS)
def edit(training_id: int) -> str | BaseResponse:
    training = load_or_404(Training, training_id)
    _check()
    form = TrainingForm(training_id=training.id, known_items=queries.known_item_codes(),
                        data=_form_data(training) if request.method == "GET" else None)
    if form.validate_on_submit():
        entry, before = form.entry(), services.data_of(training)
        changed = [name for name in services.COMPARED if getattr(before, name) != getattr(entry, name)]
        code_changed = ["code"] if before.code != entry.code else []
        services.write_training(entry, training)
        record(audit_actions.CATALOGUE_CHANGE, object_type="training", object_id=training.id,
               detail=f"code {training.code}, fields: " + (", ".join(code_changed + changed) or "none"))
        db.session.commit()
        flash(_("The entry %(code)s has been changed.", code=training.code), "success")
        return redirect(url_for("catalogue.index", toon="all"))
    return _edit_page(form, training)


def _set_active(training_id: int, active: bool) -> BaseResponse:
    training = load_or_404(Training, training_id)
    _check()
    if not ActiveForm().validate_on_submit():
        abort(400)
    services.set_active(training, active)
    record(audit_actions.CATALOGUE_CHANGE, object_type="training", object_id=training.id,
           detail=f"{'activated' if active else 'deactivated'}, code {training.code}")
    db.session.commit()
    if active:
        flash(_("The entry %(code)s is active again.", code=training.code), "success")
    else:
        flash(_("The entry %(code)s has been deactivated; POP actions that refer to it keep it.",
                code=training.code), "success")
    return redirect(url_for("catalogue.index", toon=request.args.get("toon", "all")))


@bp.post("/<int:training_id>/activeren")
@require(*MANAGERS)
def activate(training_id: int) -> BaseResponse:
    return _set_active(training_id, True)


@bp.post("/<int:training_id>/deactiveren")
@require(*MANAGERS)
def deactivate(training_id: int) -> BaseResponse:
    return _set_active(training_id, False)


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


@bp.get("/export.csv")
@require(*MANAGERS)
def export_csv() -> Response:
    _check()
    header, rows = services.export_rows(queries.trainings("all"))
    body = io.write_csv(header, rows)
    record(audit_actions.EXPORT, object_type="catalogue.csv", detail=f"{len(rows)} rows")
    db.session.commit()
    return _download(body, "text/csv", "catalogus.csv")


@bp.get("/export.xlsx")
@require(*MANAGERS)
def export_xlsx() -> Response:
    _check()
    header, rows = services.export_rows(queries.trainings("all"))
    body = io.write_xlsx(header, rows, _("Training catalogue"), XLSX_FORMATS)
    record(audit_actions.EXPORT, object_type="catalogue.xlsx", detail=f"{len(rows)} rows")
    db.session.commit()
    return _download(body, XLSX_MIME, "catalogus.xlsx")


def _import_page(form: ImportForm, problems: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("catalogue/catalogue_import.html", form=form, problems=problems or [],
                           columns=[str(c) for c in services.COLUMNS.values()]), status


@bp.route("/import", methods=["GET", "POST"])
@require(*MANAGERS)
def import_file() -> tuple[str, int] | str:
    _check()
    form = ImportForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _import_page(form, status=200 if request.method == "GET" else 400)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = [_("Choose a CSV or XLSX file.")]
        return _import_page(form, status=422)
    raw = upload.read(io.MAX_BYTES + 1)
    try:
        table = io.read_table(raw, upload.filename)
    except io.FileProblem as problem:
        form.file.errors = [problem.message]
        return _import_page(form, status=422)
    checked = services.rows_from_table(table)
    if not checked.problems:
        checked = services.check_rows(checked.rows, queries.known_item_codes())
    if checked.problems:
        form.file.errors = [_("Nothing has been imported: correct the rows below and upload the file again.")]
        return _import_page(form, [str(p) for p in checked.problems], status=422)
    plan = services.plan_import(checked.entries, queries.trainings_by_code([e.code for e in checked.entries]))
    confirm = ConfirmImportForm(data={"payload": services.sign_rows(checked.rows)})
    return render_template("catalogue/catalogue_import_preview.html", plan=plan, form=confirm,
                           filename=upload.filename, display=services.display)


@bp.post("/import/bevestigen")
@require(*MANAGERS)
def confirm_import() -> BaseResponse | tuple[str, int]:
    _check()
    form = ConfirmImportForm()
    rows = services.unsign_rows(form.payload.data or "") if form.validate_on_submit() else None
    if rows is None:
        flash(_("The import could not be confirmed because its data was changed. Upload the file again."),
              "error")
        return _import_page(ImportForm(), status=422)
    # Check again: the catalogue or the Kenniskaart may have changed since the preview.
    checked = services.check_rows(rows, queries.known_item_codes())
    if checked.problems:
        flash(_("Nothing has been imported: the rows are no longer valid. Upload the file again."), "error")
        return _import_page(ImportForm(), [str(p) for p in checked.problems], status=422)
    plan = services.apply_import(checked.entries,
                                 queries.trainings_by_code([e.code for e in checked.entries]))
    record(audit_actions.CATALOGUE_CHANGE, object_type="catalogue.import",
           detail=f"{len(plan.added)} added, {len(plan.changed)} changed, {plan.unchanged} unchanged")
    db.session.commit()
    flash(
        _("Import done: %(added)s, %(changed)s.",
          added=ngettext("%(num)d added", "%(num)d added", len(plan.added)),
          changed=ngettext("%(num)d changed", "%(num)d changed", len(plan.changed))),
        "success",
    )
    return redirect(url_for("catalogue.index", toon="all"))
