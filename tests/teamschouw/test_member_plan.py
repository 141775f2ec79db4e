"""Mijn team: the members see their team's priorities and vraagbaak list, and answer their own requests."""

import re

import pytest
from sqlalchemy import select

from scan.access import Role
from scan.assessment.models import ScanRound
from scan.auth.models import User
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.teamschouw import services
from scan.teamschouw.models import Agreement
from tests.factories import login, make_round, make_user
from tests.teamschouw.plan_world import build, consents, english


@pytest.fixture
def w(app):
    world = build(app)
    with app.app_context():
        scan_round = db.session.get(ScanRound, world["round"])
        leader = db.session.scalars(select(User).where(User.username == world["leader"])).one()
        item = {code: db.session.get(Item, i) for code, i in world["items"].items()}
        section = {code: db.session.get(Section, i) for code, i in world["sections"].items()}
        user = {name: db.session.get(User, world[f"{name}_id"]) for name in ("anna", "bert", "cor")}
        services.add_priority(
            scan_round, leader, reason="Veel schuldvragen", item=item["GC01"], source="suggested"
        )
        services.add_priority(
            scan_round, leader, reason="Huisvesting staat onder druk", section=section["LG02"]
        )
        bert = services.add_vraagbaak(scan_round, user["bert"], leader, item=item["LG01-S1"])
        services.answer_request(bert, user["bert"], accept=True)
        cor = services.add_vraagbaak(scan_round, user["cor"], leader, item=item["GC02"])
        anna = services.add_vraagbaak(scan_round, user["anna"], leader, section=section["LG01"])
        services.add_grow(scan_round, user["anna"], section["LG01"], "Cursus schuldhulp", leader)
        db.session.commit()
        world |= {"anna_request": anna.id, "cor_request": cor.id, "bert_request": bert.id}
    return world


def _mine(client):
    response = client.get("/mijn/team")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _main(html):
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def _vraagbaak(html):
    table = re.search(r'<table class="utrecht-table" id="vraagbaak">.*?</table>', html, re.S)
    if table is None:
        return []
    rows = re.findall(
        r"<tr class=\"utrecht-table__row\">\s*<th scope=\"row\"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>",
        table.group(0),
        re.S,
    )
    return [(name, re.sub(r"<[^>]+>", "", theme).strip()) for name, theme in rows]


def test_members_see_the_priorities_and_the_accepted_vraagbaak_list_never_scores(client, w):
    login(client, w["bert"])
    html = _mine(client)
    assert "Mijn team" in html and "Wijkteam Proef · Ontwikkelscan voorjaar 2027" in html
    priorities = re.search(r'<ol class="utrecht-ordered-list" id="priorities">(.*?)</ol>', html, re.S).group(
        1
    )
    items = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
        for li in re.findall(r"<li>(.*?)</li>", priorities, re.S)
    ]
    assert items == [
        "GC01 Contact maken — Veel schuldvragen",
        "Heel leefgebied: Wonen — Huisvesting staat onder druk",
    ]
    # Only accepted requests are public: Bert yes; Cor and Anna have not answered.
    assert _vraagbaak(html) == [("Bert Bakker", "LG01-S1 Stabiliseren")]
    main = _main(html)
    assert "Cor Claassen" not in main and "Anna Aalders" not in main
    # No scores of anyone: no level names, no levels, no ambitions.
    for word in ("Beginnend", "Basis", "Gevorderd", "Expert", "Niveau", "niveau", "Ambitie"):
        assert word not in main, word
    # Someone else's growth agreement is not shown either.
    assert "Cursus schuldhulp" not in main


def test_a_member_answers_their_own_request_and_then_appears_on_the_list(app, client, w):
    login(client, w["anna"])
    html = _mine(client)
    requests = re.search(r'id="requests">(.*?)</ul>', html, re.S).group(1)
    assert "Vraagbaak voor: Heel leefgebied: Financien" in re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", "", requests)
    )
    assert "wacht op je antwoord" in requests
    assert f'action="/mijn/team/vraagbaak/{w["anna_request"]}/accepteren"' in requests
    assert f'action="/mijn/team/vraagbaak/{w["anna_request"]}/afwijzen"' in requests
    assert f"/mijn/team/vraagbaak/{w['cor_request']}/" not in html  # Cor's request is Cor's
    # Her own growth agreement is shown to her.
    assert "Cursus schuldhulp" in html
    response = client.submit(f"/mijn/team/vraagbaak/{w['anna_request']}/accepteren", page="/mijn/team")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/mijn/team#requests-heading"
    )
    assert consents(app)[w["anna_request"]] == "accepted"
    html = _mine(client)
    assert "je staat nu op de vraagbaaklijst van je team voor dit thema" in html
    assert "je hebt geaccepteerd" in html and "Haal me van de lijst" in html
    colleague = app.test_client()
    login(colleague, w["bert"])
    assert ("Anna Aalders", "Heel leefgebied: Financien") in _vraagbaak(_mine(colleague))
    # She can take herself off the list again.
    client.submit(f"/mijn/team/vraagbaak/{w['anna_request']}/afwijzen", page="/mijn/team")
    assert consents(app)[w["anna_request"]] == "declined"
    assert ("Anna Aalders", "Heel leefgebied: Financien") not in _vraagbaak(_mine(colleague))
    assert "Toch accepteren" in _mine(client)


