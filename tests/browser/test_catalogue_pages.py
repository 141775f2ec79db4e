"""The training catalogue in the browser, as the regional coordinator: axe (WCAG 2.1 A/AA) on the list,
the entry form (empty, with errors, editing), the import page (empty, with an error) and the import
preview, in Dutch and English; and adding an entry with the keyboard only, the focus visible at every stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from scan.access import Role
from scan.auth.models import User
from scan.catalogue.models import Training, TrainingItem
from scan.extensions import db
from tests import factories
from tests.browser.conftest import assert_accessible, switch_language
from tests.browser.test_pop_keyboard import in_menu
from tests.browser.test_scan_keyboard import active, start_from_the_top, tab
from tests.browser.test_scan_pages import log_in_as, post_and_wait, visit
from tests.browser.test_teamschouw_keyboard import (
    choose_in_select,
    follow,
    log_in_with_the_keyboard,
    move_to,
)

ERROR_TITLE = {"nl": "Fout:", "en": "Error:"}
HEADER_NL = (
    "code;titel;aanbieder;type;niveau;uren;kosten in euro;punten;groep minimaal;groep maximaal;items;actief"
)
# Adds TR05 and changes the title and cost of TR01.
VALID_CSV = (
    HEADER_NL + "\n"
    "TR01;Motiverende gespreksvoering (vernieuwd);Lindewaard;training;algemeen;21;975;21;8;14;GC01;ja\n"
    "TR05;Budgetcoaching in de wijk;Leerplein;coaching;;4;0;0;;;LG01-A1;ja\n"
).encode("utf-8")
# A PNG header: not a CSV or XLSX file.
NOT_A_SPREADSHEET = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


@dataclass(frozen=True)
class CatalogueWorld:
    coordinator: str
    tr01: int


def build_catalogue_world(app: Flask) -> CatalogueWorld:
    """A Kenniskaart, a regional coordinator and three entries, one of them inactive."""
    with app.app_context():
        factories.make_kenniskaart()
        team = factories.make_team()
        user = factories.make_user(Role.REGIOCOORDINATOR, region=team.municipality.region)
        region_id = user.region_id
        tr01 = Training(region_id=region_id, code="TR01", title="Motiverende gespreksvoering",
                        provider="Lindewaard",
                        type="training", level="algemeen", hours=Decimal("21"), cost_cents=95000,
                        points=21, min_group=8, max_group=14, item_codes=[TrainingItem(item_code="GC01")])
        db.session.add_all([
            tr01,
            Training(region_id=region_id, code="TR02", title="Signalen van schulden herkennen",
                     provider="Leerplein",
                     type="e-learning", level="specialistisch", hours=Decimal("2.5"), cost_cents=1250,
                     points=2, item_codes=[TrainingItem(item_code="LG01-A1")]),
            Training(region_id=region_id, code="TR03", title="Intervisie wonen", provider="",
                     type="intervisie", level=None,
                     hours=Decimal("3"), cost_cents=0, points=0, min_group=4, max_group=8, active=False,
                     item_codes=[TrainingItem(item_code="LG02-A1"), TrainingItem(item_code="GC02")]),
        ])
        db.session.commit()
        return CatalogueWorld(coordinator=user.username, tr01=tr01.id)


@pytest.fixture(params=["nl", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def world(app: Flask) -> CatalogueWorld:
    return build_catalogue_world(app)


def assert_error_page(page: Any, lang: str) -> None:
    assert page.title().startswith(ERROR_TITLE[lang]), page.title()
    assert page.locator(".app-error-summary").count() == 1


# --- the list -------------------------------------------------------------------------------------


def test_catalogue_list(page: Any, world: CatalogueWorld, lang: str) -> None:
    log_in_as(page, world.coordinator, lang)
    visit(page, "/catalogus/")
    assert page.get_by_text("Motiverende gespreksvoering").is_visible()
    assert page.get_by_text("Intervisie wonen").count() == 0  # inactive: not in the default filter
    assert_accessible(page, f"catalogue list ({lang})")


def test_catalogue_list_all_entries(page: Any, world: CatalogueWorld, lang: str) -> None:
    log_in_as(page, world.coordinator, lang)
    visit(page, "/catalogus/?toon=all")
    assert page.get_by_text("Intervisie wonen").is_visible()
    assert page.locator("#toon").input_value() == "all"
    assert_accessible(page, f"catalogue list, all entries ({lang})")


# --- the entry form -------------------------------------------------------------------------------


def test_new_entry_form(page: Any, world: CatalogueWorld, lang: str) -> None:
    log_in_as(page, world.coordinator, lang)
    visit(page, "/catalogus/nieuw")
    assert page.locator("#active").is_checked()
    assert_accessible(page, f"new catalogue entry form ({lang})")


def test_new_entry_form_with_errors(page: Any, world: CatalogueWorld, lang: str) -> None:
    log_in_as(page, world.coordinator, lang)
    visit(page, "/catalogus/nieuw")
    page.fill("#code", "TR09")
    page.fill("#title", "Huurachterstand aanpakken")
    page.select_option("#type", "training")
    page.fill("#hours", "3")
    page.fill("#cost", "12,505")
    page.fill("#points", "0")
    page.fill("#min_group", "10")
    page.fill("#max_group", "4")
    page.fill("#items", "GC01 XX99")
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 200 and page.url.endswith("/catalogus/nieuw"), (response.status, page.url)
    assert_error_page(page, lang)
    for field in ("cost", "max_group", "items"):
        assert page.locator(f'.app-error-summary a[href="#{field}"]').count() == 1, field
        assert page.locator(f"#{field}").get_attribute("aria-describedby"), field
    assert page.locator("#items").input_value() == "GC01 XX99"
    assert_accessible(page, f"new catalogue entry form with errors ({lang})")


def test_edit_form(page: Any, world: CatalogueWorld, lang: str) -> None:
    log_in_as(page, world.coordinator, lang)
    visit(page, f"/catalogus/{world.tr01}/wijzigen")
    assert page.locator("#code").input_value() == "TR01"
    assert page.locator("#cost").input_value() == {"nl": "950,00", "en": "950.00"}[lang]
    assert_accessible(page, f"edit catalogue entry form ({lang})")


# --- import ---------------------------------------------------------------------------------------


def upload(page: Any, name: str, mime: str, payload: bytes) -> Any:
    page.locator("#file").set_input_files({"name": name, "mimeType": mime, "buffer": payload})
    return post_and_wait(page, "main form[method=post] [type=submit]")


def test_import_page(page: Any, world: CatalogueWorld, lang: str) -> None:
    log_in_as(page, world.coordinator, lang)
    visit(page, "/catalogus/import")
    assert_accessible(page, f"catalogue import page ({lang})")


def test_import_page_with_an_error(page: Any, world: CatalogueWorld, lang: str) -> None:
    log_in_as(page, world.coordinator, lang)
    visit(page, "/catalogus/import")
    response = upload(page, "foto.png", "image/png", NOT_A_SPREADSHEET)
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#file"]').count() == 1
    assert page.locator("#file").get_attribute("aria-describedby")
    assert_accessible(page, f"catalogue import page with an error ({lang})")


def test_import_preview(page: Any, app: Flask, world: CatalogueWorld, lang: str) -> None:
    log_in_as(page, world.coordinator, lang)
    visit(page, "/catalogus/import")
    response = upload(page, "catalogus.csv", "text/csv", VALID_CSV)
    assert response.status == 200, response.status
    assert page.locator("#added-heading").count() == 1 and page.locator("#changed-heading").count() == 1
    assert page.get_by_text("Budgetcoaching in de wijk").is_visible()
    assert page.get_by_text("Motiverende gespreksvoering (vernieuwd)").is_visible()
    assert_accessible(page, f"catalogue import preview ({lang})")
    with app.app_context():  # nothing written before the confirmation
        assert db.session.scalar(select(Training).where(Training.code == "TR05")) is None


# --- keyboard only --------------------------------------------------------------------------------


def type_into(page: Any, field_id: str, text: str) -> None:
    """Tab to the next stop, which must be the field, and type."""
    state = tab(page)
    assert state["id"] == field_id, f"expected #{field_id}, the focus is on {state}"
    if text:
        page.keyboard.type(text)


def test_add_an_entry_with_the_keyboard_only(page: Any, app: Flask, world: CatalogueWorld) -> None:
    log_in_with_the_keyboard(page, world.coordinator)
    assert page.url.endswith("/regio/"), page.url

    # "Scholingscatalogus" in the main menu.
    move_to(page, in_menu("/catalogus/"), "Scholingscatalogus in the menu")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Scholingscatalogus"
    follow(page)
    assert page.url.endswith("/catalogus/"), page.url

    # "Add an entry".
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == "/catalogus/nieuw", "the add-an-entry link")
    follow(page)
    assert page.url.endswith("/catalogus/nieuw"), page.url

    # Every field, in order.
    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "code", "the code field")
    page.keyboard.type("TR26")
    type_into(page, "title", "Schuldhulp verdieping")
    type_into(page, "provider", "Leerplein")
    assert tab(page)["id"] == "type"
    choose_in_select(page, "type", "Co", "coaching")
    assert tab(page)["id"] == "level"
    choose_in_select(page, "level", "spec", "specialistisch")
    type_into(page, "hours", "7,5")
    type_into(page, "cost", "12,50")
    type_into(page, "points", "7")
    type_into(page, "min_group", "2")
    type_into(page, "max_group", "12")
    type_into(page, "items", "GC01, LG01-A1")
    state = tab(page)
    assert state["id"] == "active" and state["type"] == "checkbox", state
    # Off and on again with Space: it stays active, so it shows in the default list.
    page.keyboard.press("Space")
    assert not active(page)["checked"]
    page.keyboard.press("Space")
    assert active(page)["checked"]
    state = tab(page)
    assert state["tag"] == "button" and state["type"] == "submit", state
    follow(page)

    # Back on the list, with the new entry. (The skip link's #main rides along: the form posts to the
    # page's own address, and a redirect keeps the fragment.)
    assert page.url.split("#")[0].endswith("/catalogus/"), page.url
    assert page.locator("tbody th[scope=row]", has_text="TR26").count() == 1
    assert page.get_by_text("Schuldhulp verdieping").is_visible()
    with app.app_context():
        t = db.session.scalar(select(Training).where(Training.code == "TR26"))
        assert t is not None
        assert (t.title, t.provider, t.type, t.level, t.hours, t.cost_cents, t.points, t.min_group,
                t.max_group, t.active) == ("Schuldhulp verdieping", "Leerplein", "coaching", "specialistisch",
                                           Decimal("7.5"), 1250, 7, 2, 12, True)
        assert sorted(i.item_code for i in t.item_codes) == ["GC01", "LG01-A1"]


# --- the catalogue as professionals read it; the Kenniskaart; the statements; layout ---------------------

WIDTHS = (320, 375, 1280)

# Every word of the element's visible text that the browser lays out over more than one line: a word broken
# inside itself ("Co de", "alge meen"). A word is a run of non-space characters in one text node.
BROKEN_WORDS_JS = """
(selector) => {
  const broken = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const style = getComputedStyle(node.parentElement);
      if (style.display === "none" || style.visibility === "hidden") continue;
      if (node.parentElement.closest(".visually-hidden")) continue;
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        const tops = new Set(rects.map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}
"""


def page_width(page: Any) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_word_broken_in_the_catalogue_table(page: Any, world: CatalogueWorld, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as(page, world.coordinator, "nl")
    visit(page, "/catalogus/?toon=all")
    broken = page.evaluate(BROKEN_WORDS_JS, ".app-catalogue-table th, .app-catalogue-table td")
    assert broken == [], f"words broken inside at {width} px: {broken}"
    scroll, viewport = page_width(page)
    assert scroll <= viewport, f"the page scrolls sideways at {width} px: {scroll} > {viewport}"


@dataclass(frozen=True)
class ReaderWorld:
    professional: str
    other_professional: str


@pytest.fixture
def readers(app: Flask, world: CatalogueWorld) -> ReaderWorld:
    """A professional of the catalogue world's region, and one of another region with its own entry."""
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(User.username == world.coordinator))
        assert coordinator is not None
        team = factories.make_team()
        team.municipality.region_id = coordinator.region_id
        professional = factories.make_user(Role.PROFESSIONAL, team=team)
        other = factories.make_user(Role.PROFESSIONAL)
        factories.make_training(other.team.municipality.region_id, "TR09", title="Alleen elders",
                                items=("GC01",))
        db.session.commit()
        return ReaderWorld(professional.username, other.username)


