"""Typing a decimal number in a Dutch Chromium: "4,5" hours are four and a half hours, not 45.

A `type="number"` input is parsed by the browser in the browser's locale; the app's number fields are text
inputs read by the server in the page's language, so what is typed is what is stored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask

from scan.extensions import db
from scan.pop.models import PopAction
from tests.browser.conftest import TIMEOUT_MS, LiveServer, assert_accessible
from tests.browser.test_scan_pages import log_in_as, post_and_wait, visit
from tests.pop import world as pop_world


def test_hours_typed_as_4_comma_5_in_a_dutch_browser_are_stored_as_4_5(
    browser: Any, live_server: LiveServer, app: Flask
) -> None:
    w = pop_world.build(app)
    ids = pop_world.make_pop(app, w)
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in_as(page, w["anna"], "nl")
        edit = f"/pop/{ids['pop']}/acties/{ids['action']}/wijzigen"
        visit(page, edit)
        hours = page.locator("#hours")
        assert hours.get_attribute("type") == "text" and hours.get_attribute("inputmode") == "decimal"
        hours.fill("")
        hours.press_sequentially("4,5")  # typed key by key, as a person does
        response = post_and_wait(page, "main form[method=post] [type=submit]")
        assert response.status == 200 and f"/pop/{ids['pop']}" in page.url, page.url
        with app.app_context():
            assert db.session.get(PopAction, ids["action"]).hours == Decimal("4.5")
        assert page.locator("#pop-hours").inner_text() == "4,5"
        visit(page, edit)
        assert page.locator("#hours").input_value() == "4,5"

        # What cannot be read without guessing is refused at the field and kept.
        page.locator("#hours").fill("1.000,5")
        response = post_and_wait(page, "main form[method=post] [type=submit]")
        assert response.status == 422, response.status
        assert page.locator('.app-error-summary a[href="#hours"]').count() == 1
        assert page.locator("#hours").input_value() == "1.000,5"
        assert page.locator("#hours").get_attribute("aria-invalid") == "true"
        assert_accessible(page, "action form, grouped hours refused (nl)")
        with app.app_context():
            assert db.session.get(PopAction, ids["action"]).hours == Decimal("4.5")
    finally:
        context.close()
