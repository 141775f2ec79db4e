"""Several app servers behind a load balancer on one database: a user moves between them mid-scan.

Servers A and B are separate gunicorn processes (deploy/gunicorn.conf.py, production mode) on the test
database (SQLite file or PostgreSQL). Nothing is shared between them but the database and SECRET_KEY,
so whatever works here works with any number of servers and workers.
"""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from scan.access import Role
from scan.assessment.models import Answer, Scan
from scan.auth.models import LoginFailure, User, UserSession
from scan.extensions import db
from tests.factories import PASSWORD, make_round, make_team, make_user
from tests.production.servers import AppServer, Browser, Page

WRONG_PASSWORD = "dit-is-niet-het-wachtwoord"
NOT_CORRECT = "De gebruikersnaam of het wachtwoord klopt niet."
THROTTLED = "Te veel mislukte pogingen. Wacht 15 minuten en probeer het dan opnieuw."
CONFLICT = "ergens anders opgeslagen (in een ander tabblad of op een ander apparaat)"


def _world(app) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A professional with an open round, committed so the server processes see it."""
    with app.app_context():
        team = make_team(name="Wijkteam Twee Servers")
        pro = make_user(Role.PROFESSIONAL, team=team, full_name="Sanne Serverwissel")
        scan_round = make_round(team, title="Ontwikkelscan najaar 2027")
        db.session.commit()
        return {"username": pro.username, "user_id": pro.id, "round": scan_round.id}


def _check(page: Page, status: int, *texts: str) -> Page:
    assert page.status == status, page.context()
    for text in texts:
        assert text in page.text, f"{text!r} not on the page\n{page.context()}"
    return page


def _log_in(browser: Browser, server: AppServer, username: str, password: str = PASSWORD) -> Page:
    return browser.submit(server, "/inloggen", {"username": username, "password": password})


def _save(browser: Browser, server: AppServer, url: str, lock: str, answers: dict[str, str]) -> Page:
    """Save a scan page on `server` with the lock version the user's page carried."""
    token = browser.get(server, url).csrf_token()
    return browser.request(server, "POST", url, form={"csrf_token": token, "lock_version": lock,
                                                      "action": "save", **answers})


