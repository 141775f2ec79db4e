"""The self-assessment pages in a real browser: axe (WCAG 2.1 A/AA) in Dutch and English, error states
included, and the error summary's links moving the focus to the field.

Each test builds a small world on the test Kenniskaart (GC: GC01 GC02; LG01: LG01-A1 LG01-S1; LG02:
LG02-A1): a team with a leader, the professional under test, a colleague who submitted and one who has
a draft, and an open round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from babel.dates import format_datetime
from flask import Flask
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from scan.access import Role
from scan.assessment.models import Answer, Scan
from scan.extensions import db
from tests import factories
from tests.browser.conftest import assert_accessible, log_in, switch_language
from tests.browser.test_keyboard import assert_focus_visible, focused

LANGUAGES = ["nl", "en"]
ERROR_TITLE = {"nl": "Fout:", "en": "Error:"}
# Every required item of the test Kenniskaart, and the optional specialist one: (level, ambition).
FULL_ANSWERS: dict[str, tuple[int | None, int | None]] = {
    "GC01": (2, 3),
    "GC02": (3, 3),
    "LG01-A1": (2, 2),
    "LG01-S1": (3, 4),
    "LG02-A1": (1, 2),
}


@dataclass(frozen=True)
class ScanWorld:
    team: int
    round: int
    leader: str
    pro: str
    pro_id: int
    submitted_scan: int  # the colleague's submitted scan, which the leader may reopen


def build_world(app: Flask, *, draft: dict[str, tuple[int | None, int | None]] | None = None,
                submitted: bool = False, previous_round: bool = False) -> ScanWorld:
    """Commit the world to the database the live server reads. `draft`/`submitted`: the pro's own scan."""
    with app.app_context():
        version = factories.make_kenniskaart()
        team = factories.make_team(name="Wijkteam Proef")
        leader = factories.make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
        pro = factories.make_user(Role.PROFESSIONAL, team=team, full_name="Piet Professional")
        colleague = factories.make_user(Role.PROFESSIONAL, team=team, full_name="Cor Collega")
        drafter = factories.make_user(Role.PROFESSIONAL, team=team, full_name="Dina Draft")
        factories.make_user(Role.PROFESSIONAL, team=team, full_name="Nora Nogniet")
        if previous_round:
            earlier = factories.make_round(team, version, opens_in_days=-200, closes_in_days=-170,
                                           title="Ontwikkelscan najaar 2026")
            factories.make_scan(earlier, pro, {"GC01": (1, 2), "GC02": (2, 3), "LG01-A1": (1, 2),
                                               "LG02-A1": (1, 1)}, submitted=True)
        scan_round = factories.make_round(team, version)
        done = factories.make_scan(scan_round, colleague, FULL_ANSWERS, submitted=True)
        factories.make_scan(scan_round, drafter, {"GC01": (2, 2)})
        if submitted:
            factories.make_scan(scan_round, pro, FULL_ANSWERS, submitted=True,
                                notes={"GC01": "Cursus gesprekstechniek gevolgd"})
        elif draft is not None:
            factories.make_scan(scan_round, pro, draft, notes={"GC01": "Concept"})
        db.session.commit()
        return ScanWorld(team=team.id, round=scan_round.id, leader=leader.username, pro=pro.username,
                         pro_id=pro.id, submitted_scan=done.id)


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


def log_in_as(page: Any, username: str, lang: str) -> None:
    """Choose the language on the login page (it sticks to the session), then log in."""
    response = page.goto("/inloggen")
    assert response is not None and response.ok, response and response.status
    switch_language(page, lang)
    log_in(page, username, factories.PASSWORD)
    assert "/inloggen" not in page.url, f"login failed for {username}: {page.url}"


