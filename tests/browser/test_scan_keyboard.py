"""The whole scan with the keyboard only: log in, open "Mijn scan" from the menu, fill in every part with
Tab, the arrow keys and typing, submit, and land on the result. The focus must show at every stop."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from scan.assessment.models import Answer, Scan
from scan.extensions import db
from scan.kenniskaart.models import Item
from tests import factories
from tests.browser.keyboard import (
    active,  # noqa: F401  (other page tests import it from here)
    choose,
    press_button,
    skip_group,
    start_from_the_top,
    tab,
    tab_to,
    type_note,
)
from tests.browser.test_scan_pages import build_world

LEVELS = ["1", "2", "3", "4"]
AMBITIONS = ["stay", "2", "3", "4"]


def test_fill_in_and_submit_the_scan_with_the_keyboard_only(page: Any, app: Flask) -> None:
    world = build_world(app)

    # Log in.
    page.goto("/inloggen")
    tab_to(page, lambda s: s["id"] == "username", "the username field")
    page.keyboard.type(world.pro)
    assert tab(page)["id"] == "password"
    page.keyboard.type(factories.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/mijn"), page.url

    # "Mijn scan" in the main menu.
    tab_to(page, lambda s: s["href"] == "/scan" and "nav" in s["className"], "Mijn scan in the menu")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/scan"), page.url

    # Start the scan: the button-like link, not the part's link in the progress table.
    start_from_the_top(page)
    tab_to(page, lambda s: s["href"] == f"/scan/{world.round}/GC" and "button" in s["className"],
           "the start button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/scan/{world.round}/GC"), page.url

    # Part 1, the generic competencies: past the header and the parts' menu to the first group.
    start_from_the_top(page)
    tab_to(page, lambda s: s["name"] == "level-GC01", "the first level group")
    page.keyboard.press("Shift+Tab")  # back, so choose() tabs into the group itself
    choose(page, "level-GC01", "3", LEVELS)
    choose(page, "ambition-GC01", "4", ["stay", "4"])  # at level 3 only higher ambitions are offered
    type_note(page, "GC01", "Training motiverende gespreksvoering")
    choose(page, "level-GC02", "2", LEVELS)
    choose(page, "ambition-GC02", "stay", AMBITIONS)
    type_note(page, "GC02", "")
    press_button(page, "save_next")
    assert page.url.endswith(f"/scan/{world.round}/LG01"), page.url

    # Part 2, Financien: the required item, and "not applicable" on the optional specialist item.
    start_from_the_top(page)
    tab_to(page, lambda s: s["name"] == "level-LG01-A1", "the first level group")
    page.keyboard.press("Shift+Tab")
    choose(page, "level-LG01-A1", "2", LEVELS)
    choose(page, "ambition-LG01-A1", "3", ["stay", "3", "4"])
    type_note(page, "LG01-A1", "Signalen besproken in intervisie")
    choose(page, "level-LG01-S1", "nvt", [*LEVELS, "nvt"])
    skip_group(page, "ambition-LG01-S1")
    type_note(page, "LG01-S1", "")
    press_button(page, "save_next", key="Space")
    assert page.url.endswith(f"/scan/{world.round}/LG02"), page.url

    # Part 3, Wonen, the last one: its primary button leads to submitting.
    start_from_the_top(page)
    tab_to(page, lambda s: s["name"] == "level-LG02-A1", "the first level group")
    page.keyboard.press("Shift+Tab")
    choose(page, "level-LG02-A1", "1", LEVELS)
    choose(page, "ambition-LG02-A1", "2", AMBITIONS)
    type_note(page, "LG02-A1", "Wil meer weten over huurachterstand")
    press_button(page, "save_next")
    assert page.url.endswith(f"/scan/{world.round}/indienen"), page.url
    assert page.locator(".app-error-summary").count() == 0, "the submit page still lists missing items"

    # Submit with the keyboard.
    start_from_the_top(page)
    tab_to(page, lambda s: s["tag"] == "button" and s["type"] == "submit"
           and page.evaluate("() => !!document.activeElement.closest('main form')"), "the submit button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/mijn/resultaat/{world.round}"), page.url
    assert page.locator("h1").count() == 1

    # Stored exactly as chosen.
    with app.app_context():
        scan = db.session.scalars(select(Scan).where(Scan.user_id == world.pro_id)).one()
        assert scan.status == "submitted" and scan.submitted_at is not None
        stored = {
            code: (answer.level, answer.not_applicable, answer.ambition, answer.note)
            for answer, code in db.session.execute(
                select(Answer, Item.code)
                .join(Item, Answer.item_id == Item.id)
                .where(Answer.scan_id == scan.id)
            )
        }
    assert stored == {
        "GC01": (3, False, 4, "Training motiverende gespreksvoering"),
        "GC02": (2, False, 2, ""),
        "LG01-A1": (2, False, 3, "Signalen besproken in intervisie"),
        "LG01-S1": (None, True, None, ""),
        "LG02-A1": (1, False, 2, "Wil meer weten over huurachterstand"),
    }
