"""The regional exports as the coordinator gets them: the XLSX workbook and the CSV per view.

Every expected number comes from the plan and overview the pages show (services.scholingsplan of the same
stored publication for the same filter), never from numbers typed into the test.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from scan.access import Role
from scan.catalogue.models import Training
from scan.extensions import db
from scan.organisation.models import Municipality
from scan.regio import periods, publish, queries, services
from scan.regio.disclosure.suppression import Suppressed
from scan.regio.forms import filter_form
from scan.regio.models import Publication
from scan.regio.overview import GAP, GOAL, from_publication
from tests.factories import PASSWORD, login, make_region, make_user
from tests.regio.conftest import (
    DEMO_TODAY,
    PERIOD,
    DemoRegion,
    load_demo_region,
    names_in,
    publish_demo_period,
    small_numbers,
)

COORDINATOR = ("e.hoekstra", "scholingsplan-demo-2026")
XLSX = "/regio/scholingsplan.xlsx"
VIEWS = (
    "scholingsplan",
    "municipalities",
    "leefgebied-goal",
    "leefgebied-gap",
    "items-goal",
    "items-gap",
    "unmatched",
    "offers",
    "trends",
    "about",
)
SHEETS = [
    "Scholingsplan",
    "Municipalities",
    "Life domain – goals",
    "Life domain – gaps",
    "Items – goals",
    "Items – gaps",
    "Without a training",
    "Regional group offers",
    "Trends per life domain",
    "About this export",
]
PARTICIPANTS = "Participants (POP goal)"
POTENTIAL = "Potential (gap, no goal)"
COUNT_TABLES = {"Life domain – goals", "Life domain – gaps", "Items – goals", "Items – gaps"}
TRENDS = "Trends per life domain"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_english(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def demo_region(app: Flask) -> DemoRegion:
    """The demo region with its autumn 2026 period published, loaded in an app context of its own that ends
    before the requests (the conftest's fixture keeps one pushed, and the test client's requests would share
    its `g`: the logged-in user, the CSRF token and the locale of the first request would stick)."""
    with app.app_context():
        region = load_demo_region()
        publish_demo_period(region.region_id)
        return region


@pytest.fixture
def coordinator(client: Any, demo_region: DemoRegion, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("scan.regio.exports.routes.today", lambda: DEMO_TODAY)
    assert login(client, *COORDINATOR).status_code == 302
    return client


def english(client: Any) -> None:
    """Switch the session to English with the language buttons, as a user does."""
    response = client.submit("/taal", {"lang": "en", "next": "/regio/"}, page="/regio/")
    assert response.status_code == 302


def expected(app: Flask, region_id: int, lang: str = "en", **args: str) -> tuple[Any, Any]:
    """What the pages show for this filter: the suppressed overview and plan of the stored publication."""
    with app.test_request_context("/regio/scholingsplan", query_string=args), force_locale(lang):
        _form, selection, valid = filter_form(region_id)
        assert valid
        pub = services.publication(region_id, selection.publication_id)
        assert pub is not None
        return services.scholingsplan(pub, selection, region_id)  # type: ignore[return-value]


def publication_text(app: Flask, region_id: int, publication_id: int | None = None) -> str:
    """What the "about" sheet says of the publication, in English, from the stored period and day."""
    with app.app_context():
        pub = services.publication(region_id, publication_id)
        assert pub is not None
        name, first, last = pub.period.name, pub.period.first_day, pub.period.last_day
        day = pub.published_at.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    return (f"{name}: rounds that opened from {long_english(first)} up to and including "
            f"{long_english(last)}; published on {long_english(day)}")


def shown(value: Any) -> Any:
    return str(value) if isinstance(value, Suppressed) else value


def workbook(client: Any, **args: str) -> Any:
    response = client.get(XLSX, query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data))


def records(sheet: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The header and the rows: the data, then the totals below it (the empty row between left out)."""
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    return list(rows[0]), rows[1:]


