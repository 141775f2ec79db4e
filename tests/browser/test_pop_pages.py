"""The POP pages in a real browser: axe (WCAG 2.1 A/AA) in Dutch and English, error states included.

The world is the POP tests' own (tests/pop/world.py): Wijkteam Proef with leader Lies, Anna and Bert
(submitted scans with gaps), Cor (draft scan), two team priorities, Bert as vraagbaak for GC01 and a
small training catalogue. `make_pop` gives Anna a POP with one goal (GC01) and one action.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from scan.auth.models import User
from scan.core.clock import today
from scan.extensions import db
from scan.organisation.models import Team
from scan.pop.models import Pop, PopAction, PopStatus
from scan.pop.signing import services as signing
from tests.browser.conftest import assert_accessible
from tests.browser.test_scan_pages import assert_error_page, log_in_as, post_and_wait, visit
from tests.factories import PASSWORD, make_round, make_scan
from tests.pop import world as pop_world

LANGUAGES = ["nl", "en"]


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def w(app: Flask) -> dict[str, Any]:
    return pop_world.build(app)


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def signed_pop(app: Flask, w: dict[str, Any], **kwargs: Any) -> dict[str, int]:
    """Anna's POP, agreed and signed by both (through the rules, as the app records it)."""
    ids = pop_world.make_pop(app, w, status=PopStatus.AGREED, **kwargs)
    with app.app_context():
        pop = db.session.get(Pop, ids["pop"])
        signing.sign(pop, _user(w["anna"]), PASSWORD, "127.0.0.1")
        signing.sign(pop, _user(w["leader"]), PASSWORD, "127.0.0.1")
        db.session.commit()
    return ids


# --- the professional: starting and drafting ------------------------------------------------------


def test_my_pop_with_the_start_button(page: Any, w: dict[str, Any], lang: str) -> None:
    log_in_as(page, w["anna"], lang)
    visit(page, "/mijn/pop")
    assert page.locator('main form[action="/mijn/pop/starten"] button[type=submit]').count() == 1
    assert_accessible(page, f"Mijn POP with the start button ({lang})")


def test_draft_with_proposed_goals_goals_and_actions(page: Any, app: Flask, w: dict[str, Any],
                                                      lang: str) -> None:
    ids = pop_world.make_pop(app, w)
    log_in_as(page, w["anna"], lang)
    visit(page, f"/pop/{ids['pop']}")
    assert page.locator(f"#goal-{ids['goal']}").count() == 1
    assert page.locator(f"#action-{ids['action']}").count() == 1
    assert page.locator("#proposals li").count() >= 1
    assert page.locator("#proposals li form").count() >= 1  # at least one still to adopt
    assert page.locator("#goal-item").count() == 1  # the own-goal form
    assert_accessible(page, f"POP draft with proposals, goals and actions ({lang})")


def test_add_goal_form_with_errors(page: Any, app: Flask, w: dict[str, Any], lang: str) -> None:
    ids = pop_world.make_pop(app, w)
    log_in_as(page, w["anna"], lang)
    visit(page, f"/pop/{ids['pop']}")
    response = post_and_wait(page, f'main form[action="/pop/{ids["pop"]}/doelen"] [type=submit]')
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    for field in ("goal-item", "goal-description"):
        assert page.locator(f'.app-error-summary a[href="#{field}"]').count() == 1, field
        assert page.locator(f"#{field}").get_attribute("aria-invalid") == "true", field
    assert_accessible(page, f"add-goal form without item and description ({lang})")


def test_new_action_form_with_suggestions_and_an_error(page: Any, app: Flask, w: dict[str, Any],
                                                       lang: str) -> None:
    ids = pop_world.make_pop(app, w)
    log_in_as(page, w["anna"], lang)
    visit(page, f"/pop/{ids['pop']}/doelen/{ids['goal']}/acties/nieuw")
    # GC01: the catalogue's training for it, and Bert as the team's vraagbaak.
    trainings = page.locator("#suggested-trainings li").all_inner_texts()
    assert len(trainings) == 1 and trainings[0].startswith("Motiverende gespreksvoering"), trainings
    assert page.locator("#suggested-colleagues li").all_inner_texts() == ["Bert Bakker"]
    assert page.locator(f'#training option[value="{w["trainings"]["TR-GC01"]}"]').count() == 1
    assert_accessible(page, f"new-action form with suggestions ({lang})")

    page.select_option("#type", "training")
    page.fill("#description", "Tweedaagse training volgen")
    page.select_option("#training", str(w["trainings"]["TR-GC01"]))
    page.fill("#planned_from", "2027-05-10")
    page.fill("#planned_until", "2027-05-01")
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#planned_until"]').count() == 1
    assert page.locator("#planned_until").get_attribute("aria-invalid") == "true"
    assert page.locator("#description").input_value() == "Tweedaagse training volgen"
    assert_accessible(page, f"new-action form, end before start ({lang})")


