"""Training need counted in SQL: who counts, where, and in how many queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from scan.access import Role
from scan.core.clock import today
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.pop.models import Pop, PopGoal, PopStatus, PopVersion
from scan.regio.needs import (
    ItemNeed,
    TeamInfo,
    merge_small_teams,
    per_leefgebied,
    per_municipality,
    region_needs,
)
from scan.teamschouw.models import Calibration
from tests.factories import (
    make_kenniskaart,
    make_municipality,
    make_region,
    make_round,
    make_scan,
    make_team,
    make_user,
)


def _pop(scan_round: Any, user: Any, versions: list[tuple[str, list[str]]]) -> None:
    """A POP with versions given as (status, [item codes of its goals]), oldest first."""
    version_items = db.session.scalars(select(Item).where(Item.version_id == scan_round.version_id))
    items = {i.code: i.id for i in version_items}
    pop = Pop(round_id=scan_round.id, user_id=user.id)
    db.session.add(pop)
    db.session.flush()
    for number, (status, codes) in enumerate(versions, start=1):
        version = PopVersion(pop_id=pop.id, number=number, status=status)
        db.session.add(version)
        db.session.flush()
        for position, code in enumerate(codes):
            db.session.add(PopGoal(version_id=version.id, position=position, item_id=items[code]))
    db.session.flush()


def _agree(scan: Any, code: str, *levels: int | None) -> None:
    """Agreed levels for one item, in order; the last one stands (None = withdrawn)."""
    item_id = db.session.scalar(
        select(Item.id).where(Item.version_id == scan.round.version_id, Item.code == code)
    )
    for level in levels:
        db.session.add(Calibration(scan_id=scan.id, item_id=item_id, agreed_level=level))
        db.session.flush()


@pytest.fixture
def world(app_ctx: Any) -> dict[str, Any]:
    version = make_kenniskaart()
    region = make_region()
    m1, m2 = make_municipality(region, name="Aadorp"), make_municipality(region, name="Beekdal")
    team_a, team_b, team_c = make_team(m1, code="TA"), make_team(m1, code="TB"), make_team(m2, code="TC")
    elsewhere = make_team(make_municipality(make_region()), code="TX")
    old = make_round(team_a, version, opens_in_days=-100, closes_in_days=-80, title="Oud")
    ra, rb, rc = make_round(team_a, version), make_round(team_b, version), make_round(team_c, version)
    make_round(team_c, version, opens_in_days=10, closes_in_days=30, title="Gepland")
    rx = make_round(elsewhere, version)

    def pro(team: Any) -> Any:
        return make_user(Role.PROFESSIONAL, team=team)

    p1, p2, p3, p4, p5, p6 = (pro(team_a) for _ in range(6))
    # p1: gap on GC01 without a goal; gap on LG01-A1 with a goal in a draft POP.
    make_scan(ra, p1, {"GC01": (2, 3), "LG01-A1": (1, 2)}, submitted=True)
    _pop(ra, p1, [(PopStatus.DRAFT, ["LG01-A1"])])
    # p2: the agreed level closes the GC01 gap and opens one on LG01-A1; a signed goal on GC02.
    s2 = make_scan(ra, p2, {"GC01": (1, 3), "LG01-A1": (3, 3), "GC02": (3, 3)}, submitted=True)
    _agree(s2, "GC01", 3)
    _agree(s2, "LG01-A1", 2)
    _pop(ra, p2, [(PopStatus.SIGNED, ["GC02"])])
    # p3: a draft scan with a gap, and a POP of only an empty draft: neither counts.
    make_scan(ra, p3, {"GC01": (1, 4)})
    _pop(ra, p3, [(PopStatus.DRAFT, [])])
    # p4: signed goal on GC01, then a new empty draft version: the signed goal still counts.
    make_scan(ra, p4, {"GC01": (2, 3)}, submitted=True)
    _pop(ra, p4, [(PopStatus.SIGNED, ["GC01"]), (PopStatus.DRAFT, [])])
    # p5: an agreed level that was withdrawn: the self level counts again.
    s5 = make_scan(ra, p5, {"GC01": (2, 3), "LG01-S1": (None, None)}, submitted=True)
    _agree(s5, "GC01", 3, None)
    # p6: only in the old round, with a gap on LG02-A1.
    make_scan(old, p6, {"LG02-A1": (1, 3)}, submitted=True)
    # Team B: one professional, gap on LG01-S1 (specialistisch).
    make_scan(rb, pro(team_b), {"LG01-S1": (2, 3)}, submitted=True)
    # Team C: n.v.t. never counts; a gap on GC01.
    make_scan(rc, pro(team_c), {"LG01-S1": (None, None), "GC01": (1, 2)}, submitted=True)
    # Another region: never counted.
    make_scan(rx, pro(elsewhere), {"GC01": (1, 3)}, submitted=True)
    _pop(rx, pro(elsewhere), [(PopStatus.SIGNED, ["GC01"])])
    db.session.flush()
    return {"region": region.id, "a": team_a.id, "b": team_b.id, "c": team_c.id, "x": elsewhere.id,
            "m1": m1.id, "m2": m2.id}


def _items(needs: Any) -> dict[tuple[str, str], tuple[int, int]]:
    return {(r.team_code, r.item_code): (r.with_goal, r.gap_no_goal) for r in needs.items}


def test_counts_per_team_and_item(world: dict[str, Any]) -> None:
    needs = region_needs(world["region"])
    assert _items(needs) == {
        ("TA", "GC01"): (1, 2),  # goal: p4 (earlier signed version); gap: p1, p5 (withdrawn agreement)
        ("TA", "GC02"): (1, 0),  # p2's signed goal
        ("TA", "LG01-A1"): (1, 1),  # goal: p1 (draft with a goal); gap: p2 by the agreed level
        ("TB", "LG01-S1"): (0, 1),
        ("TC", "GC01"): (0, 1),
    }


def test_rows_carry_municipality_section_and_level_kind(world: dict[str, Any]) -> None:
    row = next(r for r in region_needs(world["region"]).items if r.item_code == "LG01-A1")
    assert (row.municipality_id, row.municipality_name, row.team_id, row.team_code) == (
        world["m1"], "Aadorp", world["a"], "TA")
    assert row.municipality_code.startswith("GM")
    assert (row.section_code, row.level_kind) == ("LG01", "algemeen")


def test_sections_count_distinct_people(world: dict[str, Any]) -> None:
    sections = {(r.team_code, r.section_code): (r.with_goal, r.gap_no_goal)
                for r in region_needs(world["region"]).sections}
    # GC: goals p2 (GC02) and p4 (GC01); gaps without a goal p1 and p5.
    assert sections == {("TA", "GC"): (2, 2), ("TA", "LG01"): (1, 1), ("TB", "LG01"): (0, 1),
                        ("TC", "GC"): (0, 1)}


def test_team_sizes_count_contributors_only(world: dict[str, Any]) -> None:
    teams = {t.team_code: t.professionals for t in region_needs(world["region"]).teams}
    # Team A: p1, p2, p4, p5 (p3 has only a draft scan and an empty draft POP; p6 is in the old round).
    assert teams == {"TA": 4, "TB": 1, "TC": 1}


def test_level_filter(world: dict[str, Any]) -> None:
    needs = region_needs(world["region"], level_kind="algemeen")
    assert _items(needs) == {("TA", "LG01-A1"): (1, 1)}
    assert {(r.team_code, r.section_code) for r in needs.sections} == {("TA", "LG01")}


def test_period_selects_rounds_by_opening_date(world: dict[str, Any]) -> None:
    only_old = region_needs(world["region"], (today() - timedelta(days=120), today() - timedelta(days=90)))
    assert _items(only_old) == {("TA", "LG02-A1"): (0, 1)}
    both = region_needs(world["region"], (today() - timedelta(days=120), today()))
    assert _items(both)[("TA", "LG02-A1")] == (0, 1)
    assert _items(both)[("TA", "GC01")] == (1, 2)
    assert "TX" not in {t.team_code for t in both.teams}


def test_goal_in_another_selected_round_cancels_the_gap(world: dict[str, Any], app_ctx: Any) -> None:
    """Over a period a person's goal on an item code in any selected round means no 'gap without goal'."""
    from scan.assessment.models import ScanRound
    from scan.auth.models import User

    old = db.session.scalar(select(ScanRound).where(ScanRound.title == "Oud"))
    p1 = db.session.scalar(select(User).where(User.team_id == world["a"]).order_by(User.id))
    _pop(old, p1, [(PopStatus.SIGNED, ["GC01"])])
    both = region_needs(world["region"], (today() - timedelta(days=120), today()))
    assert _items(both)[("TA", "GC01")] == (2, 1)


