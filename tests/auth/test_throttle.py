"""The login throttle (scan.auth.throttle): per account and address, a slow-down per account, known browsers.

Time is moved through scan.core.clock, never by sleeping.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from scan.access import Role
from scan.audit import actions
from scan.audit.models import AuditEvent
from scan.auth import devices, services
from scan.auth.passwords import verify_password
from scan.core import clock
from scan.extensions import db
from tests.factories import PASSWORD, login, make_user

WRONG = "verkeerd-wachtwoord-123"
NOT_CORRECT = "De gebruikersnaam of het wachtwoord klopt niet."
WAIT = "Te veel mislukte pogingen. Wacht 15 minuten en probeer het dan opnieuw."
SLOW = ("Er is zojuist vaak geprobeerd op dit account in te loggen. Wacht 30 seconden en probeer het dan"
        " opnieuw.")
OWNER_ADDRESS = "192.0.2.10"


class Moment:
    """The app's clock, moved forward by the test."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def advance(self, **amount: float) -> None:
        self.offset += timedelta(**amount)


@pytest.fixture
def moment(monkeypatch: pytest.MonkeyPatch) -> Moment:
    moved = Moment()
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + moved.offset)
    return moved


def _account(app: Any, **kwargs: Any) -> str:
    with app.app_context():
        user = make_user(Role.PROFESSIONAL, **kwargs)
        db.session.commit()
        return user.username


def _browser(app: Any, address: str) -> Any:
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def _page(response: Any) -> str:
    return response.get_data(as_text=True)


def _checked_failures(app: Any) -> int:
    """Failed logins whose password was checked (the audit log marks refused ones "throttled")."""
    with app.app_context():
        return db.session.scalar(
            select(func.count()).where(AuditEvent.action == actions.LOGIN_FAILED, AuditEvent.detail == "")
        ) or 0


def _attack(app: Any, username: str, guesses: int, prefix: str = "10.9") -> None:
    """Wrong guesses, each from another address (a botnet)."""
    for n in range(guesses):
        html = _page(login(_browser(app, f"{prefix}.{n // 250}.{n % 250 + 1}"), username, WRONG))
        assert NOT_CORRECT in html or WAIT in html or SLOW in html


def test_an_attack_from_other_addresses_does_not_keep_the_owner_out(app, moment):
    owner = _account(app)
    known = _browser(app, OWNER_ADDRESS)
    assert login(known, owner).status_code == 302
    known.submit("/uitloggen", page="/mijn")

    _attack(app, owner, 50)
    # The owner's own browser gets in at once, in the middle of the attack...
    response = login(known, owner)
    assert response.status_code == 302 and response.headers["Location"] == "/mijn"
    # ...thanks to the cookie that marks it as known: signed, HttpOnly, kept for LOGIN_KNOWN_DEVICE_DAYS.
    cookie = known.get_cookie(devices.COOKIE)
    assert cookie is not None and cookie.http_only
    known.submit("/uitloggen", page="/mijn")
    # A new browser at the owner's own address is asked to wait a moment, then gets in.
    fresh = _browser(app, OWNER_ADDRESS)
    assert SLOW in _page(login(fresh, owner))
    moment.advance(seconds=31)
    assert login(fresh, owner).status_code == 302
    # The attacker never got more checks than the throttle allows: ten before the slow-down started, and
    # not one since (every attempt came within 30 seconds of the one before).
    assert _checked_failures(app) == app.config["LOGIN_SLOWDOWN_AFTER"]


def test_failures_for_some_accounts_behind_a_nat_do_not_stop_another(app):
    office = "203.0.113.7"  # one address for the whole office
    guessed, typists, colleague = _account(app), [_account(app) for _ in range(4)], _account(app)
    # Someone guesses one colleague's password until refused; four others mistype theirs four times each.
    for _ in range(8):
        login(_browser(app, office), guessed, WRONG)
    for typist in typists:
        for _ in range(4):
            assert NOT_CORRECT in _page(login(_browser(app, office), typist, WRONG))
    # 29 failures from the office address: everybody else there still gets in, the typists too.
    for username in (colleague, *typists):
        assert login(_browser(app, office), username).status_code == 302, username
    assert WAIT in _page(login(_browser(app, office), guessed))


def test_the_limit_per_account_and_address_holds(app, moment):
    username = _account(app)
    address = "198.51.100.4"
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert NOT_CORRECT in _page(login(_browser(app, address), username, WRONG))
    # From that address even the right password is refused, in any case of the name, for the whole window.
    for typed in (username, f" {username.upper()} "):
        assert WAIT in _page(login(_browser(app, address), typed))
    assert _checked_failures(app) == limit
    # Another address (the owner at home) is not affected.
    assert login(_browser(app, "198.51.100.5"), username).status_code == 302
    moment.advance(minutes=14)
    assert WAIT in _page(login(_browser(app, address), username))
    # Once the failures are older than the window (15 minutes), the address may try again.
    moment.advance(minutes=1, seconds=1)
    assert login(_browser(app, address), username).status_code == 302


