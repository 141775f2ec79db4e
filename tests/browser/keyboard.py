"""Keyboard-only helpers shared by the browser tests: Tab (and Shift+Tab, the arrow keys, Enter, Space) from
stop to stop, with the focus checked as visible at every stop; typing into the focused field only.

A step names what it wants to reach (`move_to(page, lambda s: s["href"] == "/scan", "Mijn scan")`) and
fails with the stops it passed when it is not reached. Nothing here clicks or fills.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests import factories
from tests.browser.test_keyboard import assert_focus_visible, focused
from tests.browser.test_scan_pages import SCROLL_POLL_MS, SETTLED_ON_SCREEN_JS

MAX_TABS = 40
MAX_STOPS = 60
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

# Where the focused element sits: its form (action, direction of a move), row and list item.
CONTEXT_JS = """() => {
    const el = document.activeElement;
    const form = el.form || null;
    const direction = form && form.querySelector('[name="direction"]');
    const item = form && form.querySelector('[name="item_id"]');
    const row = el.closest("tr");
    const li = el.closest("li");
    return {
        action: form ? form.getAttribute("action") : null,
        method: form ? form.getAttribute("method") : null,
        direction: direction ? direction.value : null,
        itemId: item ? item.value : null,
        row: row ? row.id : null,
        listItem: li ? (li.dataset.item || li.dataset.agreement || null) : null,
        inSuggestions: !!el.closest("#suggestions"),
        inHeader: !!el.closest("header"),
    };
}"""

# The order of day, month and year in the browser's date fields (they follow the browser's locale).
DATE_ORDER_JS = """() => new Intl.DateTimeFormat(navigator.language)
    .formatToParts(new Date(2027, 4, 10)).filter(p => ["day", "month", "year"].includes(p.type))
    .map(p => p.type)"""

# Inside a date field: [its id, whether the field itself has the focus (not its calendar button)].
WHERE_IN_FIELD_JS = "() => [document.activeElement.id, document.activeElement.matches(':focus')]"

# True once the page has scrolled its #fragment target onto the screen and stopped scrolling.
AT_FRAGMENT_JS = """() => {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    const y = window.scrollY;
    window.__stillPolls = y === window.__lastY ? (window.__stillPolls || 0) + 1 : 0;
    window.__lastY = y;
    if (!target) return false;
    const box = target.getBoundingClientRect();
    return window.__stillPolls >= 2 && box.bottom > 0 && box.top < window.innerHeight;
}"""


# --- one stop -------------------------------------------------------------------------------------


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


def stop(page: Any, key: str = "Tab") -> dict[str, Any]:
    """One press of Tab (or Shift+Tab), the focus checked as visible; the state with its context."""
    return tab(page, key) | page.evaluate(CONTEXT_JS)


# --- moving on until something is reached ---------------------------------------------------------


def tab_to(page: Any, wanted: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
    """Press Tab until `wanted(state)` holds, checking at every stop that the focus shows."""
    seen = []
    for _ in range(MAX_TABS):
        state = tab(page)
        seen.append(state["id"] or state["href"] or state["name"] or state["tag"])
        if wanted(state):
            return state
    raise AssertionError(f"{what} not reached within {MAX_TABS} presses of Tab; passed {seen}")


def move_to(page: Any, wanted: Callable[[dict[str, Any]], bool], what: str,
            key: str = "Tab") -> dict[str, Any]:
    """Press `key` until `wanted(state)` holds, checking at every stop that the focus shows. The state
    includes the focused element's context (CONTEXT_JS): its form's action, its row, its list item."""
    seen = []
    for _ in range(MAX_STOPS):
        state = stop(page, key)
        seen.append(state["id"] or state["href"] or state["action"] or state["name"] or state["tag"])
        if wanted(state):
            return state
    raise AssertionError(f"{what} not reached within {MAX_STOPS} presses of {key}; passed {seen}")


def start_from_the_top(page: Any) -> None:
    """Focus the skip link (the first stop) and follow it, so Tab continues inside <main>."""
    state = tab(page)
    assert state["href"] == "#main", f"the first stop is not the skip link: {state}"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def in_menu(href: str) -> Callable[[dict[str, Any]], bool]:
    """The main menu's link to `href`."""
    return lambda s: s["href"] == href and "nav" in (s["className"] or "")


def is_button(state: dict[str, Any], action_end: str) -> bool:
    """The focus is on a button of a form whose action ends with `action_end`."""
    return state["tag"] == "button" and (state["action"] or "").endswith(action_end)


def is_submit(state: dict[str, Any]) -> bool:
    """The focus is on the submit button of a POST form."""
    return state["tag"] == "button" and state["type"] == "submit" and state["method"] == "post"


# --- following links and sending forms ------------------------------------------------------------


