"""The regional overview tables: linked suppression that subtraction along any line cannot undo."""

from __future__ import annotations

import random

import pytest

from scan.regio.needs import ItemNeed, Needs, SectionNeed, TeamInfo
from scan.regio.overview import (
    GAP,
    GOAL,
    CountRow,
    ItemLabel,
    Labels,
    LeefgebiedTable,
    SectionLabel,
    build_overview,
)
from scan.regio.suppression import OTHER, Suppressed

SECTIONS = ("GC", "LG01", "LG02", "LG03")
LABELS = Labels(
    tuple(
        SectionLabel(code, f"Titel {code}", "generiek" if code == "GC" else "leefgebied", n)
        for n, code in enumerate(SECTIONS)
    ),
    tuple(
        ItemLabel(f"{code}-A{i}", f"Item {code}-A{i}", code, "algemeen", n * 1000 + i)
        for n, code in enumerate(SECTIONS)
        for i in (1, 2)
    ),
)


def _team(m: int, code: str, size: int) -> TeamInfo:
    team_id = int("".join(ch for ch in code if ch.isdigit()) or 0) + 1000 * m
    return TeamInfo(m, f"GM{m:04d}", f"Gemeente {m}", team_id, code, size)


def _needs(
    teams: list[TeamInfo],
    sections: dict[tuple[str, str], tuple[int, int]],
    items: dict[tuple[str, str], tuple[int, int]] | None = None,
) -> Needs:
    by_code = {t.team_code: t for t in teams}

    def base(code: str) -> tuple[int, str, str, int | None, str]:
        t = by_code[code]
        return (t.municipality_id, t.municipality_code, t.municipality_name, t.team_id, t.team_code)

    return Needs(
        teams=tuple(teams),
        items=tuple(
            ItemNeed(*base(team), item, item.split("-")[0], "algemeen", goal, gap)
            for (team, item), (goal, gap) in (items or {}).items()
        ),
        sections=tuple(
            SectionNeed(*base(team), section, goal, gap) for (team, section), (goal, gap) in sections.items()
        ),
    )


def _rows(table: LeefgebiedTable) -> list[CountRow]:
    return [r for b in table.blocks for r in (b.row, *b.teams)] + [table.region]


def _lines(table: LeefgebiedTable) -> list[tuple[list[object], object]]:
    """Every additive relation a reader can see in the leefgebied table."""
    lines: list[tuple[list[object], object]] = []
    for row in _rows(table):
        lines.append((list(row.cells), row.total))
    n = len(table.columns)
    for b in table.blocks:
        for j in range(n):
            lines.append(([t.cells[j] for t in b.teams], b.row.cells[j]))
        lines.append(([t.total for t in b.teams], b.row.total))
    for j in range(n):
        lines.append(([b.row.cells[j] for b in table.blocks], table.region.cells[j]))
    lines.append(([b.row.total for b in table.blocks], table.region.total))
    return lines


def _recoverable(lines: list[tuple[list[object], object]]) -> list[int]:
    """The attack: a line with a visible total and exactly one hidden member gives that member away."""
    out = []
    for members, total in lines:
        hidden = [m for m in members if isinstance(m, Suppressed)]
        if isinstance(total, int) and len(hidden) == 1:
            out.append(total - sum(m for m in members if isinstance(m, int)))
    return out


def _visible(table: LeefgebiedTable) -> list[int]:
    return [c for r in _rows(table) for c in (*r.cells, r.total) if isinstance(c, int)]


def test_small_teams_never_stand_alone_and_small_municipalities_are_left_out() -> None:
    teams = [_team(1, "T1", 8), _team(1, "T2", 6), _team(1, "T3", 2), _team(2, "T4", 3), _team(3, "T5", 12)]
    needs = _needs(
        teams,
        {
            ("T1", "GC"): (6, 2),
            ("T2", "GC"): (5, 1),
            ("T3", "GC"): (2, 0),
            ("T4", "LG01"): (3, 3),
            ("T5", "LG01"): (9, 4),
        },
    )
    overview = build_overview(needs, LABELS, k=5)
    table = overview.leefgebied[GOAL]
    shown = {(b.row.municipality_name, t.team_code) for b in table.blocks for t in b.teams}
    # T3 (2 people) merges with the smallest big team (T2) into "other teams"; T4's municipality (3) is out.
    assert shown == {("Gemeente 1", "T1"), ("Gemeente 1", OTHER), ("Gemeente 3", "T5")}
    assert all(t.people >= 5 for b in table.blocks for t in b.teams)
    assert overview.people == 8 + 6 + 2 + 12 and overview.groups == 3
    # The region adds the shown groups only, so nobody in the left-out municipality can be recovered from it.
    assert table.region.cells[SECTIONS.index("LG01")] == 9
    other = next(t for b in table.blocks for t in b.teams if t.is_other)
    assert other.cells[SECTIONS.index("GC")] == 7


def test_a_hidden_team_cell_cannot_be_recovered_from_its_municipality_or_the_region() -> None:
    teams = [_team(1, "T1", 10), _team(1, "T2", 10), _team(2, "T3", 10), _team(2, "T4", 10)]
    needs = _needs(
        teams,
        {
            ("T1", "GC"): (3, 0),
            ("T2", "GC"): (7, 0),
            ("T3", "GC"): (6, 0),
            ("T4", "GC"): (8, 0),
            ("T1", "LG01"): (5, 0),
            ("T3", "LG02"): (9, 0),
        },
    )
    table = build_overview(needs, LABELS, k=5).leefgebied[GOAL]
    t1 = table.blocks[0].teams[0]
    assert t1.team_code == "T1" and isinstance(t1.cells[0], Suppressed)
    assert _recoverable(_lines(table)) == []
    assert not [v for v in _visible(table) if 0 < v < 5]


