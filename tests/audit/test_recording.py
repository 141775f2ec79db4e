"""Every action the issue names is recorded where it happens: who, what, on which object, from where.

Each test does the real thing through the app, then reads the row back. No row ever holds text a
professional typed (notes, goals, reasons)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from scan.access import Role
from scan.audit import actions
from scan.catalogue.models import Training, TrainingItem
from scan.extensions import db
from scan.pop.models import PopStatus
from tests.audit.helpers import events, one
from tests.factories import PASSWORD, login, make_kenniskaart, make_region, make_round, make_scan, make_user
from tests.pop.world import build as pop_world
from tests.pop.world import make_pop
from tests.teamschouw.plan_world import base
from tests.teamschouw.plan_world import build as plan_world

LOCAL = "127.0.0.1"


# --- logging in and out ---


def _account(app: Any, role: Role = Role.PROFESSIONAL, **extra: Any) -> tuple[str, int]:
    with app.app_context():
        user = make_user(role, **extra)
        db.session.commit()
        return user.username, user.id


def test_a_login_and_a_logout_are_recorded(app: Any, client: Any) -> None:
    username, user_id = _account(app)
    assert login(client, username).status_code == 302
    row = one(app, actions.LOGIN)
    assert (row.actor_id, row.actor_name, row.address) == (user_id, username, LOCAL)
    client.submit("/uitloggen", page="/mijn/gegevens")
    row = one(app, actions.LOGOUT)
    assert (row.actor_id, row.actor_name, row.address) == (user_id, username, LOCAL)


def test_a_failed_login_is_recorded_with_the_typed_name(app: Any, client: Any) -> None:
    username, user_id = _account(app)
    assert login(client, username, "niet-het-goede-wachtwoord").status_code == 200
    login(client, "  Niemand.Bekend ", PASSWORD)
    known, unknown = events(app, actions.LOGIN_FAILED)
    assert (known.actor_id, known.actor_name, known.address) == (user_id, username, LOCAL)
    assert (unknown.actor_id, unknown.actor_name, unknown.address) == (None, "Niemand.Bekend", LOCAL)
    assert "niet-het-goede-wachtwoord" not in known.detail and PASSWORD not in unknown.detail
    assert events(app, actions.LOGIN) == []


def test_a_deactivated_account_logging_in_is_a_failed_login(app: Any, client: Any) -> None:
    username, user_id = _account(app, active=False)
    login(client, username)
    row = one(app, actions.LOGIN_FAILED)
    assert row.actor_id == user_id and events(app, actions.LOGIN) == []


def test_throttled_logins_are_recorded_as_failed(app: Any, client: Any) -> None:
    username, _user_id = _account(app)
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 1):
        login(client, username, "fout-fout-fout-fout")
    rows = events(app, actions.LOGIN_FAILED)
    assert rows[-1].facts == {"reason": "throttled"}


# --- the scan: submit and reopen ---


@pytest.fixture
def w(app: Any) -> dict[str, Any]:
    return plan_world(app)


def test_submitting_a_scan_is_recorded(app: Any, client: Any, w: dict[str, Any]) -> None:
    login(client, w["cor"])
    url = f"/scan/{w['round']}/indienen"
    # Cor's draft answers only GC01: fill in the rest, with a note that must never reach the log.
    for section, data in (("GC", {"level-GC01": "4", "level-GC02": "2", "note-GC02": "Mijn geheime notitie"}),
                          ("LG01", {"level-LG01-A1": "2", "level-LG01-S1": "nvt"}),
                          ("LG02", {"level-LG02-A1": "2"})):
        page = f"/scan/{w['round']}/{section}"
        html = client.get(page).get_data(as_text=True)
        lock = html.split('name="lock_version" type="hidden" value="')[1].split('"')[0]
        assert client.submit(page, {"lock_version": lock, "action": "save", **data}).status_code == 302
    assert client.submit(url).status_code == 302
    row = one(app, actions.SCAN_SUBMIT)
    assert (row.actor_id, row.object_type, row.object_id) == (w["cor_id"], "scan", str(w["cor_scan"]))
    assert row.facts == {"round": w["round"]} and row.address == LOCAL


def test_reopening_a_scan_is_recorded_without_the_reason(app: Any, client: Any, w: dict[str, Any]) -> None:
    login(client, w["leader"])
    url = f"/scans/{w['anna_scan']}/heropenen"
    assert client.submit(url, {"reason": "Niveau GC02 samen besproken"}).status_code == 302
    row = one(app, actions.SCAN_REOPEN)
    assert (row.actor_id, row.actor_name) == (w["leader_id"], w["leader"])
    assert (row.object_type, row.object_id, row.address) == ("scan", str(w["anna_scan"]), LOCAL)
    assert "besproken" not in row.detail


# --- the teamschouw: calibration and the report ---


def test_a_calibration_is_recorded_without_its_note(app: Any, client: Any, w: dict[str, Any]) -> None:
    login(client, w["leader"])
    url = f"{base(w)}/kalibratie/{w['anna_scan']}"
    html = client.get(url).get_data(as_text=True)
    seen = html.split('id="last_seen" name="last_seen" type="hidden" value="')[1].split('"')[0]
    form = {"last_seen": seen, "agreed-GC01": "3", "note-GC01": "Besproken in het overleg",
            "agreed-LG01-A1": "2"}
    assert client.submit(url, form, page=url).status_code == 302
    row = one(app, actions.CALIBRATE)
    assert (row.actor_id, row.object_type, row.object_id) == (w["leader_id"], "scan", str(w["anna_scan"]))
    assert row.facts == {"items": 2} and row.address == LOCAL
    # Saving without a change records nothing.
    html = client.get(url).get_data(as_text=True)
    seen = html.split('id="last_seen" name="last_seen" type="hidden" value="')[1].split('"')[0]
    client.submit(url, {**form, "last_seen": seen}, page=url)
    assert len(events(app, actions.CALIBRATE)) == 1


def test_the_team_report_download_is_recorded(app: Any, client: Any, w: dict[str, Any]) -> None:
    login(client, w["leader"])
    response = client.get(f"{base(w)}/rapport.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    row = one(app, actions.EXPORT)
    assert (row.actor_id, row.object_type, row.object_id) == (
        w["leader_id"], "teamschouw.pdf", str(w["team"]))
    assert row.facts == {"round": w["round"]} and row.address == LOCAL


# --- the POP: signing and the PDF ---


@pytest.fixture
def pw(app: Any) -> dict[str, Any]:
    return pop_world(app)


def test_signing_a_pop_is_recorded_for_each_signer(app: Any, pw: dict[str, Any]) -> None:
    ids = make_pop(app, pw, status=PopStatus.AGREED)
    anna, lies = app.test_client(), app.test_client()
    login(anna, pw["anna"])
    login(lies, pw["leader"])
    sign = f"/pop/{ids['pop']}/ondertekenen"
    assert anna.submit(sign, {"password": "niet-mijn-wachtwoord"}).status_code == 422
    assert events(app, actions.POP_SIGN) == []  # a wrong password signs nothing
    assert anna.submit(sign, {"password": PASSWORD}).status_code == 302
    assert lies.submit(sign, {"password": PASSWORD}).status_code == 302
    professional, leader = events(app, actions.POP_SIGN)
    assert (professional.actor_id, professional.object_type, professional.object_id) == (
        pw["anna_id"], "pop", str(ids["pop"]))
    assert professional.facts == {"version": 1, "signed_as": "professional"} and professional.address == LOCAL
    assert (leader.actor_id, leader.object_id) == (pw["leader_id"], str(ids["pop"]))
    assert leader.facts == {"version": 1, "signed_as": "teamleider"}
    for row in (professional, leader):
        assert "Beter contact maken" not in row.detail and "Training volgen" not in row.detail


def test_the_pop_pdf_download_is_recorded(app: Any, client: Any, pw: dict[str, Any]) -> None:
    ids = make_pop(app, pw)
    login(client, pw["anna"])
    assert client.get(f"/pop/{ids['pop']}/pop.pdf").status_code == 200
    row = one(app, actions.EXPORT)
    assert (row.actor_id, row.object_type, row.object_id) == (pw["anna_id"], "pop.pdf", str(ids["pop"]))
    assert row.facts == {"version": 1} and row.address == LOCAL
    assert "Beter contact maken" not in row.detail


# --- Mijn gegevens ---


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_downloading_my_data_is_recorded(app: Any, client: Any, kind: str) -> None:
    with app.app_context():
        user = make_user(Role.PROFESSIONAL)
        make_scan(make_round(user.team, make_kenniskaart()), user, {"GC01": (2, 3)}, submitted=True,
                  notes={"GC01": "Heel persoonlijke notitie"})
        db.session.commit()
        username, user_id = user.username, user.id
    login(client, username)
    response = client.get(f"/mijn/gegevens.{kind}")
    assert response.status_code == 200 and "Heel persoonlijke notitie" in response.get_data(as_text=True)
    row = one(app, actions.EXPORT)
    assert (row.actor_id, row.object_type, row.object_id) == (user_id, f"mijn-gegevens.{kind}", str(user_id))
    assert row.address == LOCAL and "notitie" not in row.detail


# --- the training catalogue ---


FORM = {"code": "tr26", "title": "Schuldhulp verdieping", "provider": "Leerplein", "type": "e-learning",
        "level": "specialistisch", "hours": "7,5", "cost": "12,50", "points": "7", "min_group": "",
        "max_group": "", "items": "GC01", "active": "y"}


@pytest.fixture
def catalogue_admin(app: Any, client: Any) -> tuple[Any, int, int]:
    with app.app_context():
        make_kenniskaart()
        admin = make_user(Role.BEHEERDER)
        training = Training(region_id=make_region().id, code="TR01", title="Motiverende gespreksvoering",
                            provider="Lindewaard",
                            type="training", level="algemeen", hours=Decimal("21"), cost_cents=95000,
                            points=21, min_group=8, max_group=14, item_codes=[TrainingItem(item_code="GC01")])
        db.session.add(training)
        db.session.commit()
        admin_id, training_id, username = admin.id, training.id, admin.username
    login(client, username)
    return client, admin_id, training_id


def test_catalogue_changes_are_recorded(app: Any, catalogue_admin: tuple[Any, int, int]) -> None:
    client, admin_id, training_id = catalogue_admin
    assert client.submit("/catalogus/nieuw", FORM).status_code == 302
    edit = f"/catalogus/{training_id}/wijzigen"
    changed = {**FORM, "code": "TR01", "title": "Motiverende gespreksvoering", "hours": "24", "cost": "950"}
    assert client.submit(edit, changed).status_code == 302
    assert client.submit(f"/catalogus/{training_id}/deactiveren", page="/catalogus/").status_code == 302
    activate = client.submit(f"/catalogus/{training_id}/activeren", page="/catalogus/?toon=all")
    assert activate.status_code == 302
    rows = events(app, actions.CATALOGUE_CHANGE)
    assert [r.facts for r in rows] == [
        {"change": "created", "code": "TR26"},
        {"code": "TR01",
         "fields": ["provider", "type", "level", "hours", "points", "min_group", "max_group"]},
        {"change": "deactivated", "code": "TR01"},
        {"change": "activated", "code": "TR01"},
    ]
    assert all(r.actor_id == admin_id and r.address == LOCAL and r.object_type == "training" for r in rows)
    assert {r.object_id for r in rows[1:]} == {str(training_id)}


def test_a_confirmed_catalogue_import_is_recorded(app: Any, catalogue_admin: tuple[Any, int, int]) -> None:
    import io
    import re

    client, admin_id, _training_id = catalogue_admin
    header = ("code;titel;aanbieder;type;niveau;uren;kosten in euro;punten;groep minimaal;groep maximaal;"
              "items;actief")
    data = "\n".join([header, "TR30;Budgetcoaching;Leerplein;e-learning;;2,5;45,5;2;;;LG01-A1;ja"]) + "\n"
    preview = client.submit("/catalogus/import", {"file": (io.BytesIO(data.encode("utf-8-sig")), "c.csv")},
                            content_type="multipart/form-data").get_data(as_text=True)
    assert events(app, actions.CATALOGUE_CHANGE) == []  # a preview changes nothing
    payload = re.search(r'name="payload"[^>]*value="([^"]+)"', preview).group(1)
    client.submit("/catalogus/import/bevestigen", {"payload": payload}, page="/catalogus/import")
    row = one(app, actions.CATALOGUE_CHANGE)
    assert (row.actor_id, row.object_type, row.address) == (admin_id, "catalogue.import", LOCAL)
    assert row.facts == {"added": 1, "changed": 0, "unchanged": 0}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_catalogue_exports_are_recorded(app: Any, catalogue_admin: tuple[Any, int, int], kind: str) -> None:
    client, admin_id, _training_id = catalogue_admin
    assert client.get(f"/catalogus/export.{kind}").status_code == 200
    row = one(app, actions.EXPORT)
    assert (row.actor_id, row.object_type, row.facts, row.address) == (
        admin_id, f"catalogue.{kind}", {"rows": 1}, LOCAL)


# --- the regional exports ---


@pytest.mark.parametrize(
    ("url", "kind"),
    [("/regio/scholingsplan.xlsx", "regio.xlsx"),
     ("/regio/export/scholingsplan.csv", "regio.scholingsplan.csv"),
     ("/regio/scholingsplan.pdf", "regio.pdf")],
)
def test_regional_exports_are_recorded(app: Any, client: Any, url: str, kind: str) -> None:
    from datetime import date

    from scan.core.clock import today
    from scan.regio import periods, publish

    with app.app_context():
        region = make_region()
        coordinator = make_user(Role.REGIOCOORDINATOR, region=region)
        period = periods.add(region.id, "voorjaar 2020", date(2020, 1, 1), date(2020, 6, 30))
        publication_id = publish.publish(period, None, today()).id
        db.session.commit()
        username, user_id, region_id = coordinator.username, coordinator.id, region.id
    login(client, username)
    assert client.get(url).status_code == 200
    assert client.get(f"{url}?publication={publication_id}&level=algemeen").status_code == 200
    plain, chosen = events(app, actions.EXPORT)
    assert (plain.actor_id, plain.object_type, plain.object_id, plain.address) == (
        user_id, kind, str(region_id), LOCAL)
    assert plain.facts == {"selection": "default"}
    assert chosen.facts == {"publication": str(publication_id), "level": "algemeen"}