def filtered_and_totals(sheet: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows inside the filter's range (below the header) and the rows below it, after an empty row."""
    ref = sheet.auto_filter.ref
    assert ref and ref.startswith("A1:"), sheet.title
    last = int("".join(ch for ch in ref.split(":")[1] if ch.isdigit()))
    rows = list(sheet.iter_rows(values_only=True))
    inside, below = rows[1:last], rows[last:]
    if below:
        assert all(v is None for v in below[0]), (sheet.title, below[0])  # Excel stops the filter there
        for n in range(last + 2, sheet.max_row + 1):
            assert all(c.font.b for c in sheet[n] if c.value is not None), (sheet.title, n)
    assert not any(c.font.b for row in sheet.iter_rows(min_row=2, max_row=last) for c in row), sheet.title
    return inside, below[1:]


def csv_rows(client: Any, view: str, **args: str) -> list[list[str]]:
    response = client.get(f"/regio/export/{view}.csv", query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Dutch Excel reads the accents
    text = response.data.decode("utf-8-sig")
    assert text.split("\r\n", 1)[0].count(";") >= 1
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def count_values(title: str, header: list[str], rows: list[tuple[Any, ...]]) -> list[Any]:
    """The cells that hold numbers of professionals."""
    if title in COUNT_TABLES:
        return [v for row in rows for v in row[2 if title.startswith("Life domain") else 4:]]
    if title == TRENDS:
        return [v for row in rows for v in row[1:]]
    columns = [n for n, h in enumerate(header) if h in (PARTICIPANTS, POTENTIAL)]
    return [row[n] for row in rows for n in columns]


def test_the_workbook_has_a_sheet_per_view_header_frozen_filters_on(app, coordinator, demo_region):
    english(coordinator)
    response = coordinator.get(XLSX)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="scholingsplan-LINDEWAARD-najaar-2026-2027-03-15.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        filtered_and_totals(sheet)
    header, _rows = records(book["Scholingsplan"])
    assert header[:6] == ["Life domain", "Item code", "Item", "Level", PARTICIPANTS, POTENTIAL]
    assert header[-4:] == ["Hours per participant", "Total hours", "Cost per participant", "Total cost"]


def check_plan_lines(header: list[str], rows: list[tuple[Any, ...]], lines: Any) -> int:
    """The rows of a plan (the region's or a municipality's) carry its lines' numbers; how many are hidden."""
    col = {h: n for n, h in enumerate(header)}
    assert len(rows) == len(lines)
    for row, line in zip(rows, lines, strict=True):
        assert row[col["Item code"]] == line.item.code
        assert row[col[PARTICIPANTS]] == shown(line.participants)
        assert row[col[POTENTIAL]] == shown(line.potential)
        chosen = line.chosen
        assert row[col["Training code"]] == (chosen.offer.code if chosen else None)
        if isinstance(line.participants, Suppressed):
            # A hidden need gets no groups, hours or cost: they would give the number away.
            assert row[col["Groups"]] is None and row[col["Total hours"]] is None
            assert row[col["Total cost"]] is None
        elif chosen and chosen.groups is not None:
            assert row[col["Groups"]] == chosen.groups
            assert Decimal(str(row[col["Total cost"]])) == Decimal(chosen.total_cost_cents) / 100
    numbers = [r[col[PARTICIPANTS]] for r in rows if r[col[PARTICIPANTS]] != "<5"]
    assert numbers and all(type(v) is int for v in numbers)  # numbers, not text
    return sum(r[col[PARTICIPANTS]] == "<5" for r in rows)


def check_plan_total(header: list[str], total: tuple[Any, ...], scope: Any) -> None:
    """The total row: the plan's own totals of the shown lines, saying how many needs were left out."""
    col = {h: n for n, h in enumerate(header)}
    if scope.hidden_needs:
        assert str(scope.hidden_needs) in total[col["Item"]] and "left out" in total[col["Item"]]
    else:
        assert total[col["Item"]] == "Total of the shown lines"
    assert total[col[PARTICIPANTS]] == scope.participants
    assert total[col["Groups"]] == scope.groups
    assert Decimal(str(total[col["Total hours"]])) == scope.hours
    assert Decimal(str(total[col["Total cost"]])) == Decimal(scope.cost_cents) / 100
    assert total[col[POTENTIAL]] is None  # the plan has no such total, so neither has the export


def test_the_plan_sheet_shows_the_plan_numbers_as_numbers_and_its_totals(app, coordinator, demo_region):
    english(coordinator)
    _overview, plan = expected(app, demo_region.region_id)
    book = workbook(coordinator)
    sheet = book["Scholingsplan"]
    header, _rows = records(sheet)
    col = {h: n for n, h in enumerate(header)}
    lines, (total,) = filtered_and_totals(sheet)
    hidden = check_plan_lines(header, lines, plan.region.lines)
    assert total[0] == "Total"
    check_plan_total(header, total, plan.region)
    # Every municipality's plan, from its own column of the item table; the total rows below them all.
    header, _rows = records(book["Municipalities"])
    rows, totals = filtered_and_totals(book["Municipalities"])
    assert len(totals) == len(plan.municipalities)
    at = 0
    for scope, total in zip(plan.municipalities, totals, strict=True):
        lines = rows[at:at + len(scope.lines)]
        at += len(scope.lines)
        assert {r[0] for r in [*lines, total]} == {scope.name} and total[1] == "Total"
        hidden += check_plan_lines(header, lines, scope.lines)
        check_plan_total(header, total, scope)
    assert at == len(rows)
    assert hidden and hidden == plan.region.hidden_needs + sum(m.hidden_needs for m in plan.municipalities)
    # Number formats: euros for money, whole numbers for counts.
    last = sheet.max_row
    assert "€" in sheet.cell(last, col["Total cost"] + 1).number_format
    assert "€" in sheet.cell(2, col["Cost per participant"] + 1).number_format
    assert sheet.cell(last, col[PARTICIPANTS] + 1).data_type == "n"


def test_the_overview_sheets_show_the_suppressed_tables_cell_for_cell(app, coordinator, demo_region):
    english(coordinator)
    overview, _plan = expected(app, demo_region.region_id)
    book = workbook(coordinator)
    for title, measure in (("Life domain – goals", GOAL), ("Life domain – gaps", GAP)):
        table = overview.leefgebied[measure]
        header, _rows = records(book[title])
        assert header[2:-2] == [f"{s.code} – {s.title}" for s in table.columns]
        assert header[-2:] == ["Total", "Professionals"]
        teams, totals = [], []
        for block in table.blocks:
            teams += [[r.municipality_name, "Other teams" if r.is_other else r.team_code,
                       *map(shown, r.cells), shown(r.total), r.people] for r in block.teams]
            row = block.row
            totals.append(
                [row.municipality_name, "All teams", *map(shown, row.cells), shown(row.total), row.people]
            )
        totals.append(["Whole region", "All teams", *map(shown, table.region.cells),
                       shown(table.region.total), table.region.people])
        # The teams can be sorted and filtered; the municipalities' and the region's rows stay below them.
        inside, below = filtered_and_totals(book[title])
        assert [list(r) for r in inside] == teams
        assert [list(r) for r in below] == totals
    for title, measure in (("Items – goals", GOAL), ("Items – gaps", GAP)):
        table = overview.items[measure]
        header, _rows = records(book[title])
        assert header[4:] == [c.name for c in table.columns] + ["Whole region"]
        inside, (total,) = filtered_and_totals(book[title])
        assert [list(r[4:]) for r in inside] == [[*map(shown, r.cells), shown(r.total)] for r in table.rows]
        assert list(total[4:]) == [*map(shown, table.col_totals), shown(table.grand_total)]
        assert total[0] == "Total"


def test_the_offers_sheet_lists_needs_shared_by_two_or_more_municipalities(app, coordinator, demo_region):
    english(coordinator)
    _overview, plan = expected(app, demo_region.region_id)
    header, rows = records(workbook(coordinator)["Regional group offers"])
    assert header[4:6] == [PARTICIPANTS, "Municipalities with a goal on it"]
    assert [(r[1], r[4], r[5]) for r in rows] == [
        (line.item.code, shown(line.participants), line.teams) for line in plan.regional_offers
    ]
    # A regional group: at least k professionals, in two or more municipalities (no longer "teams").
    assert rows and all(isinstance(r[4], int) and r[4] >= 5 and r[5] >= 2 for r in rows)
    assert len(plan.municipalities) >= max(r[5] for r in rows)


def test_no_export_holds_a_name_or_a_small_number(app, coordinator, demo_region):
    english(coordinator)
    book = workbook(coordinator)
    hidden = 0
    for sheet in book.worksheets:
        header, rows = records(sheet)
        for row in [header, *rows]:
            for value in row:
                assert not names_in(str(value or ""), demo_region.names), (sheet.title, value)
        counts = count_values(sheet.title, header, rows)
        assert small_numbers(counts) == [], sheet.title
        hidden += counts.count("<5")
    assert hidden > 0
    for view in VIEWS:
        rows = csv_rows(coordinator, view)
        for row in rows:
            for value in row:
                assert not names_in(value, demo_region.names), (view, value)
        header, body = rows[0], rows[1:]
        title = SHEETS[VIEWS.index(view)]
        counts = count_values(title, header, [tuple(int(v) if v.isdigit() else v for v in r) for r in body])
        assert small_numbers(counts) == [], view


def test_the_csv_is_dutch_excel_ready_and_matches_the_plan(app, coordinator, demo_region):
    _overview, plan = expected(app, demo_region.region_id)
    response = coordinator.get("/regio/export/scholingsplan.csv")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="scholingsplan-LINDEWAARD-najaar-2026-2027-03-15.csv"'
    )
    rows = csv_rows(coordinator, "scholingsplan")
    header, *lines, total = rows
    assert header[:3] == ["Leefgebied", "Itemcode", "Item"]  # Dutch by default
    assert len(lines) == len(plan.region.lines)
    for row, line in zip(lines, plan.region.lines, strict=True):
        assert row[1] == line.item.code
        assert row[4] == str(shown(line.participants))
        assert row[5] == str(shown(line.potential))
    assert "<5" in [r[4] for r in lines] + [r[5] for r in lines]  # a hidden count is the text "<5"
    assert total[4] == str(plan.region.participants)
    # Money with a decimal comma, as Dutch Excel reads it.
    assert total[-1] == f"{Decimal(plan.region.cost_cents) / 100:.2f}".replace(".", ",")


def test_a_formula_in_a_training_title_is_neutralised(app, coordinator, demo_region):
    _overview, plan = expected(app, demo_region.region_id)
    code = next(line.chosen.offer.code for line in plan.region.lines if line.chosen)
    evil = '=HYPERLINK("http://example.com/x","klik")'
    with app.app_context():
        training = db.session.scalars(select(Training).where(Training.code == code)).one()
        training.title = evil
        db.session.commit()
    rows = csv_rows(coordinator, "scholingsplan")
    titles = {r[7] for r in rows[1:] if r[6] == code}
    assert titles == {"'" + evil}
    sheet = workbook(coordinator).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value or "").endswith('"klik")')]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula


def test_the_municipality_filter_limits_the_municipality_sheet_and_csv(app, coordinator, demo_region):
    english(coordinator)
    with app.app_context():
        municipality = db.session.scalars(select(Municipality).where(Municipality.name == "Ravenhorst")).one()
        args = {"municipality": str(municipality.id)}
    _overview, plan = expected(app, demo_region.region_id, **args)
    (scope,) = plan.municipalities
    book = workbook(coordinator, **args)
    header, rows = records(book["Municipalities"])
    assert {r[0] for r in rows} == {"Ravenhorst"}
    assert len(rows) == len(scope.lines) + 1
    assert rows[-1][1] == "Total" and rows[-1][header.index(PARTICIPANTS)] == scope.participants
    header, rows = records(book["Items – goals"])
    assert header[4:] == ["Ravenhorst", "Whole region"]
    header, rows = records(book["Life domain – goals"])
    assert {r[0] for r in rows} == {"Ravenhorst", "Whole region"}
    about = dict(records(book["About this export"])[1])
    assert about["Municipality"] == "Ravenhorst"
    csv_body = csv_rows(coordinator, "municipalities", **args)[1:]
    assert {r[0] for r in csv_body} == {"Ravenhorst"}
    response = coordinator.get("/regio/export/municipalities.csv", query_string=args)
    assert "Ravenhorst" in response.headers["Content-Disposition"]


