"""The regional overview and scholingsplan PDF, read back with a text extractor as the coordinator gets it.

Expected numbers come from `services.scholingsplan` for the same query string (the suppressed overview and
plan the pages show), never from hard-coded counts.
"""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from flask import g
from flask_babel import force_locale, format_currency, format_decimal
from pypdf import PdfReader
from reportlab.lib import colors

from scan.core.clock import today
from scan.regio import services
from scan.regio.forms import filter_form
from scan.regio.needs import Needs, SectionNeed, TeamInfo
from scan.regio.overview import GAP, GOAL, CountRow, Labels, LeefgebiedTable, SectionLabel, build_overview
from scan.regio.pdf import (
    DARK,
    HIDDEN_FILL,
    LIGHT,
    PlanPdfData,
    _luminance,
    _mix,
    fill_colour,
    render_scholingsplan,
    text_colour,
)
from scan.regio.plan import Scholingsplan, build_plan
from scan.regio.services import Selection
from scan.regio.suppression import Suppressed
from tests.factories import login
from tests.regio.conftest import BOTH_ROUNDS, names_in, small_numbers

URL = "/regio/scholingsplan.pdf"
COORDINATOR = ("e.hoekstra", "scholingsplan-demo-2026")
REGION_NAME = "Regio Lindewaard"


def _pdf(body: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(body))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _words(text: str) -> str:
    """Line breaks (one per table cell) and non-breaking spaces become single spaces."""
    return re.sub(r"\s+", " ", text)


def _expected(app: Any, region_id: int, args: dict[str, str]) -> tuple[Any, Scholingsplan]:
    """What the pages show for this query string: the suppressed overview and plan."""
    with app.test_request_context("/regio/scholingsplan", query_string=args):
        _form, selection, _valid = filter_form(region_id)
        return services.scholingsplan(region_id, selection)


def _forget_request_state() -> None:
    """demo_region keeps an application context open, and the test client's requests share it (and its
    `g`): forget what flask_wtf (the CSRF token of the session before logging in) and flask_babel (the
    locale) cached there, as a new request in its own context would."""
    g.pop("csrf_token", None)
    g.pop("_flask_babel", None)


def _printed(title: str) -> str:
    """A title as the PDF prints it: Vera has no arrow, so "→" is printed as "->"."""
    return title.replace("→", "->")


def _cells(row: CountRow) -> list[str]:
    return [str(c) for c in row.cells]


