"""The regional coordinator's start page: the region in numbers, never a name."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from scan.access import Role, require
from scan.organisation import queries
from scan.regio import bp


@bp.get("/")
@require(Role.REGIOCOORDINATOR)
def index() -> str:
    rows = queries.municipality_overview(current_user.region_id)
    totals = (sum(r.teams for r in rows), sum(r.professionals for r in rows))
    return render_template("regio/index.html", region=current_user.region, rows=rows, totals=totals)
