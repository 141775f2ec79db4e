"""The one guarded reader for uploaded XLSX workbooks (catalogue, accounts and Kenniskaart imports).

An uploaded workbook is hostile input. A zip of a few hundred KB can unpack to gigabytes, its XML can declare
entities that expand a billion times, and a sheet can claim a million rows. So, before openpyxl sees it:

- the zip directory is read and the sum of the members' unpacked sizes is checked against a limit; zipfile
  never hands out more than a member's declared size (a member that unpacks to more fails its CRC check), so
  a lying header cannot get past the limit either;
- the XML is parsed through defusedxml (openpyxl uses it when it is installed, see `assert_defused`): a DTD
  with entities is refused, never expanded;
- the sheets are streamed (read_only) and reading stops at a row and cell limit.

Every failure is a `WorkbookProblem` with a translated message; nothing here raises anything else.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from flask_babel import format_number
from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

ZIP_MAGIC = b"PK\x03\x04"
# Generous for every import here: the shipped Kenniskaart unpacks to well under 1 MB.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_ROWS = 20_000
MAX_CELLS = 400_000

UNREADABLE = "xlsx_unreadable"
TOO_BIG = "xlsx_too_big"
FORBIDDEN_XML = "xlsx_forbidden_xml"
TOO_MANY_ROWS = "xlsx_too_many_rows"
TOO_MANY_CELLS = "xlsx_too_many_cells"
KINDS = (UNREADABLE, TOO_BIG, FORBIDDEN_XML, TOO_MANY_ROWS, TOO_MANY_CELLS)


def assert_defused() -> None:
    """openpyxl parses with defusedxml only when it could import it at start-up; fail loudly if not."""
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl does not use defusedxml (OPENPYXL_DEFUSEDXML?): uploads are unsafe")


def problem_message(kind: str, params: dict[str, Any]) -> str:
    if kind == TOO_BIG:
        return _("The workbook unpacks to more than %(max)s MB; that is far more than this import needs. "
                 "Remove what does not belong in it, or split it.", max=format_number(params["max_mb"]))
    if kind == FORBIDDEN_XML:
        return _("The workbook contains XML declarations (a DTD or entities) that spreadsheet programs do "
                 "not write; it is refused for safety. Save it again as an Excel workbook (.xlsx).")
    if kind == TOO_MANY_ROWS:
        return _("The sheet %(sheet)s has more than %(max)s rows; that is more than this import accepts.",
                 sheet=params["sheet"], max=format_number(params["max"]))
    if kind == TOO_MANY_CELLS:
        return _("The workbook has more than %(max)s cells; that is more than this import accepts.",
                 max=format_number(params["max"]))
    return _("This is not a readable XLSX file. Save it as an Excel workbook (.xlsx) and try again.")


class WorkbookProblem(Exception):
    """The upload is not a workbook this app will read; `message` says why, translated."""

    def __init__(self, kind: str, **params: Any) -> None:
        super().__init__(kind)
        self.kind = kind
        self.params = params

    @property
    def message(self) -> str:
        return problem_message(self.kind, self.params)


@dataclass(frozen=True)
class SheetData:
    """One sheet's values as rows (rows may differ in length), and what only the XML shows."""

    title: str
    rows: list[tuple[Any, ...]]
    merged: tuple[str, ...] = ()  # ranges such as "A1:D1"
    formulas: frozenset[str] = frozenset()  # cells such as "B6" that hold a formula


# What openpyxl and zipfile raise on a damaged or unexpected file; SyntaxError is expat's ParseError.
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, IndexError, OSError, ValueError, TypeError,
           AttributeError, EOFError, SyntaxError, NotImplementedError, RuntimeError)


def check_archive(raw: bytes, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse a file that is not a zip or unpacks to too much, from the zip directory alone."""
    if not raw.startswith(ZIP_MAGIC):
        raise WorkbookProblem(UNREADABLE)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except _BROKEN:
        raise WorkbookProblem(UNREADABLE) from None
    if len(members) > MAX_MEMBERS:
        raise WorkbookProblem(UNREADABLE)
    if sum(info.file_size for info in members) > max_unpacked:
        raise WorkbookProblem(TOO_BIG, max_mb=max_unpacked // (1024 * 1024))
    if "[Content_Types].xml" not in {info.filename for info in members}:
        raise WorkbookProblem(UNREADABLE)


def read_workbook(raw: bytes, *, first_sheet_only: bool = False, details: bool = False,
                  max_unpacked: int = MAX_UNPACKED_BYTES, max_rows: int = MAX_ROWS,
                  max_cells: int = MAX_CELLS) -> list[SheetData]:
    """Every sheet's values (formulas as their saved value); `details` also reads merged and formula cells."""
    check_archive(raw, max_unpacked)
    assert_defused()
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except _BROKEN as error:
        raise WorkbookProblem(FORBIDDEN_XML if _defused(error) else UNREADABLE) from None
    sheets: list[SheetData] = []
    cells = 0
    try:
        for sheet in book.worksheets[:1] if first_sheet_only else book.worksheets:
            if not hasattr(sheet, "reset_dimensions"):
                continue  # a chart sheet holds no cells
            # The <dimension> a file claims could pad every row to 16,384 columns: read the cells as they are.
            sheet.reset_dimensions()
            rows: list[tuple[Any, ...]] = []
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if len(rows) >= max_rows:
                    raise WorkbookProblem(TOO_MANY_ROWS, sheet=sheet.title, max=max_rows)
                if cells > max_cells:
                    raise WorkbookProblem(TOO_MANY_CELLS, max=max_cells)
                rows.append(row)
            merged, formulas = _details(book, sheet) if details else ((), frozenset())
            sheets.append(SheetData(str(sheet.title), rows, merged, formulas))
    except WorkbookProblem:
        raise
    except _BROKEN as error:
        raise WorkbookProblem(FORBIDDEN_XML if _defused(error) else UNREADABLE) from None
    finally:
        book.close()
    return sheets


def _defused(error: BaseException | None) -> bool:
    """True when defusedxml refused a DTD or entity, also when openpyxl wrapped it in its own ValueError."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _details(book: Any, sheet: Any) -> tuple[tuple[str, ...], frozenset[str]]:
    """The merged ranges and formula cells of a sheet; openpyxl's read-only mode does not keep them."""
    merged: list[str] = []
    formulas: set[str] = set()
    row = column = 0
    # openpyxl's own archive and the sheet's path inside it (pinned openpyxl 3.1).
    with book._archive.open(sheet._worksheet_path) as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    row = int(element.get("r") or row + 1)
                    column = 0
                elif tag == "c":
                    ref = element.get("r")
                    column = column_index_from_string(coordinate_from_string(ref)[0]) if ref else column + 1
                continue
            if tag == "c":
                if any(_local(child.tag) == "f" for child in element):
                    formulas.add(f"{get_column_letter(column)}{row}")
                element.clear()
            elif tag == "mergeCell" and element.get("ref"):
                merged.append(str(element.get("ref")))
    return tuple(merged), frozenset(formulas)
