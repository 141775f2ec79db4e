"""The regional training catalogue: list, add, change, (de)activate, export and import.

Every region has its own catalogue. A regional coordinator works on their own region's; the administrator
(who has no region) on the region chosen on the page (`?regio=<id>`, carried by every link and form of these
pages), else on the region with the lowest id. An entry of another region is answered with 404, like an
entry that does not exist.

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
from scan.catalogue import bp, queries, services
from scan.catalogue.forms import ActiveForm, ConfirmImportForm, ImportForm, TrainingForm
from scan.catalogue.models import Training
from scan.catalogue.permissions import (
    READERS,
    can_browse_region_catalogue,
    can_manage_catalogue,
    can_manage_region_catalogue,
    can_manage_training,
)
from scan.core import files as io
from scan.core.downloads import CSV_MIME, XLSX_MIME, download
from scan.db import load_or_404
from scan.extensions import db
from scan.kenniskaart import queries as kenniskaart_queries
from scan.organisation.models import Region

MANAGERS = (Role.REGIOCOORDINATOR, Role.BEHEERDER)
# Column index -> number format in the XLSX export (hours, cost, points, min, max).
XLSX_FORMATS = {5: "0.0", 6: "0.00", 7: "0", 8: "0", 9: "0"}


def _check() -> None:
    if not can_manage_catalogue(current_user):
        abort(403)


def _chosen_region() -> Region | None:
    """The region whose catalogue this request shows and changes (see the module docstring)."""
    if current_user.role != Role.BEHEERDER:
        return current_user.region
    wanted = request.args.get("regio", "")
    if not wanted:
        return queries.first_region()
    if not wanted.isdigit():
        abort(404)
    return load_or_404(Region, int(wanted))


def _region() -> Region:
    """The chosen region, checked: 404 when there is none or it is not this user's."""
    _check()
    region = _chosen_region()
    if region is None or not can_manage_region_catalogue(current_user, region.id):
        abort(404)
    return region


def _load_training(training_id: int) -> Training:
    """An entry of a region this user manages; another region's entry is 404, as if it did not exist."""
    training = load_or_404(Training, training_id)
    _check()
    if not can_manage_training(current_user, training):
        abort(404)
    return training


def region_args(region: Region | None) -> dict[str, int]:
    """What every catalogue link and form carries: the administrator's chosen region."""
    return {"regio": region.id} if region is not None and current_user.role == Role.BEHEERDER else {}


def _render(template: str, region: Region | None, **context: Any) -> str:
    return render_template(template, region=region, region_args=region_args(region), **context)


@bp.get("/")
@require(*MANAGERS)
def index() -> str:
    _check()
    region = _chosen_region()
    if region is not None and not can_manage_region_catalogue(current_user, region.id):
        abort(404)
    show = request.args.get("toon", "active")
    if show not in queries.FILTERS:
        show = "active"
    trainings = queries.trainings(region.id, show) if region is not None else []
    regions = queries.regions() if current_user.role == Role.BEHEERDER else []
    return _render("catalogue/catalogue_index.html", region, trainings=trainings, show=show, regions=regions,
                   active_form=ActiveForm(), display=services.display)


def _edit_page(form: TrainingForm, training: Training | None, region: Region) -> str:
    return _render("catalogue/training_edit.html", region, form=form, training=training)


@bp.route("/nieuw", methods=["GET", "POST"])
@require(*MANAGERS)
def new() -> str | BaseResponse:
    region = _region()
    form = TrainingForm(region_id=region.id, known_items=queries.known_item_codes(),
                        data={"active": True} if request.method == "GET" else None)
    if form.validate_on_submit():
        training = services.write_training(form.entry(), region_id=region.id)
        record(audit_actions.CATALOGUE_CHANGE, object_type="training", object_id=training.id,
               facts={"change": "created", "code": training.code})
        db.session.commit()
        flash(_("The entry %(code)s has been added to the catalogue.", code=training.code), "success")
        return redirect(url_for("catalogue.index", **region_args(region)))
    return _edit_page(form, None, region)


def _form_data(training: Training) -> dict[str, Any]:
    d = services.data_of(training)
    return {
        "code": d.code, "title": d.title, "provider": d.provider, "type": d.type, "level": d.level or "",
        "hours": d.hours, "cost": services.euros(d.cost_cents), "points": d.points,
        "min_group": d.min_group, "max_group": d.max_group, "items": ", ".join(d.item_codes),
        "active": d.active,
    }


