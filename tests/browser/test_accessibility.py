"""WCAG 2.1 A/AA checks with axe-core on every start page, per role, per language, error states too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from scan.access import Role
from tests import factories
from tests.browser.conftest import Account, assert_accessible, log_in, switch_language

LANGUAGES = ["nl", "en"]


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


def open_login(page: Any, lang: str) -> None:
    response = page.goto("/inloggen")
    assert response is not None and response.ok, response and response.status
    switch_language(page, lang)
    assert page.url.endswith("/inloggen"), page.url


def test_login_page(page: Any, lang: str) -> None:
    open_login(page, lang)
    assert page.locator("#username").is_visible()
    assert_accessible(page, f"login page ({lang})")


def test_login_page_with_error(page: Any, lang: str, make_account: Callable[..., Account]) -> None:
    account = make_account(Role.PROFESSIONAL)
    open_login(page, lang)
    log_in(page, account.username, "dit-is-niet-het-wachtwoord")
    assert page.url.endswith("/inloggen"), page.url
    assert page.title().startswith({"nl": "Fout:", "en": "Error:"}[lang]), page.title()
    # The summary links to the field, the field points at its message.
    assert page.locator('a[href="#password"]').count() == 1
    assert page.locator("#password").get_attribute("aria-describedby")
    assert_accessible(page, f"login page with a wrong password ({lang})")


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_start_page(page: Any, lang: str, role: Role, make_account: Callable[..., Account]) -> None:
    account = make_account(role)
    open_login(page, lang)
    log_in(page, account.username, factories.PASSWORD)
    assert page.url.endswith(account.start_path), page.url
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    assert_accessible(page, f"start page of {role.value} ({lang})")


def test_team_detail_page(page: Any, lang: str, make_account: Callable[..., Account]) -> None:
    account = make_account(Role.TEAMLEIDER)
    open_login(page, lang)
    log_in(page, account.username, factories.PASSWORD)
    response = page.goto(f"/teams/{account.team_id}")
    assert response is not None and response.ok, response and response.status
    assert page.locator("h1").inner_text() == "Wijkteam Noord"
    # The members made by make_account are listed, so the table rows are checked too.
    assert page.get_by_text("Anna de Vries").is_visible()
    assert_accessible(page, f"team detail page ({lang})")


def test_change_password_page_with_errors(page: Any, lang: str, make_account: Callable[..., Account]) -> None:
    account = make_account(Role.PROFESSIONAL)
    open_login(page, lang)
    log_in(page, account.username, factories.PASSWORD)
    response = page.goto("/account/wachtwoord")
    assert response is not None and response.ok, response and response.status
    assert_accessible(page, f"change-password page ({lang})")

    page.fill("#current_password", "niet-het-huidige-wachtwoord")
    page.fill("#password", "een-nieuw-lang-wachtwoord-1")
    page.fill("#confirm", "een-ander-lang-wachtwoord-2")
    page.locator("main form[method=post] [type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account/wachtwoord"), page.url
    assert page.title().startswith({"nl": "Fout:", "en": "Error:"}[lang]), page.title()
    assert page.locator('a[href="#confirm"]').count() == 1
    assert page.locator("#confirm").get_attribute("aria-describedby")
    assert_accessible(page, f"change-password page with errors ({lang})")