def follow(page: Any, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def follow_to_fragment(page: Any, key: str = "Enter") -> None:
    """Follow a link or button to a page#fragment and wait until the (smooth) scroll to it is done:
    the browser continues Tab from there, so the next stop is the fragment's first control."""
    follow(page, key)
    assert "#" in page.url, page.url
    page.wait_for_function(AT_FRAGMENT_JS, polling=SCROLL_POLL_MS)


def press_button(page: Any, value: str, key: str = "Enter") -> None:
    """Tab to the form's button with action=value and press it (Enter or Space)."""
    tab_to(page, lambda s: s["tag"] == "button" and s["name"] == "action" and s["value"] == value,
           f"the {value} button")
    with page.expect_navigation():
        page.keyboard.press(key)


# --- fields ---------------------------------------------------------------------------------------


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


def choose_in_select(page: Any, select_id: str, typed: str, expected_value: str) -> None:
    """With the focus on the <select>, type the start of an option's text (type-ahead)."""
    state = page.evaluate("() => ({id: document.activeElement.id, tag: document.activeElement.tagName})")
    assert state == {"id": select_id, "tag": "SELECT"}, state
    page.keyboard.type(typed)
    value = page.locator(f"#{select_id}").input_value()
    assert value == expected_value, (
        f"typing {typed!r} in #{select_id} chose {value!r}, not {expected_value!r}"
    )


def type_date(page: Any, field_id: str, iso: str) -> None:
    """With the focus on the date field, type its parts in the browser's order (the field moves on)."""
    assert active(page)["id"] == field_id, active(page)
    year, month, day = iso.split("-")
    parts = {"year": year, "month": month, "day": day}
    for part in page.evaluate(DATE_ORDER_JS):
        page.keyboard.type(parts[part])
    value = page.locator(f"#{field_id}").input_value()
    assert value == iso, f"typing {iso} in #{field_id} gave {value!r}"


def past_the_date_picker_button(page: Any, field_id: str) -> dict[str, Any]:
    """After the year, Tab reaches the date field's own calendar button (Chromium's, inside the field):
    the field stays the active element but is no longer :focus. Its ring is drawn by the browser, so it
    is checked by comparing pictures: the field looks different with and without the focus there. The
    next Tab leaves the field."""
    page.keyboard.press("Tab")
    state = page.evaluate(WHERE_IN_FIELD_JS)
    assert state == [field_id, False], f"Tab after the year did not reach the calendar button: {state}"
    return _off_the_calendar_button(page, field_id)


def through_date_field(page: Any, field_id: str) -> dict[str, Any]:
    """With the focus on a date field (typed in or not), Tab through its day, month and year and its
    calendar button to the next stop, the focus visible at each (see past_the_date_picker_button)."""
    assert active(page)["id"] == field_id, active(page)
    for _ in range(4):
        page.keyboard.press("Tab")
        state = page.evaluate(WHERE_IN_FIELD_JS)
        if state[0] != field_id:  # no calendar button in this browser: the next stop already
            assert_focus_visible(focused(page))
            return active(page)
        if not state[1]:
            return _off_the_calendar_button(page, field_id)
        assert_focus_visible(focused(page))  # the next part of the date
    raise AssertionError(f"Tab did not leave #{field_id}")


def _off_the_calendar_button(page: Any, field_id: str) -> dict[str, Any]:
    field = page.locator(f"#{field_id}")
    page.wait_for_function(SETTLED_ON_SCREEN_JS, polling=SCROLL_POLL_MS)
    with_focus = field.screenshot(animations="disabled")
    after = tab(page)
    assert after["id"] != field_id, f"the second Tab stayed in #{field_id}: {after}"
    assert field.screenshot(animations="disabled") != with_focus, (
        f"no visible focus on the calendar button of #{field_id}"
    )
    return after


# --- logging in and out, signing ------------------------------------------------------------------


def log_in_with_the_keyboard(page: Any, username: str, password: str = factories.PASSWORD) -> None:
    page.goto("/inloggen")
    move_to(page, lambda s: s["id"] == "username", "the username field")
    page.keyboard.type(username)
    assert stop(page)["id"] == "password"
    page.keyboard.type(password)
    follow(page)
    assert "/inloggen" not in page.url, f"login failed for {username}: {page.url}"


def log_out_with_the_keyboard(page: Any) -> None:
    """Back up (Shift+Tab) to the header's log-out button and press it."""
    move_to(page, lambda s: is_button(s, "/uitloggen"), "the log-out button", key="Shift+Tab")
    follow(page)
    assert page.url.endswith("/inloggen"), page.url


def log_out_from_the_top(page: Any) -> None:
    """On a freshly loaded page, Tab forward through the header to the log-out button and press it."""
    move_to(page, lambda s: is_button(s, "/uitloggen"), "the log-out button")
    follow(page)
    assert page.url.endswith("/inloggen"), page.url


def open_sign_page_and_sign(page: Any, pop_id: int, password: str = factories.PASSWORD) -> None:
    """From the POP's page: the Sign link, then the password typed again and Enter."""
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/pop/{pop_id}/ondertekenen", "the Sign link")
    follow(page)
    assert page.url.endswith(f"/pop/{pop_id}/ondertekenen"), page.url
    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "password", "the password field")
    page.keyboard.type(password)
    follow(page)  # Enter in the field submits the form
    assert page.url.endswith(f"/pop/{pop_id}"), page.url
    assert page.locator(".app-error-summary").count() == 0