def visit(page: Any, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None, path
    assert response.status == status, f"{path}: HTTP {response.status}"
    assert page.locator("h1").count() == 1, f"{path}: not exactly one <h1>"


def post_and_wait(page: Any, button: str) -> Any:
    """Click a submit button and return the response of the page the browser lands on."""
    with page.expect_navigation() as navigation:
        page.locator(button).click()
    return navigation.value


def assert_error_page(page: Any, lang: str) -> None:
    assert page.title().startswith(ERROR_TITLE[lang]), page.title()
    assert page.locator(".app-error-summary").count() == 1


# --- Mijn scan ------------------------------------------------------------------------------------


def test_my_scan_not_started(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app)
    log_in_as(page, world.pro, lang)
    visit(page, "/scan")
    assert page.locator(f'a[href="/scan/{world.round}/GC"]').count() >= 1
    assert_accessible(page, f"Mijn scan, not started ({lang})")


def test_my_scan_with_a_draft(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app, draft={"GC01": (2, 3), "GC02": (2, 2)})
    log_in_as(page, world.pro, lang)
    visit(page, "/scan")
    # Continue where they left off: the first part with required items still open.
    assert page.locator(f'main .app-actions a[href="/scan/{world.round}/LG01"]').count() == 1
    assert_accessible(page, f"Mijn scan with a draft ({lang})")


def test_my_scan_without_an_open_round(page: Any, app: Flask, lang: str) -> None:
    with app.app_context():
        username = factories.make_user(Role.PROFESSIONAL).username
        db.session.commit()
    log_in_as(page, username, lang)
    visit(page, "/scan")
    assert_accessible(page, f"Mijn scan without a round ({lang})")


# --- the section pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["GC", "LG01", "LG02"])
def test_section_page(page: Any, app: Flask, lang: str, section: str) -> None:
    world = build_world(app, draft={"GC01": (2, 3), "LG01-S1": (None, None)})
    log_in_as(page, world.pro, lang)
    visit(page, f"/scan/{world.round}/{section}")
    assert page.locator("main form[method=post] input[type=radio]").count() > 0
    assert page.locator(f'nav a[aria-current="page"][href="/scan/{world.round}/{section}"]').count() == 1
    assert_accessible(page, f"section {section} ({lang})")


def test_section_page_of_a_submitted_scan_is_read_only(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app, submitted=True)
    log_in_as(page, world.pro, lang)
    visit(page, f"/scan/{world.round}/GC")
    assert page.locator("main form[method=post] input[type=radio]").count() == 0
    assert page.locator("main dl.app-answers").count() == 1
    assert_accessible(page, f"read-only section ({lang})")


def make_error_on_gc(page: Any, world: ScanWorld) -> Any:
    """Level 3 and ambition 2 on GC01 (an ambition below the level), a note, saved as a draft. Ambition 2 is
    chosen first: once level 3 is checked the page no longer offers it (CSS), the server refuses it too."""
    visit(page, f"/scan/{world.round}/GC")
    page.locator("#ambition-GC01-2").click()
    page.locator("#level-GC01-3").click()
    page.locator("#note-GC01").fill("Intervisie over lastige gesprekken")
    page.locator("#level-GC02-2").click()
    page.locator("#ambition-GC02-stay").click()
    return post_and_wait(page, 'main form button[name="action"][value="save"]')


def test_section_page_with_an_error(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app)
    log_in_as(page, world.pro, lang)
    response = make_error_on_gc(page, world)
    assert response.status == 422, response.status
    assert page.url.endswith(f"/scan/{world.round}/GC"), page.url
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#ambition-GC01"]').count() == 1
    assert page.locator("#ambition-GC01").get_attribute("aria-describedby") == "ambition-GC01-error"
    assert page.locator("#ambition-GC01-error").is_visible()
    assert_accessible(page, f"section GC with an error ({lang})")


def test_section_page_with_a_note_that_is_too_long(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app)
    log_in_as(page, world.pro, lang)
    visit(page, f"/scan/{world.round}/LG01")
    page.locator("#level-LG01-A1-2").click()
    page.locator("#note-LG01-A1").fill("x" * 501)
    response = post_and_wait(page, 'main form button[name="action"][value="save"]')
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#note-LG01-A1"]').count() == 1
    assert page.locator("#note-LG01-A1").get_attribute("aria-invalid") == "true"
    assert page.locator("#note-LG01-A1").input_value() == "x" * 501
    assert_accessible(page, f"section LG01 with a too long note ({lang})")


# --- two tabs on the same section -----------------------------------------------------------------

CONFLICT_TEXT = {
    "nl": "Je scan is om {time} ergens anders opgeslagen (in een ander tabblad of op een ander apparaat)",
    "en": "Your scan was saved somewhere else (another tab or device) at {time}",
}


def test_two_tabs_saving_the_same_section_give_a_conflict_that_keeps_the_input(
    page: Any, app: Flask, lang: str
) -> None:
    """Tab A and tab B (one browser, one session) open the same section; A saves first. B's save is refused
    with an alert, B's choices and note stay in the form, and A's save stands."""
    world = build_world(app, draft={"GC01": (2, 3)})
    log_in_as(page, world.pro, lang)
    tab_b = page.context.new_page()
    visit(page, f"/scan/{world.round}/GC")
    visit(tab_b, f"/scan/{world.round}/GC")

    page.locator("#level-GC01-1").click()  # the draft had level 2, ambition 3
    response = post_and_wait(page, 'main form button[name="action"][value="save"]')
    assert response.status == 200, response.status
    assert page.locator('.app-alert[role="alert"]').count() == 0

    tab_b.locator("#ambition-GC01-4").click()
    tab_b.locator("#note-GC01").fill("Gewijzigd in tabblad B")
    response = post_and_wait(tab_b, 'main form button[name="action"][value="save"]')
    assert response.status == 409, response.status
    alert = tab_b.locator('.app-alert[role="alert"]')
    assert alert.count() == 1
    with app.app_context():
        scan = db.session.scalars(select(Scan).where(Scan.user_id == world.pro_id)).one()
        saved_at = format_datetime(scan.updated_at, "d MMMM y, HH:mm", tzinfo="Europe/Amsterdam", locale=lang)
        answers = db.session.scalars(select(Answer).where(Answer.scan_id == scan.id))
        stored = {a.item.code: (a.level, a.ambition, a.note) for a in answers}
        db.session.rollback()
    expected = " ".join(CONFLICT_TEXT[lang].format(time=saved_at).split())
    assert expected in " ".join(alert.inner_text().split()), alert.inner_text()
    # What B typed is still there, and nothing of it was stored: A's save stands.
    assert tab_b.locator("#level-GC01-2").is_checked() and not tab_b.locator("#level-GC01-1").is_checked()
    assert tab_b.locator("#ambition-GC01-4").is_checked()
    assert tab_b.locator("#note-GC01").input_value() == "Gewijzigd in tabblad B"
    assert stored == {"GC01": (1, 3, "Concept")}
    assert_accessible(tab_b, f"section GC after a conflict with another tab ({lang})")


# --- the error summary's links --------------------------------------------------------------------

# The design system scrolls smoothly unless the user prefers reduced motion. Polled every
# SCROLL_POLL_MS: true once the page has not scrolled for two polls and the focused element is on screen.
SCROLL_POLL_MS = 30
SETTLED_ON_SCREEN_JS = """() => {
    const y = window.scrollY;
    window.__stillFrames = y === window.__lastScrollY ? (window.__stillFrames || 0) + 1 : 0;
    window.__lastScrollY = y;
    const box = document.activeElement.getBoundingClientRect();
    return window.__stillFrames >= 2 && box.bottom > 0 && box.right > 0
        && box.top < window.innerHeight && box.left < window.innerWidth;
}"""

ACTIVE_JS = "() => ({id: document.activeElement.id, tag: document.activeElement.tagName.toLowerCase()})"


def test_error_summary_links_move_the_focus_to_the_field_and_keep_the_input(page: Any, app: Flask) -> None:
    world = build_world(app)
    log_in_as(page, world.pro, "nl")
    make_error_on_gc(page, world)

    # The summary takes the focus when the page opens, so a screen reader reads it first. The browser
    # applies `autofocus` when it next renders, which on a busy machine can come after the load event.
    summary_focused = "() => document.activeElement.classList.contains('app-error-summary')"
    try:
        page.wait_for_function(summary_focused, timeout=5_000)
    except PlaywrightTimeout:
        raise AssertionError(f"the error summary never took the focus: {page.evaluate(ACTIVE_JS)}") from None
    # Everything entered is still there: the wrong pair, the note and the other item.
    assert page.locator("#level-GC01-3").is_checked()
    assert page.locator("#ambition-GC01-2").is_checked()
    assert page.locator("#note-GC01").input_value() == "Intervisie over lastige gesprekken"
    assert page.locator("#level-GC02-2").is_checked()
    assert page.locator("#ambition-GC02-stay").is_checked()

    # With the keyboard: Tab from the summary to its link, Enter. The focus moves to the radio group,
    # which scrolls into view and shows the focus.
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_JS)["tag"] == "a"
    assert_focus_visible(focused(page))
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#ambition-GC01'")
    assert page.evaluate(ACTIVE_JS) == {"id": "ambition-GC01", "tag": "fieldset"}
    page.wait_for_function(SETTLED_ON_SCREEN_JS, polling=SCROLL_POLL_MS)
    assert_focus_visible(focused(page))
    # From the group, Tab reaches its checked radio button: the one chosen before the error.
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_JS)["id"] == "ambition-GC01-2"

    # With the mouse, from the top of the page again: the same.
    page.evaluate("() => { history.replaceState(null, '', location.pathname);"
                  " window.scrollTo({top: 0, behavior: 'instant'}); }")
    page.locator('.app-error-summary a[href="#ambition-GC01"]').click()
    page.wait_for_function("() => location.hash === '#ambition-GC01'")
    assert page.evaluate(ACTIVE_JS) == {"id": "ambition-GC01", "tag": "fieldset"}
    page.wait_for_function(SETTLED_ON_SCREEN_JS, polling=SCROLL_POLL_MS)

    # Correcting the ambition and saving again works and keeps the rest.
    page.locator("#ambition-GC01-4").click()
    response = post_and_wait(page, 'main form button[name="action"][value="save"]')
    assert response.status == 200, response.status
    assert page.locator(".app-error-summary").count() == 0
    assert page.locator("#level-GC01-3").is_checked()
    assert page.locator("#ambition-GC01-4").is_checked()
    assert page.locator("#note-GC01").input_value() == "Intervisie over lastige gesprekken"


