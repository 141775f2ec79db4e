"""The regional overview as suppressed tables: what every screen, export and PDF shows, built once.

Pure functions (no database, no request): `build_overview` takes the counts of `needs.region_needs`, the
Kenniskaart labels and k, merges small teams, and returns tables in which every count is an int or a
`Suppressed` marker. The screens and exports only display these tables; none of them may count anything
themselves (a total computed in a template would undo the complementary suppression).

One grouping and one k for all views of one selection (DOMAIN.md §5; scan/regio/README.md):
- the leefgebied table is one linked table (team rows, municipality rows and the region row, for every
  leefgebied and in total) suppressed as a whole with `suppress_lines`, so a hidden team cell cannot be
  recovered from its municipality's cell, nor a municipality's from the region's;
- the item table (item × municipality, with the region per item) is suppressed with `suppress_table`;
- the municipality filter only picks rows and columns out of the region-wide tables; it never suppresses
  again (a second suppression of a subset would allow differencing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from scan.regio.needs import ItemNeed, Needs, SectionNeed, TeamInfo, merge_small_teams
from scan.regio.suppression import DEFAULT_K, OTHER, Cell, Suppressed, check_k, suppress_lines, suppress_table

GOAL = "goal"  # professionals with a POP goal on it
GAP = "gap"  # professionals with a gap (ambition above level) but no POP goal on it
MEASURES = (GOAL, GAP)


@dataclass(frozen=True)
class SectionLabel:
    code: str
    title: str
    kind: str  # "generiek" or "leefgebied"
    position: int


@dataclass(frozen=True)
class ItemLabel:
    code: str
    title: str
    section_code: str
    level_kind: str
    position: int


@dataclass(frozen=True)
class Labels:
    """Titles in the reader's language, in Kenniskaart order (see queries.labels)."""

    sections: tuple[SectionLabel, ...]
    items: tuple[ItemLabel, ...]

    def section(self, code: str) -> SectionLabel:
        for s in self.sections:
            if s.code == code:
                return s
        return SectionLabel(code, code, "leefgebied", 10_000)

    def item(self, code: str, section_code: str = "", level_kind: str = "") -> ItemLabel:
        for i in self.items:
            if i.code == code:
                return i
        return ItemLabel(code, code, section_code, level_kind, 10_000)


@dataclass(frozen=True)
class CountRow:
    """One row of the leefgebied table. `kind` is "team", "municipality" or "region". For a team row,
    `team_code` is the team's code or `OTHER` ("other teams": small teams merged); `people` is the number
    of professionals the row rests on (never below k: smaller groups are merged or left out)."""

    kind: str
    municipality_id: int | None
    municipality_name: str
    team_code: str
    people: int
    cells: tuple[Cell, ...]
    total: Cell

    @property
    def is_other(self) -> bool:
        return self.team_code == OTHER


@dataclass(frozen=True)
class MunicipalityBlock:
    row: CountRow
    teams: tuple[CountRow, ...]


@dataclass(frozen=True)
class LeefgebiedTable:
    """People per group × section for one measure: team rows inside municipality blocks, then the region.
    A row total is the sum over its sections (a person with a need in two leefgebieden counts twice)."""

    measure: str
    k: int
    columns: tuple[SectionLabel, ...]
    blocks: tuple[MunicipalityBlock, ...]
    region: CountRow

    @property
    def highest(self) -> int:
        """The largest visible municipality cell, for the heat map's colour scale."""
        values = [c for b in self.blocks for c in b.row.cells if isinstance(c, int)]
        return max(values, default=0)


@dataclass(frozen=True)
class ItemRow:
    item: ItemLabel
    section: SectionLabel
    cells: tuple[Cell, ...]  # per municipality column
    total: Cell  # the region


@dataclass(frozen=True)
class MunicipalityColumn:
    id: int
    name: str
    code: str


