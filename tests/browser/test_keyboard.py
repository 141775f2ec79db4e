"""Logging in with the keyboard only: skip link first, focus always visible, no mouse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scan.access import Role
from tests import factories
from tests.browser.conftest import Account

# What a sighted keyboard user needs: the focused element is on screen and drawn with an outline or ring.
FOCUS_STATE_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        id: el.id,
        href: el.getAttribute("href"),
        text: el.textContent.trim(),
        focusVisible: el.matches(":focus-visible"),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        ring: style.boxShadow !== "none",
        onScreen: box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0
            && box.top < window.innerHeight && box.left < window.innerWidth,
    };
}"""

MAX_TABS = 20


def focused(page: Any) -> dict[str, Any] | None:
    return page.evaluate(FOCUS_STATE_JS)


def assert_focus_visible(state: dict[str, Any] | None) -> None:
    assert state is not None, "nothing has focus"
    assert state["focusVisible"], f"focus is not :focus-visible: {state}"
    assert state["outline"] or state["ring"], f"no outline or ring on the focused element: {state}"
    assert state["onScreen"], f"the focused element is not on screen: {state}"


def test_log_in_with_the_keyboard_only(page: Any, make_account: Callable[..., Account]) -> None:
    account = make_account(Role.PROFESSIONAL)
    page.goto("/inloggen")
    assert "Inloggen" in page.title()

    # The first Tab from the top of the page lands on the skip link, and the focus shows.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first is not None and first["tag"] == "a" and (first["href"] or "").startswith("#"), (
        f"the first focusable element is not a skip link: {first}"
    )
    target = first["href"][1:]
    assert page.locator(f"#{target}").count() == 1, f"the skip link points at #{target}, not on the page"
    assert_focus_visible(first)

    # Following the skip link puts the focus on the main content, past the header.
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == target, "the skip link did not move the focus"

    # Tab on to the username field, checking at every stop that the focus can be seen.
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = focused(page)
        assert_focus_visible(state)
        if state and state["id"] == "username":
            break
    else:
        raise AssertionError(f"no username field within {MAX_TABS} presses of Tab")

    page.keyboard.type(account.username)
    page.keyboard.press("Tab")
    state = focused(page)
    assert state and state["id"] == "password", f"Tab after the username did not reach the password: {state}"
    assert_focus_visible(state)
    page.keyboard.type(factories.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(account.start_path), page.url
    assert page.locator("h1").inner_text() == "Mijn ontwikkeling"