def test_submit_page_links_to_the_missing_items(page: Any, app: Flask) -> None:
    world = build_world(app, draft={"GC01": (2, 3), "GC02": (2, 2)})
    log_in_as(page, world.pro, "en")
    visit(page, f"/scan/{world.round}/indienen")
    assert page.locator(".app-error-summary").count() == 0  # what is left, not an error
    links = page.locator("#still-to-do li a")
    assert links.count() == 2  # LG01-A1 and LG02-A1; the specialist item is optional
    href = f"/scan/{world.round}/LG01#level-LG01-A1"
    with page.expect_navigation():
        page.locator(f'#still-to-do a[href="{href}"]').click()
    assert page.url.endswith(href), page.url
    page.wait_for_function("() => document.activeElement.id === 'level-LG01-A1'")


# --- submitting, the result, Mijn gegevens --------------------------------------------------------


def test_submit_page_with_missing_items(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app, draft={"GC01": (2, 3)})
    log_in_as(page, world.pro, lang)
    visit(page, f"/scan/{world.round}/indienen")
    assert page.locator("#still-to-do li a").count() == 3
    assert page.locator("main form[method=post]").count() == 0
    assert_accessible(page, f"submit page with missing items ({lang})")


def test_submit_page_when_complete_and_the_result(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app, draft=FULL_ANSWERS, previous_round=True)
    log_in_as(page, world.pro, lang)
    visit(page, f"/scan/{world.round}/indienen")
    assert page.locator(".app-error-summary").count() == 0
    assert_accessible(page, f"submit page, complete ({lang})")
    post_and_wait(page, "main form[method=post] [type=submit]")
    assert page.url.endswith(f"/mijn/resultaat/{world.round}"), page.url
    assert page.locator("h1").count() == 1
    assert page.locator("main svg").count() >= 1
    assert page.locator("main table").count() >= 1
    assert_accessible(page, f"result page ({lang})")


