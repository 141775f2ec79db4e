"""The Kenniskaart as a spreadsheet: one sheet per part, turned into the same data as the YAML file.

Reading builds the plain structure that `competencies.check` validates for YAML, so one validator checks
both forms. Every value remembers its cell: problems name the sheet, row and column. The sheets and
their columns mirror the YAML keys (competencies/README.md, "The spreadsheet form"):

- `kenniskaart`: two columns `key` and `value`; keys `schema_version`, `code`, `version`, `region`,
  `title.nl`, `title.en`, `norms.individual.generic_min_level`, … (see KENNISKAART_KEYS);
- `scale`: `level`, `title.nl`, `title.en`, `description.nl`, `description.en`;
- `sections`: `code`, `kind` (generiek | leefgebied), `title.nl`, `title.en`, `description.nl`,
  `description.en`; exactly one `generiek` row (the generic competencies), the leefgebieden in order;
- `items`: `section` (a code from `sections`), `code`, `level` (algemeen | specialistisch, empty for a
  generic competency), `title.nl`, `title.en`, `description.nl`, `description.en`, `not_applicable`,
  `retired`, `related` (codes separated by spaces or commas);
- `levels`: `item` (a code from `items`), `level`, `text.nl`, `text.en`: one row per level descriptor.

No Flask here except in `message` (gettext), so reading and writing can be tested on their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string

from competencies.check import Checked, check_parsed
from competencies.problems import Path, Problem, RawProblem
from competencies.yamlsource import MAX_BYTES, ParsedYaml
from scan.core import xlsx as workbook
from scan.i18n import format_day

SHEET_KENNISKAART = "kenniskaart"
SHEET_SCALE = "scale"
SHEET_SECTIONS = "sections"
SHEET_ITEMS = "items"
SHEET_LEVELS = "levels"
SHEETS = (SHEET_KENNISKAART, SHEET_SCALE, SHEET_SECTIONS, SHEET_ITEMS, SHEET_LEVELS)

KIND_GENERIC = "generiek"
KIND_LEEFGEBIED = "leefgebied"

_INT = "int"
_TEXT = "text"
_BOOL = "bool"
_LIST = "list"

# key -> type, in the order they are written.
KENNISKAART_KEYS: dict[str, str] = {
    "schema_version": _INT,
    "code": _TEXT,
    "version": _TEXT,
    "region": _TEXT,
    "title.nl": _TEXT,
    "title.en": _TEXT,
    "norms.individual.generic_min_level": _INT,
    "norms.individual.algemeen_min_level": _INT,
    "norms.team.specialists_min": _INT,
    "norms.team.specialist_level": _INT,
}
_TEXTS = {"title.nl": _TEXT, "title.en": _TEXT, "description.nl": _TEXT, "description.en": _TEXT}
# sheet -> column -> type, in the order they are written.
COLUMNS: dict[str, dict[str, str]] = {
    SHEET_KENNISKAART: {"key": _TEXT, "value": _TEXT},
    SHEET_SCALE: {"level": _INT, **_TEXTS},
    SHEET_SECTIONS: {"code": _TEXT, "kind": _TEXT, **_TEXTS},
    SHEET_ITEMS: {
        "section": _TEXT,
        "code": _TEXT,
        "level": _TEXT,
        **_TEXTS,
        "not_applicable": _BOOL,
        "retired": _BOOL,
        "related": _LIST,
    },
    SHEET_LEVELS: {"item": _TEXT, "level": _INT, "text.nl": _TEXT, "text.en": _TEXT},
}
OPTIONAL_COLUMNS = {SHEET_ITEMS: {"level", "not_applicable", "retired", "related"}}

MAX_UNPACKED_BYTES = workbook.MAX_UNPACKED_BYTES
# After one of these, the validator's messages would only repeat the cause (every key of the sheet missing,
# every merged cell empty): they are the only ones shown.
_STRUCTURAL = {"xlsx_unknown_sheet", "xlsx_missing_sheet", "xlsx_no_header", "xlsx_unknown_column",
               "xlsx_duplicate_column", "xlsx_missing_column", "xlsx_title_row", "xlsx_merged", "xlsx_date",
               "xlsx_formula_no_value", *workbook.KINDS}
# How far below a title a header row is looked for.
_HEADER_SEARCH_ROWS = 20
_TRUE = {"true", "yes", "ja", "waar", "1", "x"}
_FALSE = {"false", "no", "nee", "onwaar", "0"}
_INT_RE = re.compile(r"^\s*-?\d+\s*$")
_SPLIT_RE = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Cell:
    """Where a value (or a whole row, when column is None) is in the workbook."""

    sheet: str
    row: int
    column: str | None = None


@dataclass
class _Reader:
    parsed: ParsedYaml = field(default_factory=ParsedYaml)
    cells: dict[int, Cell] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # sheet -> its title as written in the workbook
    headers: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, column letter) -> header
    formulas: dict[str, frozenset[str]] = field(default_factory=dict)
    _ids: dict[Cell, int] = field(default_factory=dict)

    def cell_id(self, cell: Cell) -> int:
        """Numbers in workbook order, so problems sort by sheet, row and column."""
        if cell not in self._ids:
            number = len(self._ids) + 1
            self._ids[cell] = number
            self.cells[number] = cell
        return self._ids[cell]

    def at(self, path: Path, cell: Cell) -> None:
        self.parsed.lines.setdefault(path, self.cell_id(cell))

    def problem(self, kind: str, params: dict[str, Any], cell: Cell | None, path: Path = ()) -> None:
        line = self.cell_id(cell) if cell is not None else None
        self.parsed.problems.append(RawProblem(kind, params, path, line=line))


@dataclass(frozen=True)
class XlsxChecked:
    checked: Checked
    cells: Mapping[int, Cell]
    titles: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def cell(self, problem: Problem) -> Cell | None:
        return self.cells.get(problem.line) if problem.line is not None else None

    def where(self, problem: Problem) -> str:
        """"Sheet items, row 6, column code (B)": the sheet as titled, the column by its header."""
        return location(self.cell(problem), self.titles, self.headers)


def check_xlsx(raw: bytes, source_name: str = "<xlsx>") -> XlsxChecked:
    """Read a workbook and check it with the YAML file's validator; never raises."""
    reader = _Reader()
    # Sheets are numbered first, so problems in them sort in this order whatever the workbook's order.
    for name in SHEETS:
        reader.cell_id(Cell(name, 1))
    sheets = _read_sheets(raw, reader)
    if sheets is not None:
        data = _build(sheets, reader)
        # A missing sheet or column would also show as every key it holds missing: report it once, and
        # leave out what followed from it (merged cells make the rows below refer to nothing).
        if not any(p.kind in _STRUCTURAL for p in reader.parsed.problems):
            reader.parsed.data = data
        else:
            reader.parsed.problems = [p for p in reader.parsed.problems if p.kind in _STRUCTURAL]
    return XlsxChecked(check_parsed(reader.parsed, source_name), reader.cells, reader.titles, reader.headers)


