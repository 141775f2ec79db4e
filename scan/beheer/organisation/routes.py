"""Municipalities and teams in the browser: create, rename, move a team, archive (never delete).

Thin: load -> form -> service (rules and audit) -> one commit -> redirect, or the page again with what was
typed and the error at its field.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from scan.access import Role, require
from scan.beheer import bp
from scan.beheer.organisation.forms import ArchiveForm, MunicipalityForm, OrganisationFilterForm, TeamForm
from scan.core.rules import RuleError, refuse
from scan.db import load_or_404
from scan.extensions import db
from scan.organisation import queries, services
from scan.organisation.models import Municipality, Region, Team


def _regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.name)))


def _open_municipalities(region_id: int | None = None) -> list[Municipality]:
    stmt = (select(Municipality).options(selectinload(Municipality.region))
            .where(Municipality.archived_at.is_(None)).order_by(Municipality.name))
    if region_id is not None:
        stmt = stmt.where(Municipality.region_id == region_id)
    return list(db.session.scalars(stmt))


@bp.get("/organisatie")
@require(Role.BEHEERDER)
def organisation() -> str:
    """Teams or municipalities a page at a time, searched and filtered (a GET form): the page stays the
    same size whatever the region (two queries)."""
    form = OrganisationFilterForm(request.args)
    kind = form.kind.data if form.kind.data in ("team", "municipality") else "team"
    status = form.status.data if form.status.data in ("open", "archived", "") else "open"
    if "status" not in request.args:
        status = "open"
    page = queries.organisation_page(kind, form.q.data or "", status,
                                     request.args.get("pagina", 1, type=int) or 1)
    args = {k: v for k, v in request.args.items() if k != "pagina" and k in ("q", "kind", "status")}
    return render_template("beheer/organisation.html", form=form, page=page, kind=kind, args=args)


@bp.route("/gemeenten/nieuw", methods=["GET", "POST"])
@require(Role.BEHEERDER)
def municipality_new() -> str | BaseResponse:
    form = MunicipalityForm()
    form.region.choices = [SelectChoice(r.id, r.name) for r in _regions()]
    if form.validate_on_submit():
        try:
            municipality = services.add_municipality(db.session.get(Region, form.region.data),
                                                     form.code.data or "", form.name.data or "")
        except RuleError as error:
            refuse(error, form)
        else:
            db.session.commit()
            flash(_("The municipality %(name)s has been added.", name=municipality.name), "success")
            return redirect(url_for("beheer.organisation"))
    return render_template("beheer/municipality_form.html", form=form, municipality=None)


@bp.route("/gemeenten/<int:municipality_id>", methods=["GET", "POST"])
@require(Role.BEHEERDER)
def municipality_edit(municipality_id: int) -> str | BaseResponse:
    municipality = load_or_404(Municipality, municipality_id)
    form = MunicipalityForm(data={"name": municipality.name} if request.method == "GET" else None)
    del form.region, form.code
    if form.validate_on_submit():
        try:
            changed = services.rename_municipality(municipality, form.name.data or "")
        except RuleError as error:
            refuse(error, form)
        else:
            db.session.commit()
            if changed:
                flash(_("The municipality has been renamed to %(name)s.", name=municipality.name), "success")
            return redirect(url_for("beheer.organisation"))
    return render_template("beheer/municipality_form.html", form=form, municipality=municipality,
                           archive_form=ArchiveForm())


@bp.post("/gemeenten/<int:municipality_id>/archiveren")
@require(Role.BEHEERDER)
def municipality_archive(municipality_id: int) -> BaseResponse:
    municipality = load_or_404(Municipality, municipality_id)
    if not ArchiveForm().validate_on_submit():
        abort(400)
    try:
        services.archive_municipality(municipality)
    except RuleError as error:
        refuse(error)
    else:
        db.session.commit()
        flash(_("The municipality %(name)s has been archived; its history stays.", name=municipality.name),
              "success")
    return redirect(url_for("beheer.organisation"))


def _team_choices(form: TeamForm, region_id: int | None, current: Municipality | None = None) -> None:
    options = _open_municipalities(region_id)
    if current is not None and current not in options:
        options.append(current)
    several_regions = len({m.region_id for m in options}) > 1
    form.municipality.choices = [
        SelectChoice(m.id, f"{m.name} ({m.region.name})" if several_regions else m.name) for m in options
    ]


@bp.route("/teams/nieuw", methods=["GET", "POST"])
@require(Role.BEHEERDER)
def team_new() -> str | BaseResponse:
    preset = request.args.get("gemeente", type=int)
    form = TeamForm(data={"municipality": preset} if request.method == "GET" and preset else None)
    _team_choices(form, None)
    if form.validate_on_submit():
        try:
            team = services.add_team(db.session.get(Municipality, form.municipality.data),
                                     form.code.data or "", form.name.data or "")
        except RuleError as error:
            refuse(error, form)
        else:
            db.session.commit()
            flash(_("The team %(name)s has been added.", name=team.name), "success")
            return redirect(url_for("beheer.organisation"))
    return render_template("beheer/team_form.html", form=form, team=None)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@require(Role.BEHEERDER)
def team_edit(team_id: int) -> str | BaseResponse:
    team = load_or_404(Team, team_id)
    data = {"name": team.name, "municipality": team.municipality_id} if request.method == "GET" else None
    form = TeamForm(data=data)
    del form.code
    _team_choices(form, team.municipality.region_id, team.municipality)
    if form.validate_on_submit():
        try:
            changed = services.update_team(team, form.name.data or "",
                                           db.session.get(Municipality, form.municipality.data))
        except RuleError as error:
            refuse(error, form)
        else:
            db.session.commit()
            if changed:
                flash(_("The team %(name)s has been changed.", name=team.name), "success")
            return redirect(url_for("beheer.organisation"))
    return render_template("beheer/team_form.html", form=form, team=team, archive_form=ArchiveForm())


@bp.post("/teams/<int:team_id>/archiveren")
@require(Role.BEHEERDER)
def team_archive(team_id: int) -> BaseResponse:
    team = load_or_404(Team, team_id)
    if not ArchiveForm().validate_on_submit():
        abort(400)
    try:
        services.archive_team(team)
    except RuleError as error:
        refuse(error)
    else:
        db.session.commit()
        flash(_("The team %(name)s has been archived; its rounds, scans and POPs stay.", name=team.name),
              "success")
    return redirect(url_for("beheer.organisation"))