def test_my_data(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app, submitted=True)
    log_in_as(page, world.pro, lang)
    visit(page, "/mijn/gegevens")
    assert page.locator('a[href="/mijn/gegevens.json"]').count() == 1
    assert_accessible(page, f"Mijn gegevens ({lang})")


# --- the team leader ------------------------------------------------------------------------------


def test_round_status(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app, draft={"GC01": (2, 2)})
    log_in_as(page, world.leader, lang)
    visit(page, f"/teams/{world.team}/rondes/{world.round}")
    assert page.locator("main tbody tr").count() == 4
    assert page.locator(f'a[href="/scans/{world.submitted_scan}/heropenen"]').count() == 1
    assert_accessible(page, f"round status ({lang})")


def test_new_round_form_and_its_error(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app)
    log_in_as(page, world.leader, lang)
    visit(page, f"/teams/{world.team}/rondes/nieuw")
    assert_accessible(page, f"new round form ({lang})")

    page.locator("#title").fill("Ontwikkelscan najaar 2030")
    page.locator("#opens_on").fill("2030-10-15")
    page.locator("#closes_on").fill("2030-10-01")
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#closes_on"]').count() == 1
    assert page.locator("#closes_on").get_attribute("aria-invalid") == "true"
    # What was typed is still there.
    assert page.locator("#title").input_value() == "Ontwikkelscan najaar 2030"
    assert page.locator("#opens_on").input_value() == "2030-10-15"
    assert page.locator("#closes_on").input_value() == "2030-10-01"
    assert_accessible(page, f"new round form, closing before opening ({lang})")


