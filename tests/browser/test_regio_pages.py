"""The regional overview in the browser, as the demo regional coordinator: axe (WCAG 2.1 A/AA) on the heat
map page, the item page and the scholingsplan, and on the filter with an error, in Dutch and English; and the
filter with the keyboard only (Tab to the fields, choose a municipality, submit with Enter, see the result),
the focus visible at every stop.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from flask import Flask
from sqlalchemy import select

from scan.extensions import db
from scan.organisation.models import Municipality
from tests.browser.conftest import assert_accessible, log_in, switch_language
from tests.browser.test_pop_keyboard import past_the_date_picker_button, type_date
from tests.browser.test_scan_keyboard import start_from_the_top, tab
from tests.browser.test_scan_pages import visit
from tests.browser.test_teamschouw_keyboard import choose_in_select, follow, move_to
from tests.regio.conftest import BOTH_ROUNDS, DEMO_TODAY, DemoRegion, load_demo_region

COORDINATOR, PASSWORD = "e.hoekstra", "scholingsplan-demo-2026"
ERROR_TITLE = {"nl": "Fout:", "en": "Error:"}
QUERY = "?" + urlencode(BOTH_ROUNDS)


@pytest.fixture
def demo(app: Flask, monkeypatch: pytest.MonkeyPatch) -> DemoRegion:
    """The demo region as of DEMO_TODAY, committed so the live server sees it."""
    monkeypatch.setattr("scan.regio.needs.clock_today", lambda: DEMO_TODAY)
    with app.app_context():
        return load_demo_region()


@pytest.fixture(params=["nl", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


def log_in_as_coordinator(page: Any, lang: str) -> None:
    response = page.goto("/inloggen")
    assert response is not None and response.ok
    switch_language(page, lang)
    log_in(page, COORDINATOR, PASSWORD)
    assert "/inloggen" not in page.url, page.url


@pytest.mark.parametrize("path", ["/regio/behoefte", "/regio/behoefte/items", "/regio/scholingsplan"])
def test_regional_pages(page: Any, demo: DemoRegion, lang: str, path: str) -> None:
    log_in_as_coordinator(page, lang)
    visit(page, path + QUERY)
    assert page.locator("main table").count() >= 2
    assert page.get_by_text("<5", exact=True).first.is_visible()
    assert_accessible(page, f"{path} ({lang})")


def test_the_heat_map_is_drawn_with_its_table(page: Any, demo: DemoRegion, lang: str) -> None:
    log_in_as_coordinator(page, lang)
    visit(page, "/regio/behoefte" + QUERY)
    for measure in ("goal", "gap"):
        svg = page.locator(f"#heatmap-{measure} svg[role=img]")
        assert svg.is_visible()
        assert svg.get_attribute("aria-labelledby") == f"heatmap-{measure}-caption"
        assert page.locator(f"#heatmap-{measure}-table caption").is_visible()


def test_the_filter_with_an_error(page: Any, demo: DemoRegion, lang: str) -> None:
    log_in_as_coordinator(page, lang)
    visit(page, "/regio/behoefte?rounds=period&first=2027-03-01&last=2027-02-01")
    assert page.title().startswith(ERROR_TITLE[lang]), page.title()
    assert page.locator(".app-error-summary").count() == 1
    assert page.locator('.app-error-summary a[href="#last"]').count() == 1
    assert page.locator("#last").get_attribute("aria-describedby")
    assert page.locator("#first").input_value() == "2027-03-01"
    assert_accessible(page, f"regional filter with an error ({lang})")


def test_choose_a_municipality_with_the_keyboard_only(page: Any, app: Flask, demo: DemoRegion) -> None:
    with app.app_context():
        towns = dict(
            db.session.execute(
                select(Municipality.name, Municipality.id).where(Municipality.region_id == demo.region_id)
            ).all()
        )
    name = "Oosterbeemd" if "Oosterbeemd" in towns else sorted(towns)[0]
    log_in_as_coordinator(page, "nl")
    visit(page, "/regio/behoefte")  # the default: the latest round of each team, the whole region
    assert page.locator("#heatmap-goal-table tbody").count() >= 2

    # Rounds: from "the latest round" to "a period", with the arrow keys; then both dates, typed.
    start_from_the_top(page)
    state = move_to(page, lambda s: s["name"] == "rounds", "the rounds")
    assert state["value"] == "latest" and state["checked"], state
    state = tab(page, "ArrowDown")
    assert state["name"] == "rounds" and state["value"] == "period" and state["checked"], state
    assert tab(page)["id"] == "first"
    type_date(page, "first", BOTH_ROUNDS["first"])
    assert past_the_date_picker_button(page, "first")["id"] == "last"
    type_date(page, "last", BOTH_ROUNDS["last"])
    assert past_the_date_picker_button(page, "last")["id"] == "municipality"

    # A municipality by typing the start of its name; past the level to the button; Enter.
    choose_in_select(page, "municipality", name[:4], str(towns[name]))
    assert tab(page)["id"] == "level"
    state = tab(page)
    assert state["tag"] == "button" and state["type"] == "submit", state
    follow(page)

    query = parse_qs(urlparse(page.url).query)
    assert query["municipality"] == [str(towns[name])], page.url
    assert query["rounds"] == ["period"] and query["first"] == [BOTH_ROUNDS["first"]], page.url
    assert page.locator("#municipality").input_value() == str(towns[name])
    bodies = page.locator("#heatmap-goal-table tbody")
    assert bodies.count() == 1
    assert bodies.first.locator("th").first.inner_text().strip() == name
    rows = page.locator("#heatmap-goal .app-heatmap__row")
    assert rows.count() == 1 and rows.first.get_attribute("data-municipality") == str(towns[name])
