"""The regional pages and exports read the stored publication: a fixed number of SQL queries however many
municipalities, teams and people the region has, and never a counting query (no statement reads the answers
or the POP goals on a page or export request: the counting happens once, when a period is published)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from scan.access import Role
from scan.catalogue.seed import seed_catalogue
from scan.core.clock import today
from scan.extensions import db
from scan.organisation.models import Region
from scan.pop.models import PopStatus
from scan.regio import periods, publish
from scan.regio.models import Period
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
    "/regio/scholingsplan?view=municipalities",
    "/regio/scholingsplan?view=unmatched",
    "/regio/scholingsplan?view=offers",
    "/regio/trends",
    "/regio/publicaties",
    "/regio/scholingsplan.xlsx",
    "/regio/export/scholingsplan.csv",
    "/regio/export/trends.csv",
    "/regio/scholingsplan.pdf",
]
CODES = ["GC01", "GC02", "LG01-A1", "LG01-S1"]
# What counting reads: the answers (levels and ambitions) and the POP goals.
COUNTING = re.compile(r'\b"?(answer|pop_goal)"?\b', re.IGNORECASE)


def _grow(region: Region, version: Any, municipalities: int, teams: int, people: int, offset: int) -> None:
    """Municipalities of teams of professionals with submitted scans (gaps) and POPs with goals, in rounds
    that opened 60 days ago and closed 30 days ago (inside the published period)."""
    for m in range(municipalities):
        municipality = make_municipality(region)
        for t in range(teams):
            team = make_team(municipality)
            scan_round = make_round(team, version, opens_in_days=-60, closes_in_days=-30)
            for p in range(people):
                user = _make_user(Role.PROFESSIONAL, team=team)
                shift = (offset + m + t + p) % len(CODES)
                answers = {code: (1, 3) for code in CODES[shift:] + CODES[:shift][:1]}
                make_scan(scan_round, user, answers, submitted=True)
                _pop(scan_round, user, [(PopStatus.SIGNED, CODES[: 1 + (p % 3)])])
    db.session.commit()


def _publish(region_id: int) -> int:
    """Publish the region's period (a correction once it has been published): counted here, not per page."""
    period = db.session.query(Period).filter_by(region_id=region_id).one()
    publication = publish.publish(period, None, today())
    db.session.commit()
    return publication.number


@pytest.fixture
def coordinator(app: Any) -> dict[str, Any]:
    with app.app_context():
        version = make_kenniskaart()
        region = make_region()
        seed_catalogue(region.id)
        user = _make_user(Role.REGIOCOORDINATOR, region=region)
        _grow(region, version, municipalities=1, teams=2, people=6, offset=0)
        periods.add(region.id, "voorjaar", today() - timedelta(days=90), today() - timedelta(days=1))
        assert _publish(region.id) == 1
        return {"username": user.username, "region": region.id, "version": version.id}


PLAN_PARTS = [p for p in PAGES if p.startswith("/regio/scholingsplan") and "." not in p]
# The scholingsplan page at most (the demo region's is some 70 kB): it showed every municipality's plan
# and was 3.3 MB at 10,000 professionals.
PLAN_BOUND = 150_000


def _statements(client: Any, count_queries: Any, path: str, sizes: dict[str, int] | None = None) -> list[str]:
    count_queries.statements.clear()
    response = client.get(path)
    assert response.status_code == 200, path
    if sizes is not None:
        sizes[path] = len(response.get_data())
    return list(count_queries.statements)


def test_regional_pages_run_the_same_queries_for_a_region_five_times_as_large_and_never_count(
    app: Any, client: Any, count_queries: Any, coordinator: dict[str, Any]
) -> None:
    login(client, coordinator["username"])
    small_size: dict[str, int] = {}
    large_size: dict[str, int] = {}
    small = {path: _statements(client, count_queries, path, small_size) for path in PAGES}
    with app.app_context():
        from scan.kenniskaart.models import KenniskaartVersion

        region = db.session.get(Region, coordinator["region"])
        version = db.session.get(KenniskaartVersion, coordinator["version"])
        _grow(region, version, municipalities=4, teams=3, people=7, offset=1)
        # The pages show the grown region only once it is published again.
        assert _publish(coordinator["region"]) == 2
    large = {path: _statements(client, count_queries, path, large_size) for path in PAGES}
    # The scholingsplan's parts stay below a bound and do not grow with the municipalities: five times as
    # many show the same page, give or take the filter's options and a page of municipality totals.
    for path in PLAN_PARTS:
        assert large_size[path] < PLAN_BOUND, (path, large_size[path])
    for path in ("/regio/scholingsplan", "/regio/scholingsplan?view=unmatched",
                 "/regio/scholingsplan?view=offers"):
        assert large_size[path] - small_size[path] < 4 * 200, (path, small_size[path], large_size[path])
    grown = large_size["/regio/scholingsplan?view=municipalities"] - small_size[
        "/regio/scholingsplan?view=municipalities"]
    assert grown < 4 * 200 + 4 * 1_200, grown  # the four new municipalities' rows of totals
    page = client.get("/regio/behoefte").get_data(as_text=True)
    # The five municipalities of the new publication.
    assert len(set(re.findall(r'data-municipality="(\d+)"', page))) == 5
    assert {path: len(s) for path, s in large.items()} == {path: len(s) for path, s in small.items()}
    for path in PAGES:
        counting = [s for s in small[path] + large[path] if COUNTING.search(s)]
        assert not counting, (path, counting)
    # The session, the user and the region; the publication (and the filter's choices of publications and
    # municipalities); the labels (two queries) and the catalogue (two); an export also records itself.
    assert len(small["/regio/behoefte"]) <= 12, small["/regio/behoefte"]