def test_reopen_form_and_its_error(page: Any, app: Flask, lang: str) -> None:
    world = build_world(app)
    log_in_as(page, world.leader, lang)
    visit(page, f"/scans/{world.submitted_scan}/heropenen")
    assert_accessible(page, f"reopen form ({lang})")

    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#reason"]').count() == 1
    assert page.locator("#reason").get_attribute("aria-invalid") == "true"
    assert_accessible(page, f"reopen form with an empty reason ({lang})")


def test_a_level_chosen_on_the_page_hides_the_lower_ambitions_by_css(page: Any, app: Flask) -> None:
    """CSS (:has) only, no script: level 3 leaves "stay" and 4; level 1 brings 2 and 3 back."""
    world = build_world(app)
    log_in_as(page, world.pro, "nl")
    visit(page, f"/scan/{world.round}/GC")
    shown = lambda: [v for v in ("stay", "2", "3", "4") if page.locator(f"#ambition-GC01-{v}").is_visible()]  # noqa: E731
    assert page.locator("script").count() == 0
    assert shown() == ["stay", "2", "3", "4"]
    page.locator("#level-GC01-3").click()
    assert shown() == ["stay", "4"]
    page.locator("#level-GC01-1").click()
    assert shown() == ["stay", "2", "3", "4"]
    assert page.locator("#ambition-GC02-2").is_visible()  # another item keeps its own choices


@pytest.mark.parametrize("width", [320, 1280])
def test_check_answers_result_and_member_answers_fit_the_screen(page: Any, app: Flask, width: int) -> None:
    """The check-your-answers page, the result (with its changes table and disclosures) and the leader's view
    of a member's answers: no sideways page scroll, axe-clean, at a phone's and a laptop's width."""
    world = build_world(app, draft=FULL_ANSWERS, previous_round=True)
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as(page, world.pro, "nl")
    pages = [f"/scan/{world.round}/indienen"]
    visit(page, pages[0])
    post_and_wait(page, "main form[method=post] [type=submit]")
    pages.append(f"/mijn/resultaat/{world.round}")
    for path in pages:
        visit(page, path)
        page.locator("main details summary").evaluate_all("els => els.forEach(e => e.click())")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        assert_accessible(page, f"{path} at {width}")
    page.context.clear_cookies()
    log_in_as(page, world.leader, "nl")
    path = f"/scans/{world.submitted_scan}/antwoorden"
    visit(page, path)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    assert_accessible(page, f"member's answers at {width}")