def test_the_level_filter_and_the_about_sheet(app, coordinator, demo_region):
    english(coordinator)
    book = workbook(coordinator, level="specialistisch")
    header, rows = records(book["Scholingsplan"])
    assert {r[header.index("Level")] for r in rows[:-1]} == {"Specialist (specialistisch)"}
    about = dict(records(book["About this export"])[1])
    assert about["Level"] == "Specialist (specialistisch)"
    # Which publication: its period, the opening dates of the rounds it counts, and the day it was published.
    assert about["Publication"] == publication_text(app, demo_region.region_id)
    assert about["Publication"].startswith(f"{PERIOD[0]}: rounds that opened from 1 July 2026 up to and "
                                           "including 31 December 2026; published on ")
    assert "Rounds" not in about and "Filter" not in about
    assert about["Municipality"] == "All municipalities"
    assert about["Smallest number shown (k)"] == 5
    assert about["Legend"] == "<5: fewer than 5, or hidden to protect a small number"
    assert "shown lines only" in about["Totals"]
    # The file is kept and served again: it states its publication, never the day it was downloaded (that
    # day is in the file name; see test_a_second_download_is_the_kept_file).
    assert "Exported on" not in about and long_english(DEMO_TODAY) not in str(about)


def region_view(app: Flask, publication_id: int) -> Any:
    """The whole region's view of one stored publication (all levels), with English labels."""
    with app.test_request_context("/"), force_locale("en"):
        pub = db.session.get(Publication, publication_id)
        return from_publication(services.payload(pub), queries.labels())


