"""Reading and writing catalogue files: CSV and XLSX as plain rows. No database, no request.

The writers (write_csv, write_workbook) are shared with the regional exports (scan/regio/exports/routes.py).

Messages go through gettext, so call these inside an application context.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from scan.core import xlsx

MAX_BYTES = 2 * 1024 * 1024
# A spreadsheet treats a cell starting with one of these as a formula; tab and carriage return too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ZIP_MAGIC = b"PK\x03\x04"


class FileProblem(Exception):
    """The upload is not a readable catalogue file at all."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_table(raw: bytes, filename: str) -> list[list[str]]:
    """The rows of a CSV or XLSX upload as text cells, the header first."""
    name = (filename or "").lower()
    if not raw:
        raise FileProblem(_("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise FileProblem(_("The file is larger than 2 MB."))
    if raw.startswith(_ZIP_MAGIC):
        return _read_xlsx(raw)
    if name.endswith((".xlsx", ".xlsm")):
        raise FileProblem(_("This is not a readable XLSX file."))
    if not name.endswith((".csv", ".txt")):
        raise FileProblem(
            _("This is not a CSV or XLSX file. Save the catalogue as CSV or XLSX and try again.")
        )
    return _read_csv(raw)


def _read_csv(raw: bytes) -> list[list[str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(_("This CSV file is not in UTF-8. Save it as “CSV UTF-8” and try again.")) from None
    if "\x00" in text or not text.strip():
        raise FileProblem(_("The file is empty.") if not text.strip() else _("This is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    # Dutch Excel writes ";", most other tools ",".
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        return [[_unneutralise(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error:
        raise FileProblem(_("This CSV file cannot be read: check the quotes.")) from None


def _unneutralise(cell: str) -> str:
    """Undo neutralise(), so that an exported file imports unchanged."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _read_xlsx(raw: bytes) -> list[list[str]]:
    try:
        sheets = xlsx.read_workbook(raw, first_sheet_only=True)
    except xlsx.WorkbookProblem as problem:
        raise FileProblem(problem.message) from None
    if not sheets:
        raise FileProblem(_("The file is empty."))
    rows = [[_cell_text(v) for v in row] for row in sheets[0].rows]
    # Trailing empty cells are formatting, not values.
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise FileProblem(_("The file is empty."))
    width = max(len(r) for r in rows)
    while width and not any(len(r) >= width and r[width - 1].strip() for r in rows):
        width -= 1
    # The guarded reader keeps rows as long as their last cell: pad them to one width.
    return [(r + [""] * (width - len(r)))[:width] for r in rows]


def neutralise(value: Any) -> str:
    """A cell as text that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")  # Dutch Excel reads a decimal comma
    return neutralise(value)


def write_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 with a BOM and ";" between cells, as Dutch Excel expects."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a header row and rows of plain values (str, int, Decimal, None).

    `number_formats`: column index -> Excel number format for the numbers in that column.
    `bold_rows`: indexes into `rows` of total rows: written in bold, in their order, below the data after an
    empty row and outside the filter's range; `bold_header` writes the header in bold too."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    number_formats: dict[int, str] = field(default_factory=dict)
    bold_rows: frozenset[int] = frozenset()
    bold_header: bool = False


# Excel does not allow these in a sheet title, nor more than 31 characters.
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str, taken: set[str] | None = None) -> str:
    """A valid, unique sheet title: forbidden characters replaced, at most 31 characters."""
    base = _BAD_TITLE.sub("-", title).strip("' ")[:31] or "Sheet"
    taken = taken if taken is not None else set()
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def write_xlsx(header: list[str], rows: list[list[Any]], title: str,
               number_formats: dict[int, str] | None = None) -> bytes:
    """One sheet; numbers as numbers (Decimal written as float, formatted per column); the header
    frozen and filters on. Text is always text, so "=..." is never a formula."""
    return write_workbook([Sheet(title, header, rows, number_formats or {})])


def write_workbook(sheets: list[Sheet]) -> bytes:
    """One worksheet per Sheet, each with the header frozen, filters on and numbers as numbers."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for spec in sheets:
        _write_sheet(book, spec, sheet_title(spec.title, taken))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_sheet(book: Workbook, spec: Sheet, title: str) -> None:
    header, rows, formats = spec.header, spec.rows, spec.number_formats
    sheet = book.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    # Totals and subtotals go below the data, after an empty row and outside the filter's range: sorting
    # or filtering the data must never mix a total in with the lines it adds up (Excel does not extend a
    # filter across an empty row).
    data = [row for n, row in enumerate(rows) if n not in spec.bold_rows]
    totals = [row for n, row in enumerate(rows) if n in spec.bold_rows]
    last = get_column_letter(max(len(header), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(data) + 1}"
    for i, h in enumerate(header):
        sheet.column_dimensions[get_column_letter(i + 1)].width = max(10, min(50, len(h) + 4))
    bold = Font(bold=True)

    def cell(value: Any, column: int, strong: bool = False) -> WriteOnlyCell:
        if isinstance(value, Decimal):
            value = float(value)
        c = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # text, even when it starts with "="
        elif column in formats and value is not None:
            c.number_format = formats[column]
        if strong:
            c.font = bold
        return c

    sheet.append([cell(h, -1, spec.bold_header) for h in header])
    for row in data:
        sheet.append([cell(v, i) for i, v in enumerate(row)])
    if totals:
        sheet.append([])
    for row in totals:
        sheet.append([cell(v, i, True) for i, v in enumerate(row)])
