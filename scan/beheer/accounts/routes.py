"""Accounts in the browser: list, create, change role and team, (de)activate, temporary password and the
bulk import (check -> preview with a signed payload -> confirm). Only the administrator.

Thin: load -> form -> service (rules and audit) -> one commit -> redirect, or the page again with what was
typed. A generated password is shown once, on the answer to the POST, and never stored in plain text.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from scan.access import ROLE_LABELS, Role, require
from scan.auth import account_import
from scan.auth import accounts as auth_accounts
from scan.auth.models import User
from scan.auth.services import normalise_username
from scan.beheer import bp
from scan.beheer.accounts import services
from scan.beheer.accounts.forms import AccountForm, ConfirmImportForm, FilterForm, ImportForm, PostForm
from scan.core import files as io
from scan.core.downloads import CSV_MIME, XLSX_MIME, download
from scan.core.rules import RuleError, refuse, show
from scan.db import load_or_404
from scan.extensions import db
from scan.organisation.models import Region, Team


def _no_store(html: str, status: int = 200) -> Any:
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/accounts")
@require(Role.BEHEERDER)
def accounts() -> str:
    form = FilterForm(request.args)
    form.role.choices = [SelectChoice("", _("All roles")),
                         *[SelectChoice(r.value, str(label)) for r, label in ROLE_LABELS.items()]]
    form.active.choices = [SelectChoice("", _("All accounts")), SelectChoice("yes", _("Active")),
                           SelectChoice("no", _("Deactivated"))]
    filters = services.AccountFilter(role=request.args.get("role", ""), team=request.args.get("team", ""),
                                     active=request.args.get("active", ""), q=request.args.get("q", ""))
    page = services.account_page(filters, request.args.get("pagina", 1, type=int))
    args = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render_template("beheer/accounts.html", form=form, page=page, args=args, role_labels=ROLE_LABELS)


def _choices(form: AccountForm, user: User | None) -> None:
    include = [] if user is None else [*user.led_teams, *([user.team] if user.team else [])]
    teams = services.selectable_teams(include)
    form.role.choices = [SelectChoice(r.value, str(label)) for r, label in ROLE_LABELS.items()]
    form.team.choices = [SelectChoice("", _("No team")),
                         *[SelectChoice(t.id, f"{t.name} ({t.code})") for t in teams]]
    form.led_teams.choices = [SelectChoice(t.id, f"{t.name} ({t.code})") for t in teams]
    form.region.choices = [SelectChoice("", _("No region")),
                           *[SelectChoice(r.id, r.name) for r in services.all_regions()]]


def _data(form: AccountForm) -> auth_accounts.AccountData:
    led = [db.session.get(Team, i) for i in form.led_teams.data or []]
    return auth_accounts.AccountData(
        full_name=form.full_name.data or "", role=form.role.data or "",
        team=db.session.get(Team, form.team.data) if form.team.data else None,
        led_teams=[t for t in led if t is not None],
        region=db.session.get(Region, form.region.data) if form.region.data else None,
    )


def _show_problems(form: AccountForm, problems: list[tuple[str, str]]) -> None:
    for name, message in problems:
        show(RuleError(message, name), form)


@bp.route("/accounts/nieuw", methods=["GET", "POST"])
@require(Role.BEHEERDER)
def account_new() -> Any:
    form = AccountForm(data={"role": Role.PROFESSIONAL.value} if request.method == "GET" else None)
    _choices(form, None)
    if form.validate_on_submit():
        data = _data(form)
        try:
            user, password = auth_accounts.create_account(form.username.data or "", data)
        except RuleError:
            db.session.rollback()
            problems = auth_accounts.check_data(data)
            username_problem = auth_accounts.username_problem(normalise_username(form.username.data or ""))
            if username_problem:
                problems.insert(0, ("username", username_problem))
            _show_problems(form, problems)
        else:
            db.session.commit()
            return _no_store(render_template("beheer/account_password.html", user=user, password=password,
                                             created=True))
    return render_template("beheer/account_form.html", form=form, user=None)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@require(Role.BEHEERDER)
def account_edit(user_id: int) -> Any:
    user = load_or_404(User, user_id)
    if user.erased_at is not None:
        abort(404)
    data = None
    if request.method == "GET":
        data = {"full_name": user.full_name, "role": user.role, "team": user.team_id,
                "led_teams": [t.id for t in user.led_teams], "region": user.region_id}
    form = AccountForm(data=data)
    del form.username
    _choices(form, user)
    if form.validate_on_submit():
        try:
            changed = auth_accounts.update_account(user, _data(form), current_user)
        except RuleError as error:
            refuse(error, form)
        else:
            db.session.commit()
            if changed:
                flash(_("The account %(username)s has been changed.", username=user.username), "success")
            return redirect(url_for("beheer.accounts"))
    erase = "beheer.account_erase" in current_app.view_functions
    return render_template("beheer/account_form.html", form=form, user=user, post_form=PostForm(),
                           erase=erase)


def _post(user_id: int) -> User:
    user = load_or_404(User, user_id)
    if user.erased_at is not None:
        abort(404)
    if not PostForm().validate_on_submit():
        abort(400)
    return user


@bp.post("/accounts/<int:user_id>/deactiveren")
@require(Role.BEHEERDER)
def account_deactivate(user_id: int) -> BaseResponse:
    user = _post(user_id)
    try:
        services.deactivate_account(user, current_user)
    except RuleError as error:
        refuse(error)
    else:
        db.session.commit()
        flash(_("The account %(username)s has been deactivated; its sessions have ended.",
                username=user.username), "success")
    return redirect(url_for("beheer.account_edit", user_id=user.id))


@bp.post("/accounts/<int:user_id>/activeren")
@require(Role.BEHEERDER)
def account_activate(user_id: int) -> BaseResponse:
    user = _post(user_id)
    try:
        services.activate_account(user)
    except RuleError as error:
        refuse(error)
    else:
        db.session.commit()
        flash(_("The account %(username)s is active again.", username=user.username), "success")
    return redirect(url_for("beheer.account_edit", user_id=user.id))


@bp.post("/accounts/<int:user_id>/tijdelijk-wachtwoord")
@require(Role.BEHEERDER)
def account_password(user_id: int) -> Any:
    user = _post(user_id)
    password = services.give_temporary_password(user)
    db.session.commit()
    return _no_store(render_template("beheer/account_password.html", user=user, password=password,
                                     created=False))


# --- the import -----------------------------------------------------------------------------------


def _import_page(form: ImportForm, problems: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("beheer/accounts_import.html", form=form, problems=problems or [],
                           columns=account_import.COLUMNS, max_rows=account_import.MAX_ROWS), status


@bp.get("/accounts/import/voorbeeld.<any(csv, xlsx):fmt>")
@require(Role.BEHEERDER)
def accounts_import_template(fmt: str) -> BaseResponse:
    """The template for the import: Dutch column names and one example row per role (see the import page)."""
    header, rows = services.TEMPLATE_HEADER, services.template_rows()
    if fmt == "csv":
        return download(io.write_csv(header, rows), "accounts-voorbeeld.csv", CSV_MIME)
    return download(io.write_xlsx(header, rows, _("Accounts")), "accounts-voorbeeld.xlsx", XLSX_MIME)


@bp.route("/accounts/import", methods=["GET", "POST"])
@require(Role.BEHEERDER)
def accounts_import() -> Any:
    form = ImportForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _import_page(form, status=200 if request.method == "GET" else 400)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        form.file.errors = [_("Choose a CSV or XLSX file.")]
        return _import_page(form, status=422)
    try:
        plan = account_import.plan_file(upload.read(io.MAX_BYTES + 1), upload.filename)
    except io.FileProblem as problem:
        form.file.errors = [problem.message]
        return _import_page(form, status=422)
    if plan.problems:
        form.file.errors = [_("Nothing has been imported: correct the rows below and upload the file again.")]
        return _import_page(form, [str(p) for p in plan.problems], status=422)
    account_import.hash_given_passwords(plan)
    confirm = ConfirmImportForm(data={"payload": services.sign_rows(plan.rows)})
    return _no_store(render_template("beheer/accounts_import_preview.html", plan=plan, form=confirm,
                                     filename=upload.filename, role_labels=ROLE_LABELS))


@bp.post("/accounts/import/bevestigen")
@require(Role.BEHEERDER)
def accounts_import_confirm() -> Any:
    form = ConfirmImportForm()
    rows = services.unsign_rows(form.payload.data or "") if form.validate_on_submit() else None
    if rows is None:
        flash(_("The import could not be confirmed because its data was changed. Upload the file again."),
              "error")
        return _import_page(ImportForm(), status=422)
    # Check again: accounts or teams may have changed since the preview.
    plan = account_import.check_import(account_import.ImportPlan(rows=rows))
    if plan.problems:
        flash(_("Nothing has been imported: the rows are no longer valid. Upload the file again."), "error")
        return _import_page(ImportForm(), [str(p) for p in plan.problems], status=422)
    result = account_import.apply_import(plan, current_user)
    db.session.commit()
    summary = account_import.summary(result)
    generated = [(u, p) for u, p in result.created if p]
    if not generated:
        flash(summary, "success")
        return redirect(url_for("beheer.accounts"))
    return _no_store(render_template("beheer/accounts_import_done.html", summary=summary,
                                     generated=generated))
