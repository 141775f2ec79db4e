"""The self-assessment as a professional and a team leader use it."""

import re

import pytest
from babel.dates import format_datetime
from sqlalchemy import event, func, select

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanEvent
from scan.extensions import db
from tests.assessment.test_results import row, tables
from tests.factories import login, make_kenniskaart, make_round, make_scan, make_team, make_user


@pytest.fixture
def world(app):
    """A team with a leader, two professionals and an open round on the small test Kenniskaart."""
    with app.app_context():
        team = make_team(name="Wijkteam Proef")
        leader = make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
        pro = make_user(Role.PROFESSIONAL, team=team, full_name="Piet Professional")
        colleague = make_user(Role.PROFESSIONAL, team=team, full_name="Cor Collega")
        scan_round = make_round(team)
        db.session.commit()
        return {
            "team": team.id, "round": scan_round.id, "leader": leader.username, "pro": pro.username,
            "pro_id": pro.id, "colleague": colleague.username,
        }


def _page(client, url):
    response = client.get(url)
    return response, response.get_data(as_text=True)


def _lock_value(html):
    match = re.search(r'id="lock_version" name="lock_version" type="hidden" value="(\d+)"', html)
    assert match, "no lock_version on the page"
    return match.group(1)


def _save(client, round_id, section, data, action="save", lock=None):
    url = f"/scan/{round_id}/{section}"
    html = client.get(url).get_data(as_text=True)
    form = {"lock_version": lock if lock is not None else _lock_value(html), "action": action, **data}
    return client.submit(url, form, page=url)


def _answers(app, username):
    with app.app_context():
        rows = db.session.execute(
            select(Answer).join(Scan).join(Scan.user).where(Scan.user.has(username=username))
        ).scalars()
        return {a.item.code: (a.level, a.not_applicable, a.ambition, a.note) for a in rows}


def test_my_scan_shows_the_round_deadline_purpose_and_progress(client, world):
    login(client, world["pro"])
    _, html = _page(client, "/scan")
    assert "Ontwikkelscan voorjaar 2027" in html
    assert "0 van 5 items ingevuld" in html
    assert "verplicht: 0 van 4" in html
    assert "niet voor beoordeling" in html
    assert "Generieke competenties" in html and "Financien" in html
    # Who sees what: the team leader only after submitting, the coordinator only counts of k (default 5).
    assert "zie alleen jij je antwoorden. Je teamleider ziet ze pas als je ze indient." in html
    assert "De regiocoördinator ziet alleen aantallen voor groepen van minstens 5 mensen, nooit je naam." in (
        html
    )


def test_the_purpose_names_the_configured_group_size(app, client, world, monkeypatch):
    """The coordinator's threshold is REGIO_MIN_CELL, whatever it is set to; never a fixed "five"."""
    monkeypatch.setitem(app.config, "REGIO_MIN_CELL", 7)
    login(client, world["pro"])
    for url in ("/scan", "/"):
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "aantallen voor groepen van minstens 7 mensen, nooit je naam" in html, url
        assert "minstens vijf" not in html and "minstens 5 " not in html
    html = client.get("/mijn/gegevens").get_data(as_text=True)
    assert "getallen voor groepen van minstens 7 mensen, nooit je naam" in html


