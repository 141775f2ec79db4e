"""The catalogue as professionals and team leaders read it (`/catalogus/aanbod`): their own region's active
entries only, filtered by leefgebied and level with a plain GET form, the Kenniskaart items each entry serves
by title, a page at a time, and a fixed number of queries whatever the catalogue's size."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import pytest

from scan.access import Role
from scan.catalogue import queries
from scan.extensions import db
from tests.factories import login, make_kenniskaart, make_region, make_team, make_training, make_user

URL = "/catalogus/aanbod"


def text(response: Any) -> str:
    """The page's visible text, tags removed and white space collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@dataclass(frozen=True)
class World:
    professional: str
    leader: str
    coordinator: str
    admin: str
    other_professional: str
    region: int
    other_region: int


@pytest.fixture
def world(app: Any) -> World:
    with app.app_context():
        make_kenniskaart()
        own, other = make_region(name="Regio Eigen"), make_region(name="Regio Ander")
        team = make_team()
        team.municipality.region = own
        other_team = make_team()
        other_team.municipality.region = other
        db.session.flush()
        professional = make_user(Role.PROFESSIONAL, team=team)
        leader = make_user(Role.TEAMLEIDER, teams=[team])
        coordinator = make_user(Role.REGIOCOORDINATOR, region=own)
        admin = make_user(Role.BEHEERDER)
        other_professional = make_user(Role.PROFESSIONAL, team=other_team)
        make_training(own, "TR01", title="Contact in de wijk", provider="Wijkacademie", level="algemeen",
                      points=4, items=("GC01",))
        make_training(own, "TR02", title="Schulden stabiliseren", provider="Leerplein",
                      level="specialistisch", type="e-learning", items=("LG01-S1",))
        make_training(own, "TR03", title="Huurachterstand signaleren", level="algemeen", items=("LG02-A1",))
        make_training(own, "TR04", title="Oude training", active=False, items=("LG01-A1",))
        make_training(other, "TR09", title="Alleen in de andere regio", items=("GC01",))
        db.session.commit()
        return World(professional.username, leader.username, coordinator.username, admin.username,
                     other_professional.username, own.id, other.id)


def test_a_professional_sees_their_regions_active_entries_with_item_titles(client: Any, world: World) -> None:
    login(client, world.professional)
    page = text(client.get(URL))
    assert "Contact in de wijk" in page and "Wijkacademie" in page
    assert "Schulden stabiliseren" in page and "Huurachterstand signaleren" in page
    # The items each entry serves, by title and not only by code.
    assert "GC01 Contact maken" in page
    assert "LG01-S1 Stabiliseren" in page
    assert "3 catalogusitems" in page
    assert "Oude training" not in page  # inactive
    assert "Alleen in de andere regio" not in page  # another region's


def test_filter_by_leefgebied_and_level(client: Any, world: World) -> None:
    login(client, world.professional)
    finances = text(client.get(URL, query_string={"leefgebied": "LG01"}))
    assert "Schulden stabiliseren" in finances
    assert "Contact in de wijk" not in finances and "Huurachterstand signaleren" not in finances
    general = text(client.get(URL, query_string={"niveau": "algemeen"}))
    assert "Contact in de wijk" in general and "Huurachterstand signaleren" in general
    assert "Schulden stabiliseren" not in general
    both = text(client.get(URL, query_string={"leefgebied": "LG02", "niveau": "specialistisch"}))
    assert "Geen catalogusitems om te tonen." in both
    assert "Huurachterstand signaleren" not in both and "Schulden stabiliseren" not in both


def test_unknown_filter_values_show_everything_and_never_fail(client: Any, world: World) -> None:
    login(client, world.professional)
    for args in ({"leefgebied": "XX"}, {"niveau": "hoog"}, {"pagina": "0"}, {"pagina": "abc"},
                 {"pagina": "99999999999999"}, {"pagina": "7"}):
        response = client.get(URL, query_string=args)
        assert response.status_code == 200, args
        assert "Contact in de wijk" in text(response), args