def _download(client: Any, args: dict[str, str]) -> Any:
    response = client.get(URL, query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return response


def _row_values(words: str, label: str, at_least: int = 1) -> list[list[str]]:
    """Every run of at least `at_least` counts ("<k" or a number) printed right after `label`."""
    runs = re.findall(rf"(?<!\S){re.escape(label)} ((?:(?:<\d+|[\d.]+) )+)", words + " ")
    return [run.split() for run in runs if len(run.split()) >= at_least]


def _as_int(token: str) -> int | str:
    return int(token.replace(".", "")) if re.fullmatch(r"[\d.]+", token) else token


def test_the_coordinator_downloads_the_plan_in_dutch(app, client, demo_region):
    overview, plan = _expected(app, demo_region.region_id, BOTH_ROUNDS)
    login(client, *COORDINATOR)
    response = _download(client, BOTH_ROUNDS)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="scholingsplan-LINDEWAARD-{today().isoformat()}.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    reader, text = _pdf(response.data)
    words = _words(text)

    assert reader.metadata.title == f"Regionaal scholingsplan {REGION_NAME}"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert f"Pagina 1 van {len(reader.pages)}" in reader.pages[0].extract_text()
    assert f"Regionaal scholingsplan {REGION_NAME}" in words
    assert "Rondes geopend van 1 januari 2026 tot en met 31 december 2027" in words
    assert "Gemeente Alle gemeenten" in words and "Niveau Alle niveaus" in words
    assert "Kleinste getoonde aantal (k) 5" in words
    # The legend, and hidden cells printed as "<5".
    assert "<5: minder dan 5, of verborgen om een klein aantal te beschermen" in words
    assert " <5 " in words

    goal, gap = overview.leefgebied[GOAL], overview.leefgebied[GAP]
    assert len(goal.blocks) == 5
    for table in (goal, gap):
        for block in table.blocks:
            name = block.row.municipality_name
            # Once in the heat map (cells only), once in the table (cells, total, professionals).
            assert f"{name} {' '.join(_cells(block.row))} " in words
            table_row = [*_cells(block.row), str(block.row.total), str(block.row.people)]
            assert f"{name} {' '.join(table_row)}" in words
            for team in block.teams:
                team_row = [*_cells(team), str(team.total), str(team.people)]
                assert f"{team.team_code} {' '.join(team_row)}" in words
        region = [*_cells(table.region), str(table.region.total), str(table.region.people)]
        assert f"{REGION_NAME} {' '.join(region)}" in words

    # The plan: its lines and the region's totals as services.scholingsplan gives them.
    for line in plan.region.lines:
        assert f"{line.item.code} {_printed(line.item.title)} {line.participants} {line.potential}" in words
    with force_locale("nl"):
        region = plan.region
        cost = (Decimal(region.cost_cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        totals = _words(
            f"{format_decimal(region.participants)} {format_decimal(region.groups)} "
            f"{format_decimal(region.hours, '#,##0.#')} {format_currency(cost, 'EUR')}"
        )
    assert f"De regio in totaal Deelnemers Groepen Uren totaal Kosten totaal {totals}" in words
    assert region.hidden_needs > 0
    note = f"{region.hidden_needs} behoeften rusten op minder dan 5 professionals: niet in de totalen."
    assert note in words
    for scope in plan.municipalities:
        assert f"{scope.name} {format_decimal(scope.participants)} {format_decimal(scope.groups)}" in words
    for line in plan.unmatched:
        assert f"{line.item.code} {_printed(line.item.title)}" in words
    assert "Behoeften zonder scholing in de catalogus (een inkoopvraag)" in words
    assert "Voorgestelde regionale groepsaanbiedingen" in words
    for line in plan.regional_offers:
        assert f"{line.item.code} {_printed(line.item.title)} {line.participants} {line.teams}" in words


def test_no_name_and_no_small_count_in_the_pdf(app, client, demo_region):
    overview, plan = _expected(app, demo_region.region_id, BOTH_ROUNDS)
    login(client, *COORDINATOR)
    for args in (BOTH_ROUNDS, {}, {**BOTH_ROUNDS, "level": "algemeen"}):
        _reader, text = _pdf(_download(client, args).data)
        words = _words(text)
        assert names_in(text, demo_region.names) == []
        # Every count printed after a municipality, team or the region: heat map and tables, both measures.
        labels = {REGION_NAME}
        for block in overview.leefgebied[GOAL].blocks:
            labels.add(block.row.municipality_name)
            labels.update(t.team_code for t in block.teams)
        # Rows of a leefgebied table or heat map: one count per leefgebied at least (not the plan's totals,
        # whose groups and hours are not counts of people).
        width = len(overview.leefgebied[GOAL].columns)
        runs = [run for label in labels for run in _row_values(words, label, width)]
        printed = [_as_int(tok) for run in runs for tok in run]
        assert len(printed) > 100
        assert small_numbers(printed) == []
    # The plan's participants and potential are the suppressed cells: nothing in 1..4 either.
    values = [v for line in plan.region.lines for v in (line.participants, line.potential)]
    assert small_numbers(values) == [] and any(isinstance(v, Suppressed) for v in values)


def test_english_after_switching_language(app, client, demo_region):
    login(client, *COORDINATOR)
    _forget_request_state()
    response = client.submit("/taal", {"lang": "en", "next": "/regio/"}, page="/regio/")
    assert response.status_code == 302
    _forget_request_state()
    reader, text = _pdf(_download(client, BOTH_ROUNDS).data)
    words = _words(text)
    assert reader.metadata.title == f"Regional scholingsplan {REGION_NAME}"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    assert "Rounds that opened from January 1, 2026 up to and including December 31, 2027" in words
    assert "<5: fewer than 5, or hidden to protect a small number" in words
    assert "Professionals with a POP goal, per leefgebied" in words
    assert "Needs without a training in the catalogue (a purchasing question)" in words
    assert "The region in total Participants Groups Total hours Total cost" in words
    assert "Pagina" not in words and "Deelnemers" not in words


def test_the_municipality_filter_limits_the_municipality_sections(app, client, demo_region):
    overview, _plan = _expected(app, demo_region.region_id, BOTH_ROUNDS)
    blocks = {b.row.municipality_name: b for b in overview.leefgebied[GOAL].blocks}
    chosen = blocks["Ravenhorst"]
    args = {**BOTH_ROUNDS, "municipality": str(chosen.row.municipality_id)}
    _narrowed, plan = _expected(app, demo_region.region_id, args)
    login(client, *COORDINATOR)
    _reader, text = _pdf(_download(client, args).data)
    words = _words(text)
    assert "Gemeente Ravenhorst" in words
    assert f"Ravenhorst {' '.join(_cells(chosen.row))} " in words
    for name, block in blocks.items():
        if name == "Ravenhorst":
            continue
        assert f"{name} {' '.join(_cells(block.row))}" not in words
        if name not in REGION_NAME:
            assert _row_values(words, name) == []
        for team in block.teams:
            assert team.team_code not in words
    for team in chosen.teams:
        assert f"{team.team_code} {' '.join(_cells(team))}" in words
    # The region row is the region's, unchanged by the filter (the same suppressed table).
    region = overview.leefgebied[GOAL].region
    assert f"{REGION_NAME} {' '.join([*_cells(region), str(region.total)])}" in words
    assert [m.name for m in plan.municipalities] == ["Ravenhorst"]
    scope = plan.municipalities[0]
    assert f"Ravenhorst {format_decimal(scope.participants)} {format_decimal(scope.groups)}" in words


def test_the_level_filter_and_an_invalid_filter(app, client, demo_region):
    args = {**BOTH_ROUNDS, "level": "specialistisch"}
    _overview, plan = _expected(app, demo_region.region_id, args)
    login(client, *COORDINATOR)
    words = _words(_pdf(_download(client, args).data)[1])
    assert "Niveau Specialistisch" in words
    assert {line.item.level_kind for line in plan.region.lines} == {"specialistisch"}
    for line in plan.region.lines:
        assert f"{line.item.code} {_printed(line.item.title)} {line.participants} {line.potential}" in words
    assert "GC01 " not in words

    words = _words(_pdf(_download(client, {"rounds": "period", "first": "2027-01-01"}).data)[1])
    assert "Het filter was niet geldig, daarom is de standaardselectie geëxporteerd." in words
    assert "Rondes De laatste ronde van elk team" in words


# --- the renderer on hand-made tables ---------------------------------------------------------------------


def _small_region() -> tuple[Any, Scholingsplan]:
    sections = (SectionLabel("GC", "Generiek", "generiek", 0), SectionLabel("LG01", "Geld", "leefgebied", 1))
    labels = Labels(sections, ())
    teams = (
        TeamInfo(1, "GM1", "Noorddorp", 11, "ND-A", 9),
        TeamInfo(1, "GM1", "Noorddorp", 12, "ND-B", 3),
        TeamInfo(1, "GM1", "Noorddorp", 13, "ND-C", 3),
        TeamInfo(2, "GM2", "Zuidstad", 21, "ZS-A", 12),
    )
    counts = {("ND-A", "GC"): (6, 2), ("ND-B", "GC"): (1, 0), ("ND-C", "LG01"): (2, 1),
              ("ZS-A", "GC"): (7, 3), ("ZS-A", "LG01"): (3, 5)}
    by_code = {t.team_code: t for t in teams}
    needs = Needs(
        teams=teams,
        items=(),
        sections=tuple(
            SectionNeed(by_code[t].municipality_id, by_code[t].municipality_code,
                        by_code[t].municipality_name, by_code[t].team_id, t, s, goal, gap)
            for (t, s), (goal, gap) in counts.items()
        ),
    )
    overview = build_overview(needs, labels, k=5)
    return overview, build_plan(overview, ())


def test_other_teams_and_hidden_cells_on_hand_made_tables(app_ctx):
    overview, plan = _small_region()
    data = PlanPdfData("Regio Proef", "PROEF", Selection(), "", True, today(), overview, plan)
    words = _words(_pdf(render_scholingsplan(data, "en"))[1])
    assert "Other teams" in words
    for table in overview.leefgebied.values():
        for block in table.blocks:
            for row in (block.row, *block.teams):
                label = "Other teams" if row.is_other else (row.team_code or row.municipality_name)
                assert f"{label} {' '.join([*_cells(row), str(row.total), str(row.people)])}" in words
    printed = [_as_int(tok) for label in ("Noorddorp", "Zuidstad", "ND-A", "Other teams", "Regio Proef")
               for run in _row_values(words, label) for tok in run]
    assert printed and small_numbers(printed) == []
    assert "<5" in words


def test_heat_map_colours_stay_readable_and_hidden_cells_stand_apart():
    # Every step of the scale: the chosen text colour has a contrast of at least 4.5:1.
    for n in range(101):
        fill = _mix(n / 100)
        text = text_colour(fill)
        high, low = sorted((_luminance(fill), _luminance(text)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 4.5, n
    assert text_colour(DARK) == colors.white and text_colour(LIGHT) == colors.black
    # Darker for a higher value; a hidden cell is grey whatever it hides; 0 is white.
    assert _luminance(fill_colour(12, 16)) < _luminance(fill_colour(6, 16))
    assert fill_colour(Suppressed(5), 16) == HIDDEN_FILL
    assert fill_colour(0, 16) != fill_colour(1, 16) and _luminance(fill_colour(0, 16)) == 1.0


@pytest.mark.parametrize("measure", [GOAL, GAP])
def test_the_heat_map_shows_only_municipality_rows(app_ctx, measure):
    from reportlab.graphics.shapes import String

    from scan.regio.pdf import heat_map

    overview, _plan = _small_region()
    table: LeefgebiedTable = overview.leefgebied[measure]
    with force_locale("en"):
        drawing = heat_map(table)[0]
    strings = [s.text for s in drawing.contents if isinstance(s, String)]
    assert [c.code for c in table.columns] == strings[: len(table.columns)]
    assert [b.row.municipality_name for b in table.blocks] == [s for s in strings if s[0].isalpha()
                                                                and s not in {c.code for c in table.columns}]
    assert "ND-A" not in strings
