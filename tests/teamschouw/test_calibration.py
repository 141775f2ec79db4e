"""Calibration: the team leader records agreed levels next to the self-assessed ones, with history."""

import re

import pytest
from sqlalchemy import select

from scan.access import Role
from scan.assessment import services as assessment_services
from scan.assessment.models import Answer, Scan, ScanRound
from scan.auth.models import User
from scan.core.clock import today
from scan.extensions import db
from scan.teamschouw import services
from scan.teamschouw.models import Calibration
from scan.teamschouw.plan import queries as plan_queries
from tests.factories import login, make_scan, make_user
from tests.teamschouw.plan_world import base, build, counts, english


@pytest.fixture
def w(app):
    return build(app)


def _rows(app, scan_id):
    with app.app_context():
        rows = db.session.scalars(
            select(Calibration).where(Calibration.scan_id == scan_id).order_by(Calibration.id)
        )
        return [(r.item.code, r.agreed_level, r.note, r.set_by.full_name if r.set_by else None) for r in rows]


def _last_seen(html):
    match = re.search(r'id="last_seen" name="last_seen" type="hidden" value="(\d+)"', html)
    assert match, "no last_seen on the page"
    return match.group(1)


def _typed(html, text):
    """A textarea holding `text` (WTForms starts a textarea with a newline)."""
    return re.search(r">\s*" + re.escape(text) + "</textarea>", html) is not None


def _save(client, url, data, last_seen=None):
    html = client.get(url).get_data(as_text=True)
    form = {"last_seen": last_seen if last_seen is not None else _last_seen(html), **data}
    return client.submit(url, form, page=url)


def test_overview_lists_only_submitted_members_with_their_calibrated_items(app, client, w):
    login(client, w["leader"])
    html = client.get(f"{base(w)}/kalibratie").get_data(as_text=True)
    assert "Anna Aalders" in html and "Bert Bakker" in html
    assert "Cor Claassen" not in html  # a draft stays private
    assert html.count("0 van 5 items") == 2
    assert f'href="{base(w)}/kalibratie/{w["anna_scan"]}"' in html
    _save(client, f"{base(w)}/kalibratie/{w['anna_scan']}", {"agreed-GC01": "3", "agreed-LG01-A1": "2"})
    html = client.get(f"{base(w)}/kalibratie").get_data(as_text=True)
    anna_row = re.search(rf'data-scan="{w["anna_scan"]}">(.*?)</tr>', html, re.S).group(1)
    assert "2 van 5 items" in anna_row


def test_the_page_shows_self_level_and_ambition_read_only_and_a_choice_for_the_agreed_level(client, w):
    login(client, w["leader"])
    html = client.get(f"{base(w)}/kalibratie/{w['anna_scan']}").get_data(as_text=True)
    assert "Kalibratie: Anna Aalders" in html
    gc01 = re.search(r'data-item="GC01">(.*?)</section>', html, re.S).group(1)
    assert '<dd class="app-self-level">2 · Basis</dd>' in gc01
    assert '<dd class="app-self-ambition">3 · Gevorderd</dd>' in gc01
    assert (
        '<select class="utrecht-select utrecht-select--html-select" id="agreed-GC01" name="agreed-GC01">'
        in gc01
    )
    assert '<option selected value="">Geen afgesproken niveau</option>' in gc01
    assert '<option value="4">4 · Expert</option>' in gc01
    assert "Afgesproken niveau (GC01)" in gc01
    assert "Vul nooit namen of gegevens van cliënten in" in gc01
    gc02 = re.search(r'data-item="GC02">(.*?)</section>', html, re.S).group(1)
    assert '<dd class="app-self-ambition">op dit niveau blijven</dd>' in gc02
    # Every item of the map, in all parts.
    for code in ("GC01", "GC02", "LG01-A1", "LG01-S1", "LG02-A1"):
        assert f'data-item="{code}"' in html