def test_the_filters_are_a_get_form_that_keeps_the_choice(client: Any, world: World) -> None:
    login(client, world.professional)
    body = client.get(URL, query_string={"leefgebied": "LG01", "niveau": "algemeen"}).get_data(as_text=True)
    assert re.search(r'<form method="get" action="/catalogus/aanbod"', body)
    assert '<option value="LG01" selected>' in body
    assert '<option value="algemeen" selected>' in body


def test_another_region_is_never_shown(client: Any, world: World) -> None:
    login(client, world.other_professional)
    page = text(client.get(URL))
    assert "Alleen in de andere regio" in page
    assert "Contact in de wijk" not in page
    # Asking for the other region by its number: not found, as if it did not exist.
    assert client.get(URL, query_string={"regio": world.region}).status_code == 404
    assert client.get(URL, query_string={"regio": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["leader", "coordinator"])
def test_team_leader_and_coordinator_read_their_region(client: Any, world: World, who: str) -> None:
    login(client, getattr(world, who))
    page = text(client.get(URL))
    assert "Contact in de wijk" in page and "Alleen in de andere regio" not in page
    assert client.get(URL, query_string={"regio": world.other_region}).status_code == 404


def test_the_administrator_is_refused(client: Any, world: World) -> None:
    login(client, world.admin)
    assert client.get(URL).status_code == 403


def test_a_professional_without_a_region_sees_a_sentence(app: Any, client: Any) -> None:
    with app.app_context():
        make_kenniskaart()
        user = make_user(Role.PROFESSIONAL, team=make_team())
        user.team = None
        db.session.commit()
        username = user.username
    login(client, username)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Je zit nog niet in een team van een regio" in text(response)


def test_entries_come_a_page_at_a_time(app: Any, client: Any, world: World) -> None:
    with app.app_context():
        for n in range(queries.BROWSE_PAGE_SIZE + 5):
            make_training(world.region, f"P{n:03d}", title=f"Paginatraining {n:03d}")
        db.session.commit()
    login(client, world.professional)
    first = text(client.get(URL))
    total = queries.BROWSE_PAGE_SIZE + 5 + 3
    assert f"Aanbod 1–{queries.BROWSE_PAGE_SIZE} van {total}" in first
    assert "Pagina 1 van 2" in first and "Volgende pagina" in first
    second = text(client.get(URL, query_string={"pagina": 2}))
    assert f"Aanbod {queries.BROWSE_PAGE_SIZE + 1}–{total} van {total}" in second
    assert "Vorige pagina" in second


def test_english_readers_get_english_item_titles(app: Any, client: Any, world: World) -> None:
    with app.app_context():
        team = make_team()
        team.municipality.region_id = world.region
        username = make_user(Role.PROFESSIONAL, team=team, locale="en").username
        db.session.commit()
    login(client, username)
    page = text(client.get(URL))
    assert "GC01 Engaging" in page and "Training catalogue" in page


def _queries(client: Any, count_queries: Any, **args: Any) -> int:
    count_queries.statements.clear()
    assert client.get(URL, query_string=args).status_code == 200
    return count_queries.count


@pytest.mark.parametrize("args", [{}, {"leefgebied": "GC", "niveau": "algemeen"}])
def test_query_count_is_the_same_for_5_and_200_entries(app: Any, client: Any, count_queries: Any,
                                                      args: dict[str, str]) -> None:
    with app.app_context():
        make_kenniskaart()
        region = make_region()
        team = make_team()
        team.municipality.region = region
        username = make_user(Role.PROFESSIONAL, team=team).username
        for n in range(5):
            make_training(region, f"A{n:03d}", level="algemeen", items=("GC01", "GC02", "LG01-A1"))
        db.session.commit()
        region_id = region.id
    login(client, username)
    client.get(URL)  # warm up: the session's user is loaded once per request either way
    small = _queries(client, count_queries, **args)
    with app.app_context():
        for n in range(5, 200):
            make_training(region_id, f"A{n:03d}", level="algemeen", items=("GC01", "GC02", "LG01-A1"))
        db.session.commit()
    large = _queries(client, count_queries, **args)
    assert small > 3 and large == small
    # The page tells of all 200 and shows the first page of them.
    assert f"Aanbod 1–{queries.BROWSE_PAGE_SIZE} van 200" in text(client.get(URL, query_string=args))