def test_the_slow_down_per_account_holds_over_all_addresses(app, moment):
    username = _account(app)
    after = app.config["LOGIN_SLOWDOWN_AFTER"]
    _attack(app, username, after)
    assert _checked_failures(app) == after
    # The next guess, from yet another address, is not checked: one attempt per 30 seconds.
    assert SLOW in _page(login(_browser(app, "10.8.0.1"), username))
    moment.advance(seconds=29)
    assert SLOW in _page(login(_browser(app, "10.8.0.2"), username))
    moment.advance(seconds=31)
    assert NOT_CORRECT in _page(login(_browser(app, "10.8.0.3"), username, WRONG))
    assert SLOW in _page(login(_browser(app, "10.8.0.4"), username, WRONG))
    assert _checked_failures(app) == after + 1
    # In English too.
    english = _browser(app, "10.8.0.5")
    english.submit("/taal", {"lang": "en", "next": "/inloggen"}, page="/inloggen")
    assert "Many attempts were made to log in to this account just now. Wait 30 seconds" in _page(
        login(english, username)
    )
    # An unknown name is slowed the same way: the answer never tells whether an account exists.
    _attack(app, "niemand.bekend", after, prefix="10.7")
    assert SLOW in _page(login(_browser(app, "10.8.0.6"), "niemand.bekend"))


def test_a_known_browser_cookie_works_only_for_its_own_account_and_not_forever(app, moment):
    owner, other = _account(app), _account(app)
    browser = _browser(app, OWNER_ADDRESS)
    login(browser, owner)
    browser.submit("/uitloggen", page="/mijn")
    value = browser.get_cookie(devices.COOKIE).value
    _attack(app, other, 20)
    # Known for `owner`, not for `other`: slowed like any stranger.
    assert SLOW in _page(login(browser, other))
    # A forged cookie counts for nothing.
    forged = _browser(app, OWNER_ADDRESS)
    forged.set_cookie(devices.COOKIE, value[:-3] + "abc")
    _attack(app, owner, 20, prefix="10.6")
    assert SLOW in _page(login(forged, owner))
    assert login(browser, owner).status_code == 302
    browser.submit("/uitloggen", page="/mijn")
    # After LOGIN_KNOWN_DEVICE_DAYS without a login the browser is a stranger again.
    moment.advance(days=app.config["LOGIN_KNOWN_DEVICE_DAYS"] + 1)
    _attack(app, owner, 20, prefix="10.5")
    assert SLOW in _page(login(browser, owner))


def test_a_stolen_known_browser_cookie_buys_only_a_few_guesses(app):
    owner = _account(app)
    browser = _browser(app, OWNER_ADDRESS)
    login(browser, owner)
    browser.submit("/uitloggen", page="/mijn")
    thief = _browser(app, "10.4.0.1")
    thief.set_cookie(devices.COOKIE, browser.get_cookie(devices.COOKIE).value)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert NOT_CORRECT in _page(login(thief, owner, WRONG))
    # The cookie is now worth nothing, and the thief's address has used its tries.
    assert WAIT in _page(login(thief, owner, WRONG))
    assert _checked_failures(app) == limit


def test_simultaneous_guesses_are_checked_no_more_than_the_limit(app):
    username = _account(app)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    guesses = 30
    start = threading.Barrier(guesses)
    outcomes: list[services.LoginOutcome] = []
    errors: list[BaseException] = []

    def guess() -> None:
        try:
            with app.app_context():
                start.wait(timeout=30)
                result = services.log_in(username, WRONG, "198.51.100.77")
                db.session.commit()
                outcomes.append(result.outcome)
        except BaseException as error:  # reported below, with the thread's error
            errors.append(error)

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(outcomes) == guesses
    checked = outcomes.count(services.LoginOutcome.INVALID)
    # Every attempt is recorded before any is counted when all 30 arrive at once (PostgreSQL often manages
    # that): then none is checked. The promise is the upper bound; the other tests show a lone attempt is.
    assert checked <= limit
    assert outcomes.count(services.LoginOutcome.THROTTLED) == guesses - checked
    # The audit log agrees: every attempt is there, and only the checked ones without "throttled".
    assert _checked_failures(app) == checked
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).where(AuditEvent.action == actions.LOGIN_FAILED)
        ) == guesses


NEW = "een nieuw en lang wachtwoord"


def test_the_current_password_check_on_a_password_change_is_throttled(app):
    username = _account(app)
    browser = _browser(app, OWNER_ADDRESS)
    login(browser, username)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]

    def change(current: str) -> str:
        form = {"current_password": current, "password": NEW, "confirm": NEW}
        return _page(browser.submit("/account/wachtwoord", form))

    for _ in range(limit):
        assert "Het huidige wachtwoord klopt niet." in change("fout-fout-fout-fout")
    # The next guess is not checked, and neither is the right password: nothing changes.
    html = change("fout-fout-fout-fout")
    assert WAIT in html and 'href="#current_password"' in html
    assert WAIT in change(PASSWORD)
    with app.app_context():
        assert verify_password(services.find_user(username).password_hash, PASSWORD)
    # The same count as the login page: from this address the login is refused too.
    assert WAIT in _page(login(_browser(app, OWNER_ADDRESS), username))


def test_erasing_an_account_removes_its_attempts_from_every_address(app):
    from scan.auth.models import LoginFailure
    from scan.privacy.erasure import erase_account

    username = _account(app)
    for address in ("10.3.0.1", "10.3.0.2"):
        login(_browser(app, address), username, WRONG)
    login(_browser(app, "10.3.0.3"), "iemand.anders", WRONG)
    with app.app_context():
        erase_account(services.find_user(username), None)
        db.session.commit()
        keys = set(db.session.scalars(select(LoginFailure.key)))
    # Only the other name's attempts remain: nothing with the erased name (or its addresses) is kept.
    assert keys == {"iemand.anders", "iemand.anders|10.3.0.3"}