@dataclass(frozen=True)
class ItemTable:
    """People per item × municipality for one measure, with the region per item and per municipality."""

    measure: str
    k: int
    columns: tuple[MunicipalityColumn, ...]
    rows: tuple[ItemRow, ...]
    col_totals: tuple[Cell, ...]
    grand_total: Cell

    def cell(self, item_code: str, municipality_id: int | None) -> Cell:
        for row in self.rows:
            if row.item.code == item_code:
                if municipality_id is None:
                    return row.total
                for col, value in zip(self.columns, row.cells, strict=True):
                    if col.id == municipality_id:
                        return value
        return 0


@dataclass(frozen=True)
class Overview:
    k: int
    leefgebied: dict[str, LeefgebiedTable]  # per measure
    items: dict[str, ItemTable]  # per measure
    # Per item code: how many shown groups (teams or "other teams") have at least one professional with a
    # goal on it. A number of teams, not of people: used to propose a regional group offer.
    teams_with_goal: dict[str, int] = field(default_factory=dict)
    people: int = 0  # professionals behind the shown groups (each group >= k)
    groups: int = 0

    def for_municipality(self, municipality_id: int | None) -> Overview:
        """The same suppressed numbers, only the rows and columns of one municipality (None: all)."""
        if municipality_id is None:
            return self
        leefgebied = {
            m: LeefgebiedTable(
                t.measure,
                t.k,
                t.columns,
                tuple(b for b in t.blocks if b.row.municipality_id == municipality_id),
                t.region,
            )
            for m, t in self.leefgebied.items()
        }
        items = {}
        for m, t in self.items.items():
            keep = [n for n, c in enumerate(t.columns) if c.id == municipality_id]
            items[m] = ItemTable(
                t.measure,
                t.k,
                tuple(t.columns[n] for n in keep),
                tuple(ItemRow(r.item, r.section, tuple(r.cells[n] for n in keep), r.total) for r in t.rows),
                tuple(t.col_totals[n] for n in keep),
                t.grand_total,
            )
        return Overview(self.k, leefgebied, items, self.teams_with_goal, self.people, self.groups)


def build_overview(needs: Needs, labels: Labels, *, k: int = DEFAULT_K) -> Overview:
    check_k(k)
    sections, groups = merge_small_teams(needs.sections, needs.teams, k=k)
    items, _ = merge_small_teams(needs.items, needs.teams, k=k)
    leefgebied = {m: _leefgebied_table(m, sections, groups, labels, k) for m in MEASURES}
    item_tables = {m: _item_table(m, items, groups, labels, k) for m in MEASURES}
    teams_with_goal: dict[str, int] = defaultdict(int)
    for row in items:
        if row.with_goal > 0:
            teams_with_goal[row.item_code] += 1
    return Overview(
        k, leefgebied, item_tables, dict(teams_with_goal), sum(g.professionals for g in groups), len(groups)
    )


def _value(row: ItemNeed | SectionNeed, measure: str) -> int:
    return row.with_goal if measure == GOAL else row.gap_no_goal


def _group_key(municipality_id: int, team_code: str) -> tuple[int, str]:
    return (municipality_id, team_code)


def _municipalities(groups: Iterable[TeamInfo]) -> list[tuple[int, str, str, list[TeamInfo]]]:
    """(id, name, code, groups) in the order the groups come in (by municipality name)."""
    out: dict[int, tuple[int, str, str, list[TeamInfo]]] = {}
    for g in groups:
        out.setdefault(g.municipality_id, (g.municipality_id, g.municipality_name, g.municipality_code, []))
        out[g.municipality_id][3].append(g)
    for _, _, _, members in out.values():
        # Named teams first (by code), "other teams" last.
        members.sort(key=lambda g: (g.team_code == OTHER, g.team_code))
    return list(out.values())