@bp.route("/<int:training_id>/wijzigen", methods=["GET", "POST"])
@require(*MANAGERS)
def edit(training_id: int) -> str | BaseResponse:
    training = _load_training(training_id)
    region = training.region
    form = TrainingForm(region_id=training.region_id, training_id=training.id,
                        known_items=queries.known_item_codes(),
                        data=_form_data(training) if request.method == "GET" else None)
    if form.validate_on_submit():
        entry, before = form.entry(), services.data_of(training)
        changed = [name for name in services.COMPARED if getattr(before, name) != getattr(entry, name)]
        code_changed = ["code"] if before.code != entry.code else []
        services.write_training(entry, training)
        record(audit_actions.CATALOGUE_CHANGE, object_type="training", object_id=training.id,
               facts={"code": training.code, "fields": code_changed + changed or ["none"]})
        db.session.commit()
        flash(_("The entry %(code)s has been changed.", code=training.code), "success")
        return redirect(url_for("catalogue.index", toon="all", **region_args(region)))
    return _edit_page(form, training, region)


def _set_active(training_id: int, active: bool) -> BaseResponse:
    training = _load_training(training_id)
    if not ActiveForm().validate_on_submit():
        abort(400)
    services.set_active(training, active)
    record(audit_actions.CATALOGUE_CHANGE, object_type="training", object_id=training.id,
           facts={"change": "activated" if active else "deactivated", "code": training.code})
    db.session.commit()
    if active:
        flash(_("The entry %(code)s is active again.", code=training.code), "success")
    else:
        flash(_("The entry %(code)s has been deactivated; POP actions that refer to it keep it.",
                code=training.code), "success")
    return redirect(url_for("catalogue.index", toon=request.args.get("toon", "all"),
                            **region_args(training.region)))


@bp.post("/<int:training_id>/activeren")
@require(*MANAGERS)
def activate(training_id: int) -> BaseResponse:
    return _set_active(training_id, True)


@bp.post("/<int:training_id>/deactiveren")
@require(*MANAGERS)
def deactivate(training_id: int) -> BaseResponse:
    return _set_active(training_id, False)


@bp.get("/export.csv")
@require(*MANAGERS)
def export_csv() -> Response:
    region = _region()
    header, rows = services.export_rows(queries.trainings(region.id, "all"))
    body = io.write_csv(header, rows)
    record(audit_actions.EXPORT, object_type="catalogue.csv", facts={"rows": len(rows)})
    db.session.commit()
    return download(body, "catalogus.csv", CSV_MIME)


@bp.get("/export.xlsx")
@require(*MANAGERS)
def export_xlsx() -> Response:
    region = _region()
    header, rows = services.export_rows(queries.trainings(region.id, "all"))
    body = io.write_xlsx(header, rows, _("Training catalogue"), XLSX_FORMATS)
    record(audit_actions.EXPORT, object_type="catalogue.xlsx", facts={"rows": len(rows)})
    db.session.commit()
    return download(body, "catalogus.xlsx", XLSX_MIME)


def _import_page(form: ImportForm, region: Region, problems: list[str] | None = None,
                 status: int = 200) -> tuple[str, int]:
    return _render("catalogue/catalogue_import.html", region, form=form, problems=problems or [],
                   columns=[str(c) for c in services.COLUMNS.values()]), status


@bp.route("/import", methods=["GET", "POST"])
@require(*MANAGERS)
def import_file() -> tuple[str, int] | str:
    region = _region()
    form = ImportForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _import_page(form, region, status=200 if request.method == "GET" else 400)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = [_("Choose a CSV or XLSX file.")]
        return _import_page(form, region, status=422)
    raw = upload.read(io.MAX_BYTES + 1)
    try:
        table = io.read_table(raw, upload.filename)
    except io.FileProblem as problem:
        form.file.errors = [problem.message]
        return _import_page(form, region, status=422)
    checked = services.rows_from_table(table)
    if not checked.problems:
        checked = services.check_rows(checked.rows, queries.known_item_codes())
    if checked.problems:
        form.file.errors = [_("Nothing has been imported: correct the rows below and upload the file again.")]
        return _import_page(form, region, [str(p) for p in checked.problems], status=422)
    codes = [e.code for e in checked.entries]
    plan = services.plan_import(checked.entries, queries.trainings_by_code(region.id, codes))
    confirm = ConfirmImportForm(data={"payload": services.sign_rows(checked.rows, region.id)})
    return _render("catalogue/catalogue_import_preview.html", region, plan=plan, form=confirm,
                   filename=upload.filename, display=services.display)


