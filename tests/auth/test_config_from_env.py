"""Session and login settings come from the environment (scan/config.py) and take effect in the app."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from scan import create_app
from scan.access import Role
from scan.auth.models import UserSession
from scan.db import utcnow
from scan.extensions import db
from tests.conftest import TEST_CONFIG, Client
from tests.factories import login, make_user


def test_the_loader_reads_the_session_and_throttle_settings(monkeypatch, tmp_path):
    from scan.config import from_environment

    monkeypatch.setenv("SCAN_ENV", "development")
    monkeypatch.delenv("SESSION_IDLE_MINUTES", raising=False)
    monkeypatch.delenv("LOGIN_MAX_FAILURES_PER_ACCOUNT", raising=False)
    defaults = from_environment(str(tmp_path))
    assert (defaults["SESSION_IDLE_MINUTES"], defaults["LOGIN_MAX_FAILURES_PER_ACCOUNT"]) == (60, 5)
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "3")
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_ACCOUNT", "2")
    settings = from_environment(str(tmp_path))
    assert (settings["SESSION_IDLE_MINUTES"], settings["LOGIN_MAX_FAILURES_PER_ACCOUNT"]) == (3, 2)


def test_settings_from_the_environment_take_effect(app, monkeypatch):
    """SESSION_IDLE_MINUTES=3 ends a session idle for 5 minutes (the default 60 would keep it), and
    LOGIN_MAX_FAILURES_PER_ACCOUNT=2 throttles after two failures (the default is 5)."""
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "3")
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_ACCOUNT", "2")
    configured = create_app(TEST_CONFIG)  # the same test database; only the environment differs
    configured.test_client_class = Client
    assert configured.config["SESSION_IDLE_MINUTES"] == 3
    with app.app_context():
        idle = make_user(Role.PROFESSIONAL)
        guarded = make_user(Role.PROFESSIONAL)
        db.session.commit()
        idle_name, guarded_name = idle.username, guarded.username
    try:
        client = configured.test_client()
        login(client, idle_name)
        assert client.get("/mijn").status_code == 200
        with app.app_context():
            row = db.session.scalars(select(UserSession)).one()
            row.last_seen_at = utcnow() - timedelta(minutes=5)
            db.session.commit()
        response = client.get("/mijn")
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]

        other = configured.test_client()
        for _ in range(2):
            login(other, guarded_name, "verkeerd-wachtwoord-123")
        assert "Te veel mislukte pogingen" in login(other, guarded_name).get_data(as_text=True)
    finally:
        with configured.app_context():
            db.session.remove()
            db.engine.dispose()
