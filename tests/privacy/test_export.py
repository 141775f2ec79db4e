"""Mijn gegevens: the export functions read back, and the downloads as a user gets them."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from scan.access import Role
from scan.assessment.models import ScanEvent
from scan.assessment.personal import AnswerRecord, EventRecord, ScanRecord
from scan.auth.personal import AccountData
from scan.core.files import neutralise
from scan.extensions import db
from scan.privacy.export import CSV_HEADER, PersonalData, render_csv, render_json
from tests.factories import login, make_kenniskaart, make_round, make_scan, make_team, make_user

WHEN = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)


def _data(scans: tuple[ScanRecord, ...] = ()) -> PersonalData:
    account = AccountData(
        username="=cmd|calc",
        full_name="Anna de Vries",
        role="professional",
        team="Wijkteam Noord",
        municipality="Amersfoort",
        language="nl",
        created_at=WHEN,
        last_login_at=None,
    )
    return PersonalData(account, scans, WHEN)


SCAN = ScanRecord(
    round_title="Voorjaar 2027",
    team="Wijkteam Noord",
    opens_on=date(2027, 3, 1),
    closes_on=date(2027, 3, 31),
    status="submitted",
    started_at=WHEN,
    updated_at=WHEN,
    submitted_at=WHEN,
    answers=(
        AnswerRecord("GC01", "Contact maken", "Engaging", "GC", 3, False, 4, "+31 6 ... bellen", WHEN),
        AnswerRecord("LG01-S1", "Stabiliseren", "Stabilising", "LG01", None, True, None, "@collega", WHEN),
        AnswerRecord("GC02", "Vraagverheldering", "Needs assessment", "GC", 2, False, 2, "-", WHEN),
    ),
    events=(
        EventRecord("submitted", WHEN, "Anna de Vries"),
        EventRecord("reopened", WHEN, "Lies", "Typfout"),
    ),
)


def _read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_neutralise_prefixes_formula_starts():
    assert [neutralise(v) for v in ("=1+1", "+31", "-5", "@SUM", "\tx", "gewoon", 3, None)] == [
        "'=1+1",
        "'+31",
        "'-5",
        "'@SUM",
        "'\tx",
        "gewoon",
        "3",
        "",
    ]


def test_csv_has_one_row_per_answer_and_per_event_with_account_and_round_repeated(app_ctx):
    with force_locale("en"):
        body = render_csv(_data((SCAN,)), "en")
        header = [str(h) for h in CSV_HEADER]
    assert b";" in body.split(b"\r\n")[0]
    rows = _read_csv(body)
    assert rows[0] == header
    records = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert [r["Record"] for r in records] == ["Answer", "Answer", "Answer", "Scan event", "Scan event"]
    assert {r["Username"] for r in records} == {"'=cmd|calc"}  # neutralised, in every row
    assert {r["Round"] for r in records} == {"Voorjaar 2027"}
    first, nvt, dash = records[0], records[1], records[2]
    assert (first["Item code"], first["Item"], first["Level"], first["Ambition"]) == (
        "GC01",
        "Engaging",
        "3",
        "4",
    )
    assert first["Note"] == "'+31 6 ... bellen"
    assert (nvt["Level"], nvt["Not applicable"], nvt["Note"]) == ("", "yes", "'@collega")
    assert dash["Note"] == "'-"
    assert records[4]["Event"] == "Reopened" and records[4]["Event reason"] == "Typfout"
    assert records[4]["Event by"] == "Lies" and records[4]["Event at"] == "2027-03-01T10:30:00+01:00"
    assert first["Opens on"] == "2027-03-01" and first["Scan status"] == "Submitted"


def test_csv_in_dutch_uses_dutch_item_titles(app_ctx):
    rows = _read_csv(render_csv(_data((SCAN,)), "nl"))
    assert rows[1][16] == "Contact maken"


def test_csv_of_an_account_without_scans_still_has_the_account(app_ctx):
    rows = _read_csv(render_csv(_data(), "en"))
    assert len(rows) == 2
    assert rows[1][2] == "Anna de Vries" and rows[1][5] == "Amersfoort"


def test_a_scan_without_answers_gets_a_row(app_ctx):
    empty = ScanRecord("Leeg", "Team", date(2027, 1, 1), date(2027, 1, 2), "draft", WHEN, WHEN, None)
    rows = _read_csv(render_csv(_data((empty,)), "en"))
    assert len(rows) == 2 and rows[1][9] == "Leeg"


def test_json_contains_account_scans_answers_and_events():
    data = json.loads(render_json(_data((SCAN,))))
    assert data["account"]["username"] == "=cmd|calc"  # JSON is not a spreadsheet: kept as is
    assert data["account"]["last_login_at"] is None
    assert data["account"]["created_at"] == "2027-03-01T10:30:00+01:00"
    scan = data["scans"][0]
    assert scan["round"] == "Voorjaar 2027" and scan["status"] == "submitted"
    assert [a["item_code"] for a in scan["answers"]] == ["GC01", "LG01-S1", "GC02"]
    assert scan["answers"][0]["item_title"] == {"nl": "Contact maken", "en": "Engaging"}
    assert scan["answers"][1]["not_applicable"] is True and scan["answers"][1]["level"] is None
    assert scan["events"][1] == {
        "kind": "reopened",
        "at": "2027-03-01T10:30:00+01:00",
        "by": "Lies",
        "reason": "Typfout",
    }


# --- the downloads -----------------------------------------------------------------------------


@pytest.fixture
def world(app):
    with app.app_context():
        team = make_team(name="Wijkteam Export")
        version = make_kenniskaart()
        pro = make_user(Role.PROFESSIONAL, team=team, full_name="Eva Export", username="eva")
        other = make_user(Role.PROFESSIONAL, team=team, full_name="Geheim Collega", username="collega")
        leader = make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
        coordinator = make_user(Role.REGIOCOORDINATOR)
        scan_round = make_round(team, version, title="Ronde Export")
        scan = make_scan(
            scan_round,
            pro,
            {"GC01": (3, 4), "LG01-S1": (None, None)},
            submitted=True,
            notes={"GC01": '=HYPERLINK("x")'},
        )
        db.session.add(
            ScanEvent(scan_id=scan.id, kind="reopened", actor_id=leader.id, reason="Graag aanvullen")
        )
        make_scan(scan_round, other, {"GC01": (1, 1)}, notes={"GC01": "GEHEIME NOTITIE"})
        db.session.commit()
        return {"pro": pro.username, "leader": leader.username, "coordinator": coordinator.username}


def _english(client) -> None:
    client.submit("/taal", {"lang": "en", "next": "/mijn"}, page="/inloggen")


def test_json_download_has_my_data_and_nobody_elses(client, world):
    login(client, world["pro"])
    response = client.get("/mijn/gegevens.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert re.fullmatch(r'attachment; filename="ontwikkelscan-mijn-gegevens-\d{4}-\d\d-\d\d\.json"',
                        response.headers["Content-Disposition"])
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert data["account"]["username"] == "eva" and data["account"]["team"] == "Wijkteam Export"
    assert [s["round"] for s in data["scans"]] == ["Ronde Export"]
    answers = {a["item_code"]: a for a in data["scans"][0]["answers"]}
    assert answers["GC01"]["level"] == 3 and answers["GC01"]["note"] == '=HYPERLINK("x")'
    assert answers["LG01-S1"]["not_applicable"] is True
    assert data["scans"][0]["events"][0]["by"] == "Lies Leider"
    assert data["scans"][0]["events"][0]["reason"] == "Graag aanvullen"
    assert "GEHEIME NOTITIE" not in text and "Geheim Collega" not in text and "collega" not in text


def test_csv_download_has_my_answers_with_formulas_neutralised(client, world):
    _english(client)
    login(client, world["pro"])
    response = client.get("/mijn/gegevens.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert re.fullmatch(r'attachment; filename="ontwikkelscan-mijn-gegevens-\d{4}-\d\d-\d\d\.csv"',
                        response.headers["Content-Disposition"])
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    rows = _read_csv(body)
    header = rows[0]
    assert header[:3] == ["Record", "Username", "Full name"]
    records = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    answers = {r["Item code"]: r for r in records if r["Record"] == "Answer"}
    assert set(answers) == {"GC01", "LG01-S1"}
    assert answers["GC01"]["Note"] == '\'=HYPERLINK("x")'
    assert answers["GC01"]["Item"] == "Engaging" and answers["GC01"]["Team"] == "Wijkteam Export"
    events = [r for r in records if r["Record"] == "Scan event"]
    assert [(e["Event"], e["Event by"]) for e in events] == [("Reopened", "Lies Leider")]
    assert b"GEHEIME NOTITIE" not in body and b"Geheim Collega" not in body


def test_my_data_page_explains_and_offers_downloads(client, world):
    _english(client)
    login(client, world["pro"])
    response = client.get("/mijn/gegevens")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "What is stored about you" in html
    assert 'href="/mijn/gegevens.json"' in html and 'href="/mijn/gegevens.csv"' in html
    assert "Eva Export" in html and "Ronde Export" in html
    assert "Geheim Collega" not in html


@pytest.mark.parametrize("who", ["leader", "coordinator"])
def test_every_role_can_download_its_own_data(client, world, who):
    login(client, world[who])
    assert client.get("/mijn/gegevens").status_code == 200
    data = json.loads(client.get("/mijn/gegevens.json").get_data())
    assert data["scans"] == []
    assert "Eva Export" not in json.dumps(data)
    if who == "leader":
        assert data["account"]["led_teams"] == ["Wijkteam Export"]
    rows = _read_csv(client.get("/mijn/gegevens.csv").get_data())
    # Header, the account, the login session just started, and what the audit log recorded of this visit.
    kinds = [row[0] for row in rows[1:]]
    assert kinds[:2] == ["Account", "Inlogsessie"] and set(kinds[2:]) == {"Logboek"}
    assert [e["action"] for e in data["audit_log"]][:1] == ["login"]
    assert len(data["login_sessions"]) == 1 and data["login_sessions"][0]["ended_at"] is None


def test_anonymous_visitors_get_no_data(client, world):
    for url in ("/mijn/gegevens", "/mijn/gegevens.json", "/mijn/gegevens.csv"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen?next=")


def test_agreed_levels_agreements_and_logins_are_part_of_my_data(app, client):
    """Everything the teamschouw recorded about me is mine to see too."""
    from sqlalchemy import select

    from scan.access import Role
    from scan.extensions import db
    from scan.kenniskaart.models import Item
    from scan.teamschouw.models import Agreement, Calibration
    from tests.factories import make_round, make_scan, make_team, make_user

    with app.app_context():
        team = make_team()
        leader = make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
        pro = make_user(Role.PROFESSIONAL, team=team, full_name="Piet Pro")
        other = make_user(Role.PROFESSIONAL, team=team, full_name="Olga Ander")
        scan_round = make_round(team)
        scan = make_scan(scan_round, pro, {"GC01": (2, 3)}, submitted=True)
        other_scan = make_scan(scan_round, other, {"GC01": (1, 1)}, submitted=True)
        gc01 = db.session.scalars(select(Item).where(Item.code == "GC01")).one()
        db.session.add_all([
            Calibration(scan_id=scan.id, item_id=gc01.id, agreed_level=3, note="samen besproken",
                        set_by_id=leader.id),
            Calibration(scan_id=other_scan.id, item_id=gc01.id, agreed_level=2, note="over Olga",
                        set_by_id=leader.id),
            Agreement(round_id=scan_round.id, kind="vraagbaak", member_id=pro.id,
                      section_id=gc01.section_id, consent="pending"),
            Agreement(round_id=scan_round.id, kind="grow", member_id=other.id, text="Olga groeit"),
        ])
        db.session.commit()
        username = pro.username
    login(client, username)
    data = json.loads(client.get("/mijn/gegevens.json").get_data())
    agreed = data["scans"][0]["agreed_levels"]
    assert [(a["item_code"], a["agreed_level"], a["note"], a["by"]) for a in agreed] == [
        ("GC01", 3, "samen besproken", "Lies Leider")
    ]
    assert [(g["kind"], g["theme_code"], g["consent"]) for g in data["team_agreements"]] == [
        ("vraagbaak", "GC", "pending")
    ]
    text = json.dumps(data)
    assert "Olga" not in text and "over Olga" not in text
    rows = _read_csv(client.get("/mijn/gegevens.csv").get_data())
    kinds = [row[0] for row in rows[1:]]
    assert "Afgesproken niveau" in kinds and "Teamafspraak" in kinds and "Inlogsessie" in kinds
    calibration_row = next(row for row in rows if row[0] == "Afgesproken niveau")
    assert {"GC01", "samen besproken", "Lies Leider"} <= set(calibration_row)
