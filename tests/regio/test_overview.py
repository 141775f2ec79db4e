"""One publication, one suppression: the linked positions, the audit, and the views picked out of it."""

from __future__ import annotations

import random
from typing import Any

import pytest

from scan.regio.disclosure import audit
from scan.regio.disclosure.linked import ALL, Linked, TeamCount, build, i_key, it_key, s_key, st_key
from scan.regio.disclosure.protection import protect
from scan.regio.disclosure.suppression import OTHER, Suppressed
from scan.regio.overview import GAP, GOAL, ItemLabel, Labels, SectionLabel, from_publication
from tests.regio.conftest import counts_of, publish_pure

LABELS = Labels(
    (
        SectionLabel("GC", "Generieke competenties", "generiek", 0),
        SectionLabel("LG01", "Geldzaken", "leefgebied", 1),
        SectionLabel("LG02", "Wonen", "leefgebied", 2),
    ),
    (
        ItemLabel("GC01", "Gespreksvoering", "GC", "generiek", 1),
        ItemLabel("GC02", "Netwerken", "GC", "generiek", 2),
        ItemLabel("LG01-A1", "Schulden signaleren", "LG01", "algemeen", 1001),
        ItemLabel("LG01-S1", "Schuldhulp", "LG01", "specialistisch", 1002),
        ItemLabel("LG02-A1", "Huisvesting", "LG02", "algemeen", 2001),
        ItemLabel("LG02-S1", "Dakloosheid", "LG02", "specialistisch", 2002),
    ),
)
CODES = [i.code for i in LABELS.items]


def _team(team_id: int, m: int, size: int, code: str | None = None) -> TeamCount:
    return TeamCount(team_id, code or f"T{team_id}", m, f"GM{m:04d}", f"Gemeente {m}", size)


def _values(view: Any) -> list[Any]:
    """Every figure of a view: the leefgebied rows and the item tables of both measures."""
    out = []
    for m in (GOAL, GAP):
        table = view.leefgebied[m]
        for block in table.blocks:
            for row in (block.row, *block.teams):
                out += [*row.cells, row.total]
        out += [*table.region.cells, table.region.total]
        items = view.items[m]
        for row in items.rows:
            out += [*row.cells, row.total]
        out += [*items.col_totals, items.grand_total]
    return out


def _random_counts(seed: int) -> Any:
    rng = random.Random(seed)
    teams, goals, gaps = [], {}, {}
    team_id = 0
    for m in range(1, rng.randint(1, 4) + 1):
        for _ in range(rng.randint(1, 4)):
            team_id += 1
            team = _team(team_id, m, rng.randint(2, 15))
            teams.append(team)
            for code in CODES:
                goal = sum(rng.random() < 0.15 for _ in range(team.people))
                gap = sum(rng.random() < 0.3 for _ in range(team.people - goal))
                goals[(team.team_code, code)] = goal
                gaps[(team.team_code, code)] = gap
    return counts_of(teams, goals, gaps, LABELS)


def test_small_teams_are_merged_and_small_municipalities_left_out() -> None:
    teams = [_team(1, 1, 12), _team(2, 1, 3), _team(3, 1, 2), _team(4, 2, 4)]
    data = publish_pure(counts_of(teams, {("T1", "GC01"): 6, ("T2", "GC01"): 2, ("T3", "GC01"): 1,
                                          ("T4", "GC01"): 3}, {}, LABELS))
    groups = {(g[1], g[5]): g[6] for g in data["groups"]}
    assert groups == {("municipality", ""): 17, ("team", "T1"): 12, ("team", OTHER): 5}
    view = from_publication(data, LABELS, municipality_id=1)
    assert [r.team_code for r in view.leefgebied[GOAL].blocks[0].teams] == ["T1", OTHER]
    assert all(r.people >= 5 for b in view.leefgebied[GOAL].blocks for r in b.teams)


def test_a_municipality_with_one_shown_group_shows_one_row() -> None:
    """A team row next to its municipality row would carry the same figures twice (issue 13): one position."""
    teams = [_team(1, 1, 8), _team(2, 2, 9), _team(3, 2, 7)]
    counts = counts_of(teams, {("T1", "GC01"): 6, ("T2", "GC01"): 5, ("T3", "GC01"): 6}, {}, LABELS)
    linked = build(counts, 5)
    assert not any(g.kind == "team" and g.municipality_id == 1 for g in linked.groups)
    data = publish_pure(counts)
    one = from_publication(data, LABELS, municipality_id=1)
    assert one.leefgebied[GOAL].blocks[0].teams == ()
    two = from_publication(data, LABELS, municipality_id=2)
    assert [r.team_code for r in two.leefgebied[GOAL].blocks[0].teams] == ["T2", "T3"]