def test_the_page_after_proposing(page: Any, app: Flask, w: dict[str, Any], lang: str) -> None:
    ids = pop_world.make_pop(app, w)
    log_in_as(page, w["anna"], lang)
    visit(page, f"/pop/{ids['pop']}")
    response = post_and_wait(page, f'main form[action="/pop/{ids["pop"]}/voorstellen"] [type=submit]')
    assert response.status == 200, response.status
    assert page.url.endswith(f"/pop/{ids['pop']}"), page.url
    assert page.locator("#pop-status").inner_text() == {
        "nl": "Voorgesteld aan de teamleider", "en": "Proposed to the team leader"
    }[lang]
    # Read-only while the team leader looks at it.
    assert page.locator("#proposals").count() == 0 and page.locator("#goal-item").count() == 0
    with app.app_context():
        assert db.session.get(Pop, ids["pop"]).versions[-1].status == PopStatus.PROPOSED
    assert_accessible(page, f"POP after proposing ({lang})")


def test_sign_page_with_a_wrong_password(page: Any, app: Flask, w: dict[str, Any], lang: str) -> None:
    ids = pop_world.make_pop(app, w, status=PopStatus.AGREED)
    log_in_as(page, w["anna"], lang)
    visit(page, f"/pop/{ids['pop']}/ondertekenen")
    assert_accessible(page, f"sign page ({lang})")
    page.fill("#password", "niet-mijn-wachtwoord")
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#password"]').count() == 1
    assert page.locator("#password").get_attribute("aria-invalid") == "true"
    assert_accessible(page, f"sign page with a wrong password ({lang})")


def test_signed_pop_with_the_progress_form_and_its_error(page: Any, app: Flask, w: dict[str, Any],
                                                         lang: str) -> None:
    ids = signed_pop(app, w)
    log_in_as(page, w["anna"], lang)
    visit(page, f"/pop/{ids['pop']}")
    status_field = f"progress-{ids['action']}-status"
    assert page.locator(f"#{status_field}").count() == 1
    assert page.locator("#proposals").count() == 0  # signed: the plan itself is read-only
    assert_accessible(page, f"signed POP with the progress form ({lang})")

    page.select_option(f"#{status_field}", "afgerond")
    response = post_and_wait(page, f'main form[action="/pop/{ids["pop"]}/acties/{ids["action"]}/voortgang"]'
                                   " [type=submit]")
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    reflection = f"progress-{ids['action']}-reflection"
    assert page.locator(f'.app-error-summary a[href="#{reflection}"]').count() == 1
    assert page.locator(f"#{reflection}").get_attribute("aria-invalid") == "true"
    assert page.locator(f"#{status_field}").input_value() == "afgerond"
    assert_accessible(page, f"progress form, done without a reflection ({lang})")


def test_start_page_with_due_and_overdue_actions(page: Any, app: Flask, w: dict[str, Any], lang: str) -> None:
    ids = signed_pop(app, w, until_in_days=5)
    with app.app_context():
        db.session.add(PopAction(goal_id=ids["goal"], type="intervisie", description="Intervisie bijwonen",
                                 planned_until=today() - timedelta(days=3), status="gepland"))
        db.session.commit()
    log_in_as(page, w["anna"], lang)
    visit(page, "/mijn")
    assert page.locator("#pop-overdue li").count() == 1
    assert page.locator("#pop-due li").count() == 1
    assert_accessible(page, f"start page with due and overdue actions ({lang})")


def test_scan_overview_with_the_previous_pop(page: Any, app: Flask, w: dict[str, Any], lang: str) -> None:
    with app.app_context():
        team = db.session.get(Team, w["team"])
        old = make_round(team, opens_in_days=-400, closes_in_days=-380, title="Ontwikkelscan najaar 2025")
        make_scan(old, db.session.get(User, w["anna_id"]), {"GC01": (1, 2)}, submitted=True)
        db.session.commit()
        w["old_round"] = old.id
    pop_world.make_pop(app, w, round_key="old_round", status="signed", action_status="afgerond")
    log_in_as(page, w["anna"], lang)
    visit(page, "/scan")
    assert page.locator("#previous-pop").count() == 1
    assert "Ontwikkelscan najaar 2025" in page.locator("#previous-pop").inner_text()
    assert_accessible(page, f"Mijn scan with the previous POP ({lang})")


# --- the team leader ------------------------------------------------------------------------------


def test_team_pop_overview(page: Any, app: Flask, w: dict[str, Any], lang: str) -> None:
    ids = pop_world.make_pop(app, w, status=PopStatus.PROPOSED)
    log_in_as(page, w["leader"], lang)
    visit(page, f"/teams/{w['team']}/pops")
    assert page.locator('td[data-status="proposed"]').inner_text() == "1"
    assert page.locator(f'main a[href="/pop/{ids["pop"]}"]').count() == 1
    assert_accessible(page, f"team POP overview ({lang})")


