"""The stored publication as the tables every screen, export and PDF shows. Pure.

`from_publication(data, labels, level=None, municipality_id=None)` picks the positions of one view out of a
stored publication (scan.regio.publish.payload): the level filter and the municipality filter only *select*
from the one suppression of the whole publication; nothing is counted or hidden again here, and nothing
may be added up by the screens (a total computed in a template could undo the suppression).

- `leefgebied[measure]`: municipality rows (with their team rows when a municipality is chosen; team rows
  exist for all levels together only) and the region row, per leefgebied of the view and in total;
- `items[measure]`: item × municipality with the region per item, and the total per municipality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scan.regio.disclosure.linked import ALL, GAP, GOAL, MEASURES, i_key, it_key, s_key, st_key
from scan.regio.disclosure.suppression import OTHER, Cell, Suppressed

__all__ = ["GAP", "GOAL", "MEASURES"]


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
    scale: int | None = None  # the largest over every municipality (the blocks may be one page of them)

    @property
    def highest(self) -> int:
        """The largest visible municipality cell, for the heat map's colour scale."""
        if self.scale is not None:
            return self.scale
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
    # Per item code: how many municipalities show a goal count on it above 0 or hidden (from shown figures
    # only). A number of municipalities, not of people: used to propose a regional group offer.
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
                t.scale,
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


def _cell(shown: dict[str, int | None], alias: dict[str, str], k: int, pos: str) -> Cell:
    while pos in alias:
        pos = alias[pos]
    value = shown.get(pos, 0)
    return Suppressed(k) if value is None else value


def from_publication(data: dict, labels: Labels, level: str | None = None,  # type: ignore[type-arg]
                     municipality_id: int | None = None, *, team_rows: bool = True,
                     all_teams: bool = False) -> Overview:
    """One view of a stored publication (see the module docstring): `data` is its payload as
    scan.regio.parts.merge gives it, with every municipality or some. `level` None: all levels. Team rows
    are given for a chosen municipality, or with `all_teams` for every municipality (the exports)."""
    k = int(data["k"])
    view = level or ALL
    shown, alias = data["shown"], data.get("alias", {})
    section_levels = {s: tuple(v) for s, v in data["section_levels"].items()}
    item_meta = {c: tuple(v) for c, v in data["item_meta"].items()}
    groups = [dict(zip(("key", "kind", "municipality_id", "municipality_code", "municipality_name",
                        "team_code", "people"), g, strict=True)) for g in data["groups"]]
    municipalities = [g for g in groups if g["kind"] == "municipality"]
    region = next((g for g in groups if g["kind"] == "region"), municipalities[0] if municipalities else None)

    def get(pos: str) -> Cell:
        return _cell(shown, alias, k, pos)

    columns_codes = [c for c in data["sections"] if view == ALL or view in section_levels.get(c, ())]
    columns = tuple(labels.section(c) for c in columns_codes)
    columns = tuple(sorted(columns, key=lambda s: (s.position, s.code)))

    def level_of(section: str) -> str:
        return view if view != ALL and len(section_levels.get(section, ())) > 1 else ALL

    def row(kind: str, g: dict, team_code: str = "") -> CountRow:  # type: ignore[type-arg]
        return CountRow(kind, g["municipality_id"], g["municipality_name"], team_code, g["people"],
                        tuple(get(s_key(m, level_of(c.code), g["key"], c.code)) for c in columns),
                        get(st_key(m, view, g["key"])))

    leefgebied: dict[str, LeefgebiedTable] = {}
    items: dict[str, ItemTable] = {}
    codes = [c for c in data["items"] if view == ALL or item_meta[c][1] == view]
    codes.sort(key=lambda c: (labels.section(item_meta[c][0]).position, labels.item(c).position, c))
    chosen = [g for g in municipalities if municipality_id is None or g["municipality_id"] == municipality_id]
    for m in MEASURES:
        blocks = []
        for g in chosen:
            teams: tuple[CountRow, ...] = ()
            if team_rows and (municipality_id is not None or all_teams) and view == ALL:
                members = [t for t in groups
                           if t["kind"] == "team" and t["municipality_id"] == g["municipality_id"]]
                members.sort(key=lambda t: (t["team_code"] == OTHER, t["team_code"]))
                teams = tuple(row("team", t, t["team_code"]) for t in members)
            blocks.append(MunicipalityBlock(row("municipality", g), teams))
        region_row = row("region", region) if region else CountRow("region", None, "", "", 0, (), 0)
        leefgebied[m] = LeefgebiedTable(m, k, columns, tuple(blocks), region_row, data["highest"][m][view])
        item_columns = tuple(MunicipalityColumn(g["municipality_id"], g["municipality_name"],
                                                g["municipality_code"]) for g in chosen)
        rows = tuple(
            ItemRow(labels.item(c, *item_meta[c]), labels.section(item_meta[c][0]),
                    tuple(get(i_key(m, g["key"], c)) for g in chosen),
                    get(i_key(m, region["key"], c)) if region else 0)
            for c in codes
        )
        totals = tuple(get(it_key(m, view, g["key"])) if codes else 0 for g in chosen)
        grand = get(it_key(m, view, region["key"])) if codes and region else 0
        items[m] = ItemTable(m, k, item_columns, rows, totals, grand)
    # Per item, the municipalities whose goal count on it is shown as more than 0 or hidden (over every
    # municipality of the publication, also those not in `data`): see scan.regio.parts.
    people = region["people"] if region else 0
    return Overview(k, leefgebied, items, data["spread"], people, data["group_count"])
