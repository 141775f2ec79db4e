"""The regional exports as the coordinator gets them: the XLSX workbook and the CSV per view.

Every expected number comes from the plan and overview the pages show (services.scholingsplan for the same
filter), never from numbers typed into the test.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from flask import g
from openpyxl import load_workbook
from sqlalchemy import select

from scan.access import Role
from scan.extensions import db
from scan.organisation.models import Municipality
from scan.pop.models import Training
from scan.regio import services
from scan.regio.forms import filter_form
from scan.regio.overview import GAP, GOAL
from scan.regio.suppression import Suppressed
from tests.factories import PASSWORD, login, make_user
from tests.regio.conftest import BOTH_ROUNDS, DEMO_TODAY, names_in, small_numbers

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
    "about",
)
SHEETS = [
    "Scholingsplan",
    "Municipalities",
    "Leefgebied – goals",
    "Leefgebied – gaps",
    "Items – goals",
    "Items – gaps",
    "Without a training",
    "Regional group offers",
    "About this export",
]
PARTICIPANTS = "Participants (POP goal)"
POTENTIAL = "Potential (gap, no goal)"
COUNT_TABLES = {"Leefgebied – goals", "Leefgebied – gaps", "Items – goals", "Items – gaps"}


@pytest.fixture
def coordinator(client: Any, demo_region: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("scan.regio.export_routes.today", lambda: DEMO_TODAY)
    assert login(client, *COORDINATOR).status_code == 302
    return client


def english(client: Any) -> None:
    """Switch the session to English with the language buttons, as a user does."""
    _fresh_request_globals()
    response = client.submit("/taal", {"lang": "en", "next": "/regio/"}, page="/regio/")
    assert response.status_code == 302
    _fresh_request_globals()


def _fresh_request_globals() -> None:
    # The demo_region fixture keeps an application context pushed, which Flask reuses for the test client's
    # requests, so `g` outlives a request: forget the CSRF token and locale cached there, as a real request
    # (with its own application context) would.
    g.pop("csrf_token", None)
    g.pop("_flask_babel", None)


def expected(app: Any, region_id: int, **args: str) -> tuple[Any, Any]:
    """What the pages show for this filter: the suppressed overview and plan."""
    with app.test_request_context("/regio/scholingsplan", query_string={**BOTH_ROUNDS, **args}):
        _form, selection, valid = filter_form(region_id)
        assert valid
        return services.scholingsplan(region_id, selection)


def shown(value: Any) -> Any:
    return str(value) if isinstance(value, Suppressed) else value


def workbook(client: Any, **args: str) -> Any:
    response = client.get(XLSX, query_string={**BOTH_ROUNDS, **args})
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data))


def records(sheet: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


def csv_rows(client: Any, view: str, **args: str) -> list[list[str]]:
    response = client.get(f"/regio/export/{view}.csv", query_string={**BOTH_ROUNDS, **args})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Dutch Excel reads the accents
    text = response.data.decode("utf-8-sig")
    assert text.split("\r\n", 1)[0].count(";") >= 1
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def count_values(title: str, header: list[str], rows: list[tuple[Any, ...]]) -> list[Any]:
    """The cells that hold numbers of professionals."""
    if title in COUNT_TABLES:
        return [v for row in rows for v in row[2 if title.startswith("Leefgebied") else 4:]]
    columns = [n for n, h in enumerate(header) if h in (PARTICIPANTS, POTENTIAL)]
    return [row[n] for row in rows for n in columns]


def test_the_workbook_has_a_sheet_per_view_header_frozen_filters_on(app, coordinator, demo_region):
    english(coordinator)
    response = coordinator.get(XLSX, query_string=BOTH_ROUNDS)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="scholingsplan-LINDEWAARD-2027-03-15.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row)), sheet.title
    header, _rows = records(book["Scholingsplan"])
    assert header[:6] == ["Leefgebied", "Item code", "Item", "Level", PARTICIPANTS, POTENTIAL]
    assert header[-4:] == ["Hours per participant", "Total hours", "Cost per participant", "Total cost"]


def test_the_plan_sheet_shows_the_plan_numbers_as_numbers_and_its_totals(app, coordinator, demo_region):
    english(coordinator)
    _overview, plan = expected(app, demo_region.region_id)
    sheet = workbook(coordinator)["Scholingsplan"]
    header, rows = records(sheet)
    col = {h: n for n, h in enumerate(header)}
    *lines, total = rows
    assert len(lines) == len(plan.region.lines)
    for row, line in zip(lines, plan.region.lines, strict=True):
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
    hidden = [r for r in lines if r[col[PARTICIPANTS]] == "<5"]
    numbers = [r[col[PARTICIPANTS]] for r in lines if r[col[PARTICIPANTS]] != "<5"]
    assert hidden and numbers and all(type(v) is int for v in numbers)  # numbers, not text
    # The total row: the plan's own totals of the shown lines, saying how many needs were left out.
    assert total[0] == "Total"
    assert str(plan.region.hidden_needs) in total[col["Item"]] and "left out" in total[col["Item"]]
    assert total[col[PARTICIPANTS]] == plan.region.participants
    assert total[col["Groups"]] == plan.region.groups
    assert Decimal(str(total[col["Total hours"]])) == plan.region.hours
    assert Decimal(str(total[col["Total cost"]])) == Decimal(plan.region.cost_cents) / 100
    assert total[col[POTENTIAL]] is None  # the plan has no such total, so neither has the export
    # Number formats: euros for money, whole numbers for counts.
    last = sheet.max_row
    assert "€" in sheet.cell(last, col["Total cost"] + 1).number_format
    assert "€" in sheet.cell(2, col["Cost per participant"] + 1).number_format
    assert sheet.cell(last, col[PARTICIPANTS] + 1).data_type == "n"


def test_the_overview_sheets_show_the_suppressed_tables_cell_for_cell(app, coordinator, demo_region):
    english(coordinator)
    overview, _plan = expected(app, demo_region.region_id)
    book = workbook(coordinator)
    for title, measure in (("Leefgebied – goals", GOAL), ("Leefgebied – gaps", GAP)):
        table = overview.leefgebied[measure]
        header, rows = records(book[title])
        assert header[2:-2] == [f"{s.code} – {s.title}" for s in table.columns]
        assert header[-2:] == ["Total", "Professionals"]
        want = []
        for block in table.blocks:
            want += [[r.municipality_name, "Other teams" if r.is_other else r.team_code,
                      *map(shown, r.cells), shown(r.total), r.people] for r in block.teams]
            row = block.row
            want.append(
                [row.municipality_name, "All teams", *map(shown, row.cells), shown(row.total), row.people]
            )
        want.append(["Whole region", "All teams", *map(shown, table.region.cells), shown(table.region.total),
                     table.region.people])
        assert [list(r) for r in rows] == want
    for title, measure in (("Items – goals", GOAL), ("Items – gaps", GAP)):
        table = overview.items[measure]
        header, rows = records(book[title])
        assert header[4:] == [c.name for c in table.columns] + ["Whole region"]
        assert [list(r[4:]) for r in rows] == [
            *([*map(shown, r.cells), shown(r.total)] for r in table.rows),
            [*map(shown, table.col_totals), shown(table.grand_total)],
        ]
        assert rows[-1][0] == "Total"


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
    response = coordinator.get("/regio/export/scholingsplan.csv", query_string=BOTH_ROUNDS)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="scholingsplan-LINDEWAARD-2027-03-15.csv"'
    )
    rows = csv_rows(coordinator, "scholingsplan")
    header, *lines, total = rows
    assert header[:3] == ["Leefgebied", "Code onderdeel", "Onderdeel"]  # Dutch by default
    assert len(lines) == len(plan.region.lines)
    for row, line in zip(lines, plan.region.lines, strict=True):
        assert row[1] == line.item.code
        assert row[4] == str(shown(line.participants))
        assert row[5] == str(shown(line.potential))
    assert "<5" in [r[4] for r in lines]
    assert total[4] == str(plan.region.participants)
    # Money with a decimal comma, as Dutch Excel reads it.
    assert total[-1] == f"{Decimal(plan.region.cost_cents) / 100:.2f}".replace(".", ",")


def test_a_formula_in_a_training_title_is_neutralised(app, coordinator, demo_region):
    _overview, plan = expected(app, demo_region.region_id)
    code = next(line.chosen.offer.code for line in plan.region.lines if line.chosen)
    evil = '=HYPERLINK("http://example.com/x","klik")'
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
    header, rows = records(book["Leefgebied – goals"])
    assert {r[0] for r in rows} == {"Ravenhorst", "Whole region"}
    about = dict(records(book["About this export"])[1])
    assert about["Municipality"] == "Ravenhorst"
    csv_body = csv_rows(coordinator, "municipalities", **args)[1:]
    assert {r[0] for r in csv_body} == {"Ravenhorst"}
    response = coordinator.get("/regio/export/municipalities.csv", query_string={**BOTH_ROUNDS, **args})
    assert "Ravenhorst" in response.headers["Content-Disposition"]


def test_the_level_filter_and_the_about_sheet(app, coordinator, demo_region):
    english(coordinator)
    book = workbook(coordinator, level="specialistisch")
    header, rows = records(book["Scholingsplan"])
    assert {r[header.index("Level")] for r in rows[:-1]} == {"Specialist (specialistisch)"}
    about = dict(records(book["About this export"])[1])
    assert about["Level"] == "Specialist (specialistisch)"
    assert about["Rounds"] == "Rounds that opened from January 1, 2026 up to and including December 31, 2027"
    assert about["Municipality"] == "All municipalities"
    assert about["Smallest number shown (k)"] == 5
    assert about["Legend"] == "<5: fewer than 5, or hidden to protect a small number"
    assert "shown lines only" in about["Totals"]
    assert about["Exported on"] == "March 15, 2027"


def test_the_language_follows_the_session(app, coordinator, demo_region):
    dutch = workbook(coordinator)
    header, _rows = records(dutch.worksheets[1])
    assert header[0] == "Gemeente"
    assert dict(records(dutch.worksheets[-1])[1])["Regio"] == "Regio Lindewaard"
    assert csv_rows(coordinator, "municipalities")[0][0] == "Gemeente"
    english(coordinator)
    header, _rows = records(workbook(coordinator).worksheets[1])
    assert header[:2] == ["Municipality", "Leefgebied"] and PARTICIPANTS in header
    assert csv_rows(coordinator, "municipalities")[0][0] == "Municipality"


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_has_a_csv(app, coordinator, demo_region, view):
    rows = csv_rows(coordinator, view)
    assert rows and rows[0]


def test_an_unknown_view_is_not_found(app, coordinator, demo_region):
    assert coordinator.get("/regio/export/namen.csv").status_code == 404


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.TEAMLEIDER, Role.BEHEERDER])
def test_only_the_regional_coordinator_may_export(app, client, demo_region, role):
    user = make_user(role)
    db.session.commit()
    login(client, user.username, PASSWORD)
    assert client.get(XLSX, query_string=BOTH_ROUNDS).status_code == 403
    assert client.get("/regio/export/scholingsplan.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(app, client, demo_region):
    for url in (XLSX, "/regio/export/scholingsplan.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen?next=")
