"""The regional overview in the browser, as the demo regional coordinator: axe (WCAG 2.1 A/AA) on the heat
map page, the item page and the scholingsplan, and on the filter with an error, in Dutch and English; and the
filter with the keyboard only (Tab to the fields, choose a publication and a municipality, submit with Enter,
see the result), the focus visible at every stop.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from flask import Flask
from sqlalchemy import select

from scan.extensions import db
from scan.organisation.models import Municipality
from tests.browser.conftest import assert_accessible, log_in, switch_language
from tests.browser.keyboard import choose_in_select, follow, move_to, start_from_the_top, tab
from tests.browser.test_scan_pages import visit
from tests.regio.conftest import PERIOD, DemoRegion, load_demo_region, publish_demo_period

COORDINATOR, PASSWORD = "e.hoekstra", "scholingsplan-demo-2026"
ERROR_TITLE = {"nl": "Fout:", "en": "Error:"}


@pytest.fixture
def demo(app: Flask) -> DemoRegion:
    """The demo region with its autumn 2026 period published, committed so the live server sees it."""
    with app.app_context():
        region = load_demo_region()
        publish_demo_period(region.region_id)
        return region


@pytest.fixture(params=["nl", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


def log_in_as_coordinator(page: Any, lang: str) -> None:
    response = page.goto("/inloggen")
    assert response is not None and response.ok
    switch_language(page, lang)
    log_in(page, COORDINATOR, PASSWORD)
    assert "/inloggen" not in page.url, page.url


@pytest.mark.parametrize("path", ["/regio/behoefte", "/regio/behoefte/items", "/regio/scholingsplan",
                                  "/regio/scholingsplan?view=municipalities"])
def test_regional_pages(page: Any, demo: DemoRegion, lang: str, path: str) -> None:
    log_in_as_coordinator(page, lang)
    visit(page, path)
    assert page.locator("#regio-publication").inner_text().count(PERIOD[0]) == 1
    assert page.locator("main table").count() >= 1
    if "view=" not in path:
        assert page.get_by_text("<5", exact=True).first.is_visible()
    assert_accessible(page, f"{path} ({lang})")


def test_the_heat_map_is_drawn_with_its_table(page: Any, demo: DemoRegion, lang: str) -> None:
    log_in_as_coordinator(page, lang)
    visit(page, "/regio/behoefte")
    for measure in ("goal", "gap"):
        svg = page.locator(f"#heatmap-{measure} svg[role=img]")
        assert svg.is_visible()
        assert svg.get_attribute("aria-labelledby") == f"heatmap-{measure}-caption"
        # The same numbers as a table, one disclosure away.
        caption = page.locator(f"#heatmap-{measure}-table caption")
        assert not caption.is_visible()
        page.locator(f"section:has(#heatmap-{measure}) summary").click()
        assert caption.is_visible()


# Widest the page may be, and the smallest text of a chart, measured in the page itself.
MEASURE = """() => {
  const sizes = [...document.querySelectorAll("main svg text")]
    .filter(t => t.getBoundingClientRect().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  return {scroll: document.documentElement.scrollWidth, view: window.innerWidth,
          texts: sizes.length, smallest: sizes.length ? Math.min(...sizes) : null};
}"""


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("path", ["/regio/", "/regio/behoefte", "/regio/scholingsplan",
                                  "/regio/scholingsplan?view=municipalities"])
def test_no_sideways_scroll_and_readable_charts(page: Any, demo: DemoRegion, path: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    log_in_as_coordinator(page, "nl")
    visit(page, path)
    found = page.evaluate(MEASURE)
    assert found["scroll"] <= found["view"], (path, width, found)
    if path == "/regio/behoefte":
        assert found["texts"] > 10 and found["smallest"] >= 12, (path, width, found)


def test_the_filter_with_an_error(page: Any, demo: DemoRegion, lang: str) -> None:
    log_in_as_coordinator(page, lang)
    # A municipality that is not the region's: the field says so, the rest of the choice stays.
    visit(page, "/regio/behoefte?municipality=999999&level=algemeen")
    assert page.title().startswith(ERROR_TITLE[lang]), page.title()
    assert page.locator(".app-error-summary").count() == 1
    assert page.locator('.app-error-summary a[href="#municipality"]').count() == 1
    assert page.locator("#municipality").get_attribute("aria-describedby")
    assert page.locator("#level").input_value() == "algemeen"
    # The numbers below are those of the default selection.
    assert page.locator("#heatmap-goal-table tbody").count() >= 2
    assert_accessible(page, f"regional filter with an error ({lang})")


def test_choose_a_publication_and_a_municipality_with_the_keyboard_only(
    page: Any, app: Flask, demo: DemoRegion
) -> None:
    with app.app_context():
        from scan.regio import services

        towns = dict(
            db.session.execute(
                select(Municipality.name, Municipality.id).where(Municipality.region_id == demo.region_id)
            ).all()
        )
        publication = services.publication(demo.region_id, None)
        assert publication is not None
        publication_id = publication.id
    name = "Oosterbeemd" if "Oosterbeemd" in towns else sorted(towns)[0]
    log_in_as_coordinator(page, "nl")
    visit(page, "/regio/behoefte")  # the default: the newest publication, the whole region
    assert page.locator("#heatmap-goal-table tbody").count() >= 2

    # The publication by typing the start of its period's name; then a municipality the same way.
    start_from_the_top(page)
    state = move_to(page, lambda s: s["id"] == "publication", "the publication")
    assert state["tag"] == "select" and state["value"] == "0", state
    choose_in_select(page, "publication", PERIOD[0][:4], str(publication_id))
    assert tab(page)["id"] == "municipality"
    choose_in_select(page, "municipality", name[:4], str(towns[name]))
    # Past the level to the button; Enter.
    assert tab(page)["id"] == "level"
    state = tab(page)
    assert state["tag"] == "button" and state["type"] == "submit", state
    follow(page)

    query = parse_qs(urlparse(page.url).query)
    assert query["municipality"] == [str(towns[name])], page.url
    assert query["publication"] == [str(publication_id)], page.url
    assert page.locator("#publication").input_value() == str(publication_id)
    assert page.locator("#municipality").input_value() == str(towns[name])
    bodies = page.locator("#heatmap-goal-table tbody")
    assert bodies.count() == 1
    assert bodies.first.locator("th").first.inner_text().strip() == name
    rows = page.locator("#heatmap-goal .app-heatmap__row")
    assert rows.count() == 1 and rows.first.get_attribute("data-municipality") == str(towns[name])
