"""The teamschouw pages in a real browser: axe (WCAG 2.1 A/AA) in Dutch and English, error states
included, and the matrix cells always carrying a number or symbol (never colour alone).

The world (`build_teamschouw_world`) is a team on the test Kenniskaart (GC: GC01 GC02; LG01: LG01-A1
LG01-S1; LG02: LG02-A1) with a leader and five members: Anna, Bert and Cor submitted, Dina has a draft
and Eef has not started. Anna has agreed levels (calibration), Bert marked LG01-S1 not applicable.
With `plan=True` the round also has an accepted suggestion and an own priority, an accepted vraagbaak
(Anna) and a pending one (Cor), a growth agreement and another agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from scan.access import Role
from scan.assessment.models import ScanRound
from scan.extensions import db
from scan.kenniskaart.models import Item, Section
from scan.teamschouw import services
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_scan_pages import assert_error_page, log_in_as, post_and_wait, visit

LANGUAGES = ["nl", "en"]

# {item code: (level, ambition)}; level None = not applicable.
ANNA = {"GC01": (2, 3), "GC02": (3, 3), "LG01-A1": (1, 2), "LG01-S1": (3, 3), "LG02-A1": (2, 2)}
BERT = {"GC01": (1, 2), "GC02": (2, 2), "LG01-A1": (2, 3), "LG01-S1": (None, None), "LG02-A1": (3, 3)}
COR = {"GC01": (2, 2), "GC02": (2, 3), "LG01-A1": (2, 2), "LG01-S1": (1, 2), "LG02-A1": (1, 2)}
# What the leader agreed with Anna: {item code: (agreed level, note)}.
ANNA_AGREED = {"GC01": (3, "Besproken in de teamschouw"), "LG01-A1": (2, "")}
SUBMITTED = ("Anna Aalders", "Bert Bakker", "Cor Claassen")


@dataclass(frozen=True)
class TeamschouwWorld:
    team: int
    round: int
    leader: str
    anna: str
    bert: str
    cor: str
    cor_id: int
    anna_scan: int
    items: dict[str, int]
    sections: dict[str, int]

    @property
    def base(self) -> str:
        return f"/teams/{self.team}/rondes/{self.round}/teamschouw"


def build_teamschouw_world(app: Flask, *, plan: bool = False, own_priority: bool = False) -> TeamschouwWorld:
    """Commit the world to the database the live server reads (see the module docstring).

    `own_priority`: only the own priority (Wonen as a whole), so a taken-over suggestion can be moved.
    """
    with app.app_context():
        version = factories.make_kenniskaart()
        team = factories.make_team(name="Wijkteam Proef")
        leader = factories.make_user(Role.TEAMLEIDER, teams=[team], full_name="Lies Leider")
        anna = factories.make_user(Role.PROFESSIONAL, team=team, full_name="Anna Aalders")
        bert = factories.make_user(Role.PROFESSIONAL, team=team, full_name="Bert Bakker")
        cor = factories.make_user(Role.PROFESSIONAL, team=team, full_name="Cor Claassen")
        dina = factories.make_user(Role.PROFESSIONAL, team=team, full_name="Dina Draft")
        factories.make_user(Role.PROFESSIONAL, team=team, full_name="Eef Nogniet")
        scan_round: ScanRound = factories.make_round(team, version)
        anna_scan = factories.make_scan(scan_round, anna, ANNA, submitted=True)
        factories.make_scan(scan_round, bert, BERT, submitted=True)
        factories.make_scan(scan_round, cor, COR, submitted=True)
        factories.make_scan(scan_round, dina, {"GC01": (4, 4)})
        item = {i.code: i for i in db.session.scalars(select(Item).where(Item.version_id == version.id))}
        section = {
            s.code: s for s in db.session.scalars(select(Section).where(Section.version_id == version.id))
        }

        checked = services.check_calibration(
            [item[code] for code in ANNA_AGREED],
            [1, 2, 3, 4],
            {item[code].id: services.CalibrationInput(str(level), note)
             for code, (level, note) in ANNA_AGREED.items()},
        )
        assert checked.ok, checked.errors
        services.calibrate(anna_scan, checked.values, leader, 0)

        if plan or own_priority:
            services.add_priority(scan_round, leader, reason="Huisvesting staat onder druk",
                                  section=section["LG02"])
        if plan:
            services.add_priority(scan_round, leader, reason="1 van 3 onder de norm", item=item["GC01"],
                                  source=services.SOURCE_SUGGESTED)
            accepted = services.add_vraagbaak(scan_round, anna, leader, item=item["LG01-S1"])
            services.answer_request(accepted, anna, accept=True)
            services.add_vraagbaak(scan_round, cor, leader, section=section["LG01"])
            services.add_grow(scan_round, bert, section["LG01"], "Cursus schuldhulpverlening", leader)
            services.add_other(scan_round, "Elke maand casuïstiek over schulden", leader)
        db.session.commit()
        return TeamschouwWorld(
            team=team.id, round=scan_round.id, leader=leader.username, anna=anna.username,
            bert=bert.username, cor=cor.username, cor_id=cor.id, anna_scan=anna_scan.id,
            items={code: i.id for code, i in item.items()},
            sections={code: s.id for code, s in section.items()},
        )


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def world(app: Flask) -> TeamschouwWorld:
    return build_teamschouw_world(app, plan=True)


# --- the start page -------------------------------------------------------------------------------


def test_start_page(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/")
    assert page.locator(f'main a[href="{world.base}/matrix"]').count() == 1
    assert page.locator(f'main a[href="{world.base}/prioriteiten"]').count() == 1
    counted = page.locator("main h1 + p").inner_text()
    assert ("3" in counted and "5" in counted), counted
    assert_accessible(page, f"teamschouw start page ({lang})")


# --- the matrix -----------------------------------------------------------------------------------

# Per body cell: its text and whether it has a background colour (a level class).
MATRIX_CELLS_JS = """() => Array.from(document.querySelectorAll('#matrix tbody td')).map(td => ({
    item: td.dataset.item,
    text: td.innerText.trim(),
    spoken: td.textContent.replace(/\\s+/g, ' ').trim(),
    classes: td.className,
}))"""


def matrix_cells(page: Any) -> list[dict[str, str]]:
    return page.evaluate(MATRIX_CELLS_JS)


def assert_cells_carry_text(page: Any, label: str) -> list[dict[str, str]]:
    """Every cell of the matrix body shows a number or a symbol, and has words for a screen reader."""
    cells = matrix_cells(page)
    assert cells, f"{label}: the matrix has no body cells"
    empty = [c for c in cells if not c["text"] or not c["spoken"]]
    assert not empty, f"{label}: cells without visible text (colour alone): {empty}"
    return cells


def matrix_rows(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#matrix tbody th[scope=row]").all_inner_texts()]


def test_matrix_all_sections(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/matrix")
    # Only the submitted members; the draft (Dina) and the one who did not start (Eef) are not there.
    assert sorted(matrix_rows(page)) == sorted(SUBMITTED)
    columns = page.locator("#matrix thead th[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
    assert columns == ["GC01", "GC02", "LG01-A1", "LG01-S1", "LG02-A1"]
    cells = assert_cells_carry_text(page, "matrix, all sections")
    assert len(cells) == 3 * 5
    assert_accessible(page, f"matrix, all sections ({lang})")


def test_matrix_cells_show_the_number_or_symbol_not_colour_alone(page: Any, world: TeamschouwWorld) -> None:
    log_in_as(page, world.leader, "nl")
    visit(page, world.base + "/matrix")
    rows = page.locator("#matrix tbody tr")
    by_name = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        name = row.locator("th").inner_text().strip()
        by_name[name] = {
            td.get_attribute("data-item"): td.inner_text().strip() for td in row.locator("td").all()
        }
    # Anna: the agreed level with her own in brackets; the ambition shown with an arrow.
    assert by_name["Anna Aalders"]["GC01"].startswith("3"), by_name["Anna Aalders"]
    assert "(zelf 2)" in by_name["Anna Aalders"]["GC01"], by_name["Anna Aalders"]
    assert by_name["Anna Aalders"]["GC02"] == "3"
    # Bert marked LG01-S1 not applicable: a word, not an empty coloured box.
    assert by_name["Bert Bakker"]["LG01-S1"] == "n.v.t.", by_name["Bert Bakker"]
    assert by_name["Cor Claassen"]["LG02-A1"].startswith("1") and "2" in by_name["Cor Claassen"]["LG02-A1"]
    # Every coloured cell (level class) holds the level's digit, and the colour repeats it.
    for cell in assert_cells_carry_text(page, "matrix"):
        level_classes = [c for c in cell["classes"].split() if c.startswith("app-level-")]
        assert level_classes, f"no level class on {cell}"
        level = level_classes[0].removeprefix("app-level-")
        if level.isdigit():
            assert cell["text"].startswith(level), cell
    # And the projector view keeps the numbers.
    visit(page, world.base + "/matrix?weergave=projector")
    assert_cells_carry_text(page, "matrix, projector view")


def test_matrix_one_section_chosen_in_the_filter(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/matrix")
    page.locator("#sectie").select_option("LG01")
    with page.expect_navigation():
        page.locator("main form[method=get] [type=submit]").click()
    assert "sectie=LG01" in page.url, page.url
    assert page.locator("#sectie").input_value() == "LG01"
    columns = page.locator("#matrix thead th[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
    assert columns == ["LG01-A1", "LG01-S1"]
    assert_cells_carry_text(page, "matrix, LG01")
    assert_accessible(page, f"matrix, one section ({lang})")


def test_matrix_specialist_items(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/matrix?niveau=specialistisch")
    assert page.locator("#niveau").input_value() == "specialistisch"
    columns = page.locator("#matrix thead th[data-item]").evaluate_all("els => els.map(e => e.dataset.item)")
    assert columns == ["LG01-S1"]
    assert_cells_carry_text(page, "matrix, specialist items")
    assert_accessible(page, f"matrix, specialist items ({lang})")


def test_matrix_projector_view(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/matrix?weergave=projector")
    assert page.locator(".app-matrix-page--projector").count() == 1
    assert_cells_carry_text(page, "matrix, projector view")
    assert_accessible(page, f"matrix, projector view ({lang})")


# --- coverage and the team norms ------------------------------------------------------------------


def test_coverage_page_and_the_norms_form_with_an_error(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/dekking")
    assert page.locator("main svg").count() >= 1
    assert page.locator("#coverage-table tbody tr").count() == 2
    assert not page.locator("#coverage-table").is_visible()  # the chart's table, behind a disclosure
    page.locator("#coverage-figures > summary").click()
    assert page.locator("#coverage-table").is_visible()
    assert_accessible(page, f"coverage page ({lang})")

    # The team norms have their own page, linked from the coverage page.
    with page.expect_navigation():
        page.locator(f'main a[href="{world.base}/normen"]').click()
    assert page.locator("#norm-LG01").count() == 1
    assert_accessible(page, f"team norms page ({lang})")
    page.locator("#norm-LG01").fill("abc")
    response = post_and_wait(page, "main form.app-norms-form [type=submit]")
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#norm-LG01"]').count() == 1
    assert page.locator("#norm-LG01").get_attribute("aria-invalid") == "true"
    assert page.locator("#norm-LG01").input_value() == "abc"
    assert_accessible(page, f"coverage page, norm 'abc' ({lang})")


# --- calibration ----------------------------------------------------------------------------------


def test_calibration_overview(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/kalibratie")
    assert sorted(page.locator("#calibration-members tbody th").all_inner_texts()) == sorted(SUBMITTED)
    assert_accessible(page, f"calibration overview ({lang})")


def test_calibration_of_a_member_and_its_error(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    url = f"{world.base}/kalibratie/{world.anna_scan}"
    visit(page, url)
    assert page.locator("#agreed-GC01").input_value() == "3"
    assert page.locator("details.app-history").count() == 2
    assert_accessible(page, f"calibration of a member ({lang})")

    page.locator("#agreed-GC02").select_option("2")
    page.locator("#note-GC02").fill("x" * 501)
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#note-GC02"]').count() == 1
    assert page.locator("#note-GC02").get_attribute("aria-invalid") == "true"
    # What was chosen is still there.
    assert page.locator("#agreed-GC02").input_value() == "2"
    assert_accessible(page, f"calibration of a member, note too long ({lang})")


# --- priorities and agreements --------------------------------------------------------------------


def test_priorities_and_agreements(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/prioriteiten")
    assert page.locator("#priorities tbody tr").count() == 2
    # Suggestions, one of them already taken over.
    assert page.locator("#suggestions li").count() >= 2
    assert page.locator('#suggestions li[data-item="GC01"] form').count() == 0
    assert page.locator("#suggestions li form").count() >= 1
    # The vraagbaak: one accepted, one waiting.
    assert page.locator("#vraagbaak tbody tr").count() == 2
    assert page.locator("#growing tbody tr").count() == 1
    assert page.locator("#other-agreements li").count() == 1
    assert_accessible(page, f"priorities and agreements ({lang})")


def test_priorities_page_with_an_error(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/prioriteiten")
    response = post_and_wait(page, f'main form[action="{world.base}/afspraken/vraagbaak"] [type=submit]')
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#vraagbaak-member"]').count() == 1
    assert page.locator("#vraagbaak-member").get_attribute("aria-invalid") == "true"
    assert_accessible(page, f"priorities, vraagbaak without a member ({lang})")


# --- the session ----------------------------------------------------------------------------------


def test_session_form_empty_with_an_error_and_filled(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.leader, lang)
    visit(page, world.base + "/sessie")
    assert page.locator("#held_on").input_value() == ""
    assert_accessible(page, f"session form, empty ({lang})")

    page.locator("#notes").fill("Dekking Financien besproken")
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 422, response.status
    assert_error_page(page, lang)
    assert page.locator('.app-error-summary a[href="#held_on"]').count() == 1
    assert page.locator("#held_on").get_attribute("aria-invalid") == "true"
    assert page.locator("#notes").input_value() == "Dekking Financien besproken"
    assert_accessible(page, f"session form without a date ({lang})")

    page.locator("#held_on").fill("2027-03-14")
    page.get_by_label("Anna Aalders").check()
    page.get_by_label("Cor Claassen").check()
    page.locator("#decisions").fill("Anna wordt vraagbaak voor stabiliseren")
    response = post_and_wait(page, "main form[method=post] [type=submit]")
    assert response.status == 200, response.status
    assert page.locator(".app-error-summary").count() == 0
    assert page.locator("#last-saved").count() == 1
    assert page.locator("#held_on").input_value() == "2027-03-14"
    assert page.get_by_label("Anna Aalders").is_checked()
    assert not page.get_by_label("Bert Bakker").is_checked()
    assert_accessible(page, f"session form, filled and saved ({lang})")


# --- the member's side ----------------------------------------------------------------------------


def test_my_team_with_a_pending_vraagbaak_request(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.cor, lang)
    visit(page, "/mijn/team")
    assert page.locator("#requests li").count() == 1
    assert page.locator("#requests li form").count() == 2  # accept and decline
    assert page.locator("#priorities li").count() == 2
    # Only the accepted request is on the list: Anna, not Cor himself.
    assert page.locator("#vraagbaak tbody th").all_inner_texts() == ["Anna Aalders"]
    assert_accessible(page, f"Mijn team with a pending request ({lang})")


def test_result_page_shows_the_agreed_level(page: Any, world: TeamschouwWorld, lang: str) -> None:
    log_in_as(page, world.anna, lang)
    visit(page, f"/mijn/resultaat/{world.round}")
    table = page.locator("#agreed-table")
    assert table.count() == 1
    assert table.locator("tbody tr").count() == len(ANNA_AGREED)
    assert "3" in table.inner_text()
    assert_accessible(page, f"result page with an agreed level ({lang})")



# --- layout at every width: no sideways page scroll, sticky names and header, readable charts -------

WIDTHS = [320, 375, 1280]

# Every <text> of every inline chart: its rendered size in CSS px (font size times the SVG's scale).
CHART_TEXT_SIZES_JS = """() => Array.from(document.querySelectorAll('main svg text')).map(t => {
    const scale = t.ownerSVGElement.getScreenCTM().a;
    return {text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * scale};
})"""


def assert_no_sideways_page_scroll(page: Any, label: str) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{label}: the page is {width[0]} px wide in a {width[1]} px window"


def assert_chart_text_readable(page: Any, label: str) -> None:
    sizes = page.evaluate(CHART_TEXT_SIZES_JS)
    assert sizes, f"{label}: no chart text"
    small = [s for s in sizes if s["px"] < 12]
    assert not small, f"{label}: chart text below 12 px: {small[:5]}"


@pytest.mark.parametrize("width", WIDTHS)
def test_matrix_pages_never_scroll_sideways_and_keep_names_and_header_in_view(
        page: Any, world: TeamschouwWorld, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as(page, world.leader, "nl")
    for query in ("", "?weergave=projector", "?vorige=1"):
        visit(page, world.base + "/matrix" + query)
        assert_no_sideways_page_scroll(page, f"matrix{query} at {width}")
    # A low window, so the projector's table scrolls both ways inside its region.
    page.set_viewport_size({"width": width, "height": 400})
    visit(page, world.base + "/matrix?weergave=projector")
    region = page.locator(".app-matrix-wrap")
    scrolled = region.evaluate(
        "el => { el.scrollLeft = el.scrollWidth; el.scrollTop = el.scrollHeight; return el.scrollTop; }")
    assert scrolled > 0, "the region does not scroll up and down"
    box = region.bounding_box()
    name = page.locator("#matrix tbody th[scope=row]").last.bounding_box()
    header = page.locator("#matrix thead th[data-item]").last.bounding_box()
    assert box is not None and name is not None and header is not None
    assert abs(name["x"] - box["x"]) <= 2, (name, box)  # the names stay at the left edge
    # The header row stays inside the region at its top, though the table scrolled down.
    assert box["y"] <= header["y"] <= box["y"] + 120, (header, box)


@pytest.mark.parametrize("width", WIDTHS)
def test_charts_scale_to_their_box_with_text_of_at_least_12_px(
        page: Any, world: TeamschouwWorld, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as(page, world.leader, "nl")
    visit(page, world.base + "/dekking")
    assert_no_sideways_page_scroll(page, f"coverage at {width}")
    assert_chart_text_readable(page, f"coverage chart at {width}")
    page.context.clear_cookies()
    log_in_as(page, world.anna, "nl")
    visit(page, f"/mijn/resultaat/{world.round}")
    assert page.locator("main svg.app-chart").count() == 2
    assert_chart_text_readable(page, f"result charts at {width}")
