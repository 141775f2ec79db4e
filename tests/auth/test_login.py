import re
from datetime import timedelta

from sqlalchemy import func, select

from scan.access import Role
from scan.auth import services
from scan.auth.models import LoginFailure, UserSession
from scan.db import utcnow
from scan.extensions import db
from tests.factories import PASSWORD, login, make_team, make_user


def _committed_user(app, role=Role.PROFESSIONAL, **kwargs):
    with app.app_context():
        user = make_user(role, **kwargs)
        db.session.commit()
        return user.username


def test_visitor_lands_on_the_dutch_login_page(client):
    response = client.get("/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert '<html lang="nl"' in html
    assert "<h1" in html and "Inloggen" in html
    assert 'autocomplete="current-password"' in html


def test_each_role_lands_on_its_own_start_page(app, client):
    expectations = {
        Role.PROFESSIONAL: ("/mijn", "Mijn ontwikkeling"),
        Role.TEAMLEIDER: ("/teams/", "Mijn teams"),
        Role.REGIOCOORDINATOR: ("/regio/", "Aantal teams en professionals per gemeente"),
        Role.BEHEERDER: ("/beheer/", "Kenniskaartversies"),
    }
    for role, (path, text) in expectations.items():
        username = _committed_user(app, role)
        response = login(client, username)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(path)
        assert text in client.get(path).get_data(as_text=True)
        client.submit("/uitloggen", page=path)


def test_wrong_password_and_unknown_user_get_the_same_answer(app, client):
    username = _committed_user(app)
    wrong = login(client, username, "dit-is-het-niet-helemaal").get_data(as_text=True)
    unknown = login(client, "bestaat.niet", "dit-is-het-niet-helemaal").get_data(as_text=True)
    message = "De gebruikersnaam of het wachtwoord klopt niet."
    assert message in wrong and message in unknown
    # Apart from the typed username and the CSRF token, the two pages are identical.
    def strip(html, name):
        return re.sub(r'value="[^"]*"', "", html.replace(name, ""))

    assert strip(wrong, username) == strip(unknown, "bestaat.niet")
    # The page keeps the typed username, never the password, and says "Fout:" in the title.
    assert f'value="{username}"' in wrong
    assert "dit-is-het-niet-helemaal" not in wrong
    assert "<title>Fout:" in wrong


def test_a_deactivated_account_cannot_log_in(app, client):
    username = _committed_user(app, active=False)
    html = login(client, username).get_data(as_text=True)
    assert "De gebruikersnaam of het wachtwoord klopt niet." in html


def test_failures_are_throttled_per_account_and_address_in_the_database(app, client):
    username = _committed_user(app)
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(client, username, "verkeerd-wachtwoord-123")
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).where(LoginFailure.kind == "pair",
                                       LoginFailure.key == f"{username}|127.0.0.1")
        ) == app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    # Now even the right password is refused from this address for a while, on any worker: the count is in
    # the database. (Other addresses and accounts: tests/auth/test_throttle.py.)
    other_worker = app.test_client()
    html = login(other_worker, username).get_data(as_text=True)
    assert "Te veel mislukte pogingen" in html


def test_throttling_an_unknown_name_looks_like_a_known_one(app, client):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(client, "niemand", "verkeerd-wachtwoord-123")
    assert "Te veel mislukte pogingen" in login(client, "niemand", "x" * 12).get_data(as_text=True)


def test_old_failures_stop_counting(app, client):
    username = _committed_user(app)
    with app.app_context():
        old = utcnow() - timedelta(minutes=app.config["LOGIN_THROTTLE_MINUTES"] + 1)
        for _ in range(10):
            db.session.add(LoginFailure(kind="account", key=username, at=old))
            db.session.add(LoginFailure(kind="pair", key=f"{username}|127.0.0.1", at=old))
        db.session.commit()
    assert login(client, username).status_code == 302


def test_login_issues_a_new_session_id_and_logout_revokes_it_everywhere(app, client):
    username = _committed_user(app)
    client.get("/inloggen")
    before = client.get_cookie("ontwikkelscan_session").value
    login(client, username)
    cookie = client.get_cookie("ontwikkelscan_session")
    assert cookie.value != before
    # A copy of the cookie (another tab, another worker) works until logout...
    thief = app.test_client()
    thief.set_cookie("ontwikkelscan_session", cookie.value)
    assert thief.get("/mijn").status_code == 200
    client.submit("/uitloggen", page="/mijn")
    # ...and not after: the session row is revoked in the database.
    response = thief.get("/mijn")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_session_cookie_flags(app, client):
    username = _committed_user(app)
    response = login(client, username)
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_production_settings_mark_the_cookie_secure(monkeypatch, tmp_path):
    from scan.config import from_environment

    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.delenv("SCAN_ENV", raising=False)
    assert from_environment(str(tmp_path))["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("SCAN_ENV", "development")
    assert from_environment(str(tmp_path))["SESSION_COOKIE_SECURE"] is False


def test_deactivating_an_account_ends_its_sessions(app, client):
    username = _committed_user(app)
    login(client, username)
    assert client.get("/mijn").status_code == 200
    with app.app_context():
        services.deactivate(services.find_user(username))
        db.session.commit()
        assert db.session.scalar(select(func.count()).where(UserSession.revoked_at.is_(None))) == 0
    response = client.get("/mijn")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_idle_sessions_expire(app, client, monkeypatch):
    username = _committed_user(app)
    login(client, username)
    with app.app_context():
        row = db.session.scalars(select(UserSession)).one()
        row.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
        db.session.commit()
    response = client.get("/mijn")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_forms_without_csrf_token_are_refused(app, client):
    username = _committed_user(app)
    response = client.post("/inloggen", data={"username": username, "password": PASSWORD})
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)


def test_next_parameter_cannot_send_you_to_another_site(app, client):
    username = _committed_user(app)
    response = client.submit(
        "/inloggen?next=//evil.example/", {"username": username, "password": PASSWORD}, page="/inloggen"
    )
    assert response.headers["Location"] == "/mijn"
    response = client.get("/mijn")
    assert response.status_code == 200


def test_next_parameter_returns_to_a_local_page(app, client):
    with app.app_context():
        team = make_team()
        user = make_user(Role.TEAMLEIDER, teams=[team])
        db.session.commit()
        username, team_id = user.username, team.id
    response = client.get(f"/teams/{team_id}")
    assert "/inloggen" in response.headers["Location"]
    response = client.submit(
        response.headers["Location"], {"username": username, "password": PASSWORD}
    )
    assert response.headers["Location"] == f"/teams/{team_id}"


def test_empty_login_form_names_each_missing_field(client):
    html = client.submit("/inloggen", {"username": "", "password": ""}).get_data(as_text=True)
    # In the summary (linked to the field) and at the field itself.
    assert html.count("Vul je gebruikersnaam in.") == 2 and 'href="#username"' in html
    assert html.count("Vul je wachtwoord in.") == 2 and 'href="#password"' in html