def test_review_page_send_back_without_a_comment_then_agree(page: Any, app: Flask, w: dict[str, Any],
                                                            lang: str) -> None:
    ids = pop_world.make_pop(app, w, status=PopStatus.PROPOSED)
    log_in_as(page, w["leader"], lang)
    visit(page, f"/pop/{ids['pop']}/beoordelen")
    assert page.locator("input[name=decision]").count() == 2
    assert_accessible(page, f"review page ({lang})")

    page.check('input[name=decision][value="send_back"]')
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#comment"]').count() == 1
    assert page.locator("#comment").get_attribute("aria-invalid") == "true"
    assert page.locator('input[name=decision][value="send_back"]').is_checked()
    assert_accessible(page, f"review page, sent back without a comment ({lang})")

    page.check('input[name=decision][value="agree"]')
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 200, response.status
    assert page.url.endswith(f"/pop/{ids['pop']}"), page.url
    assert page.locator(f'main a[href="/pop/{ids["pop"]}/ondertekenen"]').count() == 1
    assert_accessible(page, f"POP agreed, waiting for signatures, as the team leader ({lang})")


def test_pop_detail_read_only_for_the_team_leader(page: Any, app: Flask, w: dict[str, Any],
                                                  lang: str) -> None:
    ids = pop_world.make_pop(app, w, status=PopStatus.PROPOSED)  # a draft is not the leader's to read
    log_in_as(page, w["leader"], lang)
    visit(page, f"/pop/{ids['pop']}")
    assert page.locator(f"#action-{ids['action']}").count() == 1
    # Nothing to change: no proposals, no own-goal form, no buttons in the goals.
    assert page.locator("#proposals").count() == 0
    assert page.locator("#goal-item").count() == 0
    assert page.locator(f"#goal-{ids['goal']} form").count() == 0
    assert_accessible(page, f"POP detail, read-only for the team leader ({lang})")


# --- the plan at phone width ------------------------------------------------------------------------

# Words broken inside themselves: a text node whose rendered lines split a word ("Trai ning").
BROKEN_WORDS_JS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const match of node.data.matchAll(/[\\p{L}\\p{N}]{2,}/gu)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("width", [320, 1280])
def test_the_progress_form_fits_a_phone_and_is_usable(page: Any, app: Flask, w: dict[str, Any],
                                                      width: int) -> None:
    """Each activity's progress form sits under the activity (not in a table column): at 320 px the page
    does not scroll sideways, no word is broken inside, the buttons of a re-plan sit in one group with
    Remove marked destructive, and the form can be filled in and saved."""
    ids = signed_pop(app, w)
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as(page, w["anna"], "nl")
    visit(page, f"/pop/{ids['pop']}")
    status_field, reflection = f"#progress-{ids['action']}-status", f"#progress-{ids['action']}-reflection"

    def fits() -> None:
        scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, (width, scroll, inner)
        controls = page.locator(".app-pop-progress select, .app-pop-progress textarea, "
                                ".app-pop-progress [type=submit], main .app-button-group > *")
        assert controls.count() >= 3
        for i in range(controls.count()):
            box = controls.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (i, box)
        for i in range(page.locator(".app-pop-progress textarea").count()):
            box = page.locator(".app-pop-progress textarea").nth(i).bounding_box()
            assert box is not None and box["width"] >= min(240, width * 0.75), box  # room to write
        assert page.evaluate(BROKEN_WORDS_JS) == []

    fits()
    page.select_option(status_field, "afgerond")
    page.fill(reflection, "Ik vraag nu eerder door bij een eerste gesprek.")
    response = post_and_wait(page, f'form[action$="/acties/{ids["action"]}/voortgang"] [type=submit]')
    assert response.status == 200 and page.url.endswith(f"/pop/{ids['pop']}#action-{ids['action']}")
    assert page.locator(f"#action-{ids['action']} dd[data-status]").inner_text() == "afgerond"
    fits()

    # A re-plan: change and remove in one group under each activity, Remove marked destructive.
    post_and_wait(page, f'main form[action="/pop/{ids["pop"]}/nieuwe-versie"] [type=submit]')
    group = page.locator(".app-pop-action .app-button-group").first
    assert group.locator("a").count() == 1 and group.locator("button.app-button--danger").count() == 1
    colour = group.locator("button.app-button--danger").evaluate("b => getComputedStyle(b).color")
    assert colour != page.locator(".app-pop-action a.utrecht-button-link").first.evaluate(
        "a => getComputedStyle(a).color")
    assert page.locator(".app-pop-goal > .app-button-group button.app-button--danger").count() == 1
    fits()
    assert_accessible(page, f"re-planned POP with progress forms at {width} px")
