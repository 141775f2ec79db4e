"""The start pages show what each role needs, and nothing it may not see."""

import pytest

from scan.access import Role
from scan.extensions import db
from scan.kenniskaart.services import DEFAULT_FILE
from tests.factories import login, make_municipality, make_region, make_team, make_user


def test_professional_sees_team_municipality_and_leader(app, client):
    with app.app_context():
        team = make_team(name="Wijkteam Zuid")
        make_user(Role.TEAMLEIDER, teams=[team], full_name="Marloes Dekker")
        user = make_user(Role.PROFESSIONAL, team=team, full_name="Sanne Bakker")
        db.session.commit()
        username, municipality = user.username, team.municipality.name
    login(client, username)
    html = client.get("/mijn").get_data(as_text=True)
    assert "Welkom, Sanne Bakker." in html
    assert "Wijkteam Zuid" in html and municipality in html and "Marloes Dekker" in html
    assert "ontwikkeling, niet voor beoordeling" in html


def test_team_leader_sees_own_teams_with_member_counts(app, client):
    with app.app_context():
        a, b = make_team(name="Team Aa"), make_team(name="Team Bee")
        make_team(name="Team Ander")
        for _ in range(3):
            make_user(Role.PROFESSIONAL, team=a)
        make_user(Role.PROFESSIONAL, team=b, active=False)
        leader = make_user(Role.TEAMLEIDER, teams=[a, b])
        db.session.commit()
        username = leader.username
    login(client, username)
    html = client.get("/teams/").get_data(as_text=True)
    assert "Je bent teamleider van 2 teams." in html
    assert "Team Aa" in html and "Team Bee" in html and "Team Ander" not in html
    assert '<td class="utrecht-table__cell utrecht-table__cell--numeric">3</td>' in html


def test_team_page_lists_members(app, client):
    with app.app_context():
        team = make_team()
        make_user(Role.PROFESSIONAL, team=team, full_name="Daan Visser")
        make_user(Role.PROFESSIONAL, team=make_team(), full_name="Iemand Anders")
        leader = make_user(Role.TEAMLEIDER, teams=[team])
        db.session.commit()
        username, team_id = leader.username, team.id
    login(client, username)
    html = client.get(f"/teams/{team_id}").get_data(as_text=True)
    assert "Daan Visser" in html and "Iemand Anders" not in html
    assert "1 professional in dit team" in html


def test_regional_coordinator_sees_numbers_and_no_names(app, client):
    with app.app_context():
        region = make_region(name="Regio Proef")
        other_region = make_region(name="Regio Elders")
        m1 = make_municipality(region, name="Aadorp")
        make_municipality(other_region, name="Buitendorp")
        team = make_team(m1)
        for n in range(4):
            make_user(Role.PROFESSIONAL, team=team, full_name=f"Persoon Nummer{n}")
        coordinator = make_user(Role.REGIOCOORDINATOR, region=region)
        db.session.commit()
        username = coordinator.username
    login(client, username)
    html = client.get("/regio/").get_data(as_text=True)
    assert "Regio Proef" in html and "Aadorp" in html
    assert "Buitendorp" not in html  # another region
    assert "Nummer" not in html  # never a name
    assert '<td class="utrecht-table__cell utrecht-table__cell--numeric">4</td>' in html


def test_administrator_sees_teams_and_accounts_per_role(app, client):
    with app.app_context():
        team = make_team(name="Wijkteam Beheertest", code="WB-1")
        make_user(Role.PROFESSIONAL, team=team)
        make_user(Role.PROFESSIONAL, team=team, active=False)
        make_user(Role.TEAMLEIDER, teams=[team], full_name="Lisa Leider")
        admin = make_user(Role.BEHEERDER)
        db.session.commit()
        username, team_id = admin.username, team.id
    login(client, username)
    html = client.get("/beheer/").get_data(as_text=True)
    assert "Nog geen Kenniskaart geladen." in html
    assert f'href="/teams/{team_id}">Wijkteam Beheertest</a>' in html
    assert "Lisa Leider" in html
    # One active professional in the team; the deactivated one shows under accounts.
    row = html.split("Wijkteam Beheertest")[1].split("</tr>")[0]
    assert '<td class="utrecht-table__cell utrecht-table__cell--numeric">1</td>' in row
    accounts = html.split("Accounts per rol")[1]
    professional_row = accounts.split("Professional")[1].split("</tr>")[0]
    assert ">1</td>" in professional_row and professional_row.count(">1</td>") == 2


