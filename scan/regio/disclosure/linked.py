"""Every number of one publication as one set of linked positions: pure, no database.

A publication is published (and suppressed, and audited) as a whole, never per view. This module lays its
counts out as *positions* (one per number a reader can see in any view, filter, format) with the relations
a reader knows between them:

- `lines`: additive relations (members add up to a total): team groups → municipality → region, the sections
  of a view → the row total, the items of a level → the level's total, the levels → all levels;
- `rows`: inequalities (Σ coef·x ≤ rhs) a reader can derive from what the numbers mean: the people with a need
  in a leefgebied are at least as many as on any one of its items and at most their sum; "all levels" lies
  between the largest level and the sum of the levels; on one item nobody has both a goal and a gap;
- `upper`: what a position can be at most (a number of people: its group's size).

Positions are strings (they are stored as JSON keys): `s|measure|level|group|section` (distinct people per
leefgebied), `st|measure|view|group` (a row's total over the sections of a view), `i|measure|group|item`
(people per item), `it|measure|view|group` (the total over the items of a view). Groups: `t<team id>`,
`o<municipality id>` ("other teams": small teams merged), `m<municipality id>`, `r` (the region).

Two positions that would always carry the same figure for the same people are one position: a municipality
with a single shown group has no team rows (its one group *is* the municipality), a region with a single
municipality has no separate municipality row, a section with one level has no separate level counts, and a
view with one column has no separate total. Team rows exist for all levels together only: per level, the
region and its municipalities are shown (fewer small cells, fewer ways to combine).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from scan.regio.disclosure.suppression import OTHER, merge_small_groups

GOAL = "goal"  # professionals with a POP goal on it
GAP = "gap"  # professionals with a gap (ambition above level) but no POP goal on it
MEASURES = (GOAL, GAP)
ALL = "all"
LEVELS = ("generiek", "algemeen", "specialistisch")
VIEWS = (ALL, *LEVELS)
REGION = "r"


@dataclass(frozen=True)
class TeamCount:
    """A team with counted people in the period: submitted scans of professionals, by their snapshot."""

    team_id: int
    team_code: str
    municipality_id: int
    municipality_code: str
    municipality_name: str
    people: int


@dataclass(frozen=True)
class Counts:
    """What the database counted for one period (scan.regio.needs.period_counts).

    `items[(measure, team_id, item_code)]` and `sections[(measure, team_id, section_code, level)]` (level is
    ALL or a level kind) are numbers of distinct people; missing keys are 0. `item_meta[item_code]` is
    (section code, level kind); `section_levels[section_code]` the level kinds its items have.
    """

    teams: tuple[TeamCount, ...]
    items: Mapping[tuple[str, int, str], int]
    sections: Mapping[tuple[str, int, str, str], int]
    item_meta: Mapping[str, tuple[str, str]]
    section_levels: Mapping[str, tuple[str, ...]]
    section_order: tuple[str, ...]  # every section code, in Kenniskaart order
    item_order: tuple[str, ...] = ()  # item codes in Kenniskaart order (others follow by code)


@dataclass(frozen=True)
class Group:
    """A shown group: a team (or "other teams"), a municipality or the region, with its number of people."""

    key: str
    kind: str  # "team", "municipality" or "region"
    municipality_id: int | None
    municipality_code: str
    municipality_name: str
    team_code: str  # a team's code, OTHER for merged small teams, "" otherwise
    people: int


@dataclass
class Linked:
    """All positions of a publication with their true values, and what a reader knows of them."""

    k: int
    groups: list[Group]
    sections: list[str]  # columns, in Kenniskaart order
    section_levels: dict[str, tuple[str, ...]]
    items: list[str]  # item codes with a need somewhere, in Kenniskaart order
    item_meta: dict[str, tuple[str, str]]
    values: dict[str, int] = field(default_factory=dict)
    upper: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)  # people positions → the size of their group
    lines: list[tuple[list[str], str]] = field(default_factory=list)
    rows: list[tuple[dict[str, int], int]] = field(default_factory=list)
    alias: dict[str, str] = field(default_factory=dict)
    grouping: dict[int, str] = field(default_factory=dict)  # team id → "t<id>" or "o<municipality id>"

    # --- reading positions (also used by the views: scan.regio.overview) ---

    def municipalities(self) -> list[Group]:
        return [g for g in self.groups if g.kind == "municipality"]

    def teams_of(self, municipality_id: int) -> list[Group]:
        return [g for g in self.groups if g.kind == "team" and g.municipality_id == municipality_id]

    def columns(self, view: str) -> list[str]:
        """The section codes a view shows: every section for ALL, else those with items of that level."""
        if view == ALL:
            return list(self.sections)
        return [s for s in self.sections if view in self.section_levels.get(s, ())]

    def view_items(self, view: str) -> list[str]:
        if view == ALL:
            return list(self.items)
        return [c for c in self.items if self.item_meta[c][1] == view]

    def resolve(self, pos: str) -> str:
        while pos in self.alias:
            pos = self.alias[pos]
        return pos


def _grouping(teams: list[TeamCount], k: int, keep: Mapping[int, str] | None) -> dict[int, str]:
    """Team id → its shown group ("t<id>" on its own, "o<municipality id>" merged); teams left out are
    missing. With `keep` (a correction: the grouping of the earlier publication of the period), a
    municipality keeps its earlier grouping when every team is in it and every group still has k people:
    a team that moved between "other teams" and a row of its own would let one grouping be subtracted
    from the other."""
    mapping = merge_small_groups(
        {t.team_id: t.people for t in teams}, {t.team_id: t.municipality_id for t in teams}, k=k
    )
    fresh = {t.team_id: (f"t{t.team_id}" if mapping[t.team_id] == t.team_id else f"o{t.municipality_id}")
             for t in teams if mapping.get(t.team_id) is not None}
    if not keep:
        return fresh
    out = dict(fresh)
    by_municipality: dict[int, list[TeamCount]] = defaultdict(list)
    for t in teams:
        by_municipality[t.municipality_id].append(t)
    for members in by_municipality.values():
        if not all(t.team_id in keep for t in members if t.people):
            continue
        sizes: dict[str, int] = defaultdict(int)
        for t in members:
            if t.people:
                sizes[keep[t.team_id]] += t.people
        if sizes and all(n >= k for n in sizes.values()):
            for t in members:
                if t.people:
                    out[t.team_id] = keep[t.team_id]
    return out


def build(counts: Counts, k: int, keep: Mapping[int, str] | None = None) -> Linked:
    """The linked positions of one period's counts, with small teams merged (groups of at least k);
    `keep`: the team grouping of an earlier publication of the same period (see `_grouping`)."""
    teams = list(counts.teams)
    grouping = _grouping(teams, k, keep)
    # Shown groups per municipality (in the order teams come: by municipality name, team code).
    members: dict[int, dict[str, list[TeamCount]]] = {}
    info: dict[int, TeamCount] = {}
    for t in teams:
        key = grouping.get(t.team_id)
        if key is None:
            continue
        info.setdefault(t.municipality_id, t)
        members.setdefault(t.municipality_id, {}).setdefault(key, []).append(t)
    order = sorted(members, key=lambda m: (info[m].municipality_name, m))
    single_municipality = len(order) == 1

    groups: list[Group] = []
    team_of: dict[int, str] = {}  # team id → the shown group's canonical key
    parts: dict[str, list[str]] = {}  # canonical group → the canonical groups it adds up
    for m in order:
        t0 = info[m]
        m_key = REGION if single_municipality else f"m{m}"
        shown = sorted(members[m].items(), key=lambda kv: (kv[0].startswith("o"), kv[1][0].team_code))
        size = sum(t.people for _, ts in shown for t in ts)
        groups.append(Group(m_key, "municipality", m, t0.municipality_code, t0.municipality_name, "", size))
        if len(shown) == 1:
            for t in shown[0][1]:
                team_of[t.team_id] = m_key
            continue
        parts[m_key] = []
        for key, ts in shown:
            code = ts[0].team_code if key.startswith("t") else OTHER
            groups.append(Group(key, "team", m, t0.municipality_code, t0.municipality_name, code,
                                sum(t.people for t in ts)))
            parts[m_key].append(key)
            for t in ts:
                team_of[t.team_id] = key
    region_people = sum(g.people for g in groups if g.kind == "municipality")
    if not single_municipality:
        groups.append(Group(REGION, "region", None, "", "", "", region_people))
        parts[REGION] = [f"m{m}" for m in order]

    sections = [s for s in counts.section_order]
    sections += sorted({key[2] for key in counts.sections} - set(sections))
    item_rank = {code: n for n, code in enumerate(counts.item_order)}
    section_rank = {code: n for n, code in enumerate(sections)}
    needed = {key[2] for key, v in counts.items.items() if v > 0}
    items = sorted(needed, key=lambda c: (section_rank.get(counts.item_meta[c][0], 10_000),
                                          item_rank.get(c, 10_000), c))
    linked = Linked(k, groups, sections, {s: tuple(counts.section_levels.get(s, ())) for s in sections},
                    items, {c: counts.item_meta[c] for c in items}, grouping=grouping)
    _fill(linked, counts, team_of, parts)
    return linked


def s_key(measure: str, level: str, group: str, section: str) -> str:
    return f"s|{measure}|{level}|{group}|{section}"


def st_key(measure: str, view: str, group: str) -> str:
    return f"st|{measure}|{view}|{group}"


def i_key(measure: str, group: str, item: str) -> str:
    return f"i|{measure}|{group}|{item}"


def it_key(measure: str, view: str, group: str) -> str:
    return f"it|{measure}|{view}|{group}"


def _fill(linked: Linked, counts: Counts, team_of: Mapping[int, str], parts: Mapping[str, list[str]]) -> None:
    size = {g.key: g.people for g in linked.groups}
    wide = [g.key for g in linked.groups if g.kind != "team"]  # municipalities and the region
    parent = {p: group for group, ps in parts.items() for p in ps}

    def chain(group: str) -> list[str]:
        out = [group]
        while out[-1] in parent:
            out.append(parent[out[-1]])
        return out

    def levels_of(section: str) -> list[str]:
        own = linked.section_levels.get(section, ())
        return [ALL, *own] if len(own) > 1 else [ALL]

    # True values: every count goes into each group that holds its team (sums of per-team counts).
    values: dict[str, int] = defaultdict(int)
    for (measure, team_id, section, level), n in counts.sections.items():
        if n == 0 or team_id not in team_of:
            continue
        if level != ALL and level not in levels_of(section):
            continue  # a section with one level: the same people as ALL
        for group in chain(team_of[team_id]):
            if level == ALL or group in wide:
                values[s_key(measure, level, group, section)] += n
    for (measure, team_id, item), n in counts.items.items():
        if n == 0 or team_id not in team_of or item not in linked.item_meta:
            continue
        for group in chain(team_of[team_id]):
            if group in wide:
                values[i_key(measure, group, item)] += n

    def add_line(members: list[str], total: str) -> None:
        if len(members) == 1:
            linked.alias[total] = members[0]  # the same figure for the same people: one position
        elif members:
            linked.lines.append((members, total))

    for measure in MEASURES:
        for g in linked.groups:
            group = g.key
            is_wide = group in wide
            for section in linked.sections:
                for level in levels_of(section) if is_wide else [ALL]:
                    pos = s_key(measure, level, group, section)
                    values[pos] += 0
                    linked.upper[pos] = linked.people[pos] = size[group]
            for view in VIEWS if is_wide else (ALL,):
                cols = linked.columns(view)
                cells = [s_key(measure, view if view in levels_of(c) else ALL, group, c) for c in cols]
                if not cells:
                    continue
                total = st_key(measure, view, group)
                values[total] = sum(values[c] for c in cells)
                linked.upper[total] = size[group] * len(cells)
                add_line(cells, total)
            if not is_wide:
                continue
            for item in linked.items:
                pos = i_key(measure, group, item)
                values[pos] += 0
                linked.upper[pos] = linked.people[pos] = size[group]
            level_totals = []
            for view in VIEWS:
                cells = [i_key(measure, group, c) for c in linked.view_items(view)]
                if not cells:
                    continue
                total = it_key(measure, view, group)
                values[total] = sum(values[c] for c in cells)
                linked.upper[total] = size[group] * len(cells)
                add_line(cells, total)
                if view != ALL:
                    level_totals.append(total)
            if len(level_totals) > 1:
                add_line(level_totals, it_key(measure, ALL, group))
        # Groups into their totals: teams → municipality (all levels), municipalities → region (every view).
        for group, members in parts.items():
            members_wide = all(p in wide for p in members)
            for section in linked.sections:
                for level in levels_of(section) if members_wide else [ALL]:
                    add_line([s_key(measure, level, p, section) for p in members],
                             s_key(measure, level, group, section))
            for view in VIEWS if members_wide else (ALL,):
                if linked.columns(view):
                    add_line([st_key(measure, view, p) for p in members], st_key(measure, view, group))
            if members_wide:
                for item in linked.items:
                    add_line([i_key(measure, p, item) for p in members], i_key(measure, group, item))
                for view in VIEWS:
                    if linked.view_items(view):
                        add_line([it_key(measure, view, p) for p in members], it_key(measure, view, group))

    linked.values = {}
    for pos, v in values.items():
        canonical = linked.resolve(pos)
        if canonical in linked.values and linked.values[canonical] != v:
            raise AssertionError(f"{pos} and {canonical} differ")  # a bug in the layout, never data
        linked.values[canonical] = v
    for table in (linked.upper, linked.people):
        for pos in list(table):
            canonical = linked.resolve(pos)
            if canonical != pos:
                value = table.pop(pos)
                table[canonical] = min(value, table.get(canonical, value))
    linked.lines = _resolved_lines(linked)
    linked.rows = _inequalities(linked, wide, levels_of)


def _resolved_lines(linked: Linked) -> list[tuple[list[str], str]]:
    out = []
    seen = set()
    for members, total in linked.lines:
        ms = [linked.resolve(m) for m in members]
        t = linked.resolve(total)
        if len(ms) == 1 and ms[0] == t:
            continue
        key = (tuple(sorted(ms)), t)
        if key in seen:
            continue
        seen.add(key)
        out.append((ms, t))
    return out


def _inequalities(linked: Linked, wide: Iterable[str], levels_of) -> list[tuple[dict[str, int], int]]:  # type: ignore[no-untyped-def]
    """What a reader can derive beyond the sums (see the module docstring), as Σ coef·x ≤ rhs."""
    rows: list[tuple[dict[str, int], int]] = []
    seen: set[tuple[tuple[tuple[str, int], ...], int]] = set()

    def add(coefs: dict[str, int], rhs: int) -> None:
        merged: dict[str, int] = defaultdict(int)
        for pos, c in coefs.items():
            merged[linked.resolve(pos)] += c
        clean = {p: c for p, c in merged.items() if c}
        if not clean:
            return
        key = (tuple(sorted(clean.items())), rhs)
        if key not in seen:
            seen.add(key)
            rows.append((clean, rhs))

    size = {g.key: g.people for g in linked.groups}
    by_section: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code in linked.items:
        section, level = linked.item_meta[code]
        by_section[(section, ALL)].append(code)
        by_section[(section, level)].append(code)
    for measure in MEASURES:
        for group in wide:
            for section in linked.sections:
                for level in levels_of(section):
                    s = s_key(measure, level, group, section)
                    codes = by_section.get((section, level), [])
                    for code in codes:
                        add({i_key(measure, group, code): 1, s: -1}, 0)  # an item's people ≤ the section's
                    add({s: 1, **{i_key(measure, group, c): -1 for c in codes}}, 0)  # ≤ their sum
                    if level != ALL:
                        add({s: 1, s_key(measure, ALL, group, section): -1}, 0)
                if len(levels_of(section)) > 1:
                    add({s_key(measure, ALL, group, section): 1,
                         **{s_key(measure, lv, group, section): -1 for lv in levels_of(section)[1:]}}, 0)
    for group in wide:
        for code in linked.items:
            # Nobody has both a goal and a gap (without a goal) on one item.
            add({i_key(GOAL, group, code): 1, i_key(GAP, group, code): 1}, size[group])
    return rows