def test_archived_team_left_out_by_default(world: dict[str, Any]) -> None:
    from scan.db import utcnow
    from scan.organisation.models import Team

    db.session.get(Team, world["b"]).archived_at = utcnow()
    db.session.flush()
    assert "TB" not in {r.team_code for r in region_needs(world["region"]).items}


def test_query_count_does_not_grow_with_teams(app: Any, count_queries: Any) -> None:
    def build(teams_per_municipality: int) -> int:
        version = make_kenniskaart()
        region = make_region()
        for _ in range(2):
            municipality = make_municipality(region)
            for _ in range(teams_per_municipality):
                team = make_team(municipality)
                scan_round = make_round(team, version)
                for _ in range(2):
                    user = make_user(Role.PROFESSIONAL, team=team)
                    make_scan(scan_round, user, {"GC01": (1, 3), "LG01-A1": (1, 2)}, submitted=True)
                    _pop(scan_round, user, [(PopStatus.SIGNED, ["LG01-A1"])])
        db.session.flush()
        return region.id

    with app.app_context():
        small, large = build(1), build(3)
        counts = []
        for region_id, n_teams in ((small, 2), (large, 6)):
            count_queries.statements.clear()
            needs = region_needs(region_id)
            counts.append(count_queries.count)
            assert len(needs.teams) == n_teams
            assert sum(r.gap_no_goal for r in needs.items) == 2 * n_teams
        db.session.rollback()
    assert counts[0] == counts[1] == 5