@bp.post("/import/bevestigen")
@require(*MANAGERS)
def confirm_import() -> BaseResponse | tuple[str, int]:
    region = _region()
    form = ConfirmImportForm()
    signed = services.unsign_rows(form.payload.data or "") if form.validate_on_submit() else None
    # The preview was of one region's catalogue: confirming it on another region's page imports nothing.
    if signed is None or signed[0] != region.id:
        flash(_("The import could not be confirmed because its data was changed. Upload the file again."),
              "error")
        return _import_page(ImportForm(), region, status=422)
    # Check again: the catalogue or the Kenniskaart may have changed since the preview.
    checked = services.check_rows(signed[1], queries.known_item_codes())
    if checked.problems:
        flash(_("Nothing has been imported: the rows are no longer valid. Upload the file again."), "error")
        return _import_page(ImportForm(), region, [str(p) for p in checked.problems], status=422)
    plan = services.apply_import(region.id, checked.entries,
                                 queries.trainings_by_code(region.id, [e.code for e in checked.entries]))
    record(audit_actions.CATALOGUE_CHANGE, object_type="catalogue.import",
           facts={"added": len(plan.added), "changed": len(plan.changed), "unchanged": plan.unchanged})
    db.session.commit()
    flash(
        _("Import done: %(added)s, %(changed)s.",
          added=ngettext("%(num)d added", "%(num)d added", len(plan.added)),
          changed=ngettext("%(num)d changed", "%(num)d changed", len(plan.changed))),
        "success",
    )
    return redirect(url_for("catalogue.index", toon="all", **region_args(region)))


# --- the catalogue as professionals, team leaders and coordinators read it --------------------------------


def _whole_number(name: str) -> int | None:
    text = request.args.get(name, "")
    return int(text) if text.isdigit() and len(text) < 10 else None


@bp.get("/aanbod")
@require(*READERS)
def browse() -> str:
    """The active entries of the reader's region, filtered by leefgebied and level (a GET form), a page at a
    time. A region that is not the reader's is answered with 404; unknown filter values are ignored."""
    region_ids = queries.reader_region_ids(current_user.id, current_user.role, current_user.team_id,
                                           current_user.region_id)
    wanted = _whole_number("regio") if request.args.get("regio") else None
    if request.args.get("regio") and wanted is None:
        abort(404)
    region_id = wanted if wanted is not None else (region_ids[0] if region_ids else None)
    if wanted is not None and not can_browse_region_catalogue(current_user, region_ids, wanted):
        abort(404)
    version = kenniskaart_queries.current_version()
    sections = kenniskaart_queries.sections_with_items(version.id) if version is not None else []
    items = {item.code: item for section in sections for item in section.items}
    section = next((s for s in sections if s.code == request.args.get("leefgebied")), None)
    level = request.args.get("niveau") if request.args.get("niveau") in services.LEVELS else None
    number = max(_whole_number("pagina") or 1, 1)
    trainings: list[Training] = []
    total = 0
    if region_id is not None:
        codes = {item.code for item in section.items} if section is not None else None
        trainings, total = queries.browse(region_id, codes, level, number)
        pages = max(1, -(-total // queries.BROWSE_PAGE_SIZE))
        if number > pages:
            number = pages
            trainings, total = queries.browse(region_id, codes, level, number)
    pages = max(1, -(-total // queries.BROWSE_PAGE_SIZE))
    filters = {k: v for k, v in (("regio", wanted), ("leefgebied", section.code if section else None),
                                 ("niveau", level)) if v is not None}
    return render_template(
        "catalogue/browse.html", region_id=region_id, region_names=queries.region_names(region_ids),
        sections=sections, section=section, level=level, levels=services.LEVEL_LABELS, items=items,
        trainings=trainings, total=total, number=number, pages=pages, filters=filters,
        first=(number - 1) * queries.BROWSE_PAGE_SIZE + 1, display=services.display,
    )
