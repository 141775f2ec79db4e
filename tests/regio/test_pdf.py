"""The regional overview and scholingsplan PDF, read back with a text extractor as the coordinator gets it.

Expected numbers come from `services.scholingsplan` of the stored publication for the same query string (the
suppressed overview and plan the pages show), never from hard-coded counts. The renderer's own tests use
hand-made counts, published the way scan.regio.publish does it (tests/regio/conftest.py: counts_of,
publish_pure) and picked out with `from_publication`.
"""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.numbers import format_decimal as babel_format_decimal
from flask import Flask
from flask_babel import force_locale, format_currency, format_decimal
from pypdf import PdfReader
from reportlab.lib import colors

from scan.core.clock import today
from scan.extensions import db
from scan.regio import periods, publish, services
from scan.regio.disclosure.linked import TeamCount
from scan.regio.disclosure.suppression import Suppressed
from scan.regio.exports.pdf import (
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
from scan.regio.forms import filter_form
from scan.regio.overview import (
    GAP,
    GOAL,
    CountRow,
    ItemLabel,
    Labels,
    LeefgebiedTable,
    SectionLabel,
    from_publication,
)
from scan.regio.plan import Scholingsplan, build_plan
from scan.regio.services import Selection
from tests.factories import login, make_region
from tests.regio.conftest import (
    DEMO_TODAY,
    PERIOD,
    DemoRegion,
    counts_of,
    load_demo_region,
    names_in,
    publish_demo_period,
    publish_pure,
    small_numbers,
)

URL = "/regio/scholingsplan.pdf"
COORDINATOR = ("e.hoekstra", "scholingsplan-demo-2026")
REGION_NAME = "Regio Lindewaard"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@pytest.fixture
def demo_region(app: Flask) -> DemoRegion:
    """The demo region with its autumn 2026 period published, loaded in an app context of its own that ends
    before the requests (the conftest's fixture keeps one pushed, and the test client's requests would share
    its `g`: the logged-in user, the CSRF token and the locale of the first request would stick)."""
    with app.app_context():
        region = load_demo_region()
        publish_demo_period(region.region_id)
        return region


def _published_on(app: Flask, region_id: int) -> Any:
    """The day the region's newest publication was stored, in the app's time zone."""
    with app.app_context():
        pub = services.publication(region_id, None)
        assert pub is not None and pub.period.name == PERIOD[0]
        return pub.published_at.astimezone(ZoneInfo("Europe/Amsterdam")).date()


def _pdf(body: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(body))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _words(text: str) -> str:
    """Line breaks (one per table cell) and non-breaking spaces become single spaces."""
    return re.sub(r"\s+", " ", text)


def _expected(app: Any, region_id: int, args: dict[str, str]) -> tuple[Any, Scholingsplan]:
    """What the pages show for this query string: the suppressed overview and plan of the publication."""
    with app.test_request_context("/regio/scholingsplan", query_string=args):
        _form, selection, _valid = filter_form(region_id)
        pub = services.publication(region_id, selection.publication_id)
        assert pub is not None
        return services.scholingsplan(pub, selection, region_id)  # type: ignore[return-value]


def _printed(title: str) -> str:
    """A title as the PDF prints it: as typed (the font has arrows such as "→")."""
    return title


def _count(value: Any, lang: str = "nl") -> str:
    """A count as the PDF prints it: "<5", or the number in the language's format ("1.075" in Dutch)."""
    return str(value) if isinstance(value, Suppressed) else babel_format_decimal(value, locale=lang)


def _cells(row: CountRow, lang: str = "nl") -> list[str]:
    return [_count(c, lang) for c in row.cells]


def _plan_line(line: Any, *numbers: Any) -> str:
    """A plan line as printed: the item's code and title, then its numbers."""
    return " ".join([line.item.code, _printed(line.item.title), *(_count(n) for n in numbers)])


def _table_row(row: CountRow, lang: str = "nl") -> list[str]:
    """A row of a leefgebied table: its cells, its total and the professionals it rests on."""
    return [*_cells(row, lang), _count(row.total, lang), _count(row.people, lang)]


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
    overview, plan = _expected(app, demo_region.region_id, {})
    login(client, *COORDINATOR)
    response = _download(client, {})
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="scholingsplan-LINDEWAARD-{today().isoformat()}.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    reader, text = _pdf(response.data)
    words = _words(text)

    assert reader.metadata.title == f"Regionaal scholingsplan {REGION_NAME}"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert f"Pagina 1 van {len(reader.pages)}" in reader.pages[0].extract_text()
    # The footer names the publication, not the day of the download (the file is kept: test_kept_files.py).
    assert f"{REGION_NAME} · {PERIOD[0]}" in reader.pages[0].extract_text()
    assert f"Regionaal scholingsplan {REGION_NAME}" in words
    # The publication: its period and the opening dates of its rounds, in Dutch dates. (The sentence around
    # them, "Publicatie: … rondes geopend van …", is translated at the end (issue 13).)
    assert PERIOD[0] in words and "1 juli 2026" in words and "31 december 2026" in words
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
            table_row = _table_row(block.row)
            assert f"{name} {' '.join(table_row)}" in words
            for team in block.teams:
                team_row = _table_row(team)
                assert f"{team.team_code} {' '.join(team_row)}" in words
        region = _table_row(table.region)
        assert f"{REGION_NAME} {' '.join(region)}" in words

    # The plan: its lines and the region's totals as services.scholingsplan gives them.
    for line in plan.region.lines:
        assert _plan_line(line, line.participants, line.potential) in words
    with app.test_request_context("/"), force_locale("nl"):
        region = plan.region
        cost = (Decimal(region.cost_cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        totals = _words(
            f"{format_decimal(region.participants)} {format_decimal(region.groups)} "
            f"{format_decimal(region.hours, '#,##0.#')} {format_currency(cost, 'EUR')}"
        )
    assert f"De regio in totaal Deelnemers Groepen Uren totaal Kosten totaal {totals}" in words
    # How many needs rest on fewer than 5 (left out of the totals): for the region below its totals, per
    # municipality in its row of the table.
    if region.hidden_needs:
        note = f"{region.hidden_needs} behoeften rusten op minder dan 5 professionals: niet in de totalen."
        assert note in words
    else:
        assert "rusten op minder dan 5 professionals" not in words
    assert "Behoeften getoond als <5 (niet in de totalen)" in words
    assert sum(scope.hidden_needs for scope in plan.municipalities) > 0
    for scope in plan.municipalities:
        assert f"{scope.name} {_count(scope.participants)} {_count(scope.groups)}" in words
    for line in plan.unmatched:
        assert f"{line.item.code} {_printed(line.item.title)}" in words
    assert "Behoeften zonder scholing in de catalogus (een inkoopvraag)" in words
    assert "Voorgestelde regionale groepsaanbiedingen" in words
    for line in plan.regional_offers:
        assert _plan_line(line, line.participants, line.teams) in words


def test_no_name_and_no_small_count_in_the_pdf(app, client, demo_region):
    overview, plan = _expected(app, demo_region.region_id, {})
    municipality = str(overview.leefgebied[GOAL].blocks[0].row.municipality_id)
    login(client, *COORDINATOR)
    for args in ({}, {"level": "algemeen"}, {"municipality": municipality}):
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
    lines = [line for scope in (plan.region, *plan.municipalities) for line in scope.lines]
    values = [v for line in lines for v in (line.participants, line.potential)]
    assert small_numbers(values) == [] and any(isinstance(v, Suppressed) for v in values)


def test_english_after_switching_language(app, client, demo_region):
    day = _published_on(app, demo_region.region_id)
    login(client, *COORDINATOR)
    response = client.submit("/taal", {"lang": "en", "next": "/regio/"}, page="/regio/")
    assert response.status_code == 302
    reader, text = _pdf(_download(client, {}).data)
    words = _words(text)
    assert reader.metadata.title == f"Regional scholingsplan {REGION_NAME}"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    published = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    assert (f"Publication {PERIOD[0]}: rounds that opened from 1 July 2026 up to and including 31 December "
            f"2026; published on {published}") in words
    assert "Municipalities with a goal on it" in words
    assert "<5: fewer than 5, or hidden to protect a small number" in words
    assert "Professionals with a POP goal, per life domain" in words
    assert "Needs without a training in the catalogue (a purchasing question)" in words
    assert "The region in total Participants Groups Total hours Total cost" in words
    assert "Pagina" not in words and "Deelnemers" not in words


def test_the_municipality_filter_limits_the_municipality_sections(app, client, demo_region):
    overview, _plan = _expected(app, demo_region.region_id, {})
    blocks = {b.row.municipality_name: b for b in overview.leefgebied[GOAL].blocks}
    chosen = blocks["Ravenhorst"]
    args = {"municipality": str(chosen.row.municipality_id)}
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
    assert f"{REGION_NAME} {' '.join([*_cells(region), _count(region.total)])}" in words
    assert [m.name for m in plan.municipalities] == ["Ravenhorst"]
    scope = plan.municipalities[0]
    assert f"Ravenhorst {_count(scope.participants)} {_count(scope.groups)}" in words


def test_the_level_filter_and_an_invalid_filter(app, client, demo_region):
    args = {"level": "specialistisch"}
    _overview, plan = _expected(app, demo_region.region_id, args)
    login(client, *COORDINATOR)
    words = _words(_pdf(_download(client, args).data)[1])
    assert "Niveau Specialistisch" in words
    assert {line.item.level_kind for line in plan.region.lines} == {"specialistisch"}
    for line in plan.region.lines:
        assert _plan_line(line, line.participants, line.potential) in words
    assert "GC01 " not in words

    default = _words(_pdf(_download(client, {}).data)[1])
    assert "Het filter was niet geldig" not in default
    region = _expected(app, demo_region.region_id, {})[0].leefgebied[GOAL].region
    region_row = f"{REGION_NAME} {' '.join(_table_row(region))}"
    with app.app_context():
        # Another region's publication is no choice for this coordinator: the filter is not valid.
        period = periods.add(make_region(name="Regio Elders").id, PERIOD[0], *PERIOD[1:])
        theirs = publish.publish(period, None, DEMO_TODAY).id
        db.session.commit()
    for invalid in ({"municipality": "999999"}, {"publication": str(theirs)}, {"level": "namen"}):
        words = _words(_pdf(_download(client, invalid).data)[1])
        assert "Het filter was niet geldig, daarom is de standaardselectie geëxporteerd." in words, invalid
        # And what follows is the default selection: the newest publication, every municipality and level.
        assert "Gemeente Alle gemeenten" in words and "Niveau Alle niveaus" in words, invalid
        assert PERIOD[0] in words and region_row in words and region_row in default, invalid


def test_without_a_publication_there_is_no_pdf(app, client):
    with app.app_context():
        load_demo_region()
    login(client, *COORDINATOR)
    assert client.get(URL).status_code == 404


# --- the renderer on hand-made tables ---------------------------------------------------------------------


SMALL_LABELS = Labels(
    (SectionLabel("GC", "Generiek", "generiek", 0), SectionLabel("LG01", "Geld", "leefgebied", 1)),
    (ItemLabel("GC01", "Gespreksvoering", "GC", "generiek", 1),
     ItemLabel("LG01-A1", "Schulden signaleren", "LG01", "algemeen", 1001)),
)


def _small_region() -> tuple[Any, Scholingsplan]:
    """Two municipalities: Noorddorp with one team of 9 and two of 3 (merged into "Other teams"), Zuidstad
    with one team of 12; published as scan.regio.publish would, and viewed with every team row."""
    teams = [
        TeamCount(11, "ND-A", 1, "GM1", "Noorddorp", 9),
        TeamCount(12, "ND-B", 1, "GM1", "Noorddorp", 3),
        TeamCount(13, "ND-C", 1, "GM1", "Noorddorp", 3),
        TeamCount(21, "ZS-A", 2, "GM2", "Zuidstad", 12),
    ]
    counts = {("ND-A", "GC01"): (6, 2), ("ND-B", "GC01"): (1, 0), ("ND-C", "LG01-A1"): (2, 1),
              ("ZS-A", "GC01"): (7, 3), ("ZS-A", "LG01-A1"): (3, 5)}
    goals = {key: goal for key, (goal, _gap) in counts.items()}
    gaps = {key: gap for key, (_goal, gap) in counts.items()}
    data = publish_pure(counts_of(teams, goals, gaps, SMALL_LABELS))
    overview = from_publication(data, SMALL_LABELS, all_teams=True)
    return overview, build_plan(overview, ())


def test_other_teams_and_hidden_cells_on_hand_made_tables(app_ctx):
    overview, plan = _small_region()
    data = PlanPdfData("Regio Proef", "PROEF", Selection(), "", True, overview, plan)
    words = _words(_pdf(render_scholingsplan(data, "en"))[1])
    assert "Other teams" in words
    for table in overview.leefgebied.values():
        for block in table.blocks:
            for row in (block.row, *block.teams):
                label = "Other teams" if row.is_other else (row.team_code or row.municipality_name)
                assert f"{label} {' '.join(_table_row(row, 'en'))}" in words
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

    from scan.regio.exports.pdf import heat_map

    overview, _plan = _small_region()
    table: LeefgebiedTable = overview.leefgebied[measure]
    with force_locale("en"):
        drawing = heat_map(table)[0]
    strings = [s.text for s in drawing.contents if isinstance(s, String)]
    assert [c.code for c in table.columns] == strings[: len(table.columns)]
    assert [b.row.municipality_name for b in table.blocks] == [s for s in strings if s[0].isalpha()
                                                                and s not in {c.code for c in table.columns}]
    assert "ND-A" not in strings


def test_the_plan_has_a_bookmark_per_section(app, client, demo_region):
    login(client, *COORDINATOR)
    reader, _text = _pdf(_download(client, {}).data)

    def walk(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, list):
                out[-1] = (out[-1][0], out[-1][1], [title for title, _page, _sub in walk(item)])
            else:
                out.append((item.title, reader.get_destination_page_number(item) + 1, []))
        return out

    outline = walk(reader.outline)
    goal, gap = "Professionals met een POP-doel", "Professionals met een tekort maar zonder POP-doel"
    assert [(title, sub) for title, _page, sub in outline] == [
        (f"{goal}, per leefgebied", [f"Heatmap: {goal}, per leefgebied", f"{goal}, per gemeente en team"]),
        (f"{gap}, per leefgebied", [f"Heatmap: {gap}, per leefgebied", f"{gap}, per gemeente en team"]),
        ("Behoeften en scholing in de regio", ["De regio in totaal", "Per gemeente"]),
        ("Behoeften zonder scholing in de catalogus (een inkoopvraag)", []),
        ("Voorgestelde regionale groepsaanbiedingen", []),
    ]
    pages = [page for _title, page, _sub in outline]
    assert pages == sorted(pages) and pages[-1] > pages[0]
