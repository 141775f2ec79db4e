"""The regional coordinator's pages: the region in numbers, never a name.

Every number on the need pages comes from a stored publication (scan.regio.publish), picked out by
scan.regio.overview and scan.regio.plan; the templates only display them. No view here counts needs.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from scan.access import Role, require
from scan.core import clock
from scan.core.rules import RuleError, refuse
from scan.extensions import db
from scan.organisation import queries as organisation_queries
from scan.regio import bp, participation, periods, publish, services, trends
from scan.regio.forms import PeriodForm, filter_form
from scan.regio.needs import submitted_in_period

# The parts of the scholingsplan page, in the order of its tab-like links (the first is the default).
PLAN_VIEWS = ("needs", "municipalities", "unmatched", "offers")


@bp.get("/")
@require(Role.REGIOCOORDINATOR)
def index() -> str:
    rows = organisation_queries.municipality_overview(current_user.region_id)
    totals = (sum(r.teams for r in rows), sum(r.professionals for r in rows))
    return render_template(
        "regio/index.html",
        region=current_user.region,
        rows=rows,
        totals=totals,
        participation=participation.for_region(current_user.region_id),
    )


def _page(template: str, *, plan: bool = False, **context: object) -> str:
    form, selection, valid = filter_form(current_user.region_id)
    pub = services.publication(current_user.region_id, selection.publication_id)
    shown = services.page(pub, selection, current_user.region_id, plan=plan)
    return render_template(template, form=form, selection=selection, valid=valid, publication=pub,
                           region=current_user.region, overview=shown.overview if shown else None,
                           plan=shown.plan if shown else None, pager=shown.pager if shown else None,
                           **context)


@bp.get("/behoefte")
@require(Role.REGIOCOORDINATOR)
def needs() -> str:
    """Heat maps municipality × leefgebied (POP goals; gaps without a goal); the tables have the team rows
    of a chosen municipality."""
    return _page("regio/needs.html")


@bp.get("/behoefte/items")
@require(Role.REGIOCOORDINATOR)
def items() -> str:
    """Need per Kenniskaart item × municipality, for both measures."""
    return _page("regio/items.html")


@bp.get("/scholingsplan")
@require(Role.REGIOCOORDINATOR)
def plan() -> str:
    """The regional scholingsplan: needs matched to the catalogue, totals for region and municipalities.

    One part at a time (`?view=`, tab-like links; anything else is the first part), so the page stays the
    same size whatever the region's: the needs and trainings of the region or the chosen municipality, the
    totals per municipality (a page of them, each linking to its own plan), the needs without a training,
    the proposed regional group offers."""
    view = request.args.get("view", "")
    return _page("regio/plan.html", plan=True, view=view if view in PLAN_VIEWS else PLAN_VIEWS[0],
                 plan_views=PLAN_VIEWS)


@bp.get("/trends")
@require(Role.REGIOCOORDINATOR)
def trend() -> str:
    """The need per leefgebied across the region's last publications, side by side."""
    table = trends.for_region(current_user.region_id)
    return render_template("regio/trends.html", table=table, region=current_user.region)


@bp.route("/publicaties", methods=["GET", "POST"])
@require(Role.REGIOCOORDINATOR, Role.BEHEERDER)
def publications() -> str | Response:
    """Periods and their publications with the audit's outcome; the coordinator adds a period here and
    publishes it once its rounds have closed. The administrator sees every region's, and changes nothing."""
    admin = current_user.role == Role.BEHEERDER
    form = PeriodForm()
    if not admin and form.validate_on_submit():
        try:
            periods.add(current_user.region_id, form.name.data or "", form.first_day.data, form.last_day.data)
        except RuleError as error:
            refuse(error, form)
        else:
            db.session.commit()
            flash(_("Period %(name)s added.", name=form.name.data), "success")
            return redirect(url_for("regio.publications"))
    rows = periods.overview(None if admin else current_user.region_id, clock.today())
    return render_template("regio/publications.html", form=form, rows=rows, admin=admin,
                           region=None if admin else current_user.region)


@bp.post("/publicaties/<int:period_id>/publiceren")
@require(Role.REGIOCOORDINATOR)
def publish_period(period_id: int) -> Response:
    period = periods.get(current_user.region_id, period_id)
    size = submitted_in_period(period.region_id, period.first_day, period.last_day)
    if size > current_app.config["REGIO_PUBLISH_NOW_MAX"]:
        # Minutes of auditing at a national size: past the web server's time limit for one request.
        flash(_("%(name)s counts %(count)s submitted scans: publishing it takes minutes, longer than a page "
                "can wait, so it is done on the server. The daily job publishes a period once its rounds "
                "have closed; the administrator can publish it (or a correction) now with "
                "“flask regio publish %(id)s”.", name=period.name, count=format_number(size), id=period.id),
              "warning")
        return redirect(url_for("regio.publications"))
    try:
        publication = publish.publish(period, current_user, clock.today())
        db.session.commit()
    except publish.NotReady:
        db.session.rollback()
        flash(_("This period cannot be published yet: a round in it is still open, or the period has not "
                "ended."), "error")
    except publish.AlreadyPublishing:
        db.session.rollback()
        flash(_("This period was being published at the same moment; see the result below."), "warning")
    except publish.NotPublishable:
        db.session.rollback()
        flash(_("This correction cannot be published: together with what was published before, it would "
                "give a small number away. Nothing was published."), "error")
    except OperationalError:
        # The counting statement ran into its time limit (REGIO_COUNT_TIMEOUT_S) or the database went away.
        db.session.rollback()
        flash(_("Publishing did not finish: counting took too long. Try again later, or ask the "
                "administrator to run flask regio publish."), "error")
    else:
        flash(_("%(name)s is published: %(hidden)s of %(positions)s figures are hidden to protect small "
                "numbers.", name=period.name, hidden=publication.hidden, positions=publication.positions),
              "success")
    return redirect(url_for("regio.publications"))