def add_spring_publication(app: Flask, region_id: int) -> int:
    """An earlier period, spring 2026, published as of DEMO_TODAY: the region's second publication."""
    with app.app_context():
        period = periods.add(region_id, "voorjaar 2026", date(2026, 1, 1), date(2026, 6, 30))
        publication = publish.publish(period, None, DEMO_TODAY)
        db.session.commit()
        return publication.id


def trend_rows(view: Any) -> list[list[Any]]:
    """Per leefgebied: the region's goal and gap of one publication, as the trends sheet shows them."""
    goal, gap = view.leefgebied[GOAL], view.leefgebied[GAP]
    assert [s.code for s in goal.columns] == [s.code for s in gap.columns]
    return [[f"{s.code} – {s.title}", shown(g), shown(p)]
            for s, g, p in zip(goal.columns, goal.region.cells, gap.region.cells, strict=True)]


def test_the_trends_sheet_shows_the_region_row_of_each_publication(app, coordinator, demo_region):
    english(coordinator)
    with app.app_context():
        newest = services.publication(demo_region.region_id, None).id
    header, rows = records(workbook(coordinator)[TRENDS])
    assert header == ["Life domain", f"{PERIOD[0]}: POP goal", f"{PERIOD[0]}: gap, no goal"]
    view = region_view(app, newest)
    *lines, people = rows
    assert [list(r) for r in lines] == trend_rows(view)
    assert list(people) == ["Professionals counted", view.people, view.people]
    # Two publications side by side, the older one first; the numbers are each publication's own.
    spring = add_spring_publication(app, demo_region.region_id)
    header, rows = records(workbook(coordinator)[TRENDS])
    assert header[1:] == ["voorjaar 2026: POP goal", "voorjaar 2026: gap, no goal",
                          f"{PERIOD[0]}: POP goal", f"{PERIOD[0]}: gap, no goal"]
    older = region_view(app, spring)
    *lines, people = rows
    assert [[r[0], r[1], r[2]] for r in lines] == trend_rows(older)
    assert [[r[0], r[3], r[4]] for r in lines] == trend_rows(view)
    assert list(people) == ["Professionals counted", older.people, older.people, view.people, view.people]
    assert small_numbers([v for r in rows for v in r[1:]]) == []


