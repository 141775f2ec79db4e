"""What the fuzz tests found, pinned as plain examples: each was a server error (500, or 503 for a query
SQLite would not run) before its fix."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pytest

from tests.factories import PASSWORD, login
from tests.fuzz.helpers import check_answer, post, rejected, send_and_check
from tests.teamschouw.plan_world import base

HUGE = "9" * 40
PAST_INT = "2147483648"  # one past PostgreSQL's integer
PAST_64_BITS = "9223372036854775808"  # one past SQLite's integer
NOT_ASCII = "²"  # str.isdigit() says yes, int() says no


def _refused_and_unchanged(app: Any, client: Any, send: Any) -> Any:
    response = send_and_check(app, client, send, never_writes=True)
    assert rejected(client, response), response.status_code
    return response


# --- NUL characters: PostgreSQL text cannot hold them ---------------------------------------------------


def test_a_nul_character_anywhere_is_refused_before_the_view(app, world, browser):
    visitor = app.test_client()
    token = visitor.csrf_token("/inloggen")
    # Even a failed login records nothing: the request never reaches the view.
    response = _refused_and_unchanged(app, visitor, lambda: post(visitor, "/inloggen", token, [
        ("username", f"{world['anna']}\x00"), ("password", PASSWORD)]))
    assert response.status_code == 400
    client, token = browser(world["leader"])
    url = f"{base(world)}/sessie"
    response = _refused_and_unchanged(app, client, lambda: post(client, url, token, [
        ("held_on", "2027-03-14"), ("notes", "ok"), ("decisions", "a\x00b")]))
    assert response.status_code == 400
    admin, _token = browser(world["admin"])
    assert admin.get("/beheer/logboek/?person=be%00heer").status_code == 400
    assert admin.get("/beheer/accounts?q=%00").status_code == 400


def test_a_nul_character_in_a_file_name_is_refused(app, world, browser):
    client, token = browser(world["admin"])
    data = {"csrf_token": token, "file": (io.BytesIO(b"username;role\n"), "a\x00.csv")}
    response = send_and_check(app, client, lambda: client.post("/beheer/accounts/import", data=data,
                                                              content_type="multipart/form-data"),
                              never_writes=True)
    assert response.status_code == 400


# --- numbers that are no ids: out of range, or not ASCII digits ------------------------------------------


@pytest.mark.parametrize("lock", [HUGE, PAST_64_BITS, PAST_INT, NOT_ASCII])
def test_a_scan_part_with_a_lock_version_out_of_range_is_a_conflict(app, world, browser, lock):
    client, token = browser(world["cor"])
    url = f"/scan/{world['round']}/GC"
    form = [("level-GC01", "3"), ("ambition-GC01", "4"), ("level-GC02", "2"), ("lock_version", lock),
            ("action", "save")]
    response = _refused_and_unchanged(app, client, lambda: post(client, url, token, form))
    assert response.status_code == 409


@pytest.mark.parametrize("level", [NOT_ASCII, "٣", HUGE])
def test_a_scan_level_that_is_no_number_is_an_error_at_the_field(app, world, browser, level):
    client, token = browser(world["cor"])
    url = f"/scan/{world['round']}/GC"
    form = [("level-GC01", level), ("ambition-GC01", level), ("lock_version", "1"), ("action", "save")]
    response = _refused_and_unchanged(app, client, lambda: post(client, url, token, form))
    assert response.status_code == 422
    assert "Kies een van de getoonde niveaus" in response.get_data(as_text=True)


@pytest.mark.parametrize("ident", [HUGE, PAST_64_BITS, PAST_INT, NOT_ASCII])
def test_teamschouw_forms_with_ids_that_name_nothing(app, world, browser, ident):
    client, token = browser(world["leader"])
    forms = {
        "afspraken/groei": [("grow-member", str(world["anna_id"])), ("grow-section", ident)],
        "afspraken/vraagbaak": [("vraagbaak-member", ident),
                                ("vraagbaak-target", f"item:{world['items']['GC01']}")],
        "prioriteiten/toevoegen": [("priority-target", f"item:{ident}"), ("priority-reason", "Waarom")],
    }
    for path, form in forms.items():
        url = f"{base(world)}/{path}"
        response = _refused_and_unchanged(app, client, lambda u=url, f=form: post(client, u, token, f))
        assert response.status_code == 422, path


@pytest.mark.parametrize("seen", [HUGE, PAST_64_BITS, NOT_ASCII])
def test_a_calibration_with_a_last_seen_out_of_range_is_saved_knowingly_or_refused(app, world, browser, seen):
    client, token = browser(world["leader"])
    url = f"{base(world)}/kalibratie/{world['anna_scan']}"
    response = post(client, url, token, [("agreed-GC01", NOT_ASCII), ("last_seen", seen)])
    check_answer(response)
    assert response.status_code == 422  # the level is no level
    response = post(client, url, token, [("agreed-GC01", "3"), ("last_seen", seen)])
    check_answer(response)
    assert response.status_code in (302, 409)


@pytest.mark.parametrize("item", [HUGE, PAST_64_BITS, NOT_ASCII])
def test_a_pop_goal_with_an_item_that_is_no_id(app, world, browser, item):
    from tests.pop.world import make_pop

    ids = make_pop(app, world)
    client, token = browser(world["anna"])
    url = f"/pop/{ids['pop']}/doelen"
    response = _refused_and_unchanged(app, client, lambda: post(client, url, token, [
        ("goal-item", item), ("goal-description", "Leren")]))
    assert response.status_code == 422


@pytest.mark.parametrize("team", [HUGE, PAST_64_BITS, NOT_ASCII])
def test_an_account_with_a_team_that_is_no_id(app, world, browser, team):
    client, token = browser(world["admin"])
    form = [("username", "nieuw.account"), ("full_name", "Nieuw Account"), ("role", "professional"),
            ("team", team)]
    url = "/beheer/accounts/nieuw"
    response = _refused_and_unchanged(app, client, lambda: post(client, url, token, form))
    assert response.status_code == 200 and "<title>Fout:" in response.get_data(as_text=True)
    response = client.get(f"/beheer/accounts?team={team}")
    assert response.status_code == 200


def test_the_account_search_takes_any_length(app, world, browser):
    client, _token = browser(world["admin"])
    # SQLite refuses a LIKE pattern over 50,000 bytes; the search is cut to a sensible length first.
    response = client.get("/beheer/accounts?q=" + "x" * 60_000)
    check_answer(response)
    assert response.status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "31-12-9999"])
def test_the_audit_filter_at_the_ends_of_the_calendar(app, world, browser, day):
    client, _token = browser(world["admin"])
    for path in ("/beheer/logboek/", "/beheer/logboek/export.csv"):
        response = client.get(f"{path}?first={day}&last={day}")
        check_answer(response)
        assert response.status_code == 200, path
    page = client.get(f"/beheer/logboek/?last={day}").get_data(as_text=True)
    assert "Vul een datum in zoals 31-12-2027." in page


def test_login_still_works(app, world):
    client = app.test_client()
    assert login(client, world["anna"]).status_code == 302


@pytest.mark.parametrize("target", ["/mijn\r\nSet-Cookie: x=1", "/mijn\n", "/\tmijn", "/mijn\x7f"])
def test_a_return_address_with_control_characters_goes_home(app, world, browser, target):
    client, token = browser(world["anna"])
    response = post(client, "/taal", token, [("lang", "en"), ("next", target)])
    check_answer(response)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    visitor = app.test_client()
    page = f"/inloggen?next={quote(target, safe='/')}"
    response = post(visitor, page, visitor.csrf_token("/inloggen"),
                    [("username", world["anna"]), ("password", PASSWORD)])
    check_answer(response)
    assert response.status_code == 302 and response.headers["Location"] == "/mijn"