def _read_sheets(raw: bytes, reader: _Reader) -> dict[str, list[tuple[Any, ...]]] | None:
    if not raw:
        reader.problem("empty_file", {}, None)
        return None
    if len(raw) > MAX_BYTES:
        reader.problem("too_large", {"max_mb": MAX_BYTES // (1024 * 1024)}, None)
        return None
    try:
        read = workbook.read_workbook(raw, details=True)
    except workbook.WorkbookProblem as problem:
        reader.problem(problem.kind, problem.params, None)
        return None
    sheets: dict[str, list[tuple[Any, ...]]] = {}
    for sheet in read:
        name = sheet.title.strip().lower()
        if name not in SHEETS:
            reader.problem("xlsx_unknown_sheet", {"sheet": sheet.title, "allowed": ", ".join(SHEETS)}, None)
            continue
        sheets[name] = sheet.rows
        reader.titles[name] = sheet.title
        reader.formulas[name] = sheet.formulas
        # Merged cells leave every cell but the first empty: name them instead of every empty cell.
        for ref in sheet.merged:
            first = ref.split(":", 1)[0]
            column, row = coordinate_from_string(first)
            reader.problem("xlsx_merged", {"range": ref}, Cell(name, row, column))
    for name in SHEETS:
        if name not in sheets:
            reader.problem("xlsx_missing_sheet", {"sheet": name, "allowed": ", ".join(SHEETS)}, None)
    return sheets


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(
    name: str, rows: list[tuple[Any, ...]], reader: _Reader
) -> list[tuple[int, dict[str, tuple[Any, Cell]]]] | None:
    """The data rows of a sheet as (row number, column -> (value, cell)); None when the header is wrong."""
    columns = COLUMNS[name]
    filled = [i for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]) if any(not _blank(v) for v in row)]

    def names_columns(row: tuple[Any, ...]) -> bool:
        return any(not _blank(v) and str(v).strip().lower() in columns for v in row)

    header_index = next((i for i in filled if names_columns(rows[i])), None)
    if header_index is None:
        reader.problem("xlsx_no_header", {"sheet": name, "columns": ", ".join(columns)}, Cell(name, 1))
        return None
    if header_index != filled[0]:
        # A title above the header: name it, rather than every column of it as unknown.
        reader.problem("xlsx_title_row", {"header_row": header_index + 1}, Cell(name, filled[0] + 1))
        return None
    header_row = header_index + 1
    positions: dict[str, int] = {}
    formulas = reader.formulas.get(name, frozenset())
    ok = True
    for i, value in enumerate(rows[header_index]):
        if _blank(value):
            continue
        column = str(value).strip().lower()
        cell = Cell(name, header_row, get_column_letter(i + 1))
        if column not in columns:
            reader.problem("xlsx_unknown_column", {"column": str(value), "allowed": ", ".join(columns)}, cell)
            ok = False
        elif column in positions:
            reader.problem("xlsx_duplicate_column", {"column": column}, cell)
            ok = False
        else:
            positions[column] = i
            reader.headers[(name, get_column_letter(i + 1))] = str(value).strip()
    for column in columns:
        if column not in positions and column not in OPTIONAL_COLUMNS.get(name, set()):
            reader.problem("xlsx_missing_column", {"column": column}, Cell(name, header_row))
            ok = False
    if not ok:
        return None
    table = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        values = {
            column: (row[i] if i < len(row) else None, Cell(name, index + 1, get_column_letter(i + 1)))
            for column, i in positions.items()
        }
        if all(_blank(value) for value, _cell in values.values()):
            continue
        for value, cell in values.values():
            if isinstance(value, datetime | date):
                # Excel shows a number typed in a date-formatted cell as a date (1 becomes 1-1-1900).
                reader.problem("xlsx_date", {"value": value}, cell)
            elif _blank(value) and f"{cell.column}{cell.row}" in formulas:
                reader.problem("xlsx_formula_no_value", {}, cell)
        table.append((index + 1, values))
    return table