def test_one_section_at_a_time(client, w):
    login(client, w["leader"])
    url = f"{base(w)}/kalibratie/{w['bert_scan']}"
    html = client.get(f"{url}?sectie=LG01").get_data(as_text=True)
    assert 'data-item="LG01-A1"' in html and 'data-item="LG01-S1"' in html
    assert 'data-item="GC01"' not in html and 'data-item="LG02-A1"' not in html
    assert f'action="{url}?sectie=LG01"' in html
    assert 'aria-current="page">LG01 · Financien' in html
    s1 = re.search(r'data-item="LG01-S1">(.*?)</section>', html, re.S).group(1)
    assert '<dd class="app-self-level">niet van toepassing</dd>' in s1
    assert client.get(f"{url}?sectie=XX").status_code == 404
    # Saving one section leaves the others alone and comes back to the same section.
    response = _save(client, f"{url}?sectie=LG01", {"agreed-LG01-A1": "3"})
    assert response.headers["Location"].endswith(f"{url}?sectie=LG01")


def test_saving_writes_only_what_changed_and_keeps_who_and_when(app, client, w):
    login(client, w["leader"])
    url = f"{base(w)}/kalibratie/{w['anna_scan']}"
    response = _save(
        client,
        url,
        {"agreed-GC01": "3", "note-GC01": "Besproken in de teamschouw", "agreed-GC02": "", "note-GC02": ""},
    )
    assert response.status_code == 302
    assert _rows(app, w["anna_scan"]) == [("GC01", 3, "Besproken in de teamschouw", "Lies Leider")]
    html = client.get(url).get_data(as_text=True)
    assert "1 wijziging opgeslagen." in html
    assert '<option selected value="3">3 · Gevorderd</option>' in html
    assert _typed(html, "Besproken in de teamschouw")
    # The same again: nothing new.
    _save(client, url, {"agreed-GC01": "3", "note-GC01": "Besproken in de teamschouw"})
    assert "Er is niets gewijzigd." in client.get(url).get_data(as_text=True)
    assert len(_rows(app, w["anna_scan"])) == 1
    # Withdrawn: a new row without a level; the old one stays.
    _save(client, url, {"agreed-GC01": "", "note-GC01": ""})
    assert _rows(app, w["anna_scan"]) == [
        ("GC01", 3, "Besproken in de teamschouw", "Lies Leider"),
        ("GC01", None, "", "Lies Leider"),
    ]
    html = client.get(url).get_data(as_text=True)
    gc01 = re.search(r'data-item="GC01">(.*?)</section>', html, re.S).group(1)
    assert "Geschiedenis: 2 wijzigingen" in gc01
    history = re.findall(r"<li>(.*?)</li>", gc01, re.S)
    assert "Lies Leider: van 3 · Gevorderd naar geen afgesproken niveau" in history[0]
    assert "Lies Leider: van geen afgesproken niveau naar 3 · Gevorderd" in history[1]
    assert "“Besproken in de teamschouw”" in history[1]
    # The self-assessed level is never touched.
    with app.app_context():
        answer = db.session.scalars(
            select(Answer).where(Answer.scan_id == w["anna_scan"], Answer.item_id == w["items"]["GC01"])
        ).one()
        assert (answer.level, answer.ambition) == (2, 3)


