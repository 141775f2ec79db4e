"""The POP with the keyboard only, from start to both signatures: the professional logs in, opens "Mijn
POP" from the menu, starts the POP, adopts the first proposed goal, adds an activity to it (kind, a
suggested training, dates) and proposes the plan; the team leader logs in, opens the team's POP overview,
reviews and agrees, and signs with their password; the professional signs too. The focus must show at
every stop; nothing is clicked.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from scan.extensions import db
from scan.pop.models import Pop, PopAction, PopGoal, PopStatus
from tests.browser.keyboard import (
    active,
    choose_in_select,
    follow,
    follow_to_fragment,
    in_menu,
    is_button,
    log_in_with_the_keyboard,
    log_out_from_the_top,
    move_to,
    open_sign_page_and_sign,
    past_the_date_picker_button,
    start_from_the_top,
    tab,
    type_date,
)
from tests.pop import world as pop_world


def test_the_pop_from_start_to_both_signatures_with_the_keyboard_only(page: Any, app: Flask) -> None:
    w = pop_world.build(app)

    # --- the professional drafts ------------------------------------------------------------------
    log_in_with_the_keyboard(page, w["anna"])
    assert page.url.endswith("/mijn"), page.url
    move_to(page, in_menu("/mijn/pop"), "Mijn POP in the menu")
    follow(page)
    assert page.url.endswith("/mijn/pop"), page.url

    start_from_the_top(page)
    move_to(page, lambda s: is_button(s, "/mijn/pop/starten"), "the Start my POP button")
    follow(page)
    with app.app_context():
        pop_id = db.session.scalars(select(Pop.id).where(Pop.user_id == w["anna_id"])).one()
    assert page.url.endswith(f"/pop/{pop_id}"), page.url

    # Adopt the first proposed goal ("Overnemen").
    first = page.locator("#proposals li").first.get_attribute("data-item")
    assert first, "no proposed goals on the page"
    start_from_the_top(page)
    adopt = move_to(page, lambda s: is_button(s, "/voorgestelde-doelen/overnemen"), "the first Adopt button")
    assert adopt["listItem"] == first, f"the first Adopt button is not for {first}: {adopt}"
    assert page.evaluate("() => document.activeElement.textContent.trim()").startswith("Overnemen")
    follow_to_fragment(page)
    with app.app_context():
        goal = db.session.scalars(select(PopGoal)).one()  # the only goal in the world
        goal_id, goal_code = goal.id, goal.item.code
    assert goal_code == first
    assert page.url.endswith(f"/pop/{pop_id}#goal-{goal_id}"), page.url

    # Add an activity to it: kind, description, a suggested training, the dates. The page opened at the
    # new goal, so Tab goes on from there: its "Add an activity" is the next stop.
    move_to(page, lambda s: s["href"] == f"/pop/{pop_id}/doelen/{goal_id}/acties/nieuw", "Add an activity")
    follow(page)
    assert page.url.endswith(f"/pop/{pop_id}/doelen/{goal_id}/acties/nieuw"), page.url
    suggested = page.locator("#training optgroup").first.locator("option").first
    training_title = page.locator("#suggested-trainings li").first.inner_text().split(" · ")[0]
    training_value = suggested.get_attribute("value")
    assert suggested.inner_text().startswith(training_title), (suggested.inner_text(), training_title)

    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "type", "the kind of activity")
    choose_in_select(page, "type", "Training", "training")
    assert tab(page)["id"] == "description"
    page.keyboard.type("Training volgen en toepassen in huisbezoeken")
    assert tab(page)["id"] == "training"
    choose_in_select(page, "training", training_title, training_value)
    assert tab(page)["id"] == "colleague"  # none for a training
    move_to(page, lambda s: s["id"] == "planned_from", "Planned from")
    type_date(page, "planned_from", "2027-05-10")
    assert past_the_date_picker_button(page, "planned_from")["id"] == "planned_until"
    type_date(page, "planned_until", "2027-06-30")
    assert past_the_date_picker_button(page, "planned_until")["id"] == "hours"
    move_to(page, lambda s: s["tag"] == "button" and s["type"] == "submit" and s["method"] == "post",
            "Save activity")
    follow_to_fragment(page)
    with app.app_context():
        action = db.session.scalars(select(PopAction)).one()
        action_id = action.id
        assert (action.type, action.training_id, str(action.planned_from), str(action.planned_until)) == (
            "training", int(training_value or 0), "2027-05-10", "2027-06-30")
    assert page.url.endswith(f"/pop/{pop_id}#action-{action_id}"), page.url

    # Propose the plan: Tab on from the new activity the page opened at.
    move_to(page, lambda s: is_button(s, f"/pop/{pop_id}/voorstellen"), "Propose to my team leader")
    follow(page)
    assert page.url.endswith(f"/pop/{pop_id}"), page.url
    assert page.locator("#pop-status").inner_text() == "Voorgesteld aan de teamleider"
    log_out_from_the_top(page)

    # --- the team leader reviews, agrees and signs -------------------------------------------------
    log_in_with_the_keyboard(page, w["leader"])
    assert page.url.endswith("/teams/"), page.url
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/teams/{w['team']}", "the team's link")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/teams/{w['team']}/pops", "the team's POPs")
    follow(page)
    assert page.url.endswith(f"/teams/{w['team']}/pops"), page.url
    assert page.locator('td[data-status="proposed"]').inner_text() == "1"

    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/pop/{pop_id}", "Anna's POP")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/pop/{pop_id}/beoordelen", "Review this plan")
    follow(page)
    assert page.url.endswith(f"/pop/{pop_id}/beoordelen"), page.url

    # The decision: Tab into the radio group (the first option, agree), Space checks it.
    start_from_the_top(page)
    state = move_to(page, lambda s: s["name"] == "decision", "the decision group")
    assert state["value"] == "agree" and not state["checked"], state
    page.keyboard.press("Space")
    assert active(page)["checked"], active(page)
    move_to(page, lambda s: s["tag"] == "button" and s["type"] == "submit" and s["method"] == "post",
            "Confirm")
    follow(page)
    assert page.url.endswith(f"/pop/{pop_id}"), page.url
    assert page.locator(".app-error-summary").count() == 0

    open_sign_page_and_sign(page, pop_id)
    with app.app_context():
        version = db.session.get(Pop, pop_id).versions[-1]
        assert version.status == PopStatus.AGREED and version.leader_signed_at is not None
    log_out_from_the_top(page)

    # --- the professional signs --------------------------------------------------------------------
    log_in_with_the_keyboard(page, w["anna"])
    move_to(page, in_menu("/mijn/pop"), "Mijn POP in the menu")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/pop/{pop_id}", "Open my POP")
    follow(page)
    open_sign_page_and_sign(page, pop_id)

    # On the page: signed, with both signatures.
    assert page.locator("#pop-status").inner_text() == "Ondertekend"
    signatures = page.locator(".app-pop-signatures dd").all_inner_texts()
    assert "nog niet ondertekend" not in " ".join(signatures), signatures
    text = page.locator(".app-pop-signatures").inner_text()
    assert "Anna Aalders" in text and "Lies Leider" in text, text
    # And in the database: who and when, both.
    with app.app_context():
        pop = db.session.get(Pop, pop_id)
        version = pop.versions[-1]
        assert [(v.number, v.status) for v in pop.versions] == [(1, PopStatus.SIGNED)]
        assert version.proposed_at and version.agreed_at and version.agreed_by_id == w["leader_id"]
        assert version.professional_signed_at is not None
        assert version.leader_signed_at is not None and version.leader_signed_by_id == w["leader_id"]