def test_the_publication_filter_chooses_which_publication_is_exported(app, coordinator, demo_region):
    english(coordinator)
    spring = add_spring_publication(app, demo_region.region_id)
    # The default is the newest period's publication, also after an older period was published.
    about = dict(records(workbook(coordinator)["About this export"])[1])
    assert about["Publication"].startswith(f"{PERIOD[0]}: ")
    response = coordinator.get(XLSX, query_string={"publication": str(spring)})
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="scholingsplan-LINDEWAARD-voorjaar-2026-2027-03-15.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.data))
    about = dict(records(book["About this export"])[1])
    assert about["Publication"] == publication_text(app, demo_region.region_id, spring)
    assert "rounds that opened from 1 January 2026 up to and including 30 June 2026" in about["Publication"]
    # Its own numbers: the region row of the chosen publication.
    view = region_view(app, spring)
    _header, rows = records(book["Life domain – goals"])
    table = view.leefgebied[GOAL]
    assert list(rows[-1]) == ["Whole region", "All teams", *map(shown, table.region.cells),
                              shown(table.region.total), table.region.people]
    _overview, plan = expected(app, demo_region.region_id, publication=str(spring))
    header, rows = records(book["Scholingsplan"])
    assert [r[header.index("Item code")] for r in rows[:-1]] == [line.item.code for line in plan.region.lines]
    csv_about = dict(csv_rows(coordinator, "about", publication=str(spring))[1:])
    assert csv_about["Publication"] == about["Publication"]


def test_an_invalid_filter_exports_the_default_selection_and_says_so(app, coordinator, demo_region):
    english(coordinator)
    with app.app_context():
        # Another region's publication of a period with the same name: not a choice for this coordinator.
        region = make_region(name="Regio Elders")
        period = periods.add(region.id, "najaar 2026", *PERIOD[1:])
        theirs = publish.publish(period, None, DEMO_TODAY)
        db.session.commit()
        theirs_id = theirs.id
    default = dict(records(workbook(coordinator)["About this export"])[1])
    for args in ({"municipality": "999999"}, {"publication": str(theirs_id)}, {"level": "namen"}):
        about = dict(records(workbook(coordinator, **args)["About this export"])[1])
        assert about["Filter"] == "The filter was not valid, so the default selection was exported.", args
        assert about["Publication"] == default["Publication"], args
        assert about["Municipality"] == "All municipalities" and about["Level"] == "All levels", args
        assert about["Professionals behind the numbers (whole region)"] == \
            default["Professionals behind the numbers (whole region)"]


def test_without_a_publication_there_is_nothing_to_export(app, client):
    with app.app_context():
        load_demo_region()
    login(client, *COORDINATOR)
    assert client.get(XLSX).status_code == 404
    for view in VIEWS:
        assert client.get(f"/regio/export/{view}.csv").status_code == 404, view


def test_the_language_follows_the_session(app, coordinator, demo_region):
    dutch = workbook(coordinator)
    header, _rows = records(dutch.worksheets[1])
    assert header[0] == "Gemeente"
    assert dict(records(dutch.worksheets[-1])[1])["Regio"] == "Regio Lindewaard"
    assert csv_rows(coordinator, "municipalities")[0][0] == "Gemeente"
    english(coordinator)
    header, _rows = records(workbook(coordinator).worksheets[1])
    assert header[:2] == ["Municipality", "Life domain"] and PARTICIPANTS in header
    assert csv_rows(coordinator, "municipalities")[0][0] == "Municipality"


def text(value: Any) -> str:
    """A count as the CSV writes it: "" for nothing, "<5" when hidden, else the number."""
    return "" if value is None else str(shown(value))


PLAN_HEADER = ["Life domain", "Item code", "Item", "Level", PARTICIPANTS, POTENTIAL, "Training code",
               "Training", "Provider", "Type", "Groups", "Group below the minimum size",
               "Hours per participant", "Total hours", "Cost per participant", "Total cost"]


