"""The demo region's two published periods: a newcomer sees trends and a heat map with numbers in it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from scan.assessment.models import Scan, ScanRound, ScanStatus
from scan.catalogue.seed import seed_catalogue
from scan.demo import seed
from scan.demo.pops import seed_demo_pops
from scan.demo.publications import seed_demo_publications
from scan.demo.rounds import seed_demo_rounds
from scan.extensions import db
from scan.kenniskaart.services import ensure_default_kenniskaart
from scan.organisation.models import Team
from scan.regio import services
from scan.regio.models import Period, Publication
from tests.factories import login

TODAY = date(2027, 3, 15)
# Of the 65 municipality cells of each heat map (5 municipalities × 13 columns), at least this many show a
# number. Measured on the demo (December 2026): gap 52 and 65, goal 35 and 39 of 65.
MIN_GAP_SHOWN = 40
MIN_GOAL_SHOWN = 22


@pytest.fixture
def published(app_ctx: Any) -> list[Publication]:
    """The demo as `flask demo seed` loads it (without the command line), as of TODAY."""
    ensure_default_kenniskaart()
    seed.seed_demo_region()
    seed_demo_rounds(TODAY)
    seed_catalogue()
    seed_demo_pops(TODAY)
    return seed_demo_publications(TODAY)


def heat_map_rows(publication: Publication) -> dict[str, list[Any]]:
    """Per measure, the municipality rows of the heat map as the region-wide page shows them: every page of
    municipalities (services.page, as the page reads it)."""
    rows: dict[str, list[Any]] = {"gap": [], "goal": []}
    number, count = 1, 1
    while number <= count:
        selection = services.Selection(publication_id=publication.id, page=number)
        shown = services.page(publication, selection, publication.period.region_id)
        assert shown is not None and shown.pager is not None
        for measure, found in rows.items():
            found += [block.row for block in shown.overview.leefgebied[measure].blocks]
        number, count = number + 1, shown.pager.count
    return rows


def test_each_past_season_is_published_as_one_period_with_numbers_in_its_heat_maps(
    published: list[Publication],
) -> None:
    periods = [p.period for p in published]
    assert [(p.name, p.first_day, p.last_day) for p in periods] == [
        ("voorjaar 2026", date(2026, 1, 1), date(2026, 6, 30)),
        ("najaar 2026", date(2026, 7, 1), date(2026, 12, 31)),
    ]
    assert all(p.region_id == seed.demo_region_id() for p in periods)
    teams = db.session.scalar(select(func.count(Team.id)))
    for publication in published:
        period = publication.period
        assert publication.number == 1 and publication.published_by_id is None
        rounds = db.session.scalars(
            select(ScanRound).where(ScanRound.opens_on.between(period.first_day, period.last_day))
        ).all()
        # Exactly one round per team, all closed; the open round lies in no period.
        assert len(rounds) == teams and all(r.closes_on < TODAY for r in rounds)
        submitted = db.session.scalar(
            select(func.count(Scan.id)).where(Scan.round_id.in_([r.id for r in rounds]),
                                              Scan.status == ScanStatus.SUBMITTED.value)
        )
        assert publication.professionals == submitted
    assert services.publication(seed.demo_region_id(), None).id == published[-1].id
    # Loading again adds nothing.
    assert seed_demo_publications(TODAY) == []
    assert db.session.scalar(select(func.count(Period.id))) == 2

    # The heat maps show mostly numbers, and never a small one. (One test: seeding the demo takes seconds.)
    for publication in published:
        rows = heat_map_rows(publication)
        shown = {}
        for measure in ("gap", "goal"):
            cells = [c for row in rows[measure] for c in row.cells]
            assert len(cells) == 5 * 13
            shown[measure] = sum(isinstance(c, int) for c in cells)
        assert shown["gap"] >= MIN_GAP_SHOWN, (publication.period.name, shown)
        assert shown["goal"] >= MIN_GOAL_SHOWN, (publication.period.name, shown)
        # Not a map of zeros: the goals gather in the season's themes and the generic competencies.
        goal_cells = [c for row in rows["goal"] for c in row.cells]
        assert sum(isinstance(c, int) and c >= 5 for c in goal_cells) >= MIN_GOAL_SHOWN - 5
        figures = [v for v in publication.data()["shown"].values() if v is not None]
        assert figures and not [v for v in figures if 0 < v < publication.k]


def test_flask_demo_seed_publishes_both_and_the_coordinator_sees_them(app: Any, runner: Any,
                                                                      client: Any) -> None:
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Periode ")]
    assert len(lines) == 2, result.output
    assert all("gepubliceerd" in line and "verborgen" in line for line in lines), result.output
    with app.app_context():
        names = list(db.session.scalars(select(Period.name).order_by(Period.first_day)))
    assert len(names) == 2
    login(client, "e.hoekstra", "scholingsplan-demo-2026")
    for page in ("/regio/behoefte", "/regio/trends", "/regio/publicaties"):
        response = client.get(page)
        assert response.status_code == 200, page
        text = response.get_data(as_text=True)
        assert names[-1] in text, page
    assert names[0] in client.get("/regio/trends").get_data(as_text=True)
