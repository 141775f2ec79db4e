"""The database goes away: a translated 503 with Retry-After, rendered without the database, and back to
normal as soon as the database returns. Other errors keep the 500 page.

A separate app (its own engine) gets test-only routes and a switch that makes every statement fail the way
a dropped connection does: the driver's own OperationalError, wrapped by SQLAlchemy as in production.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_login import current_user
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from scan import create_app
from scan.access import Role, public
from scan.core.errors import is_database_outage
from scan.extensions import db
from tests.conftest import TEST_CONFIG, Client
from tests.factories import login, make_user

UNAVAILABLE_NL = "De dienst is even niet beschikbaar"
UNAVAILABLE_EN = "The service is briefly unavailable"


class Outage:
    """Switches one app's database off: while `down`, every statement fails before it reaches the server."""

    def __init__(self, app: Flask) -> None:
        self.down = False
        self.attempts: list[str] = []
        with app.app_context():
            self.engine = db.engine
        self.driver_error = self.engine.dialect.loaded_dbapi.OperationalError
        # What each driver says when the database went away under it.
        self.message = ("unable to open database file" if self.engine.dialect.name == "sqlite"
                        else "server closed the connection unexpectedly")
        event.listen(self.engine, "before_cursor_execute", self._before)
        # The rollback that closing the session sends, failing as on a connection the server terminated.
        self.rollback_down = False
        self._do_rollback = self.engine.dialect.do_rollback
        self.engine.dialect.do_rollback = self._rollback  # type: ignore[method-assign]

    def _rollback(self, dbapi_connection: Any) -> None:
        if self.rollback_down:
            self.attempts.append("ROLLBACK")
            raise self.driver_error(self.message)
        self._do_rollback(dbapi_connection)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.down:
            self.attempts.append(statement)
            raise self.driver_error(self.message)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        self.engine.dialect.do_rollback = self._do_rollback  # type: ignore[method-assign]
        self.engine.dispose()


@pytest.fixture
def outage(app: Flask) -> Iterator[tuple[Flask, Outage]]:
    """A second app on the same (migrated) database, with test-only routes; `app` builds the schema."""
    broken = create_app({**TEST_CONFIG, "PROPAGATE_EXCEPTIONS": False})
    broken.test_client_class = Client
    switch = Outage(broken)

    @broken.get("/_test/query")
    @public
    def query() -> str:
        db.session.execute(text("SELECT 1"))
        return "ok"

    @broken.get("/_test/logged-in-then-down")
    def logged_in_then_down() -> str:
        name = current_user.display_name  # the account is loaded ...
        switch.down = True  # ... then the database goes away
        db.session.execute(text("SELECT 1"))
        return name

    @broken.get("/_test/bug")
    @public
    def bug() -> str:
        raise RuntimeError("geheime details")

    @broken.get("/_test/integrity")
    @public
    def integrity() -> str:
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    @broken.get("/_test/invalidated")
    @public
    def invalidated() -> str:
        raise DBAPIError("SELECT 1", {}, Exception("connection reset"), connection_invalidated=True)

    @broken.get("/_test/save-then-cut")
    @public
    def save_then_cut() -> str:
        db.session.execute(text("SELECT 1"))  # a transaction the session will roll back when it closes
        switch.rollback_down = True  # the server restarts after the commit, before the request ends
        return "opgeslagen"

    yield broken, switch
    switch.close()


def _assert_unavailable_page(response: Any, text_expected: str = UNAVAILABLE_NL) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert text_expected in html
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Request-ID"]
    assert "Traceback" not in html and "OperationalError" not in html
    assert "server closed" not in html and "unable to open" not in html
    # The minimal layout: still a proper page (language, landmarks, skip link, the app's styles).
    assert 'href="#main"' in html and '<main id="main"' in html and "<header" in html and "<footer" in html
    assert "css/app.css" in html
    return html


def test_a_page_whose_query_fails_answers_503_without_touching_the_database_again(outage):
    app, switch = outage
    client = app.test_client()
    assert client.get("/_test/query").status_code == 200
    switch.down = True
    html = _assert_unavailable_page(client.get("/_test/query"))
    assert '<html lang="nl"' in html
    # Only the view's own statement was tried: rendering the page sent nothing.
    assert switch.attempts == ["SELECT 1"]