def test_nobody_else_can_answer_a_members_request(app, w):
    before = consents(app)
    for who in ("bert", "outsider"):
        client = app.test_client()
        login(client, w[who])
        for action in ("accepteren", "afwijzen"):
            response = client.submit(f"/mijn/team/vraagbaak/{w['anna_request']}/{action}", page="/mijn/team")
            assert response.status_code == 403, (who, action)
    for who in ("leader", "other_leader", "regio", "admin"):
        client = app.test_client()
        login(client, w[who])
        response = client.submit(
            f"/mijn/team/vraagbaak/{w['anna_request']}/accepteren", page="/account/wachtwoord"
        )
        assert response.status_code == 403, who
    anonymous = app.test_client()
    response = anonymous.submit(f"/mijn/team/vraagbaak/{w['anna_request']}/accepteren", page="/inloggen")
    assert response.headers["Location"].startswith("/inloggen?next=")
    assert consents(app) == before
    client = app.test_client()
    login(client, w["anna"])
    assert client.submit("/mijn/team/vraagbaak/999999/accepteren", page="/mijn/team").status_code == 404


def test_only_vraagbaak_requests_can_be_answered(app, client, w):
    with app.app_context():
        grow = db.session.scalars(select(Agreement).where(Agreement.kind == "grow")).one()
        grow_id = grow.id
    login(client, w["anna"])
    assert client.submit(f"/mijn/team/vraagbaak/{grow_id}/accepteren", page="/mijn/team").status_code == 403
    with app.app_context():
        assert db.session.get(Agreement, grow_id).consent is None


def test_the_plan_shown_is_the_latest_round_that_has_one(app, client, w):
    with app.app_context():
        team_round = db.session.get(ScanRound, w["round"])
        version = team_round.version
        # A later round opens, nothing agreed in it yet: the plan of the earlier round stays.
        team_round.closes_on = team_round.opens_on
        later = make_round(team_round.team, version, opens_in_days=0, closes_in_days=30, title="Najaar 2027")
        db.session.commit()
        later_id = later.id
    login(client, w["anna"])
    html = _mine(client)
    assert "Ontwikkelscan voorjaar 2027" in html and "Veel schuldvragen" in html
    with app.app_context():
        later = db.session.get(ScanRound, later_id)
        leader = db.session.scalars(select(User).where(User.username == w["leader"])).one()
        services.add_priority(
            later, leader, reason="Nieuw plan", item=db.session.get(Item, w["items"]["GC02"])
        )
        db.session.commit()
    html = _mine(client)
    assert "Najaar 2027" in html and "Nieuw plan" in html and "Veel schuldvragen" not in html


def test_a_team_without_a_plan_and_a_member_without_a_team(app, client):
    with app.app_context():
        loner = make_user(Role.PROFESSIONAL)
        fresh = make_user(Role.PROFESSIONAL)
        make_round(fresh.team, title="Eerste ronde")
        loner.team = None
        db.session.commit()
        names = loner.username, fresh.username
    login(client, names[1])
    html = _mine(client)
    assert "Eerste ronde" in html
    assert "Je team heeft nog geen prioriteiten gekozen." in html
    assert "Er staat nog niemand op de vraagbaaklijst." in html
    other = app.test_client()
    login(other, names[0])
    assert "Je zit nog niet in een team." in _mine(other)


def test_the_navigation_has_my_team_for_professionals_only(app, w):
    client = app.test_client()
    login(client, w["anna"])
    assert 'href="/mijn/team"' in client.get("/mijn").get_data(as_text=True)
    leader = app.test_client()
    login(leader, w["leader"])
    assert 'href="/mijn/team"' not in leader.get("/teams/").get_data(as_text=True)
    assert leader.get("/mijn/team").status_code == 403


def test_in_english(client, w):
    english(client)
    login(client, w["anna"])
    html = _mine(client)
    assert "My team" in html and "Requests to you" in html and "Accept" in html and "Decline" in html
    assert "Whole life domain: Housing" in html
    assert _vraagbaak(html) == [("Bert Bakker", "LG01-S1 Stabilising")]
