"""The team matrix: submitted members (rows) x Kenniskaart items (columns, grouped per section).

A pure function on plain data, so what a cell shows is decided (and tested) here, not in the template:
the effective level (agreed, else self-assessed), the self-assessed level too where an agreed level
differs, the ambition where it is above the level, "n.v.t." or empty. Filters pick one section and/or
one kind of item; unknown filter values fall back to "everything".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from scan.kenniskaart.models import LEVEL_ALGEMEEN, LEVEL_GENERIC, LEVEL_SPECIALISTISCH
from scan.teamschouw.answers import AnswerLike, SectionLike

LEVEL_ALL = "alle"
LEVEL_FILTERS = (LEVEL_ALL, LEVEL_ALGEMEEN, LEVEL_SPECIALISTISCH, LEVEL_GENERIC)
SECTION_ALL = ""
# Levels with their own cell colour in teamschouw.css; any other level shows its number uncoloured.
COLOURED_LEVELS = range(1, 6)


class ItemLike(Protocol):
    id: int
    section_id: int
    code: str
    level_kind: str
    title_nl: str
    title_en: str


class MemberLike(Protocol):
    scan_id: int
    name: str


@dataclass(frozen=True)
class MatrixCell:
    kind: str  # "level", "nvt" or "empty"
    level: int | None = None  # the effective level
    self_level: int | None = None  # only when an agreed level differs from the self-assessed one
    self_not_applicable: bool = False  # agreed level on an item the member marked n.v.t.
    ambition: int | None = None  # only when above the level
    previous: int | None = None  # the level that counted in the previous round, when asked for

    @property
    def css_class(self) -> str:
        if self.kind == "level" and self.level in COLOURED_LEVELS:
            return f"app-level-{self.level}"
        return f"app-level-{self.kind}" if self.kind != "level" else "app-level-other"

    @property
    def calibrated(self) -> bool:
        return self.self_level is not None or self.self_not_applicable


EMPTY = MatrixCell("empty")
NOT_APPLICABLE = MatrixCell("nvt")


@dataclass(frozen=True)
class MatrixColumn:
    item_id: int
    code: str
    level_kind: str
    title_nl: str
    title_en: str


@dataclass(frozen=True)
class MatrixGroup:
    section_id: int
    code: str
    kind: str
    title_nl: str
    title_en: str
    columns: tuple[MatrixColumn, ...]


@dataclass(frozen=True)
class MatrixRow:
    scan_id: int
    name: str
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class SectionChoice:
    code: str
    title_nl: str
    title_en: str


@dataclass(frozen=True)
class Matrix:
    groups: tuple[MatrixGroup, ...]
    rows: tuple[MatrixRow, ...]
    sections: tuple[SectionChoice, ...]  # every section, for the filter
    section_code: str  # the chosen section, or SECTION_ALL
    level_kind: str  # the chosen kind of item, or LEVEL_ALL

    @property
    def columns(self) -> tuple[MatrixColumn, ...]:
        return tuple(c for g in self.groups for c in g.columns)

    @property
    def filtered(self) -> bool:
        return self.section_code != SECTION_ALL or self.level_kind != LEVEL_ALL


def cell_for(answer: AnswerLike | None) -> MatrixCell:
    if answer is None:
        return EMPTY
    self_level = None if answer.not_applicable else answer.level
    if answer.agreed_level is not None:
        level = answer.agreed_level
        differs = answer.not_applicable or self_level != level
        return MatrixCell(
            "level",
            level=level,
            self_level=self_level if differs else None,
            self_not_applicable=bool(answer.not_applicable),
            ambition=answer.ambition if answer.ambition is not None and answer.ambition > level else None,
        )
    if answer.not_applicable:
        return NOT_APPLICABLE
    if self_level is None:
        return EMPTY
    ambition = answer.ambition if answer.ambition is not None and answer.ambition > self_level else None
    return MatrixCell("level", level=self_level, ambition=ambition)


def _with_previous(cell: MatrixCell, previous: Mapping[tuple[int, str], int] | None,
                   scan_id: int, code: str) -> MatrixCell:
    if not previous:
        return cell
    level = previous.get((scan_id, code))
    return cell if level is None else replace(cell, previous=level)


def normalise_filters(section_code: str | None, level_kind: str | None,
                      section_codes: Iterable[str]) -> tuple[str, str]:
    section = (section_code or "").strip()
    if section not in set(section_codes):
        section = SECTION_ALL
    kind = (level_kind or "").strip()
    if kind not in LEVEL_FILTERS:
        kind = LEVEL_ALL
    return section, kind


def build_matrix(sections: Sequence[SectionLike], items: Iterable[ItemLike], members: Sequence[MemberLike],
                 answers: Iterable[AnswerLike], section_code: str | None = None,
                 level_kind: str | None = None,
                 previous: Mapping[tuple[int, str], int] | None = None) -> Matrix:
    """The matrix for the given (already submitted-only) members, filtered by section and kind.

    `previous`: (scan id, item code) -> the level of the previous round, put beside each cell."""
    section, kind = normalise_filters(section_code, level_kind, (s.code for s in sections))
    per_section: dict[int, list[MatrixColumn]] = {}
    for item in items:
        if kind != LEVEL_ALL and item.level_kind != kind:
            continue
        per_section.setdefault(item.section_id, []).append(
            MatrixColumn(item.id, item.code, item.level_kind, item.title_nl, item.title_en)
        )
    groups = tuple(
        MatrixGroup(s.id, s.code, s.kind, s.title_nl, s.title_en, tuple(per_section[s.id]))
        for s in sections
        if per_section.get(s.id) and section in (SECTION_ALL, s.code)
    )
    columns = [c for g in groups for c in g.columns]
    by_key: dict[tuple[int, int], Any] = {(a.scan_id, a.item_id): a for a in answers}
    rows = tuple(
        MatrixRow(m.scan_id, m.name, tuple(
            _with_previous(cell_for(by_key.get((m.scan_id, c.item_id))), previous, m.scan_id, c.code)
            for c in columns))
        for m in members
    )
    choices = tuple(SectionChoice(s.code, s.title_nl, s.title_en) for s in sections)
    return Matrix(groups, rows, choices, section, kind)


def workbook_rows(matrix: Matrix, not_applicable: str) -> tuple[list[str], list[list[Any]], list[list[Any]],
                                                                list[list[Any]]]:
    """The matrix as sheet rows: a header (member, item codes) and one row per member of levels, of
    ambitions and of the previous round's levels. Numbers stay numbers; n.v.t. is written as text."""
    header = ["", *(c.code for c in matrix.columns)]

    def level(cell: MatrixCell) -> Any:
        return not_applicable if cell.kind == "nvt" else cell.level

    levels = [[row.name, *(level(c) for c in row.cells)] for row in matrix.rows]
    ambitions = [[row.name, *(c.ambition for c in row.cells)] for row in matrix.rows]
    previous = [[row.name, *(c.previous for c in row.cells)] for row in matrix.rows]
    return header, levels, ambitions, previous