def test_a_logged_in_user_whose_account_cannot_be_loaded_gets_the_503_page(outage, app_ctx):
    app, switch = outage
    user = make_user(Role.PROFESSIONAL, full_name="Fenna Outage")
    db.session.commit()
    client = app.test_client()
    assert login(client, user.username).status_code == 302
    assert client.get("/scan").status_code == 200

    switch.down = True
    html = _assert_unavailable_page(client.get("/scan"))
    # One attempt (the session lookup of the login check); the page knows nothing about the account.
    assert len(switch.attempts) == 1
    assert "Fenna Outage" not in html and "/uitloggen" not in html

    # The database is back: the same session works again, nothing to do for the user.
    switch.down = False
    response = client.get("/scan")
    assert response.status_code == 200 and "Fenna Outage" in response.get_data(as_text=True)


def test_a_query_failing_after_the_account_was_loaded_does_not_reload_it(outage, app_ctx):
    app, switch = outage
    user = make_user(Role.PROFESSIONAL, full_name="Jesse Halverwege")
    db.session.commit()
    client = app.test_client()
    login(client, user.username)
    html = _assert_unavailable_page(client.get("/_test/logged-in-then-down"))
    # The rollback expired the account; nothing refreshed it (that would have been a second attempt).
    assert switch.attempts == ["SELECT 1"]
    assert "Jesse Halverwege" not in html


def test_the_503_page_speaks_the_chosen_language(outage):
    app, switch = outage
    client = app.test_client()
    client.submit("/taal", {"lang": "en", "next": "/inloggen"}, page="/inloggen")
    switch.down = True
    html = _assert_unavailable_page(client.get("/_test/query"), UNAVAILABLE_EN)
    assert '<html lang="en"' in html and UNAVAILABLE_NL not in html


def test_the_outage_is_logged_as_a_warning_with_the_request_id(outage, caplog):
    app, switch = outage
    switch.down = True
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        response = app.test_client().get("/_test/query", headers={"X-Request-ID": "outage-42"})
    assert response.status_code == 503 and response.headers["X-Request-ID"] == "outage-42"
    warnings = [r for r in caplog.records if r.name == app.logger.name and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "outage-42" in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_connection_cut_after_the_answer_was_made_keeps_the_answer(outage, caplog):
    """The journey's failure: the save committed, the database restarted, and closing the session (a
    rollback) failed in the teardown; that turned a stored save into a 500 the user never saw confirmed."""
    app, switch = outage
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        response = client.get("/_test/save-then-cut", headers={"X-Request-ID": "cut-7"})
    assert response.status_code == 200 and response.get_data(as_text=True) == "opgeslagen"
    assert switch.attempts == ["ROLLBACK"]
    warnings = [r.getMessage() for r in caplog.records if r.name == app.logger.name]
    assert len(warnings) == 1 and "closing the session" in warnings[0] and "cut-7" in warnings[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # The database is back: the next request works on a fresh connection.
    switch.rollback_down = False
    assert client.get("/_test/query").get_data(as_text=True) == "ok"


def test_a_dropped_connection_is_an_outage_too(outage):
    app, _switch = outage
    _assert_unavailable_page(app.test_client().get("/_test/invalidated"))


def test_other_errors_keep_the_500_page(outage):
    app, _switch = outage
    client = app.test_client()
    for path in ("/_test/bug", "/_test/integrity"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 500, path
        assert "Sorry, er ging iets mis" in html and UNAVAILABLE_NL not in html
        assert "Retry-After" not in response.headers
        assert "geheime details" not in html and "Traceback" not in html


def test_which_errors_count_as_an_outage():
    orig = Exception("x")
    assert is_database_outage(OperationalError("SELECT 1", {}, orig))
    assert is_database_outage(InterfaceError("SELECT 1", {}, orig))
    assert is_database_outage(DBAPIError("SELECT 1", {}, orig, connection_invalidated=True))
    assert not is_database_outage(IntegrityError("INSERT", {}, orig))
    assert not is_database_outage(DBAPIError("SELECT 1", {}, orig))
    assert not is_database_outage(RuntimeError("x"))
    # SQLite calls a wrong statement an OperationalError as well: that is a bug (500), not an outage.
    locked = sqlite3.OperationalError("database is locked")
    wrong = sqlite3.OperationalError("no such column: x")
    assert is_database_outage(OperationalError("SELECT 1", {}, locked))
    assert not is_database_outage(OperationalError("SELECT x", {}, wrong))