def test_administrator_sees_the_loaded_kenniskaart(app, client, runner):
    assert runner.invoke(args=["kenniskaart", "load", str(DEFAULT_FILE)]).exit_code == 0
    with app.app_context():
        admin = make_user(Role.BEHEERDER)
        db.session.commit()
        username = admin.username
    login(client, username)
    html = client.get("/beheer/").get_data(as_text=True)
    assert "KK-LINDEWAARD" in html and "2026.1" in html and ">58</td>" in html and "huidige" in html


@pytest.mark.parametrize("role", list(Role))
def test_navigation_shows_only_what_the_role_may_use(app, client, role):
    """Every menu link is a route the role may open (the route matrix, and the page itself); links from
    other roles' menus that this role may not open are not on the page at all."""
    import re

    from flask import url_for

    from scan.access import NAVIGATION, start_endpoint
    from tests.test_route_permissions import MATRIX

    with app.app_context():
        team = make_team()
        user = make_user(role, team=team if role == Role.PROFESSIONAL else None,
                         teams=[team] if role == Role.TEAMLEIDER else None)
        db.session.commit()
        username = user.username
    with app.test_request_context():
        own = {url_for(item.endpoint): item.endpoint for item in NAVIGATION[role]}
        others = {
            url_for(item.endpoint): item.endpoint
            for other, items in NAVIGATION.items() if other != role for item in items
        }
        start = url_for(start_endpoint(role))
    login(client, username)
    html = client.get(start).get_data(as_text=True)
    menu = re.search(r'<nav class="app-nav.*?</nav>', html, re.S)
    assert menu, "no main menu"
    links = re.findall(r'href="([^"]+)"', menu.group(0))
    assert links == list(own)
    for path, endpoint in own.items():
        assert role in MATRIX[endpoint][2], endpoint
        response = client.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)
    for path, endpoint in others.items():
        if role not in MATRIX[endpoint][2]:
            assert f'href="{path}"' not in html, path


def test_security_headers(client):
    response = client.get("/inloggen")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_error_pages_are_translated(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_an_unexpected_error_shows_a_translated_page_without_traceback():
    from scan import create_app
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/kapot")
    def broken() -> str:
        raise RuntimeError("geheime details")

    broken.is_public = True  # type: ignore[attr-defined]
    response = app.test_client().get("/kapot")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, er ging iets mis" in html
    assert "geheime details" not in html and "Traceback" not in html


def _english(client) -> None:
    client.submit("/taal", {"lang": "en", "next": "/inloggen"}, page="/inloggen")


def test_error_pages_in_english(app, client):
    """403, 404 and 500 after switching to English: the English heading, no Dutch one."""
    with app.app_context():
        user = make_user(Role.PROFESSIONAL)
        db.session.commit()
        username = user.username
    _english(client)
    login(client, username)
    response = client.get("/beheer/")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert '<h1 class="utrecht-heading-1">No access</h1>' in html and "Geen toegang" not in html
    response = client.get("/bestaat-niet")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<h1 class="utrecht-heading-1">Page not found</h1>' in html and "Pagina niet gevonden" not in html


def test_the_500_page_in_english():
    from scan import create_app
    from tests.conftest import TEST_CONFIG, Client

    broken_app = create_app({**TEST_CONFIG, "PROPAGATE_EXCEPTIONS": False})
    broken_app.test_client_class = Client

    @broken_app.get("/kapot")
    def broken() -> str:
        raise RuntimeError("geheime details")

    broken.is_public = True  # type: ignore[attr-defined]
    client = broken_app.test_client()
    _english(client)
    response = client.get("/kapot")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert '<h1 class="utrecht-heading-1">Sorry, something went wrong</h1>' in html
    assert "er ging iets mis" not in html and "geheime details" not in html
