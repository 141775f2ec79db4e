"""The whole cycle with the keyboard only, in Dutch, as four people in a small region:

1. the professional (Anna) fills in the scan part by part and submits it;
2. the team leader opens the teamschouw (matrix, coverage), records a calibration of Anna's scan and a
   team priority;
3. Anna starts her POP, adopts the first proposed goal (the team priority), adds an activity and
   proposes the plan;
4. the team leader agrees and signs (password typed again); Anna signs too;
5. the regional coordinator opens the scholingsplan and downloads it as CSV.

Tab, Shift+Tab, the arrow keys, Enter, Space and typing into the focused field: nothing is clicked or
filled, and the focus must show at every stop (tests/browser/keyboard.py). After each step the test reads
what the person sees: the message, the status, the signatures, the downloaded file.

The world: Wijkteam Eemhof on the small test Kenniskaart (GC: GC01 GC02; LG01: LG01-A1 LG01-S1; LG02:
LG02-A1) with its leader, Anna and five colleagues who submitted their scans and drafted a POP with a goal
on GC01, so the region sees GC01 counted for six people (cells below k=5 would read "<5"); the catalogue
has a training for each item.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select

from scan.access import Role
from scan.assessment.models import Scan, ScanRound
from scan.catalogue.models import Training, TrainingItem
from scan.core.clock import today
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.organisation.models import Team
from scan.pop.models import Pop, PopGoal, PopStatus, PopVersion
from scan.pop.signing import services as signing
from scan.regio import periods
from scan.teamschouw.models import Calibration, TeamPriority
from tests import factories
from tests.browser.keyboard import (
    choose,
    choose_in_select,
    follow,
    follow_to_fragment,
    in_menu,
    is_button,
    is_submit,
    log_in_with_the_keyboard,
    log_out_from_the_top,
    log_out_with_the_keyboard,
    move_to,
    open_sign_page_and_sign,
    past_the_date_picker_button,
    press_button,
    skip_group,
    start_from_the_top,
    stop,
    tab,
    tab_to,
    type_date,
    type_note,
)
from tests.pop.world import TRAININGS

LEVELS = ["1", "2", "3", "4"]
AMBITIONS = ["stay", "2", "3", "4"]
REGION_CODE = "EEMLAND"
COLLEAGUES = ("Bram Bosman", "Chantal Cornelissen", "Daan Dijkstra", "Esra Elzinga", "Femke Fokkema")
# Five more who submitted without a POP: six goals on GC01 in a team of eleven can be published (six of six,
# or all but fewer than five, would be hidden as saying something about everyone).
OTHERS = ("Gijs Geerts", "Hatice Hoek", "Ivo Inberg", "Jet Jansma", "Karim Kaddouri")
# What the colleagues scored: a gap on GC01 each, and their POP (proposed) has a goal on it.
COLLEAGUE_ANSWERS = {"GC01": (2, 3), "GC02": (3, 3), "LG01-A1": (2, 2), "LG01-S1": (None, None),
                     "LG02-A1": (2, 2)}


def build_cycle_world(app: Flask) -> dict[str, Any]:
    with app.app_context():
        version = factories.make_kenniskaart()
        region = factories.make_region(code=REGION_CODE, name="Regio Eemland")
        municipality = factories.make_municipality(region, name="Eemhof")
        team = factories.make_team(municipality, name="Wijkteam Eemhof", code="EH-CENTRUM")
        leader = factories.make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
        anna = factories.make_user(Role.PROFESSIONAL, team=team, full_name="Anna Aalders")
        coordinator = factories.make_user(Role.REGIOCOORDINATOR, region=region, full_name="Rita Regio")
        scan_round = factories.make_round(team, version)
        items = {i.code: i for i in db.session.scalars(select(Item).where(Item.version_id == version.id))}
        for name in COLLEAGUES:
            colleague = factories.make_user(Role.PROFESSIONAL, team=team, full_name=name)
            factories.make_scan(scan_round, colleague, COLLEAGUE_ANSWERS, submitted=True)
            pop = Pop(round_id=scan_round.id, user_id=colleague.id)
            pop.versions = [PopVersion(number=1, status=PopStatus.PROPOSED, goals=[
                PopGoal(position=1, item_id=items["GC01"].id, reason_kind="ambition",
                        description="Beter contact maken")])]
            db.session.add(pop)
        for name in OTHERS:
            other = factories.make_user(Role.PROFESSIONAL, team=team, full_name=name)
            factories.make_scan(scan_round, other, {**COLLEAGUE_ANSWERS, "GC01": (3, 3)}, submitted=True)
        trainings = {}
        for code, title, provider, kind, hours, points, item_codes, active in TRAININGS:
            training = Training(region_id=region.id, code=code, title=title, provider=provider, type=kind,
                                hours=Decimal(hours), points=points, active=active, cost_cents=25000,
                                item_codes=[TrainingItem(item_code=c) for c in item_codes])
            db.session.add(training)
            db.session.flush()
            trainings[code] = (training.id, title)
        db.session.commit()
        return {
            "team": team.id, "round": scan_round.id, "leader": leader.username, "leader_id": leader.id,
            "anna": anna.username, "anna_id": anna.id, "coordinator": coordinator.username,
            "items": {code: item.id for code, item in items.items()}, "trainings": trainings,
        }


def dutch(app: Flask, message: str, plural: str | None = None, num: int | None = None, **values: Any) -> str:
    """What the Dutch page says for an English message id."""
    with app.test_request_context(), force_locale("nl"):
        if plural is not None:
            return ngettext(message, plural, num, **values)
        return gettext(message, **values)


def status_text(app: Flask, status: str) -> str:
    with app.test_request_context(), force_locale("nl"):
        return str(signing.status_label(status))


def flash_text(page: Any) -> str:
    return " ".join(page.locator(".app-flashes").all_inner_texts())


def test_the_whole_cycle_with_the_keyboard_only(page: Any, app: Flask) -> None:
    w = build_cycle_world(app)
    base = f"/teams/{w['team']}/rondes/{w['round']}/teamschouw"

    # --- 1. Anna fills in the scan and submits it --------------------------------------------------
    log_in_with_the_keyboard(page, w["anna"])
    assert page.url.endswith("/mijn"), page.url
    move_to(page, in_menu("/scan"), "Mijn scan in the menu")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/scan/{w['round']}/GC" and "button" in s["className"],
            "the start button")
    follow(page)

    start_from_the_top(page)
    tab_to(page, lambda s: s["name"] == "level-GC01", "the first level group")
    page.keyboard.press("Shift+Tab")  # back, so choose() tabs into the group itself
    choose(page, "level-GC01", "2", LEVELS)
    choose(page, "ambition-GC01", "3", ["stay", "3", "4"])  # at level 2 only higher ones are offered
    type_note(page, "GC01", "Wil oefenen met motiverende gespreksvoering")
    choose(page, "level-GC02", "3", LEVELS)
    choose(page, "ambition-GC02", "stay", AMBITIONS)
    type_note(page, "GC02", "")
    press_button(page, "save_next")
    assert page.url.endswith(f"/scan/{w['round']}/LG01"), page.url
    assert dutch(app, "Saved.") in flash_text(page)

    start_from_the_top(page)
    tab_to(page, lambda s: s["name"] == "level-LG01-A1", "the first level group")
    page.keyboard.press("Shift+Tab")
    choose(page, "level-LG01-A1", "2", LEVELS)
    choose(page, "ambition-LG01-A1", "3", ["stay", "3", "4"])
    type_note(page, "LG01-A1", "")
    choose(page, "level-LG01-S1", "nvt", [*LEVELS, "nvt"])
    skip_group(page, "ambition-LG01-S1")
    type_note(page, "LG01-S1", "")
    press_button(page, "save_next", key="Space")
    assert page.url.endswith(f"/scan/{w['round']}/LG02"), page.url

    start_from_the_top(page)
    tab_to(page, lambda s: s["name"] == "level-LG02-A1", "the first level group")
    page.keyboard.press("Shift+Tab")
    choose(page, "level-LG02-A1", "1", LEVELS)
    choose(page, "ambition-LG02-A1", "2", ["stay", "2", "3", "4"])
    press_button(page, "save_next")
    assert page.url.endswith(f"/scan/{w['round']}/indienen"), page.url
    assert page.locator(".app-error-summary").count() == 0, "the submit page still lists missing items"

    start_from_the_top(page)
    move_to(page, lambda s: is_submit(s) and (s["action"] or "").endswith("/indienen"), "Submit my scan")
    follow(page)
    assert page.url.endswith(f"/mijn/resultaat/{w['round']}"), page.url
    assert dutch(app, "Your scan has been submitted. Your team leader can now see it.") in flash_text(page)
    log_out_from_the_top(page)

    # --- 2. The team leader: matrix, coverage, a calibration, a priority ----------------------------
    log_in_with_the_keyboard(page, w["leader"])
    assert page.url.endswith("/teams/"), page.url
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/teams/{w['team']}", "the team's link")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/teams/{w['team']}/rondes/{w['round']}", "the round's link")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/", "the link to the teamschouw")
    follow(page)

    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/matrix", "the matrix link")
    follow(page)
    assert "Anna Aalders" in page.locator("#matrix").inner_text()
    move_to(page, lambda s: s["href"] == f"{base}/", "the matrix's back link")
    follow(page)

    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/dekking", "the coverage link")
    follow(page)
    assert page.locator("#coverage-table tbody tr").count() >= 2  # LG01 and LG02
    move_to(page, lambda s: s["href"] == f"{base}/", "the coverage page's back link")
    follow(page)

    # Calibration: agree level 2 on GC02 with Anna (she chose 3), with a note.
    with app.app_context():
        anna_scan = db.session.scalars(select(Scan.id).where(Scan.user_id == w["anna_id"])).one()
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/kalibratie", "the calibration link")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/kalibratie/{anna_scan}", "Calibrate (Anna)")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "agreed-GC02", "the agreed level of GC02")
    choose_in_select(page, "agreed-GC02", "2", "2")
    assert tab(page)["id"] == "note-GC02"
    page.keyboard.type("Besproken in de teamschouw")
    move_to(page, is_submit, "Save the calibration")
    follow(page)
    assert page.url.endswith(f"{base}/kalibratie/{anna_scan}"), page.url
    assert dutch(app, "%(num)d change saved.", "%(num)d changes saved.", 1) in flash_text(page)
    assert page.locator("#agreed-GC02").input_value() == "2"
    assert page.locator("#note-GC02").input_value() == "Besproken in de teamschouw"
    assert page.locator('section[data-item="GC02"] .app-history summary').inner_text() == dutch(
        app, "History: %(num)d change", "History: %(num)d changes", 1)

    # A priority of the team's own: GC01, with a reason.
    move_to(page, lambda s: s["href"] == f"{base}/kalibratie", "back to the calibration overview")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/", "back to the teamschouw")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"{base}/prioriteiten", "the priorities link")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "priority-target", "the priority's item")
    choose_in_select(page, "priority-target", "GC01", f"item:{w['items']['GC01']}")
    assert stop(page)["id"] == "priority-reason"
    page.keyboard.type("Vijf van de zes willen hierin groeien")
    move_to(page, lambda s: is_button(s, "/prioriteiten/toevoegen"), "Add the priority")
    follow_to_fragment(page)
    assert page.url.endswith("#priorities-heading"), page.url
    assert dutch(app, "The priority has been added.") in flash_text(page)
    assert "GC01" in page.locator("#priorities tbody").inner_text()
    log_out_with_the_keyboard(page)

    # --- 3. Anna drafts her POP and proposes it ------------------------------------------------------
    log_in_with_the_keyboard(page, w["anna"])
    move_to(page, in_menu("/mijn/pop"), "Mijn POP in the menu")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: is_button(s, "/mijn/pop/starten"), "Start my POP")
    follow(page)
    with app.app_context():
        pop_id = db.session.scalars(select(Pop.id).where(Pop.user_id == w["anna_id"])).one()
    assert page.url.endswith(f"/pop/{pop_id}"), page.url

    # The team priority comes first among the proposals: adopt it.
    assert page.locator("#proposals li").first.get_attribute("data-item") == "GC01"
    start_from_the_top(page)
    adopt = move_to(page, lambda s: is_button(s, "/voorgestelde-doelen/overnemen"), "the first Adopt button")
    assert adopt["listItem"] == "GC01", adopt
    follow_to_fragment(page)
    with app.app_context():
        goal_id = db.session.scalars(
            select(PopGoal.id).join(PopVersion).where(PopVersion.pop_id == pop_id)).one()
    assert page.url.endswith(f"/pop/{pop_id}#goal-{goal_id}"), page.url

    # An activity: the catalogue's training for GC01, chosen by typing its title.
    training_id, training_title = w["trainings"]["TR-GC01"]
    move_to(page, lambda s: s["href"] == f"/pop/{pop_id}/doelen/{goal_id}/acties/nieuw", "Add an activity")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "type", "the kind of activity")
    choose_in_select(page, "type", "Training", "training")
    assert tab(page)["id"] == "description"
    page.keyboard.type("De training volgen en oefenen in huisbezoeken")
    assert tab(page)["id"] == "training"
    choose_in_select(page, "training", training_title, str(training_id))
    move_to(page, lambda s: s["id"] == "planned_from", "Planned from")
    type_date(page, "planned_from", "2027-05-10")
    assert past_the_date_picker_button(page, "planned_from")["id"] == "planned_until"
    type_date(page, "planned_until", "2027-06-30")
    assert past_the_date_picker_button(page, "planned_until")["id"] == "hours"
    move_to(page, is_submit, "Save activity")
    follow_to_fragment(page)
    assert "#action-" in page.url, page.url
    assert training_title in page.locator(f"#goal-{goal_id}").inner_text()

    move_to(page, lambda s: is_button(s, f"/pop/{pop_id}/voorstellen"), "Propose to my team leader")
    follow(page)
    assert page.locator("#pop-status").inner_text() == status_text(app, PopStatus.PROPOSED)
    assert dutch(app, "Your plan has been sent to your team leader.") in flash_text(page)
    log_out_from_the_top(page)

    # --- 4. The team leader agrees and signs; Anna signs ---------------------------------------------
    log_in_with_the_keyboard(page, w["leader"])
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/teams/{w['team']}", "the team's link")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/teams/{w['team']}/pops", "the team's POPs")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/pop/{pop_id}", "Anna's POP")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/pop/{pop_id}/beoordelen", "Review this plan")
    follow(page)
    start_from_the_top(page)
    state = move_to(page, lambda s: s["name"] == "decision", "the decision group")
    assert state["value"] == "agree" and not state["checked"], state
    page.keyboard.press("Space")
    move_to(page, is_submit, "Confirm")
    follow(page)
    assert page.url.endswith(f"/pop/{pop_id}"), page.url
    assert page.locator("#pop-status").inner_text() == status_text(app, PopStatus.AGREED)
    open_sign_page_and_sign(page, pop_id)
    assert dutch(app, "You signed the plan. Waiting for the other signature.") in flash_text(page)
    log_out_from_the_top(page)

    log_in_with_the_keyboard(page, w["anna"])
    move_to(page, in_menu("/mijn/pop"), "Mijn POP in the menu")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == f"/pop/{pop_id}", "Open my POP")
    follow(page)
    open_sign_page_and_sign(page, pop_id)
    assert dutch(app, "You signed the plan. Both have signed now: the plan is final.") in flash_text(page)
    assert page.locator("#pop-status").inner_text() == status_text(app, PopStatus.SIGNED)
    signatures = page.locator(".app-pop-signatures").inner_text()
    assert "Anna Aalders" in signatures and "Lies Leider" in signatures, signatures
    log_out_from_the_top(page)

    # --- 5. The round closes; the regional coordinator publishes the period and downloads the plan ----
    with app.app_context():
        scan_round = db.session.get(ScanRound, w["round"])
        scan_round.opens_on, scan_round.closes_on = today() - timedelta(days=60), today() - timedelta(days=30)
        periods.add(db.session.get(Team, w["team"]).municipality.region_id, "voorjaar",
                    today() - timedelta(days=90), today() - timedelta(days=1))
        db.session.commit()
    log_in_with_the_keyboard(page, w["coordinator"])
    assert page.url.endswith("/regio/"), page.url
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == "/regio/publicaties", "the publications link")
    follow(page)
    start_from_the_top(page)
    move_to(page, lambda s: s["tag"] == "button" and (s["action"] or "").endswith("/publiceren"),
            "the publish button")
    follow(page)
    published = dutch(app, "%(name)s is published: %(hidden)s of %(positions)s figures are hidden to protect "
                           "small numbers.", name="voorjaar", hidden="", positions="")
    assert published.split(":")[0] in flash_text(page)  # "voorjaar is gepubliceerd"
    start_from_the_top(page)
    move_to(page, lambda s: s["href"] == "/regio/scholingsplan", "the scholingsplan link")
    follow(page)
    gc01 = page.locator("main table tbody tr", has_text="GC01").first
    assert "6" in gc01.locator("td").all_inner_texts(), gc01.inner_text()

    # The filter comes first (the publication, the municipality, the level), then the downloads.
    start_from_the_top(page)
    move_to(page, lambda s: s["id"] == "publication", "the filter's publication")
    move_to(page, lambda s: (s["href"] or "").startswith("/regio/export/scholingsplan.csv"),
            "the scholingsplan's CSV link")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == f"scholingsplan-{REGION_CODE}-voorjaar-{today().isoformat()}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Leefgebied", "Itemcode", "Item"], rows[0]
    line = next(row for row in rows[1:] if row[1] == "GC01")
    assert line[4] == "6", line  # Anna and her five colleagues have a goal on GC01
    assert "TR-GC01" in line, line

    # Stored as seen: the calibration, the priority, the signed plan.
    with app.app_context():
        calibration = db.session.scalars(select(Calibration).where(Calibration.scan_id == anna_scan)).one()
        assert (calibration.item.code, calibration.agreed_level) == ("GC02", 2)
        priority = db.session.scalars(select(TeamPriority).where(TeamPriority.round_id == w["round"])).one()
        assert priority.item is not None and priority.item.code == "GC01"
        version = db.session.get(Pop, pop_id).versions[-1]
        assert version.status == PopStatus.SIGNED
        assert version.professional_signed_at and version.leader_signed_by_id == w["leader_id"]