def expected_csv(app: Flask, region_id: int, view: str) -> tuple[list[str], list[list[str]]]:
    """The header and, per row, the cells that say which view this is, from the overview and plan the pages
    show (not from the export code): counts for the count tables, item codes and counts for the lists."""
    overview, plan = expected(app, region_id)
    if view == "scholingsplan":
        return PLAN_HEADER, [[line.item.code, text(line.participants), text(line.potential)]
                             for line in plan.region.lines] + [["", text(plan.region.participants), ""]]
    if view == "municipalities":
        rows = []
        for scope in plan.municipalities:
            rows += [[scope.name, line.item.code, text(line.participants)] for line in scope.lines]
            rows.append([scope.name, "", text(scope.participants)])
        return ["Municipality", *PLAN_HEADER], rows
    kind, _, measure = view.partition("-")
    if kind == "leefgebied":
        table = overview.leefgebied[GOAL if measure == "goal" else GAP]
        rows = []
        for block in table.blocks:
            rows += [[r.municipality_name, "Other teams" if r.is_other else r.team_code,
                      *map(text, r.cells), text(r.total), text(r.people)] for r in block.teams]
            rows.append([block.row.municipality_name, "All teams", *map(text, block.row.cells),
                         text(block.row.total), text(block.row.people)])
        rows.append(["Whole region", "All teams", *map(text, table.region.cells), text(table.region.total),
                     text(table.region.people)])
        return ["Municipality", "Team", *(f"{s.code} – {s.title}" for s in table.columns), "Total",
                "Professionals"], rows
    if kind == "items":
        table = overview.items[GOAL if measure == "goal" else GAP]
        rows = [[r.item.code, *map(text, r.cells), text(r.total)] for r in table.rows]
        rows.append(["", *map(text, table.col_totals), text(table.grand_total)])
        return ["Life domain", "Item code", "Item", "Level", *(c.name for c in table.columns),
                "Whole region"], rows
    if view == "unmatched":
        return PLAN_HEADER[:6], [[line.item.code, text(line.participants), text(line.potential)]
                                 for line in plan.unmatched]
    if view == "offers":
        return [*PLAN_HEADER[:5], "Municipalities with a goal on it", *PLAN_HEADER[6:12], "Total hours",
                "Total cost"], [[line.item.code, text(line.participants), str(line.teams)]
                                for line in plan.regional_offers]
    if view == "trends":
        with app.app_context():
            newest = services.publication(region_id, None).id
        region = region_view(app, newest)
        return (["Life domain", f"{PERIOD[0]}: POP goal", f"{PERIOD[0]}: gap, no goal"],
                [list(map(text, r)) for r in trend_rows(region)]
                + [["Professionals counted", str(region.people), str(region.people)]])
    assert view == "about", view
    return ["Subject", "Value"], [["Publication", publication_text(app, region_id)],
                                  ["Professionals behind the numbers (whole region)", str(overview.people)]]


def csv_cells(view: str, header: list[str], body: list[list[str]]) -> list[list[str]]:
    """The cells of the CSV that expected_csv names."""
    if view in ("scholingsplan", "unmatched"):
        return [[r[1], r[4], r[5]] for r in body]
    if view == "municipalities":
        return [[r[0], r[2], r[5]] for r in body]
    if view == "offers":
        return [[r[1], r[4], r[5]] for r in body]
    if view.startswith("items-"):
        return [[r[1], *r[4:]] for r in body]
    if view == "about":
        return [r for r in body if r[0] in ("Publication", "Professionals behind the numbers (whole region)")]
    return body


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_has_a_csv(app, coordinator, demo_region, view):
    """Each CSV holds its own view: the header and the cells of that view (the goal and gap tables differ in
    the demo region, so serving one for the other fails)."""
    english(coordinator)
    header, *body = csv_rows(coordinator, view)
    want_header, want_rows = expected_csv(app, demo_region.region_id, view)
    assert header == want_header
    assert want_rows and csv_cells(view, header, body) == want_rows
    if view.endswith("-gap"):
        assert expected_csv(app, demo_region.region_id, view.replace("-gap", "-goal"))[1] != want_rows


def test_an_unknown_view_is_not_found(app, coordinator, demo_region):
    assert coordinator.get("/regio/export/namen.csv").status_code == 404


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.TEAMLEIDER, Role.BEHEERDER])
def test_only_the_regional_coordinator_may_export(app, client, demo_region, role):
    with app.app_context():
        user = make_user(role)
        db.session.commit()
        username = user.username
    login(client, username, PASSWORD)
    assert client.get(XLSX).status_code == 403
    assert client.get("/regio/export/scholingsplan.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(app, client, demo_region):
    for url in (XLSX, "/regio/export/scholingsplan.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen?next=")
