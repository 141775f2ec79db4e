"""The session record of a teamschouw, and the privacy of every calibration, plan and session route."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from scan.assessment.models import ScanRound
from scan.auth.models import User
from scan.core.rules import RuleError
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.teamschouw import services
from scan.teamschouw.models import TeamPriority, TeamSession
from scan.teamschouw.plan import queries as plan_queries
from tests.factories import login, make_round
from tests.teamschouw.plan_world import base, build, consents, counts, english


@pytest.fixture
def w(app):
    return build(app)


def _url(w):
    return f"{base(w)}/sessie"


def _saved(app, round_id):
    with app.app_context():
        session = plan_queries.session_for(round_id)
        if session is None:
            return None
        return (
            session.held_on,
            sorted(u.full_name for u in session.attendees),
            session.notes,
            session.decisions,
        )


def _checked(html):
    return re.findall(r'type="checkbox" id="attendees-\d+" name="attendees" value="(\d+)" checked', html)


def test_an_empty_session_form_lists_the_teams_members(client, w):
    login(client, w["leader"])
    html = client.get(_url(w)).get_data(as_text=True)
    assert "De bijeenkomst</h1>" in html
    labels = re.findall(r'<label class="app-choice__label[^"]*" for="attendees-\d+">([^<]+)</label>', html)
    assert labels == ["Anna Aalders", "Bert Bakker", "Cor Claassen"]
    assert "Vul nooit namen of gegevens van cliënten in." in html
    assert 'type="date"' in html


def test_saving_and_changing_the_session_of_a_round(app, client, w):
    login(client, w["leader"])
    response = client.submit(
        _url(w),
        {
            "held_on": "2027-03-14",
            "attendees": [str(w["anna_id"]), str(w["cor_id"])],
            "notes": "Dekking financiën besproken",
            "decisions": "Anna wordt vraagbaak schulden",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(w))
    assert _saved(app, w["round"]) == (
        date(2027, 3, 14),
        ["Anna Aalders", "Cor Claassen"],
        "Dekking financiën besproken",
        "Anna wordt vraagbaak schulden",
    )
    html = client.get(_url(w)).get_data(as_text=True)
    assert "De bijeenkomst is opgeslagen." in html and "Laatst opgeslagen op" in html
    assert 'value="2027-03-14"' in html
    assert _checked(html) == [str(w["anna_id"]), str(w["cor_id"])]
    assert re.search(r">\s*Dekking financiën besproken</textarea>", html)
    # One record per round: saving again changes it.
    client.submit(
        _url(w), {"held_on": "2027-03-15", "attendees": [str(w["bert_id"])], "notes": "", "decisions": ""}
    )
    assert _saved(app, w["round"]) == (date(2027, 3, 15), ["Bert Bakker"], "", "")
    assert counts(app)["TeamSession"] == 1 and counts(app)["attendees"] == 1


def test_errors_show_a_summary_and_keep_what_was_typed(app, client, w):
    login(client, w["leader"])
    long_notes = "n" * 5001
    response = client.submit(
        _url(w),
        {
            "held_on": "",
            "attendees": [str(w["anna_id"]), str(w["outsider_id"])],
            "notes": long_notes,
            "decisions": "Besluit blijft staan",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Fout:" in html
    assert 'href="#held_on">Vul de datum van de bijeenkomst in.</a>' in html
    assert 'href="#notes">Gebruik hoogstens 5000 tekens; je gebruikte er 5001.</a>' in html
    assert 'href="#attendees">Kies uit de leden van het team.</a>' in html
    assert 'id="attendees" tabindex="-1" aria-describedby="attendees-error"' in html
    assert _checked(html) == [str(w["anna_id"])]
    assert re.search(rf">\s*{long_notes}</textarea>", html)
    assert re.search(r">\s*Besluit blijft staan</textarea>", html)
    assert "Els Elders" not in html
    response = client.submit(_url(w), {"held_on": "gisteren", "notes": "", "decisions": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#held_on">Vul een bestaande datum in, bijvoorbeeld 14-03-2027.</a>' in html
    assert 'value="gisteren"' in html
    assert _saved(app, w["round"]) is None


def test_sessions_are_kept_per_round_and_former_members_stay_listed(app, client, w):
    with app.app_context():
        scan_round = db.session.get(ScanRound, w["round"])
        earlier = make_round(
            scan_round.team, scan_round.version, opens_in_days=-200, closes_in_days=-150, title="Najaar 2026"
        )
        leader = db.session.scalars(select(User).where(User.username == w["leader"])).one()
        cor = db.session.get(User, w["cor_id"])
        services.save_session(
            earlier, leader, held_on=date(2026, 10, 1), attendees=[cor], notes="Toen", decisions=""
        )
        cor.active = False  # Cor has left since
        db.session.commit()
        earlier_id = earlier.id
    login(client, w["leader"])
    client.submit(
        _url(w), {"held_on": "2027-03-14", "attendees": [str(w["anna_id"])], "notes": "Nu", "decisions": ""}
    )
    assert _saved(app, earlier_id) == (date(2026, 10, 1), ["Cor Claassen"], "Toen", "")
    assert _saved(app, w["round"])[1:3] == (["Anna Aalders"], "Nu")
    earlier_url = f"/teams/{w['team']}/rondes/{earlier_id}/teamschouw/sessie"
    html = client.get(earlier_url).get_data(as_text=True)
    assert _checked(html) == [str(w["cor_id"])]  # still shown, and still ticked
    assert "Cor Claassen" not in client.get(_url(w)).get_data(as_text=True)


def test_save_session_service_upserts(app, w):
    with app.app_context():
        scan_round = db.session.get(ScanRound, w["round"])
        leader = db.session.scalars(select(User).where(User.username == w["leader"])).one()
        anna, bert = db.session.get(User, w["anna_id"]), db.session.get(User, w["bert_id"])
        first = services.save_session(
            scan_round,
            leader,
            held_on=date(2027, 3, 1),
            attendees=[bert, anna],
            notes=" a\r\nb ",
            decisions="",
        )
        again = services.save_session(
            scan_round, leader, held_on=date(2027, 3, 2), attendees=[anna], notes="", decisions="c"
        )
        assert first.id == again.id
        assert (again.held_on, [u.full_name for u in again.attendees], again.decisions) == (
            date(2027, 3, 2),
            ["Anna Aalders"],
            "c",
        )
        assert len(list(db.session.scalars(select(TeamSession)))) == 1
        with pytest.raises(RuleError):
            services.save_session(
                scan_round, leader, held_on=date(2027, 3, 2), attendees=[], notes="x" * 5001, decisions=""
            )
        db.session.rollback()


def test_in_english(client, w):
    english(client)
    login(client, w["leader"])
    response = client.submit(_url(w), {"held_on": "", "notes": "", "decisions": ""})
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html and "Enter the date of the session." in html and "Who attended" in html


# --- privacy: every route of calibration, priorities, agreements, session and Mijn team ----------------


def _routes(w, priority_id, agreement_id):
    b = base(w)
    return [
        ("GET", f"{b}/", None),  # the teamschouw start page
        ("GET", f"{b}/kalibratie", None),
        ("GET", f"{b}/kalibratie/{w['anna_scan']}", None),
        ("GET", f"{b}/kalibratie/{w['anna_scan']}?sectie=GC", None),
        ("POST", f"{b}/kalibratie/{w['anna_scan']}", {"last_seen": "0", "agreed-GC01": "4"}),
        ("GET", f"{b}/prioriteiten", None),
        (
            "POST",
            f"{b}/prioriteiten/toevoegen",
            {"priority-target": f"item:{w['items']['LG01-A1']}", "priority-reason": "x"},
        ),
        ("POST", f"{b}/prioriteiten/overnemen", {"item_id": str(w["items"]["GC01"])}),
        ("POST", f"{b}/prioriteiten/{priority_id}/verplaatsen", {"direction": "down"}),
        ("POST", f"{b}/prioriteiten/{priority_id}/verwijderen", {}),
        (
            "POST",
            f"{b}/afspraken/vraagbaak",
            {"vraagbaak-member": str(w["bert_id"]), "vraagbaak-target": f"item:{w['items']['GC01']}"},
        ),
        (
            "POST",
            f"{b}/afspraken/groei",
            {"grow-member": str(w["bert_id"]), "grow-section": str(w["sections"]["LG01"])},
        ),
        ("POST", f"{b}/afspraken/overig", {"other-text": "x"}),
        ("POST", f"{b}/afspraken/{agreement_id}/verwijderen", {}),
        ("GET", f"{b}/sessie", None),
        ("POST", f"{b}/sessie", {"held_on": "2027-03-14", "notes": "x", "decisions": "y"}),
    ]


@pytest.fixture
def planned(app, w):
    """The world with a priority and a pending vraagbaak request, so move and remove have a target."""
    with app.app_context():
        scan_round = db.session.get(ScanRound, w["round"])
        leader = db.session.scalars(select(User).where(User.username == w["leader"])).one()
        priority = services.add_priority(
            scan_round, leader, reason="Eerst", item=db.session.get(Item, w["items"]["LG02-A1"])
        )
        services.add_priority(
            scan_round, leader, reason="Daarna", item=db.session.get(Item, w["items"]["GC02"])
        )
        agreement = services.add_vraagbaak(
            scan_round,
            db.session.get(User, w["anna_id"]),
            leader,
            item=db.session.get(Item, w["items"]["GC01"]),
        )
        db.session.commit()
        return w | {"priority": priority.id, "agreement": agreement.id}


def _positions(app):
    with app.app_context():
        return [
            (p.id, p.position) for p in db.session.scalars(select(TeamPriority).order_by(TeamPriority.id))
        ]


@pytest.mark.parametrize("who", ["bert", "other_leader", "regio", "admin"])
def test_every_leader_route_is_refused_to_everyone_but_the_teams_leader(app, planned, who):
    client = app.test_client()
    login(client, planned[who])
    before, order, answers = counts(app), _positions(app), consents(app)
    for method, url, data in _routes(planned, planned["priority"], planned["agreement"]):
        if method == "GET":
            response = client.get(url)
        else:
            response = client.submit(url, data, page="/account/wachtwoord")
        assert response.status_code == 403, (who, method, url, response.status_code)
        assert "Geen toegang" in response.get_data(as_text=True)
    assert (counts(app), _positions(app), consents(app)) == (before, order, answers)


def test_every_route_sends_anonymous_visitors_to_the_login_page(app, planned):
    client = app.test_client()
    before = counts(app)
    routes = [
        *_routes(planned, planned["priority"], planned["agreement"]),
        ("GET", "/mijn/team", None),
        ("POST", f"/mijn/team/vraagbaak/{planned['agreement']}/accepteren", {}),
        ("POST", f"/mijn/team/vraagbaak/{planned['agreement']}/afwijzen", {}),
    ]
    for method, url, data in routes:
        response = client.get(url) if method == "GET" else client.submit(url, data, page="/inloggen")
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/inloggen?next="), (method, url)
    assert counts(app) == before


def test_the_teams_leader_may_use_every_route(app, planned):
    client = app.test_client()
    login(client, planned["leader"])
    for method, url, data in _routes(planned, planned["priority"], planned["agreement"]):
        response = (
            client.get(url) if method == "GET" else client.submit(url, data, page=f"{base(planned)}/sessie")
        )
        assert response.status_code in (200, 302), (method, url, response.status_code)
        if response.status_code == 302:
            assert "/inloggen" not in response.headers["Location"]
    assert counts(app)["TeamSession"] == 1


@pytest.mark.parametrize("who", ["leader", "other_leader", "regio", "admin"])
def test_my_team_is_for_professionals_only(app, planned, who):
    client = app.test_client()
    login(client, planned[who])
    assert client.get("/mijn/team").status_code == 403


def test_a_leader_cannot_use_another_teams_round_through_their_own_team(app, planned):
    client = app.test_client()
    login(client, planned["leader"])
    # Own team id with the other team's round: not found; the other team's URL: forbidden.
    mixed = f"/teams/{planned['team']}/rondes/{planned['other_round']}/teamschouw"
    assert client.get(f"{mixed}/prioriteiten").status_code == 404
    other = base(planned, "other_round", "other_team")
    assert client.get(f"{other}/prioriteiten").status_code == 403
    before = counts(app)
    assert (
        client.submit(
            f"{other}/afspraken/overig", {"other-text": "x"}, page="/account/wachtwoord"
        ).status_code
        == 403
    )
    assert counts(app) == before


# --- a leader of several teams switches between them ---------------------------------------------------


def test_a_leader_of_two_teams_switches_to_the_other_teams_latest_round(app, client, w):
    from scan.organisation.models import Team
    from tests.factories import make_team

    with app.app_context():
        leader = db.session.scalars(select(User).where(User.username == w["leader"])).one()
        other_team = db.session.get(Team, w["other_team"])
        older = make_round(
            other_team, opens_in_days=-400, closes_in_days=-380, title="Ontwikkelscan najaar 2025"
        )
        empty = make_team(name="Wijkteam Nieuw")
        leader.led_teams = [*leader.led_teams, other_team, empty]
        db.session.commit()
        older_id, latest_title = older.id, db.session.get(ScanRound, w["other_round"]).title
    login(client, w["leader"])
    html = client.get(f"{base(w)}/").get_data(as_text=True)
    other = html.split("Je andere teams</h2>")[1].split("</ul>")[0]
    # The other team's latest round, not its older one; a team without rounds is named, without a link.
    assert f'href="{base(w, "other_round", "other_team")}/">Wijkteam Elders · {latest_title}</a>' in other
    assert f"/rondes/{older_id}/" not in other
    assert "Wijkteam Nieuw · nog geen scanrondes" in other
    assert "Wijkteam Proef" not in other  # not the team on the page
    # Following the link: the other team's start page, with a way back.
    html = client.get(f"{base(w, 'other_round', 'other_team')}/").get_data(as_text=True)
    assert "Wijkteam Elders" in html
    assert f'href="{base(w)}/">Wijkteam Proef · ' in html.split("Je andere teams</h2>")[1]
    # A leader of one team sees no switch.
    single = app.test_client()
    login(single, w["other_leader"])
    html = single.get(f"{base(w, 'other_round', 'other_team')}/").get_data(as_text=True)
    assert "Wijkteam Elders" in html and "Je andere teams" not in html


def test_the_round_status_page_leads_the_teams_leader_to_the_teamschouw(app, client, w):
    login(client, w["leader"])
    response = client.get(f"/teams/{w['team']}/rondes/{w['round']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="{base(w)}/">Naar de teamschouw</a>' in html
    assert client.get(f"{base(w)}/").status_code == 200  # and the link leads somewhere
    # The administrator may see the round's status, but the teamschouw is not theirs: no link.
    admin = app.test_client()
    login(admin, w["admin"])
    response = admin.get(f"/teams/{w['team']}/rondes/{w['round']}")
    assert response.status_code == 200 and "Naar de teamschouw" not in response.get_data(as_text=True)