def _leefgebied_table(
    measure: str, rows: Sequence[SectionNeed], groups: Sequence[TeamInfo], labels: Labels, k: int
) -> LeefgebiedTable:
    present = {r.section_code for r in rows}
    columns = tuple(
        sorted((s for s in labels.sections if s.code in present or not rows), key=lambda s: s.position)
    )
    columns = columns + tuple(
        sorted(
            (labels.section(c) for c in present if c not in {s.code for s in columns}), key=lambda s: s.code
        )
    )
    col = {s.code: j for j, s in enumerate(columns)}
    n = len(columns)
    municipalities = _municipalities(groups)

    values: dict[Hashable, int] = {}
    for m_id, _, _, members in municipalities:
        for g in members:
            for j in range(n):
                values[("t", m_id, g.team_code, j)] = 0
    for r in rows:
        values[("t", r.municipality_id, r.team_code, col[r.section_code])] += _value(r, measure)

    lines: list[tuple[list[Hashable], Hashable]] = []
    for m_id, _, _, members in municipalities:
        for g in members:
            t_cells = [("t", m_id, g.team_code, j) for j in range(n)]
            values[("tt", m_id, g.team_code)] = sum(values[c] for c in t_cells)
            lines.append((t_cells, ("tt", m_id, g.team_code)))
        for j in range(n):
            values[("m", m_id, j)] = sum(values[("t", m_id, g.team_code, j)] for g in members)
            lines.append(([("t", m_id, g.team_code, j) for g in members], ("m", m_id, j)))
        values[("mt", m_id)] = sum(values[("tt", m_id, g.team_code)] for g in members)
        lines.append(([("tt", m_id, g.team_code) for g in members], ("mt", m_id)))
        lines.append(([("m", m_id, j) for j in range(n)], ("mt", m_id)))
    for j in range(n):
        values[("r", j)] = sum(values[("m", m[0], j)] for m in municipalities)
        lines.append(([("m", m[0], j) for m in municipalities], ("r", j)))
    values[("g",)] = sum(values[("mt", m[0])] for m in municipalities)
    lines.append(([("mt", m[0]) for m in municipalities], ("g",)))
    lines.append(([("r", j) for j in range(n)], ("g",)))

    hidden = suppress_lines(values, lines, k=k)

    def show(pos: Hashable) -> Cell:
        return Suppressed(k) if pos in hidden else values[pos]

    blocks = []
    for m_id, name, _, members in municipalities:
        team_rows = tuple(
            CountRow(
                "team",
                m_id,
                name,
                g.team_code,
                g.professionals,
                tuple(show(("t", m_id, g.team_code, j)) for j in range(n)),
                show(("tt", m_id, g.team_code)),
            )
            for g in members
        )
        m_row = CountRow(
            "municipality",
            m_id,
            name,
            "",
            sum(g.professionals for g in members),
            tuple(show(("m", m_id, j)) for j in range(n)),
            show(("mt", m_id)),
        )
        blocks.append(MunicipalityBlock(m_row, team_rows))
    region = CountRow(
        "region",
        None,
        "",
        "",
        sum(g.professionals for g in groups),
        tuple(show(("r", j)) for j in range(n)),
        show(("g",)),
    )
    return LeefgebiedTable(measure, k, columns, tuple(blocks), region)


def _item_table(
    measure: str, rows: Sequence[ItemNeed], groups: Sequence[TeamInfo], labels: Labels, k: int
) -> ItemTable:
    municipalities = _municipalities(groups)
    columns = tuple(MunicipalityColumn(m_id, name, code) for m_id, name, code, _ in municipalities)
    col = {c.id: j for j, c in enumerate(columns)}
    per_item: dict[str, list[int]] = {}
    kinds: dict[str, tuple[str, str]] = {}
    for r in rows:
        per_item.setdefault(r.item_code, [0] * len(columns))[col[r.municipality_id]] += _value(r, measure)
        kinds[r.item_code] = (r.section_code, r.level_kind)
    order = sorted(
        per_item,
        key=lambda code: (labels.section(kinds[code][0]).position, labels.item(code).position, code),
    )
    table = suppress_table([per_item[code] for code in order], k=k) if order else None
    item_rows = (
        tuple(
            ItemRow(
                labels.item(code, *kinds[code]),
                labels.section(kinds[code][0]),
                table.cells[i],
                table.row_totals[i],
            )
            for i, code in enumerate(order)
        )
        if table
        else ()
    )
    if table is None:
        return ItemTable(measure, k, columns, (), tuple(0 for _ in columns), 0)
    return ItemTable(measure, k, columns, item_rows, table.col_totals, table.grand_total)