def _answers(app, user_id: int) -> dict[str, tuple[int | None, bool, int | None, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.scalars(select(Answer).join(Scan).where(Scan.user_id == user_id))
        return {a.item.code: (a.level, a.not_applicable, a.ambition, a.note) for a in rows}


def test_a_logged_in_user_moves_between_two_servers_mid_scan(app, servers):
    a, b = servers
    world = _world(app)
    browser = Browser()
    gc, lg01 = f"/scan/{world['round']}/GC", f"/scan/{world['round']}/LG01"

    # Log in on A: a production cookie (Secure) and HSTS, so this really is production mode.
    response = _log_in(browser, a, world["username"])
    assert response.status == 302 and response.location.endswith("/mijn"), response.context()
    assert "Secure" in browser.set_cookie_headers[-1] and "HttpOnly" in browser.set_cookie_headers[-1]
    assert response.header("Strict-Transport-Security")
    _check(browser.get(a, "/scan"), 200, "Mijn scan", "Ontwikkelscan najaar 2027",
           "0 van 5 items ingevuld")

    # Save the first part on A.
    page = _check(browser.get(a, gc), 200, "Generieke competenties", "Deel 1 van 3")
    assert page.form().values["lock_version"] == "0"
    response = _save(browser, a, gc, "0", {"level-GC01": "2", "ambition-GC01": "3",
                                           "note-GC01": "Gesprekstraining gevolgd op A", "level-GC02": "3",
                                           "ambition-GC02": "stay"})
    assert response.status == 302 and response.location.endswith(gc), response.context()
    _check(browser.get(a, gc), 200, "Opgeslagen.")

    # The same cookie on B: B shows the draft with A's values.
    page = _check(browser.get(b, gc), 200, "Generieke competenties")
    form = page.form()
    assert form.checked["level-GC01"] == "2" and form.checked["ambition-GC01"] == "3"
    assert form.checked["level-GC02"] == "3" and form.checked["ambition-GC02"] == "stay"
    assert form.textareas["note-GC01"] == "Gesprekstraining gevolgd op A"
    _check(browser.get(b, "/scan"), 200, "2 van 5 items ingevuld")

    # A page of the next part, opened on A before B saves it (a tab left open).
    stale_lock = browser.get(a, lg01).form().values["lock_version"]

    # B saves the next part with the lock version from B's page.
    page = _check(browser.get(b, lg01), 200, "Financien", "Deel 2 van 3")
    lock_on_b = page.form().values["lock_version"]
    assert lock_on_b == stale_lock != "0"
    saved_lock = str(int(lock_on_b) + 1)  # what B's save makes it
    response = _save(browser, b, lg01, lock_on_b, {
        "level-LG01-A1": "3", "ambition-LG01-A1": "4", "note-LG01-A1": "Schuldhulp via B",
        "level-LG01-S1": "nvt",
    })
    assert response.status == 302 and response.location.endswith(lg01), response.context()

    # A shows both parts as saved.
    form = _check(browser.get(a, lg01), 200, "Financien").form()
    assert form.checked["level-LG01-A1"] == "3" and form.checked["level-LG01-S1"] == "nvt"
    assert form.textareas["note-LG01-A1"] == "Schuldhulp via B"
    assert form.values["lock_version"] == saved_lock
    form = browser.get(a, gc).form()
    assert form.checked["level-GC01"] == "2"
    assert form.textareas["note-GC01"] == "Gesprekstraining gevolgd op A"
    _check(browser.get(a, "/scan"), 200, "4 van 5 items ingevuld")

    # The tab on A that was opened before B's save: refused, with the typed values kept.
    response = _save(browser, a, lg01, stale_lock, {
        "level-LG01-A1": "1", "ambition-LG01-A1": "stay", "note-LG01-A1": "Oude pagina op A",
        "level-LG01-S1": "nvt",
    })
    _check(response, 409, CONFLICT)
    form = response.form()
    assert form.checked["level-LG01-A1"] == "1" and form.checked["ambition-LG01-A1"] == "stay"
    assert form.textareas["note-LG01-A1"] == "Oude pagina op A"
    assert form.values["lock_version"] == saved_lock  # saving again now overwrites knowingly

    assert _answers(app, world["user_id"]) == {
        "GC01": (2, False, 3, "Gesprekstraining gevolgd op A"),
        "GC02": (3, False, 3, ""),
        "LG01-A1": (3, False, 4, "Schuldhulp via B"),
        "LG01-S1": (None, True, None, ""),
    }
    with app.app_context():
        scan = db.session.scalars(select(Scan).where(Scan.user_id == world["user_id"])).one()
        assert (scan.status, str(scan.lock_version)) == ("draft", saved_lock)

    # Logging out on B ends the session everywhere: a copy of the cookie from before is refused on A.
    copy = Browser(cookies=dict(browser.cookies))
    response = browser.submit(b, "/uitloggen", {}, page="/scan")
    assert response.status == 302 and response.location.endswith("/inloggen"), response.context()
    _check(browser.get(b, "/inloggen"), 200, "Je bent uitgelogd.")
    for who in (copy, browser):
        response = who.get(a, "/scan")
        assert response.status == 302 and "/inloggen" in response.location, response.context()
    _check(copy.get(a, "/inloggen?next=/scan"), 200, "Log in om deze pagina te zien.")
    with app.app_context():
        sessions = db.session.scalars(
            select(UserSession).where(UserSession.user_id == world["user_id"])
        ).all()
        assert len(sessions) == 1 and sessions[0].revoked_at is not None


def test_failed_logins_on_both_servers_count_together(app, servers):
    a, b = servers
    world = _world(app)
    username = str(world["username"])

    # Five wrong passwords, spread over A and B, each from a fresh browser.
    for attempt in range(5):
        server = (a, b)[attempt % 2]
        page = _check(_log_in(Browser(), server, username, WRONG_PASSWORD), 200, NOT_CORRECT)
        assert page.form().values["username"] == username
    with app.app_context():
        key_count = db.session.scalar(
            select(func.count()).where(LoginFailure.kind == "account", LoginFailure.key == username)
        )
        assert key_count == 5

    # Now the right password is refused on both servers, with the message a wrong one gets.
    for server in (b, a):
        browser = Browser()
        page = _check(_log_in(browser, server, username), 200, THROTTLED)
        assert NOT_CORRECT not in page.text
        wrong = _check(_log_in(Browser(), server, username, WRONG_PASSWORD), 200, THROTTLED)
        assert _error_text(wrong) == _error_text(page)
        response = browser.get(server, "/scan")
        assert response.status == 302 and "/inloggen" in response.location, response.context()
    # An unknown name, throttled the same way, cannot be told apart.
    for attempt in range(5):
        _log_in(Browser(), (a, b)[attempt % 2], "niemand-bekend", WRONG_PASSWORD)
    unknown = _check(_log_in(Browser(), b, "niemand-bekend", WRONG_PASSWORD), 200, THROTTLED)
    assert _error_text(unknown) == _error_text(page)

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
        user = db.session.scalars(select(User).where(User.username == username)).one()
        assert user.last_login_at is None


def _error_text(page: Page) -> str:
    start = page.text.index("Te veel mislukte pogingen")
    return page.text[start:page.text.index("<", start)]


def test_both_servers_log_json_lines_with_the_request_id_on_stdout(servers):
    a, b = servers
    for server in (a, b):
        page = Browser().get(server, "/healthz", headers={"X-Request-ID": f"lb-{server.name}-42"})
        assert page.status == 200 and page.header("X-Request-ID") == f"lb-{server.name}-42"
        # The access line is written just after the response.
        deadline = time.monotonic() + 10
        while f'"lb-{server.name}-42"' not in server.stdout() and time.monotonic() < deadline:
            time.sleep(0.1)
        entries = [json.loads(line) for line in server.stdout().splitlines() if line.strip()]
        mine = [e for e in entries if e.get("request_id") == f"lb-{server.name}-42"]
        assert mine, server.logs()
        assert mine[0]["logger"] == "gunicorn.access" and mine[0]["path"] == "/healthz"
        assert mine[0]["status"] == "200" and mine[0]["method"] == "GET"