def test_a_region_of_one_municipality_has_no_separate_municipality_position() -> None:
    linked = build(counts_of([_team(1, 1, 9), _team(2, 1, 8)], {("T1", "GC01"): 5}, {}, LABELS), 5)
    assert {g.key for g in linked.groups if g.kind != "team"} == {"r"}


def test_generic_level_is_the_same_position_as_all_levels() -> None:
    linked = build(counts_of([_team(1, 1, 9), _team(2, 2, 8)], {("T1", "GC01"): 5}, {}, LABELS), 5)
    # The generic section has one level: no separate level position, and the generic view's total of a
    # municipality with only that column would be the same figure.
    assert s_key(GOAL, "generiek", "m1", "GC") not in linked.values
    assert linked.resolve(st_key(GOAL, "generiek", "m1")) == s_key(GOAL, ALL, "m1", "GC")
    assert linked.values[s_key(GOAL, ALL, "m1", "GC")] == 5


def test_level_totals_add_up_to_all_levels() -> None:
    linked = build(_random_counts(3), 5)
    for group in ("m1", "r"):
        levels = [linked.values.get(linked.resolve(it_key(GOAL, lv, group)), 0)
                  for lv in ("generiek", "algemeen", "specialistisch")]
        assert sum(levels) == linked.values[linked.resolve(it_key(GOAL, ALL, group))]


@pytest.mark.parametrize("seed", range(40))
def test_no_line_has_exactly_one_hidden_position_and_nothing_small_is_shown(seed: int) -> None:
    linked = build(_random_counts(seed), 5)
    hidden = protect(linked).hidden
    for members, total in linked.lines:
        # A single hidden position, member or total, is the others' difference.
        assert sum(p in hidden for p in (*members, total)) != 1, (members, total)
    for pos, value in linked.values.items():
        if pos in hidden:
            continue
        assert not 0 < value < 5, pos
        size = linked.people.get(pos)
        if size is not None and value > 0:
            assert value != size and size - value >= 5, (pos, value, size)


@pytest.mark.parametrize("seed", range(40))
def test_every_view_shows_the_publication_s_own_figures(seed: int) -> None:
    """The filters only select: a figure is the same, shown or hidden, in every view it appears in."""
    counts = _random_counts(seed)
    data = publish_pure(counts)
    for level in (None, "generiek", "algemeen", "specialistisch"):
        for municipality in (None, *sorted({t.municipality_id for t in counts.teams})):
            view = from_publication(data, LABELS, level, municipality, all_teams=municipality is None)
            for value in _values(view):
                assert isinstance(value, Suppressed) or not 0 < value < 5
    shown = data["shown"]
    region = from_publication(data, LABELS)
    table = region.items[GOAL]
    for row in table.rows:
        expected = shown.get(i_key(GOAL, "r", row.item.code)) if any(g[0] == "r" and g[1] == "region"
                                                                      for g in data["groups"]) else None
        if expected is not None:
            assert row.total == expected


def test_the_audit_finds_a_figure_given_away_by_subtraction() -> None:
    linked = Linked(5, [], [], {}, [], {})
    linked.values = {"a": 2, "b": 7, "t": 9}
    linked.upper = {"a": 20, "b": 20, "t": 40}
    linked.lines = [(["a", "b"], "t")]
    report = audit.audit(linked, {"a"})
    finding = report.findings["a"][0]
    assert (finding.low, finding.high, finding.protected) == (2, 2, False)
    protection = protect(linked)
    assert protection.hidden >= {"a", "b"}
    assert all(f.protected for fs in protection.report.findings.values() for f in fs)


