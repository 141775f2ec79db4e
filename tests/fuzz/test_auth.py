"""Login, changing the password and the language switch, with hostile input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scan.access import Role
from scan.extensions import db
from tests.factories import PASSWORD, login, make_user
from tests.fuzz.helpers import fields, fuzz_post, one_of_or_any, text

# A failed login is recorded (the throttle and the audit log): that is its purpose, not a stray write.
LOGIN_RECORDS = ("login_failure", "audit_event")
ACCOUNT = ("user_account", "user_session")


@pytest.fixture
def person(app: Any) -> str:
    with app.app_context():
        user = make_user(Role.PROFESSIONAL, username="fuzz.persoon")
        db.session.commit()
        return user.username


class Visitor:
    """One anonymous browser for many examples; a new one after a login that worked."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.fresh()

    def fresh(self) -> None:
        self.client = self.app.test_client()
        self.token = self.client.csrf_token("/inloggen")


@pytest.fixture
def visitor(app: Any) -> Visitor:
    return Visitor(app)


@given(pairs=fields({"username": one_of_or_any("fuzz.persoon", "FUZZ.PERSOON "),
                     "password": st.one_of(st.just(PASSWORD), text())}))
def test_login(app, person, visitor, pairs):
    response = fuzz_post(app, visitor.client, "/inloggen", visitor.token, pairs, tables=ACCOUNT,
                         ignore=LOGIN_RECORDS)
    if response.status_code == 302:
        visitor.fresh()


@pytest.fixture
def logged_in(app: Any, person: str) -> tuple[Any, str]:
    client = app.test_client()
    login(client, person)
    return client, client.csrf_token("/account/wachtwoord")


@given(pairs=fields({"current_password": one_of_or_any(PASSWORD), "password": text(), "confirm": text()}))
def test_change_password(app, logged_in, pairs):
    client, token = logged_in
    fuzz_post(app, client, "/account/wachtwoord", token, pairs, tables=ACCOUNT, ignore=LOGIN_RECORDS)


@given(pairs=fields({"lang": one_of_or_any("nl", "en", "de"),
                     "next": one_of_or_any("/mijn", "//evil.example", "/\\evil.example")}))
def test_language_switch(app, logged_in, pairs):
    client, token = logged_in
    response = fuzz_post(app, client, "/taal", token, pairs, tables=ACCOUNT)
    if response.status_code == 302:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
        assert "\n" not in location and "\r" not in location
