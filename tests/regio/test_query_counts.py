"""The regional pages and exports run a fixed number of SQL queries, however many municipalities, teams and
people the region has: the counting is GROUP BY in the database, never a query per team or person."""

from __future__ import annotations

from typing import Any

import pytest

from scan.access import Role
from scan.extensions import db
from scan.organisation.models import Region
from scan.pop.catalogue import seed_catalogue
from scan.pop.models import PopStatus
from scan.regio import cache
from tests.factories import (
    login,
    make_kenniskaart,
    make_municipality,
    make_region,
    make_round,
    make_scan,
    make_team,
)
from tests.factories import make_user as _make_user
from tests.regio.test_needs import _pop

PAGES = [
    "/regio/behoefte",
    "/regio/behoefte/items",
    "/regio/scholingsplan",
    "/regio/scholingsplan.xlsx",
    "/regio/export/scholingsplan.csv",
    "/regio/scholingsplan.pdf",
]
CODES = ["GC01", "GC02", "LG01-A1", "LG01-S1"]


def _grow(region: Region, version: Any, municipalities: int, teams: int, people: int, offset: int) -> None:
    """Municipalities of teams of professionals with submitted scans (gaps) and POPs with goals."""
    for m in range(municipalities):
        municipality = make_municipality(region)
        for t in range(teams):
            team = make_team(municipality)
            scan_round = make_round(team, version)
            for p in range(people):
                user = _make_user(Role.PROFESSIONAL, team=team)
                shift = (offset + m + t + p) % len(CODES)
                answers = {code: (1, 3) for code in CODES[shift:] + CODES[:shift][:1]}
                make_scan(scan_round, user, answers, submitted=True)
                _pop(scan_round, user, [(PopStatus.SIGNED, CODES[: 1 + (p % 3)])])
    db.session.commit()


@pytest.fixture
def coordinator(app: Any) -> dict[str, Any]:
    with app.app_context():
        version = make_kenniskaart()
        seed_catalogue()
        region = make_region()
        user = _make_user(Role.REGIOCOORDINATOR, region=region)
        _grow(region, version, municipalities=1, teams=2, people=6, offset=0)
        return {"username": user.username, "region": region.id, "version": version.id}


def _count(client: Any, count_queries: Any, path: str) -> int:
    count_queries.statements.clear()
    response = client.get(path)
    assert response.status_code == 200, path
    return count_queries.count


def test_regional_pages_run_the_same_queries_for_a_region_five_times_as_large(
    app: Any, client: Any, count_queries: Any, coordinator: dict[str, Any]
) -> None:
    login(client, coordinator["username"])
    with app.app_context():
        # The data version's row, as the migration leaves it (the tests' clean-up deletes every row).
        cache.current_version()
        db.session.commit()
    small = {path: _count(client, count_queries, path) for path in PAGES}
    with app.app_context():
        from scan.kenniskaart.models import KenniskaartVersion

        region = db.session.get(Region, coordinator["region"])
        version = db.session.get(KenniskaartVersion, coordinator["version"])
        _grow(region, version, municipalities=4, teams=3, people=7, offset=1)
    large = {path: _count(client, count_queries, path) for path in PAGES}
    assert large == small
    # Five queries count, two read labels, two the catalogue, plus the session, user and region; the first
    # page of a selection also reads the data version and stores its tables (scan.regio.cache; on
    # PostgreSQL with a short lock timeout set first).
    assert small["/regio/behoefte"] <= 17, small