def test_a_professional_browses_and_filters_the_catalogue(page: Any, readers: ReaderWorld, lang: str) -> None:
    log_in_as(page, readers.professional, lang)
    # From the menu.
    menu = {"nl": "Scholingscatalogus", "en": "Training catalogue"}[lang]
    page.locator(".app-nav__link", has_text=menu).click()
    assert page.url.endswith("/catalogus/aanbod")
    assert page.get_by_text("Motiverende gespreksvoering").is_visible()
    assert page.get_by_text("Intervisie wonen").count() == 0  # inactive
    assert page.get_by_text("Alleen elders").count() == 0  # another region's
    item = {"nl": "Contact maken", "en": "Engaging"}[lang]
    assert page.locator(".app-catalogue-items li", has_text=item).count() == 1
    assert_accessible(page, f"catalogue for professionals ({lang})")
    # The filter is a plain GET form: choose a level and submit.
    page.select_option("#niveau", "specialistisch")
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").click()
    assert "niveau=specialistisch" in page.url
    assert page.get_by_text("Signalen van schulden herkennen").is_visible()
    assert page.get_by_text("Motiverende gespreksvoering").count() == 0
    assert_accessible(page, f"catalogue for professionals, filtered ({lang})")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_readers_pages_fit_every_width(page: Any, readers: ReaderWorld, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as(page, readers.professional, "nl")
    for path in ("/catalogus/aanbod", "/kenniskaart", "/privacyverklaring", "/toegankelijkheidsverklaring"):
        visit(page, path)
        scroll, viewport = page_width(page)
        assert scroll <= viewport, f"{path} scrolls sideways at {width} px: {scroll} > {viewport}"
        broken = page.evaluate(BROKEN_WORDS_JS, ".app-catalogue-facts, .app-footer")
        assert broken == [], f"{path}: words broken inside at {width} px: {broken}"


def test_the_kenniskaart_and_the_statements_are_accessible(page: Any, readers: ReaderWorld,
                                                           lang: str) -> None:
    # Logged out: the statements, from the login page's footer.
    response = page.goto("/inloggen")
    assert response is not None and response.ok
    switch_language(page, lang)
    for label in ({"nl": "Privacyverklaring", "en": "Privacy statement"}[lang],
                  {"nl": "Toegankelijkheidsverklaring", "en": "Accessibility statement"}[lang]):
        page.locator(".app-footer a", has_text=label).click()
        assert page.locator("h1").inner_text() == label
        assert_accessible(page, f"{label} ({lang})")
    log_in_as(page, readers.professional, lang)
    page.locator(".app-footer a", has_text="Kenniskaart").click()
    assert page.url.endswith("/kenniskaart")
    heading = {"nl": "GC01 Contact maken", "en": "GC01 Engaging"}[lang]
    assert page.get_by_role("heading", name=heading).is_visible()
    assert_accessible(page, f"Kenniskaart ({lang})")
