"""The administrator's start page: what is loaded, in numbers."""

from __future__ import annotations

from flask import render_template

from scan.access import Role, require
from scan.beheer import bp
from scan.beheer.queries import account_counts
from scan.kenniskaart.queries import version_summaries
from scan.organisation import queries


@bp.get("/")
@require(Role.BEHEERDER)
def index() -> str:
    return render_template(
        "beheer/index.html",
        versions=version_summaries(),
        municipalities=queries.municipality_overview(None),
        teams=queries.team_overview(),
        accounts=account_counts(),
    )
