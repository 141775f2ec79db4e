"""The regional coordinator's pages: the region in numbers, never a name.

Every number on these pages comes from the suppressed tables of scan.regio.overview and scan.regio.plan;
the templates only display them.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from scan.access import Role, require
from scan.organisation import queries as organisation_queries
from scan.regio import bp, services
from scan.regio.forms import filter_form


@bp.get("/")
@require(Role.REGIOCOORDINATOR)
def index() -> str:
    # Imported in the view so that this change stays inside index(); it belongs with the imports above.
    from scan.regio import participation

    rows = organisation_queries.municipality_overview(current_user.region_id)
    totals = (sum(r.teams for r in rows), sum(r.professionals for r in rows))
    return render_template(
        "regio/index.html",
        region=current_user.region,
        rows=rows,
        totals=totals,
        participation=participation.for_region(current_user.region_id),
    )


@bp.get("/behoefte")
@require(Role.REGIOCOORDINATOR)
def needs() -> str:
    """Heat maps municipality × leefgebied (POP goals; gaps without a goal); the tables have the team rows
    of a chosen municipality."""
    form, selection, valid = filter_form(current_user.region_id)
    overview = services.page_overview(current_user.region_id, selection, leefgebied_only=True)
    return render_template(
        "regio/needs.html",
        form=form,
        selection=selection,
        valid=valid,
        overview=overview,
        region=current_user.region,
    )


@bp.get("/behoefte/items")
@require(Role.REGIOCOORDINATOR)
def items() -> str:
    """Need per Kenniskaart item × municipality, for both measures."""
    form, selection, valid = filter_form(current_user.region_id)
    overview = services.page_overview(current_user.region_id, selection)
    return render_template(
        "regio/items.html",
        form=form,
        selection=selection,
        valid=valid,
        overview=overview,
        region=current_user.region,
    )


@bp.get("/scholingsplan")
@require(Role.REGIOCOORDINATOR)
def plan() -> str:
    """The regional scholingsplan: needs matched to the catalogue, totals for region and municipalities."""
    form, selection, valid = filter_form(current_user.region_id)
    overview, plan = services.page_scholingsplan(current_user.region_id, selection)
    return render_template(
        "regio/plan.html",
        form=form,
        selection=selection,
        valid=valid,
        overview=overview,
        plan=plan,
        region=current_user.region,
    )