def test_the_audit_uses_what_the_counts_mean_not_only_the_sums() -> None:
    """People in a leefgebied are at least those on any one of its items: a section shown as 0 pins its
    items, and a section whose items are all shown pins it between their max and their sum."""
    linked = Linked(5, [], [], {}, [], {})
    linked.values = {"s": 9, "i1": 2, "i2": 7}
    linked.upper = {"s": 20, "i1": 20, "i2": 20}
    linked.people = {"s": 20, "i1": 20, "i2": 20}
    linked.rows = [({"i1": 1, "s": -1}, 0), ({"i2": 1, "s": -1}, 0), ({"s": 1, "i1": -1, "i2": -1}, 0)]
    # s = 9 shown, i2 = 7 shown: i1 ≥ 2 (s ≤ i1 + i2), and i1 ≤ 9 (i1 ≤ s): [2, 9] reaches k.
    finding = audit.audit(linked, {"i1"}).findings["i1"][0]
    assert (finding.low, finding.high, finding.protected) == (2, 9, True)
    # With "at most 9 people in all" (i1 + i2 ≤ 9, as goal + gap ≤ the group's size), i1 is pinned at 2.
    linked.rows.append(({"i1": 1, "i2": 1}, 9))
    finding = audit.audit(linked, {"i1"}).findings["i1"][0]
    assert (finding.low, finding.high, finding.protected) == (2, 2, False)


def test_whole_group_and_nearly_whole_group_are_hidden() -> None:
    teams = [_team(1, 1, 10), _team(2, 1, 10), _team(3, 2, 12)]
    counts = counts_of(teams, {}, {("T1", "GC01"): 10, ("T2", "GC01"): 8, ("T3", "GC01"): 6}, LABELS)
    linked = build(counts, 5)
    protection = protect(linked)
    assert s_key(GAP, ALL, "t1", "GC") in protection.hidden  # 10 of 10
    assert s_key(GAP, ALL, "t2", "GC") in protection.hidden  # 8 of 10: only 2 without
    for fs in protection.report.findings.values():
        assert all(f.protected for f in fs)


def test_a_correction_hides_figures_that_moved_by_fewer_than_k() -> None:
    teams = [_team(1, 1, 20), _team(2, 2, 20)]
    before = build(counts_of(teams, {("T1", "GC01"): 9, ("T2", "GC01"): 12}, {}, LABELS), 5)
    after = build(counts_of(teams, {("T1", "GC01"): 10, ("T2", "GC01"): 12}, {}, LABELS), 5)
    protection = protect(after, [before.values])
    moved = after.resolve(i_key(GOAL, "m1", "GC01"))
    assert moved in protection.hidden
    findings = protection.report.findings[moved]
    assert any(f.reason == audit.CHANGE for f in findings) and all(f.protected for f in findings)


def test_a_correction_keeps_the_earlier_grouping_of_teams() -> None:
    """A team that grew past k after a late submission stays in "other teams": moving it to a row of its
    own would let the two groupings be subtracted from each other."""
    from scan.regio.disclosure.linked import _grouping

    before = [_team(1, 1, 12), _team(2, 1, 3), _team(3, 1, 2)]
    first = _grouping(before, 5, None)
    assert first == {1: "t1", 2: "o1", 3: "o1"}
    after = [_team(1, 1, 12), _team(2, 1, 5), _team(3, 1, 5)]
    assert _grouping(after, 5, None) == {1: "t1", 2: "t2", 3: "t3"}  # fresh: every team on its own
    assert _grouping(after, 5, first) == first
    # When the earlier grouping no longer gives groups of k, a fresh one is made.
    shrunk = [_team(1, 1, 12), _team(2, 1, 1), _team(3, 1, 2)]
    assert _grouping(shrunk, 5, first) != first


def test_a_correction_hides_what_the_earlier_publication_hid() -> None:
    """Showing now what was hidden before would add an equation to the earlier publication's figures."""
    counts = _random_counts(7)
    first = build(counts, 5)
    before = protect(first)
    shown = {p: (None if p in before.hidden else v) for p, v in first.values.items()}
    items = dict(counts.items)
    key = max(items, key=lambda k: items[k])
    items[key] += 7  # a late submission far from k: no figure moves by 1..k−1 here
    sections = dict(counts.sections)
    from dataclasses import replace

    second = build(replace(counts, items=items, sections=sections), 5)
    after = protect(second, [first.values], [shown])
    assert {p for p in before.hidden if p in second.values} <= after.hidden
    # What the first showed unchanged is known: the audit treats it as a constant, and it stays shown.
    unchanged = {p for p, v in shown.items() if v is not None and second.values.get(p) == v}
    assert not (unchanged & after.hidden - after.primary)
