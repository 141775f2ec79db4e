"""The audit log in the browser, as the administrator: axe (WCAG 2.1 A/AA) on the log, a filtered page
with page links and the filter with an error, in Dutch and English; and filtering with the keyboard only
(Tab to the fields, type a person, choose an action, type both dates, submit with Enter), the focus
visible at every stop.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from flask import Flask

from scan.access import Role
from scan.audit import actions
from scan.audit.models import AuditEvent
from scan.extensions import db
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_pop_keyboard import past_the_date_picker_button, type_date
from tests.browser.test_scan_keyboard import start_from_the_top, tab
from tests.browser.test_scan_pages import log_in_as, visit
from tests.browser.test_teamschouw_keyboard import choose_in_select, follow, move_to

ERROR_TITLE = {"nl": "Fout:", "en": "Error:"}
NOON = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


@pytest.fixture(params=["nl", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def admin(app: Flask) -> str:
    """An administrator, and a log of 60 events by three people over three days in March 2026."""
    with app.app_context():
        user = factories.make_user(Role.BEHEERDER)
        for n in range(60):
            name, action = [("s.bakker", actions.LOGIN), ("k.devries", actions.EXPORT),
                            ("s.bakkerij", actions.LOGIN_FAILED)][n % 3]
            db.session.add(AuditEvent(action=action, actor_name=name, at=NOON - timedelta(hours=n),
                                      object_type="regio.xlsx" if action == actions.EXPORT else "",
                                      object_id="4" if action == actions.EXPORT else "",
                                      detail="default selection" if action == actions.EXPORT else "",
                                      address="192.0.2.9"))
        db.session.commit()
        return user.username


def test_the_audit_log(page: Any, admin: str, lang: str) -> None:
    log_in_as(page, admin, lang)
    visit(page, "/beheer/logboek/")
    assert page.locator("main tbody tr").count() == 50
    assert page.locator("nav a[rel=next]").count() == 1
    assert_accessible(page, f"audit log ({lang})")


def test_the_audit_log_filtered_on_a_later_page(page: Any, admin: str, lang: str) -> None:
    log_in_as(page, admin, lang)
    visit(page, "/beheer/logboek/?first=2026-03-01&page=2")
    # 60 events in March and the administrator's own login today: 50 on page 1, 11 on page 2.
    assert page.locator("main tbody tr").count() == 11
    assert page.locator("main nav [aria-current=page]").inner_text() == "2"
    assert page.locator("nav a[rel=prev]").get_attribute("href") == "/beheer/logboek/?page=1&first=2026-03-01"
    assert page.locator("#first").input_value() == "2026-03-01"
    assert_accessible(page, f"audit log, filtered, page 2 ({lang})")


def test_the_audit_log_with_an_invalid_period(page: Any, admin: str, lang: str) -> None:
    log_in_as(page, admin, lang)
    visit(page, "/beheer/logboek/?first=2026-03-10&last=2026-03-01")
    assert page.title().startswith(ERROR_TITLE[lang]), page.title()
    assert page.locator('.app-error-summary a[href="#last"]').count() == 1
    assert page.locator("#last").get_attribute("aria-describedby")
    assert page.locator("#first").input_value() == "2026-03-10"
    assert_accessible(page, f"audit log with an invalid period ({lang})")


def test_filter_the_log_with_the_keyboard_only(page: Any, app: Flask, admin: str) -> None:
    log_in_as(page, admin, "nl")
    visit(page, "/beheer/logboek/")

    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "person", "the person field")
    page.keyboard.type("k.dev")
    state = tab(page)
    # "Export downloaded" / "Export gedownload": the only label starting with "Ex" in either language.
    choose_in_select(page, "action", "Ex", actions.EXPORT)
    assert state["id"] == "action"
    assert tab(page)["id"] == "first"
    type_date(page, "first", "2026-03-09")
    assert past_the_date_picker_button(page, "first")["id"] == "last"
    type_date(page, "last", "2026-03-09")
    state = past_the_date_picker_button(page, "last")
    assert state["tag"] == "button" and state["type"] == "submit", state
    follow(page)

    query = parse_qs(urlparse(page.url).query)
    assert query["person"] == ["k.dev"] and query["action"] == [actions.EXPORT], page.url
    assert query["first"] == ["2026-03-09"] and query["last"] == ["2026-03-09"], page.url
    assert page.locator("#person").input_value() == "k.dev"
    rows = page.locator("main tbody tr")
    # k.devries acts every third hour; 9 March (Amsterdam) is 11 to 35 hours before noon on the 10th.
    assert rows.count() == 8, rows.count()
    assert all("k.devries" in rows.nth(i).inner_text() for i in range(rows.count()))