def _row(m: int, team: int | None, code: str, item: str, goal: int, gap: int) -> ItemNeed:
    return ItemNeed(m, f"GM{m}", f"Gemeente {m}", team, code, item, item[:4], "algemeen", goal, gap)


def test_per_municipality_sums_teams() -> None:
    rows = [_row(1, 10, "T10", "LG01-A1", 2, 1), _row(1, 11, "T11", "LG01-A1", 3, 4),
            _row(1, 11, "T11", "LG02-A1", 1, 0), _row(2, 20, "T20", "LG01-A1", 5, 5)]
    totals = {(r.municipality_id, r.item_code): (r.with_goal, r.gap_no_goal, r.team_id, r.team_code)
              for r in per_municipality(rows)}
    assert totals == {(1, "LG01-A1"): (5, 5, None, ""), (1, "LG02-A1"): (1, 0, None, ""),
                      (2, "LG01-A1"): (5, 5, None, "")}
    assert per_municipality([]) == []


def test_per_leefgebied_sums_items() -> None:
    rows = [_row(1, 10, "T10", "LG01-A1", 2, 1), _row(1, 10, "T10", "LG01-S1", 3, 4),
            _row(2, 20, "T20", "LG02-A1", 1, 0)]
    assert per_leefgebied(rows) == {"LG01": (5, 5), "LG02": (1, 0)}


def test_merge_small_teams_into_other_row() -> None:
    teams = [TeamInfo(1, "GM1", "Een", 10, "T10", 12), TeamInfo(1, "GM1", "Een", 11, "T11", 3),
             TeamInfo(1, "GM1", "Een", 12, "T12", 2), TeamInfo(2, "GM2", "Twee", 20, "T20", 4)]
    rows = [_row(1, 10, "T10", "LG01-A1", 6, 1), _row(1, 11, "T11", "LG01-A1", 2, 1),
            _row(1, 12, "T12", "LG01-A1", 1, 1), _row(2, 20, "T20", "LG01-A1", 3, 0)]
    merged, groups = merge_small_teams(rows, teams, k=5)
    assert {(r.team_id, r.team_code): (r.with_goal, r.gap_no_goal) for r in merged} == {
        (10, "T10"): (6, 1), (None, "other"): (3, 2)}
    assert {(g.team_code, g.professionals) for g in groups} == {("T10", 12), ("other", 5)}
    # Municipality 2 has fewer than k in all: it is left out here, never shown as a team.
    assert all(r.municipality_id == 1 for r in merged)