def _convert(value: Any, kind: str) -> Any:
    """A cell value as the YAML file would have it; what cannot be converted is passed on as it is, so
    the validator reports it."""
    if kind == _INT:
        if isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INT_RE.match(value):
            return int(value)
        return value.strip() if isinstance(value, str) else value
    if kind == _BOOL:
        if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        return value
    if kind == _LIST:
        return [code for code in _SPLIT_RE.split(_text(value)) if code]
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _put(target: dict[str, Any], base: Path, dotted: str, value: Any, cell: Cell, reader: _Reader) -> None:
    """Set `title.nl` as target["title"]["nl"], remembering the cell of every level of the path."""
    keys = dotted.split(".")
    node = target
    path = base
    for key in keys[:-1]:
        path = (*path, key)
        reader.at(path, Cell(cell.sheet, cell.row))
        node = node.setdefault(key, {})
    reader.at((*path, keys[-1]), cell)
    node[keys[-1]] = value


def _fill(target: dict[str, Any], base: Path, values: dict[str, tuple[Any, Cell]], sheet: str,
          skip: set[str], reader: _Reader) -> None:
    for column, (value, cell) in values.items():
        if column in skip:
            continue
        if _blank(value):
            # An empty cell still has its place: a missing value is reported at the cell.
            reader.at((*base, *column.split(".")), cell)
            continue
        _put(target, base, column, _convert(value, COLUMNS[sheet][column]), cell, reader)


