"""The whole scan with the keyboard only: log in, open "Mijn scan" from the menu, fill in every part with
Tab, the arrow keys and typing, submit, and land on the result. The focus must show at every stop."""

from __future__ import annotations

import contextlib
from typing import Any

from flask import Flask
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from scan.assessment.models import Answer, Scan
from scan.extensions import db
from scan.kenniskaart.models import Item
from tests import factories
from tests.browser.test_keyboard import assert_focus_visible, focused
from tests.browser.test_scan_pages import SCROLL_POLL_MS, SETTLED_ON_SCREEN_JS, build_world

MAX_TABS = 40
SCROLL_WAIT_MS = 2_000

# What the focused element is, beyond what the shared focus check reports.
ACTIVE_JS = """() => {
    const el = document.activeElement;
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        name: el.getAttribute("name"),
        value: el.value === undefined ? null : el.value,
        type: el.getAttribute("type"),
        checked: el.checked === true,
        href: el.getAttribute("href"),
        className: el.className || "",
    };
}"""


def active(page: Any) -> dict[str, Any]:
    return page.evaluate(ACTIVE_JS)



def tab(page: Any, key: str = "Tab") -> dict[str, Any]:
    """Press Tab (or another key that moves the focus) and check the new focus can be seen."""
    page.keyboard.press(key)
    # The design system scrolls smoothly (unless the user prefers reduced motion), so a newly focused
    # element below the fold reaches the screen a moment after the key press.
    with contextlib.suppress(PlaywrightTimeout):  # if it never settles, assert_focus_visible says why
        page.wait_for_function(SETTLED_ON_SCREEN_JS, polling=SCROLL_POLL_MS, timeout=SCROLL_WAIT_MS)
    assert_focus_visible(focused(page))
    return active(page)


def tab_to(page: Any, wanted: Any, what: str) -> dict[str, Any]:
    """Press Tab until `wanted(state)` holds, checking at every stop that the focus shows."""
    seen = []
    for _ in range(MAX_TABS):
        state = tab(page)
        seen.append(state["id"] or state["href"] or state["name"] or state["tag"])
        if wanted(state):
            return state
    raise AssertionError(f"{what} not reached within {MAX_TABS} presses of Tab; passed {seen}")


def choose(page: Any, name: str, value: str, options: list[str]) -> None:
    """Tab into the radio group `name` (the first option gets the focus when none is checked) and
    move to `value` with the arrow keys, which also checks it; Space checks the first option."""
    state = tab(page)
    assert state["name"] == name and state["type"] == "radio", f"Tab did not reach the group {name}: {state}"
    assert state["value"] == options[0] and not state["checked"], state
    if value == options[0]:
        page.keyboard.press("Space")  # the focused first option is checked with Space
        state = active(page)
    for _ in range(options.index(value)):
        state = tab(page, "ArrowDown")
    assert state["name"] == name and state["value"] == value and state["checked"], state


def skip_group(page: Any, name: str) -> None:
    """Tab into an optional radio group and on out of it without choosing anything."""
    state = tab(page)
    assert state["name"] == name and not state["checked"], state


def type_note(page: Any, code: str, text: str) -> None:
    state = tab(page)
    assert state["id"] == f"note-{code}" and state["tag"] == "textarea", state
    page.keyboard.type(text)


def press_button(page: Any, value: str, key: str = "Enter") -> None:
    """Tab to the form's button with action=value and press it (Enter or Space)."""
    tab_to(page, lambda s: s["tag"] == "button" and s["name"] == "action" and s["value"] == value,
           f"the {value} button")
    with page.expect_navigation():
        page.keyboard.press(key)


def start_from_the_top(page: Any) -> None:
    """Focus the skip link (the first stop) and follow it, so Tab continues inside <main>."""
    state = tab(page)
    assert state["href"] == "#main", f"the first stop is not the skip link: {state}"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


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
    choose(page, "ambition-GC01", "4", AMBITIONS)
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
    choose(page, "ambition-LG01-A1", "3", AMBITIONS)
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