def test_errors_keep_what_was_typed_and_save_nothing(app, client, w):
    login(client, w["leader"])
    url = f"{base(w)}/kalibratie/{w['anna_scan']}"
    long_note = "x" * 501
    response = _save(
        client,
        url,
        {"agreed-GC01": "9", "note-GC01": "mijn notitie", "agreed-GC02": "2", "note-GC02": long_note},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Fout:" in html
    assert 'href="#agreed-GC01">GC01 Contact maken: Kies een van de getoonde niveaus' in html
    assert (
        'href="#note-GC02">GC02 Vraagverheldering: Gebruik hoogstens 500 tekens; je gebruikte er 501' in html
    )
    assert _typed(html, "mijn notitie") and _typed(html, long_note)
    assert '<option selected value="2">2 · Basis</option>' in html
    assert 'aria-describedby="note-GC02-hint note-GC02-error"' in html
    assert 'aria-invalid="true"' in re.search(r'<textarea[^>]*id="note-GC02"', html).group(0)
    assert _rows(app, w["anna_scan"]) == []


def test_a_stale_page_does_not_undo_someone_elses_change(app, client, w):
    login(client, w["leader"])
    url = f"{base(w)}/kalibratie/{w['anna_scan']}"
    stale = _last_seen(client.get(url).get_data(as_text=True))
    _save(client, url, {"agreed-GC01": "3"})  # another tab
    response = _save(client, url, {"agreed-GC01": "1", "note-GC01": "uit tab B"}, last_seen=stale)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Iemand anders heeft een kalibratie voor dit teamlid opgeslagen" in html
    assert _typed(html, "uit tab B")
    assert _rows(app, w["anna_scan"]) == [("GC01", 3, "", "Lies Leider")]
    # Saving from the conflict page stores it knowingly.
    response = _save(client, url, {"agreed-GC01": "1", "note-GC01": "uit tab B"}, last_seen=_last_seen(html))
    assert response.status_code == 302
    assert _rows(app, w["anna_scan"])[-1] == ("GC01", 1, "uit tab B", "Lies Leider")


def test_a_draft_is_never_shown_or_calibrated(app, client, w):
    login(client, w["leader"])
    url = f"{base(w)}/kalibratie/{w['cor_scan']}"
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{base(w)}/kalibratie")
    html = client.get(f"{base(w)}/kalibratie").get_data(as_text=True)
    assert "Deze scan is niet ingediend" in html
    before = counts(app)
    token = client.csrf_token(f"{base(w)}/kalibratie")
    response = client.post(url, data={"csrf_token": token, "last_seen": "0", "agreed-GC01": "2"})
    assert response.status_code == 302
    assert counts(app) == before


def test_a_reopened_scan_can_no_longer_be_calibrated(app, client, w):
    with app.app_context():
        scan = db.session.get(Scan, w["anna_scan"])
        leader = db.session.scalars(select(User).where(User.username == w["leader"])).one()
        assessment_services.reopen(scan, leader, "Verkeerd ingevuld", today())
        db.session.commit()
    login(client, w["leader"])
    html = client.get(f"{base(w)}/kalibratie").get_data(as_text=True)
    assert "Anna Aalders" not in html
    assert client.get(f"{base(w)}/kalibratie/{w['anna_scan']}").status_code == 302


def test_a_scan_of_another_round_is_not_found(client, w):
    login(client, w["leader"])
    assert client.get(f"{base(w)}/kalibratie/{w['outsider_scan']}").status_code == 404
    assert client.get(f"{base(w)}/kalibratie/999999").status_code == 404


def test_the_professional_sees_the_agreed_level_next_to_their_own(app, client, w):
    leader = app.test_client()
    login(leader, w["leader"])
    _save(leader, f"{base(w)}/kalibratie/{w['anna_scan']}", {"agreed-GC01": "3", "agreed-LG01-A1": "2"})
    login(client, w["anna"])
    html = client.get(f"/mijn/resultaat/{w['round']}").get_data(as_text=True)
    assert "Niveaus afgesproken met je teamleider" in html
    gc01 = re.search(r'data-item="GC01">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="utrecht-table__cell">(.*?)</td>', gc01)
    assert cells == ["2 · Basis", "3 · Gevorderd"]
    assert 'data-item="LG01-A1"' in html and 'data-item="GC02"' not in html
    # Bert has no agreed levels: no such table.
    bert = app.test_client()
    login(bert, w["bert"])
    assert "Niveaus afgesproken" not in bert.get(f"/mijn/resultaat/{w['round']}").get_data(as_text=True)


def test_in_english(client, w):
    english(client)
    login(client, w["leader"])
    html = client.get(f"{base(w)}/kalibratie/{w['anna_scan']}").get_data(as_text=True)
    assert "Calibration: Anna Aalders" in html
    assert '<option selected value="">No agreed level</option>' in html
    assert '<dd class="app-self-level">2 · Basic</dd>' in html


# --- the service, without HTTP -----------------------------------------------------------------------


def test_calibrate_appends_history_and_refuses_drafts_and_stale_pages(app, w):
    with app.app_context():
        scan = db.session.get(Scan, w["anna_scan"])
        leader = db.session.scalars(select(User).where(User.username == w["leader"])).one()
        gc01, gc02 = w["items"]["GC01"], w["items"]["GC02"]
        Checked = services.CheckedCalibration
        assert services.calibrate(scan, {gc01: Checked(3, ""), gc02: Checked(None, "")}, leader, 0) == 1
        last = plan_queries.last_calibration_id(scan.id)
        assert services.calibrate(scan, {gc01: Checked(4, "na gesprek")}, leader, last) == 1
        with pytest.raises(services.StaleCalibration):
            services.calibrate(scan, {gc01: Checked(2, "")}, leader, last)
        rows = plan_queries.calibrations(scan.id)
        history = services.calibration_history(rows)[gc01]
        assert [(h.before, h.after, h.note, h.by) for h in history] == [
            (3, 4, "na gesprek", "Lies Leider"),
            (None, 3, "", "Lies Leider"),
        ]
        assert {i: c.agreed_level for i, c in services.current_calibrations(rows).items()} == {gc01: 4}
        draft = db.session.get(Scan, w["cor_scan"])
        with pytest.raises(services.NotSubmitted):
            services.calibrate(draft, {gc01: Checked(2, "")}, leader, 0)
        db.session.rollback()


def test_check_calibration_accepts_scale_levels_and_empty_only(app, w):
    with app.app_context():
        from scan.kenniskaart.models import Item

        items = list(
            db.session.scalars(select(Item).where(Item.code.in_(["GC01", "GC02"])).order_by(Item.code))
        )
        given = {
            items[0].id: services.CalibrationInput("4", "  ok  "),
            items[1].id: services.CalibrationInput("abc", ""),
        }
        checked = services.check_calibration(items, [1, 2, 3, 4], given)
        assert checked.values == {items[0].id: services.CheckedCalibration(4, "ok")}
        assert list(checked.errors) == [items[1].id] and "level" in checked.errors[items[1].id]
        empty = services.check_calibration(items, [1, 2, 3, 4], {})
        assert empty.ok and all(v.agreed_level is None for v in empty.values.values())


def test_the_pages_run_a_fixed_number_of_queries(app, client, w, count_queries):
    login(client, w["leader"])
    url = f"{base(w)}/kalibratie/{w['anna_scan']}"
    _save(client, url, {"agreed-GC01": "3"})
    count_queries.statements.clear()
    client.get(f"{base(w)}/kalibratie")
    overview = count_queries.count
    count_queries.statements.clear()
    client.get(url)
    page = count_queries.count
    with app.app_context():
        scan_round = db.session.get(ScanRound, w["round"])
        for _n in range(5):
            make_scan(
                scan_round,
                make_user(Role.PROFESSIONAL, team=scan_round.team),
                {"GC01": (2, 2)},
                submitted=True,
            )
        db.session.commit()
    for level in ("1", "2", "4", ""):
        _save(client, url, {"agreed-GC01": level, "agreed-GC02": level, "note-LG01-A1": f"n{level}"})
    count_queries.statements.clear()
    html = client.get(f"{base(w)}/kalibratie").get_data(as_text=True)
    assert html.count('class="utrecht-table__row" data-scan=') == 7
    assert count_queries.count == overview
    count_queries.statements.clear()
    html = client.get(url).get_data(as_text=True)
    assert "Geschiedenis: 5 wijzigingen" in html
    assert count_queries.count == page


def test_the_leader_sees_the_members_note_of_a_submitted_scan_and_nothing_of_a_draft(app, client, w):
    with app.app_context():
        notes = ((w["anna_scan"], "Casus besproken in intervisie"), (w["cor_scan"], "Concepttekst"))
        for scan_id, note in notes:
            answer = db.session.scalars(select(Answer).where(Answer.scan_id == scan_id)).first()
            answer.note = note
        db.session.commit()
    login(client, w["leader"])
    html = client.get(f"{base(w)}/kalibratie/{w['anna_scan']}").get_data(as_text=True)
    note = re.search(r'<dt>Toelichting of bewijs van het teamlid</dt>\s*<dd class="app-self-note">(.*?)</dd>',
                     html, re.S)
    assert note and note.group(1) == "Casus besproken in intervisie"
    assert html.count("app-self-note") == 1  # only where the member wrote something
    # Cor's scan is a draft: the calibration page refuses it, so the note is never shown anywhere.
    response = client.get(f"{base(w)}/kalibratie/{w['cor_scan']}", follow_redirects=True)
    assert "Concepttekst" not in response.get_data(as_text=True)