def _build(sheets: dict[str, list[tuple[Any, ...]]], reader: _Reader) -> dict[str, Any]:
    data: dict[str, Any] = {}
    tables = {name: _table(name, rows, reader) for name, rows in sheets.items()}

    top = tables.get(SHEET_KENNISKAART)
    if top is not None:
        reader.at((), Cell(SHEET_KENNISKAART, 1))
        seen: dict[str, int] = {}
        for row, values in top:
            key_value, key_cell = values["key"]
            key = _text(key_value).lower() if not _blank(key_value) else ""
            value, value_cell = values["value"]
            if key not in KENNISKAART_KEYS:
                reader.problem(
                    "xlsx_unknown_key", {"key": key or "—", "allowed": ", ".join(KENNISKAART_KEYS)}, key_cell
                )
                continue
            if key in seen:
                reader.problem("xlsx_duplicate_key", {"key": key, "first_row": seen[key]}, key_cell)
                continue
            seen[key] = row
            if not _blank(value):
                _put(data, (), key, _convert(value, KENNISKAART_KEYS[key]), value_cell, reader)

    scale = tables.get(SHEET_SCALE)
    if scale is not None:
        data["scale"] = []
        reader.at(("scale",), Cell(SHEET_SCALE, 1))
        for i, (row, values) in enumerate(scale):
            entry: dict[str, Any] = {}
            reader.at(("scale", i), Cell(SHEET_SCALE, row))
            _fill(entry, ("scale", i), values, SHEET_SCALE, set(), reader)
            data["scale"].append(entry)

    sections_by_code: dict[str, dict[str, Any]] = {}
    section_paths: dict[str, Path] = {}
    sections = tables.get(SHEET_SECTIONS)
    if sections is not None:
        generic_rows: list[int] = []
        data["leefgebieden"] = []
        reader.at(("leefgebieden",), Cell(SHEET_SECTIONS, 1))
        for row, values in sections:
            kind_value, kind_cell = values["kind"]
            kind = _text(kind_value).lower() if not _blank(kind_value) else ""
            section: dict[str, Any] = {}
            if kind == KIND_GENERIC:
                generic_rows.append(row)
                if len(generic_rows) > 1:
                    reader.problem("xlsx_second_generic", {"first_row": generic_rows[0]}, kind_cell)
                    continue
                path: Path = ("generic_competencies",)
                data["generic_competencies"] = section
            elif kind == KIND_LEEFGEBIED:
                path = ("leefgebieden", len(data["leefgebieden"]))
                data["leefgebieden"].append(section)
            else:
                reader.problem(
                    "xlsx_section_kind",
                    {"value": kind or "—", "allowed": f"{KIND_GENERIC}, {KIND_LEEFGEBIED}"},
                    kind_cell,
                )
                continue
            reader.at(path, Cell(SHEET_SECTIONS, row))
            reader.at((*path, "items"), Cell(SHEET_SECTIONS, row))
            section["items"] = []
            _fill(section, path, values, SHEET_SECTIONS, {"kind"}, reader)
            code = section.get("code")
            if isinstance(code, str) and code.casefold() not in sections_by_code:
                sections_by_code[code.casefold()] = section
                section_paths[code.casefold()] = path
        if not generic_rows:
            reader.problem("xlsx_no_generic", {}, Cell(SHEET_SECTIONS, 1))

    items_by_code: dict[str, tuple[dict[str, Any], Path]] = {}
    items = tables.get(SHEET_ITEMS)
    if items is not None and sections is not None:
        for row, values in items:
            ref_value, ref_cell = values["section"]
            ref = _text(ref_value) if not _blank(ref_value) else ""
            section = sections_by_code.get(ref.casefold()) if ref else None
            if section is None:
                reader.problem("xlsx_unknown_section", {"ref": ref or "—"}, ref_cell)
                continue
            path = (*section_paths[ref.casefold()], "items", len(section["items"]))
            item: dict[str, Any] = {}
            reader.at(path, Cell(SHEET_ITEMS, row))
            _fill(item, path, values, SHEET_ITEMS, {"section"}, reader)
            section["items"].append(item)
            code = item.get("code")
            if isinstance(code, str) and code.casefold() not in items_by_code:
                items_by_code[code.casefold()] = (item, path)

    levels = tables.get(SHEET_LEVELS)
    if levels is not None and items is not None and sections is not None:
        first_row: dict[tuple[str, Any], int] = {}
        for row, values in levels:
            ref_value, ref_cell = values["item"]
            ref = _text(ref_value) if not _blank(ref_value) else ""
            found = items_by_code.get(ref.casefold()) if ref else None
            if found is None:
                reader.problem("xlsx_unknown_item", {"ref": ref or "—"}, ref_cell)
                continue
            item, item_path = found
            level_value, level_cell = values["level"]
            level = _convert(level_value, _INT)
            if _blank(level_value):
                reader.problem("missing", {"key": "level"}, Cell(SHEET_LEVELS, row, level_cell.column))
                continue
            key = (ref.casefold(), level)
            if key in first_row:
                reader.problem(
                    "xlsx_duplicate_level", {"level": str(level), "first_row": first_row[key]}, level_cell
                )
                continue
            first_row[key] = row
            text: dict[str, Any] = {}
            path = (*item_path, "levels", level)
            reader.at((*item_path, "levels"), Cell(SHEET_LEVELS, row))
            reader.at(path, level_cell)
            for language in ("nl", "en"):
                value, cell = values[f"text.{language}"]
                reader.at((*path, language), cell)
                if not _blank(value):
                    text[language] = _text(value)
            item.setdefault("levels", {})[level] = text
    return data