def test_the_scan_pages_in_english(app, client, world):
    """After switching to English: the progress, "not applicable", the scale and a validation message."""
    client.submit("/taal", {"lang": "en", "next": "/inloggen"}, page="/inloggen")
    login(client, world["pro"])
    _, html = _page(client, "/scan")
    assert "0 of 5 items filled in" in html and "required: 0 of 4" in html
    assert "not for appraisal" in html and "van 5 items ingevuld" not in html
    _, html = _page(client, f"/scan/{world['round']}/LG01")
    assert "Not applicable" in html and "Niet van toepassing" not in html
    response = _save(client, world["round"], "GC", {"level-GC01": "nvt"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“Not applicable” is not possible for this item; choose a level." in html
    assert _answers(app, world["pro"]) == {}
    response = client.submit(f"/scan/{world['round']}/indienen")
    assert "Still to fill in: 4 required items" in response.get_data(as_text=True)


def test_section_page_shows_levels_with_descriptors_as_radio_buttons(client, world):
    login(client, world["pro"])
    _, html = _page(client, f"/scan/{world['round']}/GC")
    assert 'type="radio" id="level-GC01-3" name="level-GC01" value="3"' in html
    assert "GC01 niveau drie" in html  # the item's own descriptor next to the choice
    assert "3 · Gevorderd" in html
    assert "level-GC01-nvt" not in html  # n.v.t. is not allowed for GC01
    assert "nooit namen of gegevens van cliënten" in html
    assert ('id="note-GC01-hint">Hoogstens 500 tekens. Alleen over je eigen werk en leren: schrijf nooit '
            "namen of gegevens van cliënten.</div>") in html
    _, html = _page(client, f"/scan/{world['round']}/LG01")
    assert 'id="level-LG01-S1-nvt"' in html
    # An item without its own descriptor for a level shows the scale's description.
    assert "Zelfstandig in gewone situaties" in html


def test_save_as_draft_and_continue_later(app, client, world):
    login(client, world["pro"])
    response = _save(client, world["round"], "GC", {"level-GC01": "2", "ambition-GC01": "3",
                                                    "note-GC01": "Training gevolgd", "level-GC02": "3",
                                                    "ambition-GC02": "stay"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/scan/{world['round']}/GC")
    assert _answers(app, world["pro"]) == {
        "GC01": (2, False, 3, "Training gevolgd"),
        "GC02": (3, False, 3, ""),
    }
    _, html = _page(client, f"/scan/{world['round']}/GC")
    assert 'value="2" aria-describedby="level-GC01-2-desc" checked' in html
    assert 'id="ambition-GC01-3" name="ambition-GC01" value="3" checked' in html
    assert ">Training gevolgd</textarea>" in html
    _, html = _page(client, "/scan")
    assert "2 van 5 items ingevuld" in html


def test_my_scan_shows_the_progress_per_section_generic_competencies_first(client, world):
    login(client, world["pro"])
    _save(client, world["round"], "GC", {"level-GC01": "2", "level-GC02": "3"})
    _, html = _page(client, "/scan")
    progress = tables(html)["table0"]
    assert progress[0][:3] == ["Onderdeel", "Ingevuld", "Verplichte items ingevuld"]
    # Generic competencies first, then the leefgebieden in the Kenniskaart's order.
    assert [r[0] for r in progress[1:]] == ["Generieke competenties", "Financien", "Wonen"]
    assert row(progress, "Generieke competenties")[1:] == ["2 van 2", "2 van 2", "afgerond"]
    assert row(progress, "Financien") == ["Financien", "0 van 2", "0 van 1", "niet begonnen"]
    assert row(progress, "Wonen") == ["Wonen", "0 van 1", "0 van 1", "niet begonnen"]
    assert "2 van 5 items ingevuld" in html and "verplicht: 2 van 4" in html


def test_submitting_is_offered_once_everything_required_is_filled_in(client, world):
    """Before that, my scan says what is left per part, with links; the part navigation marks each part."""
    login(client, world["pro"])
    _save(client, world["round"], "GC", {"level-GC01": "2", "level-GC02": "3"})
    _save(client, world["round"], "LG01", {"level-LG01-S1": "2"})
    _, html = _page(client, "/scan")
    assert "Controleer je antwoorden en dien in" not in html
    assert "Je kunt indienen zodra elk verplicht item is ingevuld. Nog te doen:" in html
    assert f'href="/scan/{world["round"]}/LG01">Financien</a>: nog 1 verplicht item' in html
    assert f'href="/scan/{world["round"]}/GC">Generieke competenties</a>: nog' not in html
    # The part navigation says, in words, which parts are done, in progress or not started.
    _, html = _page(client, f"/scan/{world['round']}/LG02")
    nav = re.search(r'<nav class="app-section-nav".*?</nav>', html, re.S).group(0)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", nav)).strip()
    assert text == "Generieke competenties afgerond Financien bezig Wonen niet begonnen"
    _save(client, world["round"], "LG01", {"level-LG01-A1": "3"})
    _save(client, world["round"], "LG02", {"level-LG02-A1": "1"})
    _, html = _page(client, "/scan")
    assert "Nog te doen:" not in html
    assert f'href="/scan/{world["round"]}/indienen">Controleer je antwoorden en dien in</a>' in html


def test_an_ambition_below_the_saved_level_is_not_offered(client, world):
    """With level 3 saved: "stay" and the levels above; a level chosen on the page hides lower ones (CSS)."""
    login(client, world["pro"])
    _, html = _page(client, f"/scan/{world['round']}/GC")
    assert 'id="ambition-GC01-2"' in html and 'id="ambition-GC01-4"' in html  # nothing saved: all offered
    _save(client, world["round"], "GC", {"level-GC01": "3"})
    _, html = _page(client, f"/scan/{world['round']}/GC")
    assert 'id="ambition-GC01-stay"' in html and 'id="ambition-GC01-4"' in html
    assert 'id="ambition-GC01-2"' not in html and 'id="ambition-GC01-3"' not in html
    assert 'id="ambition-GC02-2"' in html  # the other item has no level yet
    # The server still refuses a lower ambition sent anyway.
    response = _save(client, world["round"], "GC", {"level-GC01": "3", "ambition-GC01": "2"})
    assert response.status_code == 422


def test_save_and_next_moves_on_and_ends_at_submitting(client, world):
    login(client, world["pro"])
    response = _save(client, world["round"], "GC", {"level-GC01": "2"}, action="save_next")
    assert response.headers["Location"].endswith(f"/scan/{world['round']}/LG01")
    response = _save(client, world["round"], "LG02", {"level-LG02-A1": "2"}, action="save_next")
    assert response.headers["Location"].endswith(f"/scan/{world['round']}/indienen")


def test_errors_keep_everything_typed_and_save_nothing(app, client, world):
    login(client, world["pro"])
    long_note = "x" * 501
    response = _save(client, world["round"], "GC", {
        "level-GC01": "3", "ambition-GC01": "2", "note-GC01": "eigen aantekening",
        "level-GC02": "nvt", "note-GC02": long_note,
    })
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Fout:" in html
    assert 'href="#ambition-GC01"' in html and 'href="#level-GC02"' in html and 'href="#note-GC02"' in html
    assert "Kies een hoger niveau dan je huidige niveau, of kies om te blijven." in html
    assert "Niet van toepassing" in html and "is voor dit item niet mogelijk" in html
    assert "je gebruikte er 501" in html
    # What was typed is all still there.
    assert 'value="3" aria-describedby="level-GC01-3-desc" checked' in html
    assert 'id="ambition-GC01-2" name="ambition-GC01" value="2" checked' in html
    assert ">eigen aantekening</textarea>" in html and f">{long_note}</textarea>" in html
    assert _answers(app, world["pro"]) == {}


def test_a_stale_page_does_not_overwrite_a_newer_save(app, client, world):
    login(client, world["pro"])
    url = f"/scan/{world['round']}/GC"
    # Two tabs open the page before anything is saved.
    first_lock = _lock_value(client.get(url).get_data(as_text=True))
    _save(client, world["round"], "GC", {"level-GC01": "2"})
    # The tab opened before the scan existed still has lock version 0: its save is a conflict too.
    response = _save(client, world["round"], "GC", {"level-GC01": "4", "note-GC01": "uit de oude tab"},
                     lock=first_lock)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Je scan is om " in html
    assert "ergens anders opgeslagen (in een ander tabblad of op een ander apparaat)" in html
    assert ">uit de oude tab</textarea>" in html
    assert _answers(app, world["pro"]) == {"GC01": (2, False, 2, "")}
    stale = _lock_value(client.get(url).get_data(as_text=True))
    _save(client, world["round"], "GC", {"level-GC01": "3"})  # tab A saves again
    response = _save(client, world["round"], "GC", {"level-GC01": "1", "note-GC01": "uit tab B"},
                     lock=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "ergens anders opgeslagen" in html
    assert ">uit tab B</textarea>" in html  # kept what tab B typed
    assert _answers(app, world["pro"])["GC01"][0] == 3  # the newer save stands
    # Saving again from the conflict page stores tab B's input knowingly.
    response = _save(client, world["round"], "GC", {"level-GC01": "1", "note-GC01": "uit tab B"},
                     lock=_lock_value(html))
    assert response.status_code == 302
    assert _answers(app, world["pro"])["GC01"] == (1, False, 1, "uit tab B")
    assert first_lock == "0"


def test_saving_a_page_is_one_transaction(app, client, world):
    login(client, world["pro"])
    url = f"/scan/{world['round']}/GC"
    html = client.get(url).get_data(as_text=True)
    with app.app_context():
        engine = db.engine
    commits = []

    def on_commit(conn):
        commits.append(1)

    event.listen(engine, "commit", on_commit)
    form = {"csrf_token": client.csrf_token(url), "lock_version": _lock_value(html), "action": "save",
            "level-GC01": "2", "level-GC02": "2"}
    try:
        client.post(url, data=form)
    finally:
        event.remove(engine, "commit", on_commit)
    assert len(commits) == 1
    assert set(_answers(app, world["pro"])) == {"GC01", "GC02"}


def test_submit_lists_what_is_missing_with_links_then_submits(app, client, world):
    login(client, world["pro"])
    _save(client, world["round"], "GC", {"level-GC01": "2", "level-GC02": "2"})
    _, html = _page(client, f"/scan/{world['round']}/indienen")
    # What is left, per part, with links: not an error before anyone tried to submit.
    assert "Nog in te vullen: 2 verplichte items" in html and "utrecht-alert--error" not in html
    assert f'href="/scan/{world["round"]}/LG01#level-LG01-A1"' in html
    assert f'href="/scan/{world["round"]}/LG02#level-LG02-A1"' in html
    assert "LG01-S1" not in html  # specialist items are optional
    assert "Mijn scan indienen</button>" not in html
    _save(client, world["round"], "LG01", {"level-LG01-A1": "3", "level-LG01-S1": "nvt"})
    _save(client, world["round"], "LG02",
          {"level-LG02-A1": "1", "ambition-LG02-A1": "2", "note-LG02-A1": "Cursus"})
    # Check your answers: every part with its answers and a change link, then the submit button.
    _, html = _page(client, f"/scan/{world['round']}/indienen")
    assert "<h1 class=\"utrecht-heading-1\">Controleer je antwoorden</h1>" in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Niveau 1" in text and "ambitie 2" in text and "Cursus" in text
    assert "Niet van toepassing voor mijn werk" in text or "Niet van toepassing" in text
    for part in ("GC", "LG01", "LG02"):
        assert f'href="/scan/{world["round"]}/{part}">Wijzigen<span class="visually-hidden">' in html
    assert "Mijn scan indienen</button>" in html
    response = client.submit(f"/scan/{world['round']}/indienen")
    assert response.status_code == 302
    with app.app_context():
        scan = db.session.scalars(select(Scan)).one()
        assert scan.status == "submitted" and scan.submitted_at is not None
        assert db.session.scalars(select(ScanEvent.kind)).all() == ["submitted"]
    # After submitting the scan is read-only.
    _, html = _page(client, f"/scan/{world['round']}/GC")
    assert "niet meer worden gewijzigd" in html and 'name="level-GC01"' not in html
    response = client.post(f"/scan/{world['round']}/GC", data={
        "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1),
        "level-GC01": "4", "lock_version": "99"})
    assert response.status_code == 302
    assert _answers(app, world["pro"])["GC01"][0] == 2


def test_submitting_an_incomplete_scan_is_refused(app, client, world):
    login(client, world["pro"])
    _save(client, world["round"], "GC", {"level-GC01": "2"})
    response = client.submit(f"/scan/{world['round']}/indienen")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Je scan is niet ingediend" in html and "Nog in te vullen: 3 verplichte items" in html
    with app.app_context():
        assert db.session.scalars(select(Scan.status)).one() == "draft"


def test_submitting_a_scan_never_started_lists_every_missing_item(app, client, world):
    """Submitting before saving anything is an incomplete scan, not a scan that can no longer change."""
    login(client, world["pro"])
    response = client.submit(f"/scan/{world['round']}/indienen")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nog in te vullen: 4 verplichte items" in html
    assert f'href="/scan/{world["round"]}/GC#level-GC01"' in html
    assert f'href="/scan/{world["round"]}/LG02#level-LG02-A1"' in html
    assert "kan niet meer worden gewijzigd" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Scan)) == 0
        assert db.session.scalar(select(func.count()).select_from(ScanEvent)) == 0


def test_team_leader_reopens_with_a_reason_and_the_professional_can_change_again(app, client, world):
    with app.app_context():
        from scan.assessment.models import ScanRound
        from scan.auth.models import User

        scan_round = db.session.get(ScanRound, world["round"])
        pro = db.session.get(User, world["pro_id"])
        scan = make_scan(scan_round, pro, {"GC01": (2, 2), "GC02": (2, 3), "LG01-A1": (2, 2),
                                           "LG02-A1": (3, 3)}, submitted=True)
        db.session.commit()
        scan_id = scan.id
    login(client, world["leader"])
    url = f"/scans/{scan_id}/heropenen"
    response = client.submit(url, {"reason": ""})
    assert response.status_code == 422 and "Geef een reden" in response.get_data(as_text=True)
    response = client.submit(url, {"reason": "Niveau GC02 samen besproken"})
    assert response.status_code == 302
    with app.app_context():
        reopened = db.session.scalars(select(ScanEvent).where(ScanEvent.kind == "reopened")).one()
        assert reopened.reason == "Niveau GC02 samen besproken" and reopened.actor.username == world["leader"]
        assert reopened.at is not None
        assert db.session.get(Scan, scan_id).status == "draft"
        when = format_datetime(reopened.at, "d MMMM y, HH:mm", tzinfo="Europe/Amsterdam", locale="nl")
    # The reopen page keeps the history: when, by whom and why.
    response, html = _page(client, url)
    assert response.status_code == 200
    history = html.split("Geschiedenis</h2>")[1].split("</ul>")[0]
    assert f"<li>{when}: heropend door Lies Leider: Niveau GC02 samen besproken</li>" in history
    client.submit("/uitloggen", page="/teams/")
    login(client, world["pro"])
    response = _save(client, world["round"], "GC",
                     {"level-GC01": "3", "level-GC02": "2", "ambition-GC02": "3"})
    assert response.status_code == 302
    assert _answers(app, world["pro"])["GC01"][0] == 3


def test_round_status_shows_statuses_but_never_draft_content(app, client, world):
    with app.app_context():
        from scan.assessment.models import ScanRound
        from scan.auth.models import User

        scan_round = db.session.get(ScanRound, world["round"])
        pro = db.session.get(User, world["pro_id"])
        make_scan(scan_round, pro, {"GC01": (2, 2)}, notes={"GC01": "geheime aantekening"})
        db.session.commit()
    login(client, world["leader"])
    _, html = _page(client, f"/teams/{world['team']}/rondes/{world['round']}")
    assert "0 van 2 leden hebben ingediend." in html
    piet = html.split("Piet Professional")[1].split("</tr>")[0]
    cor = html.split("Cor Collega")[1].split("</tr>")[0]
    assert "bezig" in piet and "niet begonnen" in cor
    assert "geheime aantekening" not in html


def test_round_status_shows_a_submitted_member_with_the_submission_date(app, client, world):
    from datetime import UTC, datetime

    with app.app_context():
        from scan.assessment.models import ScanRound
        from scan.auth.models import User

        scan_round = db.session.get(ScanRound, world["round"])
        pro = db.session.get(User, world["pro_id"])
        scan = make_scan(scan_round, pro, {"GC01": (2, 2), "GC02": (2, 3), "LG01-A1": (2, 2),
                                           "LG02-A1": (3, 3)}, submitted=True)
        # Late in the evening in UTC: already the next day in Amsterdam, where the team works.
        scan.submitted_at = datetime(2027, 3, 2, 23, 30, tzinfo=UTC)
        db.session.commit()
    login(client, world["leader"])
    _, html = _page(client, f"/teams/{world['team']}/rondes/{world['round']}")
    assert "1 van 2 leden heeft ingediend." in html
    rows = {r[0]: r[1:] for r in tables(html)["table0"][1:]}
    assert rows["Piet Professional"][:2] == ["✓ ingediend", "3 maart 2027, 00:30"]
    assert rows["Cor Collega"][:2] == ["niet begonnen", ""]


def test_a_closed_round_is_read_only(app, client):
    with app.app_context():
        team = make_team()
        pro = make_user(Role.PROFESSIONAL, team=team)
        scan_round = make_round(team, opens_in_days=-60, closes_in_days=-30, title="Najaar")
        make_scan(scan_round, pro, {"GC01": (2, 2)})
        db.session.commit()
        username, round_id = pro.username, scan_round.id
    login(client, username)
    _, html = _page(client, f"/scan/{round_id}/GC")
    assert "niet open" in html and 'name="level-GC01"' not in html
    _, html = _page(client, "/scan")
    assert "geen open scanronde" in html


def _scan_state(app):
    with app.app_context():
        scans = [(s.status, s.lock_version, s.submitted_at) for s in db.session.scalars(select(Scan))]
        answers = [(a.level, a.ambition, a.note) for a in db.session.scalars(select(Answer))]
        events = db.session.scalars(select(ScanEvent.kind)).all()
        return scans, answers, events


def test_a_closed_round_refuses_saving_and_submitting(app, client):
    with app.app_context():
        team = make_team()
        pro = make_user(Role.PROFESSIONAL, team=team)
        scan_round = make_round(team, opens_in_days=-60, closes_in_days=-30, title="Najaar")
        make_scan(scan_round, pro, {"GC01": (2, 2), "GC02": (2, 2), "LG01-A1": (2, 2), "LG02-A1": (2, 2)})
        db.session.commit()
        username, round_id = pro.username, scan_round.id
    before = _scan_state(app)
    login(client, username)
    page = f"/scan/{round_id}/GC"
    response = client.submit(page, {"level-GC01": "4", "ambition-GC01": "4", "note-GC01": "te laat",
                                    "lock_version": "0", "action": "save"}, page="/scan")
    assert response.status_code == 302
    assert "Deze scan kan niet meer worden gewijzigd." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    response = client.submit(f"/scan/{round_id}/indienen", page="/scan")
    assert response.status_code == 302
    assert "Deze scan kan niet meer worden gewijzigd." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert _scan_state(app) == before
    assert before[0][0][0] == "draft"


def test_a_team_leader_cannot_reopen_a_scan_in_a_closed_round(app, client):
    with app.app_context():
        team = make_team()
        leader = make_user(Role.TEAMLEIDER, teams=[team])
        pro = make_user(Role.PROFESSIONAL, team=team)
        scan_round = make_round(team, opens_in_days=-60, closes_in_days=-30, title="Najaar")
        scan = make_scan(scan_round, pro, {"GC01": (2, 2)}, submitted=True)
        db.session.commit()
        username, scan_id = leader.username, scan.id
    before = _scan_state(app)
    login(client, username)
    response = client.submit(f"/scans/{scan_id}/heropenen", {"reason": "Toch nog aanvullen"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "De ronde is gesloten; de scans kunnen niet meer worden gewijzigd." in html
    assert _scan_state(app) == before
    assert before[0][0][0] == "submitted" and "reopened" not in before[2]


def test_a_professional_who_joins_during_the_round_takes_part(app, client, world):
    with app.app_context():
        from scan.organisation.models import Team

        newcomer = make_user(Role.PROFESSIONAL, team=db.session.get(Team, world["team"]),
                             full_name="Nina Nieuwkomer")
        db.session.commit()
        username = newcomer.username
    login(client, username)
    _, html = _page(client, "/scan")
    assert "Ontwikkelscan voorjaar 2027" in html and "Start mijn scan" in html
    # The team leader sees the newcomer in the round, not started yet.
    client.submit("/uitloggen", page="/scan")
    login(client, world["leader"])
    _, html = _page(client, f"/teams/{world['team']}/rondes/{world['round']}")
    assert "0 van 3 leden hebben ingediend." in html
    rows = {r[0]: r[1:] for r in tables(html)["table0"][1:]}
    assert rows["Nina Nieuwkomer"][:2] == ["niet begonnen", ""]


def test_team_leader_opens_a_round_tied_to_the_current_version(app, client):
    from datetime import timedelta

    from scan.assessment.models import ScanRound
    from scan.core.clock import today

    with app.app_context():
        team = make_team()
        leader = make_user(Role.TEAMLEIDER, teams=[team])
        first = make_kenniskaart()
        db.session.commit()
        username, team_id, first_id = leader.username, team.id, first.id
    login(client, username)
    url = f"/teams/{team_id}/rondes/nieuw"
    start, end = today(), today() + timedelta(days=30)
    response = client.submit(url, {"title": "Voorjaar", "opens_on": end.isoformat(),
                                   "closes_on": start.isoformat()})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "De sluitingsdatum moet op of na de openingsdatum liggen." in html
    assert 'value="Voorjaar"' in html
    response = client.submit(url, {"title": "Voorjaar", "opens_on": start.isoformat(),
                                   "closes_on": end.isoformat()})
    assert response.status_code == 302
    response = client.submit(url, {"title": "Dubbel", "opens_on": start.isoformat(),
                                   "closes_on": end.isoformat()})
    assert "mogen niet overlappen" in response.get_data(as_text=True)
    with app.app_context():
        from tests.kenniskaart.sample import VALID

        make_kenniskaart(VALID.replace('version: "2026.1"', 'version: "2026.2"').replace(
            "Contact maken", "Contact leggen"))
        db.session.commit()
        rounds = db.session.scalars(select(ScanRound)).all()
        assert [r.version_id for r in rounds] == [first_id]


@pytest.mark.parametrize("who", ["other_pro", "other_leader", "coordinator", "admin", "anonymous"])
def test_scan_routes_refuse_the_wrong_person(app, world, who):
    with app.app_context():
        from scan.assessment.models import ScanRound
        from scan.auth.models import User

        scan_round = db.session.get(ScanRound, world["round"])
        pro = db.session.get(User, world["pro_id"])
        scan = make_scan(scan_round, pro, {"GC01": (2, 2)}, submitted=True)
        other_team = make_team()
        users = {
            "other_pro": make_user(Role.PROFESSIONAL, team=other_team),
            "other_leader": make_user(Role.TEAMLEIDER, teams=[other_team]),
            "coordinator": make_user(Role.REGIOCOORDINATOR),
            "admin": make_user(Role.BEHEERDER),
        }
        names = {k: u.username for k, u in users.items()}
        db.session.commit()
        scan_id = scan.id
    client = app.test_client()
    if who != "anonymous":
        login(client, names[who])
    r = world["round"]
    urls = [f"/scan/{r}/GC", f"/scan/{r}/indienen", f"/scans/{scan_id}/heropenen"]
    if who != "admin":  # the administrator may manage rounds of any team
        urls += [f"/teams/{world['team']}/rondes/{r}", f"/teams/{world['team']}/rondes/nieuw"]
    token_page = "/inloggen" if who == "anonymous" else "/account/wachtwoord"
    for url in urls:
        for method in ("GET",) if "/rondes/" in url and url.endswith(str(r)) else ("GET", "POST"):
            if method == "GET":
                response = client.get(url)
            else:
                response = client.submit(url, {"level-GC01": "4", "lock_version": "1", "reason": "x",
                                               "title": "x", "opens_on": "2030-01-01",
                                               "closes_on": "2030-02-01"}, page=token_page)
            if who == "anonymous":
                assert response.status_code == 302 and "/inloggen" in response.headers["Location"], url
            else:
                assert response.status_code == 403, (method, url, response.status_code)
                assert "Piet Professional" not in response.get_data(as_text=True)
    with app.app_context():
        # Nothing was changed by any of these attempts.
        assert db.session.get(Scan, scan_id).status == "submitted"
        assert db.session.scalar(select(func.count()).select_from(ScanEvent)) == 0
        from scan.assessment.models import ScanRound
        assert db.session.scalar(select(func.count()).select_from(ScanRound)) == 1


def test_the_administrator_can_open_rounds_for_any_team(app, client):
    from datetime import timedelta

    from scan.assessment.models import ScanRound
    from scan.core.clock import today

    with app.app_context():
        team = make_team()
        admin = make_user(Role.BEHEERDER)
        make_kenniskaart()
        db.session.commit()
        username, admin_id, team_id = admin.username, admin.id, team.id
    login(client, username)
    url = f"/teams/{team_id}/rondes/nieuw"
    assert client.get(url).status_code == 200
    start, end = today(), today() + timedelta(days=30)
    response = client.submit(url, {"title": "Najaar beheer", "opens_on": start.isoformat(),
                                   "closes_on": end.isoformat()})
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalars(select(ScanRound)).all()
        assert [(r.team_id, r.title, r.opens_on, r.closes_on, r.created_by_id) for r in stored] == [
            (team_id, "Najaar beheer", start, end, admin_id)]
        round_id = stored[0].id
    assert response.headers["Location"] == f"/teams/{team_id}/rondes/{round_id}"
    _, html = _page(client, response.headers["Location"])
    assert "De ronde “Najaar beheer” is geopend." in html
    assert '<h1 class="utrecht-heading-1">Najaar beheer</h1>' in html and "De ronde is open." in html


def test_section_page_query_count_does_not_depend_on_the_number_of_items(app, client, count_queries):
    """The section page and the /scan overview run the same queries for a small world and a big one: more
    items, ~20 teammates with scans, an earlier round with a submitted scan, a saved section with answers."""
    big = _big_kenniskaart(items_per_section=12)
    with app.app_context():
        small_team, big_team = make_team(), make_team()
        small_pro = make_user(Role.PROFESSIONAL, team=small_team)
        big_pro = make_user(Role.PROFESSIONAL, team=big_team)
        small_round = make_round(small_team, make_kenniskaart())
        big_version = make_kenniskaart(big)
        big_round = make_round(big_team, big_version)
        earlier = make_round(big_team, big_version, opens_in_days=-400, closes_in_days=-380,
                             title="Vorig jaar")
        make_scan(earlier, big_pro, {"LG01-X1": (1, 2), "LG02-X1": (2, 2)}, submitted=True)
        for n in range(20):
            teammate = make_user(Role.PROFESSIONAL, team=big_team)
            make_scan(big_round, teammate, {"LG01-X1": (1, 2), "LG01-X3": (2, 2)}, submitted=n % 2 == 0)
        db.session.commit()
        names = (small_pro.username, big_pro.username)
        rounds = (small_round.id, big_round.id)
    answers = ({}, {"level-LG01-X1": "2", "ambition-LG01-X1": "3", "note-LG01-X1": "Cursus gedaan",
                    "level-LG01-X3": "1", "level-LG01-X2": "2"})
    counts, overview_counts = [], []
    for username, round_id, given in zip(names, rounds, answers, strict=True):
        client = app.test_client()
        login(client, username)
        assert _save(client, round_id, "LG01", given).status_code == 302
        client.get(f"/scan/{round_id}/LG01")
        count_queries.statements.clear()
        assert client.get(f"/scan/{round_id}/LG01").status_code == 200
        counts.append(count_queries.count)
        client.get("/scan")
        count_queries.statements.clear()
        assert client.get("/scan").status_code == 200
        overview_counts.append(count_queries.count)
    assert counts[0] == counts[1]
    assert overview_counts[0] == overview_counts[1]
    saved = _answers(app, names[1])  # the saved section, plus last year's submitted scan
    assert saved["LG01-X1"] == (2, False, 3, "Cursus gedaan") and saved["LG01-X3"][0] == 1
    assert "LG02-X1" in saved
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Scan)) == 2 + 1 + 20


def _big_kenniskaart(items_per_section: int) -> str:
    from tests.kenniskaart.sample import VALID

    head = VALID.split("leefgebieden:")[0].replace("KK-TEST", "KK-BIG").replace("related: [LG01-A1]", "")
    lines = [head + "leefgebieden:"]
    for s in range(1, 13):
        lines.append(f"  - code: LG{s:02d}\n    title: {{nl: Gebied {s}, en: Domain {s}}}\n"
                     f"    description: {{nl: Omschrijving, en: Description}}\n    items:")
        for i in range(1, items_per_section + 1):
            kind = "algemeen" if i % 2 else "specialistisch"
            lines.append(f"      - code: LG{s:02d}-X{i}\n        level: {kind}\n"
                         f"        title: {{nl: Item {i}, en: Item {i}}}\n"
                         f"        description: {{nl: Tekst, en: Text}}\n"
                         f"        levels: {{1: {{nl: een, en: one}}, 2: {{nl: twee, en: two}}}}")
    return "\n".join(lines) + "\n"


def test_the_team_leader_reads_a_members_notes_once_submitted_never_a_draft(app, client, world):
    with app.app_context():
        from scan.assessment.models import ScanRound
        from scan.auth.models import User

        scan_round = db.session.get(ScanRound, world["round"])
        pro = db.session.get(User, world["pro_id"])
        answers = {"GC01": (2, 3), "GC02": (2, 2), "LG01-A1": (2, 2), "LG02-A1": (3, 3)}
        scan = make_scan(scan_round, pro, answers, notes={"GC01": "Cursus gespreksvoering gevolgd"})
        db.session.commit()
        scan_id = scan.id
    url = f"/scans/{scan_id}/antwoorden"
    login(client, world["leader"])
    assert client.get(url).status_code == 403  # a draft stays private
    _, html = _page(client, f"/teams/{world['team']}/rondes/{world['round']}")
    assert url not in html
    with app.app_context():
        db.session.get(Scan, scan_id).status = "submitted"
        db.session.get(Scan, scan_id).submitted_at = db.func.now()
        db.session.commit()
    _, html = _page(client, f"/teams/{world['team']}/rondes/{world['round']}")
    assert f'href="{url}">Antwoorden<span class="visually-hidden"> (Piet Professional)</span></a>' in html
    response, html = _page(client, url)
    assert response.status_code == 200
    assert "<h1 class=\"utrecht-heading-1\">Antwoorden van Piet Professional</h1>" in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert ("GC01 Contact maken Niveau 2 · Basis; ambitie 3 · Gevorderd "
            "Toelichting of bewijs van het teamlid: Cursus gespreksvoering gevolgd") in text
    # Another team's leader, the member and a colleague do not see it.
    with app.app_context():
        other = make_user(Role.TEAMLEIDER, teams=[make_team()])
        db.session.commit()
        other_name = other.username
    for who, status in ((other_name, 403), (world["pro"], 403), (world["colleague"], 403)):
        other_client = app.test_client()
        login(other_client, who)
        assert other_client.get(url).status_code == status, who
