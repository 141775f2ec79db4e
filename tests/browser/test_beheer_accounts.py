"""Accounts and the organisation in the browser, as the administrator: axe (WCAG 2.1 A/AA) on the account
list, the account form (empty, with errors), the import page (empty, with an error), the import preview
and the organisation page, in Dutch and English; and creating an account with the keyboard only, the focus
visible at every stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from scan.access import Role
from scan.auth.models import User
from scan.extensions import db
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_scan_keyboard import start_from_the_top, tab
from tests.browser.test_scan_pages import log_in_as, post_and_wait, visit
from tests.browser.test_teamschouw_keyboard import (
    choose_in_select,
    follow,
    log_in_with_the_keyboard,
    move_to,
)

ERROR_TITLE = {"nl": "Fout:", "en": "Error:"}
VALID_CSV = (
    b"username;role;name;team;region;password\n"
    b"a.nieuw;professional;Anna Nieuw;LW-CENTRUM;;\n"
    b"s.bakker;professional;Sanne Bakker;LW-NOORD;;\n"
)
NOT_A_SPREADSHEET = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


@dataclass(frozen=True)
class AdminWorld:
    admin: str
    professional: int


@pytest.fixture
def world(app: Flask) -> AdminWorld:
    with app.app_context():
        region = factories.make_region(code="LW", name="Regio Lindewaard")
        m = factories.make_municipality(region, name="Lindewaard")
        centrum = factories.make_team(m, name="Wijkteam Centrum", code="LW-CENTRUM")
        noord = factories.make_team(m, name="Wijkteam Noord", code="LW-NOORD")
        admin = factories.make_user(Role.BEHEERDER, username="beheer", full_name="Bea Beheer")
        pro = factories.make_user(Role.PROFESSIONAL, team=centrum, username="s.bakker",
                                  full_name="Sanne Bakker")
        factories.make_user(Role.TEAMLEIDER, teams=[centrum, noord], username="k.devries",
                            full_name="Karin de Vries")
        db.session.commit()
        return AdminWorld(admin=admin.username, professional=pro.id)


@pytest.fixture(params=["nl", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


def assert_error_page(page: Any, lang: str) -> None:
    assert page.title().startswith(ERROR_TITLE[lang]), page.title()
    assert page.locator(".app-error-summary").count() == 1


def test_account_list(page: Any, world: AdminWorld, lang: str) -> None:
    log_in_as(page, world.admin, lang)
    visit(page, "/beheer/accounts?role=professional")
    assert page.get_by_text("Sanne Bakker").is_visible()
    assert page.locator("#role").input_value() == "professional"
    assert_accessible(page, f"account list ({lang})")


def test_organisation_page(page: Any, world: AdminWorld, lang: str) -> None:
    log_in_as(page, world.admin, lang)
    visit(page, "/beheer/organisatie")
    assert page.locator("th", has_text="Wijkteam Noord").is_visible()
    assert_accessible(page, f"municipalities and teams ({lang})")


@pytest.mark.parametrize("width", [320, 1280])
def test_organisation_search_and_account_team_filter_fit_the_screen(page: Any, world: AdminWorld,
                                                                    width: int) -> None:
    """The searched list of teams and the account list filtered by team: what was typed stays in the form,
    the rows match, and the page never scrolls sideways (issue 16)."""
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as(page, world.admin, "nl")
    visit(page, "/beheer/organisatie?q=noord")
    assert page.locator("#q").input_value() == "noord"
    assert page.locator("tbody th").all_inner_texts() == ["Wijkteam Noord"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page, f"municipalities and teams, searched ({width} px)")
    visit(page, "/beheer/accounts?team=LW-CENTRUM")
    assert page.locator("#team").input_value() == "LW-CENTRUM"
    assert page.get_by_text("Sanne Bakker").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page, f"account list by team ({width} px)")


def test_account_form(page: Any, world: AdminWorld, lang: str) -> None:
    log_in_as(page, world.admin, lang)
    visit(page, f"/beheer/accounts/{world.professional}")
    assert page.locator("#full_name").input_value() == "Sanne Bakker"
    assert_accessible(page, f"account form ({lang})")


def test_new_account_form_with_errors(page: Any, world: AdminWorld, lang: str) -> None:
    log_in_as(page, world.admin, lang)
    visit(page, "/beheer/accounts/nieuw")
    page.fill("#username", "s.bakker")
    page.fill("#full_name", "Nog een Sanne")
    page.select_option("#role", "teamleider")
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 200, response.status
    assert_error_page(page, lang)
    for field in ("username", "led_teams"):
        assert page.locator(f'.app-error-summary a[href="#{field}"]').count() == 1, field
    assert page.locator("#full_name").input_value() == "Nog een Sanne"
    assert_accessible(page, f"new account form with errors ({lang})")


def upload(page: Any, name: str, mime: str, payload: bytes) -> Any:
    page.locator("#file").set_input_files({"name": name, "mimeType": mime, "buffer": payload})
    return post_and_wait(page, "main form[method=post] [type=submit]")


def test_import_page(page: Any, world: AdminWorld, lang: str) -> None:
    log_in_as(page, world.admin, lang)
    visit(page, "/beheer/accounts/import")
    assert_accessible(page, f"account import page ({lang})")


def test_import_page_with_an_error(page: Any, world: AdminWorld, lang: str) -> None:
    log_in_as(page, world.admin, lang)
    visit(page, "/beheer/accounts/import")
    response = upload(page, "accounts.csv", "text/csv", NOT_A_SPREADSHEET)
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#file"]').count() == 1
    assert_accessible(page, f"account import page with an error ({lang})")


def test_import_preview(page: Any, app: Flask, world: AdminWorld, lang: str) -> None:
    log_in_as(page, world.admin, lang)
    visit(page, "/beheer/accounts/import")
    response = upload(page, "accounts.csv", "text/csv", VALID_CSV)
    assert response.status == 200, response.status
    assert page.locator("#created-heading").count() == 1 and page.locator("#changed-heading").count() == 1
    assert page.get_by_text("Anna Nieuw").is_visible()
    assert_accessible(page, f"account import preview ({lang})")
    with app.app_context():  # nothing written before the confirmation
        assert db.session.scalar(select(User).where(User.username == "a.nieuw")) is None


def test_create_an_account_with_the_keyboard_only(page: Any, app: Flask, world: AdminWorld) -> None:
    log_in_with_the_keyboard(page, world.admin)
    page.goto("/beheer/accounts")
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == "/beheer/accounts/nieuw", "the add-an-account link")
    follow(page)
    assert page.url.endswith("/beheer/accounts/nieuw"), page.url

    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "username", "the username field")
    page.keyboard.type("j.jansen")
    assert tab(page)["id"] == "full_name"
    page.keyboard.type("Jan Jansen")
    assert tab(page)["id"] == "role"
    choose_in_select(page, "role", "Prof", "professional")
    assert tab(page)["id"] == "team"
    choose_in_select(page, "team", "Wijkteam N", str(_team_id(app, "LW-NOORD")))
    state = move_to(page, lambda s: s["tag"] == "button" and s["type"] == "submit", "the save button")
    assert state["tag"] == "button"
    follow(page)

    # The temporary password is shown once.
    assert page.locator("#temporary-password").is_visible()
    password = page.locator("#temporary-password").inner_text()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "j.jansen"))
        assert user is not None and user.full_name == "Jan Jansen" and user.team.code == "LW-NOORD"
        assert user.must_change_password and len(password) == 19


def _team_id(app: Flask, code: str) -> int:
    from scan.organisation.models import Team

    with app.app_context():
        return db.session.scalar(select(Team.id).where(Team.code == code))