# --- writing ----------------------------------------------------------------------------------------


def workbook_sheets(data: Mapping[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The sheets (title, header, rows) for validated Kenniskaart data (the YAML structure)."""

    def texts(element: Mapping[str, Any]) -> list[Any]:
        return [element["title"]["nl"], element["title"]["en"],
                element["description"]["nl"], element["description"]["en"]]

    norms = data["norms"]
    top = {
        "schema_version": data["schema_version"],
        "code": data["code"],
        "version": data["version"],
        "region": data.get("region", ""),
        "title.nl": data["title"]["nl"],
        "title.en": data["title"]["en"],
        "norms.individual.generic_min_level": norms["individual"]["generic_min_level"],
        "norms.individual.algemeen_min_level": norms["individual"]["algemeen_min_level"],
        "norms.team.specialists_min": norms["team"]["specialists_min"],
        "norms.team.specialist_level": norms["team"]["specialist_level"],
    }
    scale = [[s["level"], s["title"]["nl"], s["title"]["en"], s["description"]["nl"], s["description"]["en"]]
             for s in data["scale"]]
    generic = data["generic_competencies"]
    sections = [[generic["code"], KIND_GENERIC, *texts(generic)]]
    sections += [[lg["code"], KIND_LEEFGEBIED, *texts(lg)] for lg in data["leefgebieden"]]
    item_rows: list[list[Any]] = []
    level_rows: list[list[Any]] = []
    for section in [generic, *data["leefgebieden"]]:
        for item in section["items"]:
            item_rows.append([
                section["code"], item["code"], item.get("level", ""), *texts(item),
                bool(item.get("not_applicable", False)), bool(item.get("retired", False)),
                " ".join(item.get("related", [])),
            ])
            for level, text in sorted(item.get("levels", {}).items()):
                level_rows.append([item["code"], int(level), text["nl"], text["en"]])
    return [
        (SHEET_KENNISKAART, list(COLUMNS[SHEET_KENNISKAART]), [[k, v] for k, v in top.items()]),
        (SHEET_SCALE, list(COLUMNS[SHEET_SCALE]), scale),
        (SHEET_SECTIONS, list(COLUMNS[SHEET_SECTIONS]), sections),
        (SHEET_ITEMS, list(COLUMNS[SHEET_ITEMS]), item_rows),
        (SHEET_LEVELS, list(COLUMNS[SHEET_LEVELS]), level_rows),
    ]


def write_xlsx(data: Mapping[str, Any]) -> bytes:
    from scan.core.files import Sheet, write_workbook

    return write_workbook([Sheet(title, header, rows, bold_header=True)
                           for title, header, rows in workbook_sheets(data)])


# --- messages for the problems only a workbook has ------------------------------------------------------


def location(cell: Cell | None, titles: Mapping[str, str] | None = None,
             headers: Mapping[tuple[str, str], str] | None = None) -> str:
    """The place in the user's words: the sheet as titled, the column by its header and its letter."""
    if cell is None:
        return ""
    sheet = (titles or {}).get(cell.sheet, cell.sheet)
    if cell.column is None:
        return _("sheet %(sheet)s, row %(row)d", sheet=sheet, row=cell.row)
    header = (headers or {}).get((cell.sheet, cell.column))
    column = f"{header} ({cell.column})" if header else cell.column
    return _("sheet %(sheet)s, row %(row)d, column %(column)s", sheet=sheet, row=cell.row, column=column)


def message(problem: Problem, checked: XlsxChecked) -> str | None:
    """The sentence for a workbook problem; None for a problem the YAML messages cover."""
    p = problem.params
    kind = problem.kind
    cells = checked.cells
    if kind in workbook.KINDS:
        return workbook.problem_message(kind, dict(p))
    if kind == "xlsx_title_row":
        return _("This row is above the header row (row %(row)d): the column names must be in the first "
                 "row. Remove the rows above them.", row=p["header_row"])
    if kind == "xlsx_merged":
        return _("The cells %(range)s are merged cells. Unmerge them: every value needs its own cell.",
                 range=p["range"])
    if kind == "xlsx_date":
        return _("This cell is formatted as a date (%(date)s), but a Kenniskaart holds no dates. Format the "
                 "cell as text or as a number and type the value again.", date=format_day(p["value"]))
    if kind == "xlsx_formula_no_value":
        return _("This cell holds a formula without a saved result. Type the value itself, or open the file "
                 "in Excel or LibreOffice and save it again.")
    if kind == "missing" and problem.line is not None and cells.get(problem.line, Cell("", 0)).column:
        return _("This cell is empty; it needs a value.")
    if kind == "xlsx_unknown_sheet":
        return _("The sheet %(sheet)s is not part of a Kenniskaart; the sheets are: %(allowed)s.",
                 sheet=p["sheet"], allowed=p["allowed"])
    if kind == "xlsx_missing_sheet":
        return _("The sheet %(sheet)s is missing; a Kenniskaart workbook has the sheets %(allowed)s.",
                 sheet=p["sheet"], allowed=p["allowed"])
    if kind == "xlsx_no_header":
        return _("The sheet %(sheet)s has no header row: its first row must name the columns %(columns)s.",
                 sheet=p["sheet"], columns=p["columns"])
    if kind == "xlsx_unknown_column":
        return _("Unknown column %(column)s; the columns of this sheet are: %(allowed)s.",
                 column=p["column"], allowed=p["allowed"])
    if kind == "xlsx_duplicate_column":
        return _("The column %(column)s appears twice.", column=p["column"])
    if kind == "xlsx_missing_column":
        return _("The column %(column)s is missing.", column=p["column"])
    if kind == "xlsx_unknown_key":
        return _("Unknown key %(key)s; allowed here are: %(allowed)s.", key=p["key"], allowed=p["allowed"])
    if kind == "xlsx_duplicate_key":
        return _("The key %(key)s is already given in row %(row)d.", key=p["key"], row=p["first_row"])
    if kind == "xlsx_section_kind":
        return _("kind must be one of: %(allowed)s; not %(value)s.", allowed=p["allowed"], value=p["value"])
    if kind == "xlsx_second_generic":
        return _("There is only one section of kind generiek; the first is in row %(row)d.",
                 row=p["first_row"])
    if kind == "xlsx_no_generic":
        return _("The sheet sections needs one row of kind generiek: the generic competencies.")
    if kind == "xlsx_unknown_section":
        return _("section refers to %(ref)s, which is not a code on the sheet sections.", ref=p["ref"])
    if kind == "xlsx_unknown_item":
        return _("item refers to %(ref)s, which is not a code on the sheet items.", ref=p["ref"])
    if kind == "xlsx_duplicate_level":
        return _("Level %(level)s of this item is already described in row %(row)d.",
                 level=p["level"], row=p["first_row"])
    if kind == "duplicate_code" and p.get("first_line") in cells:
        return _("The code %(code)s is already used (%(where)s); every section and item needs its own code.",
                 code=p["code"], where=location(cells[p["first_line"]], checked.titles, checked.headers))
    return None
