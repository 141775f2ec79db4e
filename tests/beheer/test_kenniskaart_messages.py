"""Kenniskaart workbook problems as the administrator reads them: sheet, row and column in words, the cause
named (merged cells, dates, formulas, a title row), no cascade of messages after it."""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

import pytest

from tests.beheer.kenniskaart_helpers import counts, edit_workbook, english, upload
from tests.beheer.test_kenniskaart_pages import _download, admin, world  # noqa: F401  (fixtures)

_CELL = r'\s*<td class="utrecht-table__cell">(.*?)</td>'
ROW_RE = re.compile(r'<tr class="utrecht-table__row">' + _CELL * 4, re.S)


def _date(book: Any) -> None:
    cell = book["levels"]["B3"]
    cell.value = datetime(1900, 1, 1)
    cell.number_format = "d-m-yyyy"


def _empty_code(book: Any) -> None:
    book["items"]["B6"] = None


def _merged(book: Any) -> None:
    book["items"].merge_cells("A3:A6")


def _title_row(book: Any) -> None:
    book["items"].insert_rows(1)
    book["items"]["A1"] = "Items van de Kenniskaart"


def _formula(book: Any) -> None:
    book["items"]["B6"] = "=A6"


CASES = {
    "date": (_date, ("sheet levels, row 3, column level (B)",
                     "This cell is formatted as a date (1 January 1900), but a Kenniskaart holds no dates. "
                     "Format the cell as text or as a number and type the value again."),
             ("blad levels, rij 3, kolom level (B)",
              "Deze cel is opgemaakt als datum (1 januari 1900), maar een Kenniskaart bevat geen datums. "
              "Maak de cel op als tekst of als getal en typ de waarde opnieuw.")),
    "empty code": (_empty_code, ("sheet items, row 6, column code (B)",
                                 "This cell is empty; it needs a value."),
                   ("blad items, rij 6, kolom code (B)", "Deze cel is leeg; er hoort een waarde in.")),
    "merged": (_merged, ("sheet items, row 3, column section (A)",
                         "The cells A3:A6 are merged cells. Unmerge them: every value needs its own cell."),
               ("blad items, rij 3, kolom section (A)",
                "De cellen A3:A6 zijn samengevoegde cellen. Maak het samenvoegen ongedaan: elke waarde hoort "
                "in een eigen cel.")),
    "title row": (_title_row, ("sheet items, row 1",
                               "This row is above the header row (row 2): the column names must be in the "
                               "first row. Remove the rows above them."),
                  ("blad items, rij 1",
                   "Deze rij staat boven de kopregel (rij 2): de kolomnamen horen in de eerste rij. "
                   "Verwijder de rijen erboven.")),
    "formula": (_formula, ("sheet items, row 6, column code (B)",
                           "This cell holds a formula without a saved result. Type the value itself, or open "
                           "the file in Excel or LibreOffice and save it again."),
                ("blad items, rij 6, kolom code (B)",
                 "Deze cel bevat een formule zonder opgeslagen uitkomst. Typ de waarde zelf, of open het "
                 "bestand in Excel of LibreOffice en sla het opnieuw op.")),
}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_one_cause_is_named_in_words(app: Any, admin: Any, world: dict[str, Any],  # noqa: F811
                                         case: str, language: str) -> None:
    change, in_english, in_dutch = CASES[case]
    raw = edit_workbook(_download(admin, world["version"], "xlsx").get_data(), change)
    if language == "en":
        english(admin)
    before = counts(app)
    response = upload(admin, raw, "kaart.xlsx")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    rows = [tuple(html.unescape(c).strip() for c in row) for row in ROW_RE.findall(page)]
    where, message = in_english if language == "en" else in_dutch
    # Exactly the cause: no YAML paths, no cascade of every empty cell after it.
    assert rows == [(where, "", "", message)] or rows == [(where, rows[0][1], "", message)], rows
    assert counts(app) == before