@pytest.mark.parametrize("seed", range(150))
def test_random_regions_resist_subtraction_and_show_true_values(seed: int) -> None:
    rng = random.Random(seed)
    teams = [
        _team(m, f"M{m}T{t}", rng.choice([2, 3, 5, 6, 9, 14, 20]))
        for m in range(1, rng.randint(2, 5))
        for t in range(rng.randint(1, 4))
    ]
    sections = {
        (t.team_code, s): (rng.choice([0, 0, 1, 2, 3, 4, 5, 7, 11]), rng.choice([0, 1, 2, 4, 6, 9]))
        for t in teams
        for s in SECTIONS
        if rng.random() < 0.7
    }
    overview = build_overview(_needs(teams, sections), LABELS, k=rng.choice([3, 5, 6]))
    for measure in (GOAL, GAP):
        table = overview.leefgebied[measure]
        assert _recoverable(_lines(table)) == [], (seed, measure)
        assert not [v for v in _visible(table) if 0 < v < overview.k], (seed, measure)
        # What is shown is true: a visible region cell is the sum of the true counts of the shown groups.
        shown_teams = {t.team_code for b in table.blocks for t in b.teams if not t.is_other}
        for j, code in enumerate(c.code for c in table.columns):
            cell = table.region.cells[j]
            if isinstance(cell, int) and not any(t.is_other for b in table.blocks for t in b.teams):
                true = sum(
                    v[0 if measure == GOAL else 1]
                    for (team, s), v in sections.items()
                    if s == code and team in shown_teams
                )
                assert cell == true, (seed, measure, code)


@pytest.mark.parametrize("seed", range(100))
def test_random_item_tables_resist_subtraction(seed: int) -> None:
    rng = random.Random(1000 + seed)
    teams = [
        _team(m, f"M{m}T{t}", rng.choice([5, 8, 12]))
        for m in range(1, rng.randint(2, 6))
        for t in range(rng.randint(1, 3))
    ]
    items = {
        (t.team_code, i.code): (rng.choice([0, 1, 2, 3, 5, 6, 8]), rng.choice([0, 1, 4, 7]))
        for t in teams
        for i in LABELS.items
        if rng.random() < 0.6
    }
    overview = build_overview(_needs(teams, {}, items), LABELS, k=5)
    for measure in (GOAL, GAP):
        t = overview.items[measure]
        lines = [(list(r.cells), r.total) for r in t.rows]
        lines += [([r.cells[j] for r in t.rows], t.col_totals[j]) for j in range(len(t.columns))]
        lines += [([r.total for r in t.rows], t.grand_total), (list(t.col_totals), t.grand_total)]
        assert _recoverable(lines) == [], (seed, measure)
        visible = [c for r in t.rows for c in (*r.cells, r.total) if isinstance(c, int)]
        assert not [v for v in visible if 0 < v < 5]


def test_item_rows_follow_the_kenniskaart_order_and_carry_labels() -> None:
    teams = [_team(1, "T1", 10)]
    items = {("T1", "LG02-A1"): (6, 0), ("T1", "GC-A2"): (5, 1), ("T1", "GC-A1"): (0, 7)}
    table = build_overview(_needs(teams, {}, items), LABELS).items[GOAL]
    assert [r.item.code for r in table.rows] == ["GC-A1", "GC-A2", "LG02-A1"]
    assert table.rows[2].item.title == "Item LG02-A1" and table.rows[2].section.title == "Titel LG02"
    assert [r.total for r in table.rows] == [0, 5, 6]


def test_the_municipality_filter_picks_from_the_region_tables_without_suppressing_again() -> None:
    teams = [_team(1, "T1", 10), _team(2, "T2", 10), _team(2, "T3", 10)]
    sections = {("T1", "GC"): (4, 0), ("T2", "GC"): (6, 0), ("T3", "GC"): (9, 0), ("T2", "LG01"): (5, 0)}
    items = {("T1", "GC-A1"): (4, 0), ("T2", "GC-A1"): (6, 0), ("T3", "GC-A1"): (9, 0)}
    full = build_overview(_needs(teams, sections, items), LABELS)
    m2 = full.for_municipality(2)
    assert [b.row.municipality_id for b in m2.leefgebied[GOAL].blocks] == [2]
    assert m2.leefgebied[GOAL].blocks[0] == next(
        b for b in full.leefgebied[GOAL].blocks if b.row.municipality_id == 2
    )
    assert m2.leefgebied[GOAL].region == full.leefgebied[GOAL].region
    assert [c.id for c in m2.items[GOAL].columns] == [2]
    assert m2.items[GOAL].rows[0].cells == (full.items[GOAL].cell("GC-A1", 2),)
    assert m2.items[GOAL].rows[0].total == full.items[GOAL].rows[0].total
    assert full.for_municipality(None) is full


def test_k_below_three_is_refused() -> None:
    with pytest.raises(ValueError):
        build_overview(_needs([], {}), LABELS, k=2)


def test_an_empty_region_gives_empty_tables() -> None:
    overview = build_overview(_needs([], {}), LABELS)
    assert overview.leefgebied[GOAL].blocks == () and overview.items[GOAL].rows == ()
    assert overview.leefgebied[GOAL].region.total == 0


def test_teams_with_a_goal_count_shown_groups() -> None:
    teams = [_team(1, "T1", 10), _team(1, "T2", 10), _team(2, "T3", 2)]
    items = {
        ("T1", "GC-A1"): (3, 0),
        ("T2", "GC-A1"): (2, 0),
        ("T3", "GC-A1"): (1, 0),
        ("T1", "GC-A2"): (0, 6),
    }
    overview = build_overview(_needs(teams, {}, items), LABELS)
    assert overview.teams_with_goal == {"GC-A1": 2}
