"""The teamschouw with the keyboard only: the team leader logs in, opens the team, the round and the
teamschouw, filters the matrix on one section, takes over a suggested priority and moves it up, asks a
member to be the go-to colleague (vraagbaak) and logs out; the member logs in and accepts. Also the team
norms form (/normen) and the session form (/sessie), each filled in and sent with the keyboard. The focus
must show at every stop; nothing is clicked.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from scan.extensions import db
from scan.teamschouw.models import (
    Agreement,
    AgreementKind,
    ConsentStatus,
    TeamNorm,
    TeamPriority,
    TeamSession,
)
from tests.browser.keyboard import (
    active,
    choose_in_select,
    follow,
    is_submit,
    log_in_with_the_keyboard,
    log_out_with_the_keyboard,
    move_to,
    past_the_date_picker_button,
    start_from_the_top,
    stop,
    tab_to,
    type_date,
)
from tests.browser.test_cycle_keyboard import dutch, flash_text
from tests.browser.test_teamschouw_pages import TeamschouwWorld, build_teamschouw_world


def matrix_columns(page: Any) -> list[str]:
    return page.locator("#matrix thead th[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")


def test_the_teamschouw_with_the_keyboard_only(page: Any, app: Flask) -> None:
    world: TeamschouwWorld = build_teamschouw_world(app, own_priority=True)
    base = world.base

    # --- the team leader ---------------------------------------------------------------------------
    log_in_with_the_keyboard(page, world.leader)
    assert page.url.endswith("/teams/"), page.url

    # My teams -> the team -> the round -> "Go to the teamschouw".
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/teams/{world.team}", "the team's link")
    follow(page)
    assert page.url.endswith(f"/teams/{world.team}"), page.url

    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/teams/{world.team}/rondes/{world.round}", "the round's link")
    follow(page)
    assert page.url.endswith(f"/teams/{world.team}/rondes/{world.round}"), page.url

    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/", "the link to the teamschouw")
    follow(page)
    assert page.url.endswith(f"{base}/"), page.url

    # The matrix: choose one section in the filter form and submit it with Enter.
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/matrix", "the matrix link")
    follow(page)
    assert page.url.endswith(f"{base}/matrix"), page.url
    assert matrix_columns(page) == ["GC01", "GC02", "LG01-A1", "LG01-S1", "LG02-A1"]

    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "sectie", "the section filter")
    choose_in_select(page, "sectie", "LG01", "LG01")
    move_to(page, lambda s: s["tag"] == "button" and s["method"] == "get", "the filter's Show button")
    follow(page)
    assert "sectie=LG01" in page.url, page.url
    assert matrix_columns(page) == ["LG01-A1", "LG01-S1"]
    assert page.locator("#sectie").input_value() == "LG01"
    # The scrolling table region is a stop of its own, and shows its focus.
    move_to(page, lambda s: s["className"] and "app-matrix-wrap" in s["className"], "the matrix region")

    # Back to the teamschouw, then the priorities.
    move_to(page, lambda s: s["href"] == f"{base}/", "the back link")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/prioriteiten", "the priorities link")
    follow(page)
    assert page.url.endswith(f"{base}/prioriteiten"), page.url
    assert page.locator("#priorities tbody tr").count() == 1  # the own priority (Wonen)

    # Take over the first suggestion.
    first = page.locator("#suggestions li").first.get_attribute("data-item")
    assert first, "no suggestions on the page"
    start_from_the_top(page)
    taken = move_to(page, lambda s: s["tag"] == "button" and s["inSuggestions"], "the first Take over button")
    assert taken["listItem"] == first, f"the first Take over button is not for {first}: {taken}"
    follow(page)
    assert page.url.endswith("#suggestions-heading"), page.url
    assert page.locator("#priorities tbody tr").count() == 2
    assert page.locator("#priorities tbody tr").nth(1).get_attribute("data-priority") == first
    assert page.locator(f'#suggestions li[data-item="{first}"] form').count() == 0

    # Move it up: back (Shift+Tab) from the suggestions to its Up button in the table.
    new_row = page.locator("#priorities tbody tr").nth(1).get_attribute("id")
    move_to(page, lambda s: s["direction"] == "up" and s["row"] == new_row,
            "the Up button of the new priority", key="Shift+Tab")
    follow(page)
    assert page.url.endswith(f"#{new_row}"), page.url
    assert page.locator("#priorities tbody tr").first.get_attribute("data-priority") == first

    # Ask Cor to be the go-to colleague for LG01-S1: choose member and theme by typing, submit.
    move_to(page, lambda s: s["id"] == "vraagbaak-member", "the vraagbaak member field")
    choose_in_select(page, "vraagbaak-member", "Cor", str(world.cor_id))
    assert stop(page)["id"] == "vraagbaak-target"
    choose_in_select(page, "vraagbaak-target", "LG01-S1", f"item:{world.items['LG01-S1']}")
    move_to(page, lambda s: s["tag"] == "button" and (s["action"] or "").endswith("/afspraken/vraagbaak"),
            "the vraagbaak form's button")
    follow(page)
    assert page.url.endswith("#vraagbaak-heading"), page.url
    assert page.locator(".app-error-summary").count() == 0
    row = page.locator("#vraagbaak tbody tr")
    assert row.count() == 1 and "Cor Claassen" in row.inner_text()

    log_out_with_the_keyboard(page)

    # --- the member accepts on Mijn team -----------------------------------------------------------
    log_in_with_the_keyboard(page, world.cor)
    assert page.url.endswith("/mijn"), page.url
    move_to(page, lambda s: s["href"] == "/mijn/team" and "nav" in (s["className"] or ""),
            "My team in the menu")
    follow(page)
    assert page.url.endswith("/mijn/team"), page.url
    assert page.locator("#vraagbaak").count() == 0  # nobody has accepted yet

    start_from_the_top(page)
    move_to(page, lambda s: s["tag"] == "button" and (s["action"] or "").endswith("/accepteren"),
            "the Accept button")
    follow(page, "Space")
    assert page.url.endswith("/mijn/team#requests-heading"), page.url
    assert page.locator("#vraagbaak tbody th").all_inner_texts() == ["Cor Claassen"]
    assert page.locator('#requests li form[action$="/afwijzen"]').count() == 1  # take me off the list

    # Stored: the taken-over suggestion first, the own priority second; Cor's request accepted.
    with app.app_context():
        priorities = db.session.scalars(
            select(TeamPriority).where(TeamPriority.round_id == world.round).order_by(TeamPriority.position)
        ).all()
        assert [(p.item.code if p.item else p.section.code, p.source) for p in priorities] == [
            (first, "suggested"),
            ("LG02", "own"),
        ]
        agreements = db.session.scalars(select(Agreement).where(Agreement.round_id == world.round)).all()
        assert [(a.kind, a.member_id, a.item_id, a.consent) for a in agreements] == [
            (AgreementKind.VRAAGBAAK, world.cor_id, world.items["LG01-S1"], ConsentStatus.ACCEPTED)
        ]


def coverage_cell(page: Any, section: str, column: str) -> str:
    # The table sits behind the "show the figures as a table" disclosure: read its text, open or not.
    cell = f'#coverage-table tr[data-section="{section}"] td[data-column="{column}"]'
    return (page.locator(cell).text_content() or "").strip()


def test_the_team_norms_with_the_keyboard_only(page: Any, app: Flask) -> None:
    """From the coverage page to /normen (the norms' own page): Tab to Financiën's norm, type 4, Enter."""
    world = build_teamschouw_world(app)
    log_in_with_the_keyboard(page, world.leader)
    page.goto(f"{world.base}/dekking")
    housing_norm = coverage_cell(page, "LG02", "norm")
    assert coverage_cell(page, "LG01", "norm") != "4"

    start_from_the_top(page)
    tab_to(page, lambda s: (s["href"] or "").endswith(f"{world.base}/normen"), "the link to the team norms")
    follow(page)
    assert page.url.endswith(f"{world.base}/normen"), page.url
    start_from_the_top(page)
    assert tab_to(page, lambda s: s["id"] == "norm-LG01", "Financiën's norm")["id"] == "norm-LG01"
    page.keyboard.press("Control+A")  # replace the value shown (the Kenniskaart's norm)
    page.keyboard.type("4")
    follow(page)  # Enter in the field sends the form
    assert page.url.endswith(f"{world.base}/dekking"), page.url
    assert page.locator(".app-error-summary").count() == 0
    assert dutch(app, "The team norms are saved.") in flash_text(page)
    assert coverage_cell(page, "LG01", "norm") == "4"
    # The other norm is saved as it stood.
    assert coverage_cell(page, "LG02", "norm") == housing_norm
    with app.app_context():
        norms = db.session.scalars(select(TeamNorm).where(TeamNorm.team_id == world.team)).all()
        assert {n.section_code: n.min_specialists for n in norms} == {"LG01": 4, "LG02": int(housing_norm)}


def test_the_session_with_the_keyboard_only(page: Any, app: Flask) -> None:
    """/sessie: the date typed part by part, Cor ticked with Space, notes and decisions typed, saved."""
    world = build_teamschouw_world(app)
    log_in_with_the_keyboard(page, world.leader)
    page.goto(f"{world.base}/sessie")
    assert page.locator("#last-saved").count() == 0

    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "held_on", "the date of the session")
    type_date(page, "held_on", "2027-03-14")
    first = past_the_date_picker_button(page, "held_on")
    assert first["type"] == "checkbox" and first["name"] == "attendees", first
    cor = move_to(page, lambda s: s["type"] == "checkbox" and s["value"] == str(world.cor_id),
                  "Cor's checkbox")
    assert not cor["checked"], cor
    page.keyboard.press("Space")
    assert active(page)["checked"], active(page)
    move_to(page, lambda s: s["id"] == "notes", "the notes")
    page.keyboard.type("Dekking Financien besproken")
    assert stop(page)["id"] == "decisions"
    page.keyboard.type("Cor wordt vraagbaak voor stabiliseren")
    move_to(page, is_submit, "the Save button")
    follow(page)
    assert page.url.endswith(f"{world.base}/sessie"), page.url

    assert page.locator(".app-error-summary").count() == 0
    assert dutch(app, "The session has been saved.") in flash_text(page)
    assert page.locator("#last-saved").is_visible()
    assert page.locator("#held_on").input_value() == "2027-03-14"
    checked = page.locator('input[name="attendees"]:checked').evaluate_all("els => els.map(e => e.value)")
    assert checked == [str(world.cor_id)]
    assert page.get_by_label("Cor Claassen").is_checked()
    assert page.locator("#notes").input_value() == "Dekking Financien besproken"
    assert page.locator("#decisions").input_value() == "Cor wordt vraagbaak voor stabiliseren"
    with app.app_context():
        saved = db.session.scalars(select(TeamSession).where(TeamSession.round_id == world.round)).one()
        assert (saved.held_on.isoformat(), [u.full_name for u in saved.attendees]) == (
            "2027-03-14", ["Cor Claassen"]
        )
