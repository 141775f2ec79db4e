"""The administrator's start page: what is loaded, in numbers."""

from __future__ import annotations

from flask import render_template

from scan.access import Role, require
from scan.beheer import bp
from scan.beheer.queries import account_counts
from scan.kenniskaart.queries import version_summaries
from scan.organisation import queries

# The start page shows the first municipalities and teams; the rest are a search away on the organisation
# page, so the page stays the same size whatever the region.
SHOWN = 25


@bp.get("/")
@require(Role.BEHEERDER)
def index() -> str:
    municipality_total, team_total = queries.organisation_totals()
    return render_template(
        "beheer/index.html",
        versions=version_summaries(),
        municipalities=queries.municipality_overview(None, limit=SHOWN),
        municipality_total=municipality_total,
        teams=queries.team_overview(limit=SHOWN),
        team_total=team_total,
        accounts=account_counts(),
    )
