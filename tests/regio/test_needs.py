"""A period's training need counted in SQL: who counts (submitted, professional at the time, POP versions
that were proposed), where (the team and municipality at submission), and in how many statements."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from scan.access import Role
from scan.core.clock import today
from scan.db import utcnow
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.pop.models import Pop, PopGoal, PopStatus, PopVersion
from scan.regio.disclosure.linked import ALL, Counts
from scan.regio.needs import period_counts
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


NOW = (-30, 0)  # the period of the current rounds, in days from today


def _period(days: tuple[int, int] = NOW) -> tuple[Any, Any]:
    return today() + timedelta(days=days[0]), today() + timedelta(days=days[1])


def counts(region: int, days: tuple[int, int] = NOW) -> Counts:
    return period_counts(region, *_period(days))


def _items(c: Counts) -> dict[tuple[str, str], tuple[int, int]]:
    codes = {t.team_id: t.team_code for t in c.teams}
    out: dict[tuple[str, str], list[int]] = {}
    for (measure, team_id, item), n in c.items.items():
        out.setdefault((codes[team_id], item), [0, 0])[0 if measure == "goal" else 1] = n
    return {key: (v[0], v[1]) for key, v in out.items()}


def _sections(c: Counts, level: str = ALL) -> dict[tuple[str, str], tuple[int, int]]:
    codes = {t.team_id: t.team_code for t in c.teams}
    out: dict[tuple[str, str], list[int]] = {}
    for (measure, team_id, section, lv), n in c.sections.items():
        if lv == level:
            out.setdefault((codes[team_id], section), [0, 0])[0 if measure == "goal" else 1] = n
    return {key: (v[0], v[1]) for key, v in out.items()}


def test_counts_per_team_and_item(world: dict[str, Any]) -> None:
    assert _items(counts(world["region"])) == {
        ("TA", "GC01"): (1, 2),  # goal: p4 (earlier signed version); gap: p1, p5 (withdrawn agreement)
        ("TA", "GC02"): (1, 0),  # p2's signed goal
        # p1's goal sits in a draft that was never proposed: not counted, so p1 has a gap without a goal;
        # p2 has a gap by the agreed level.
        ("TA", "LG01-A1"): (0, 2),
        ("TB", "LG01-S1"): (0, 1),
        ("TC", "GC01"): (0, 1),
    }


def test_item_meta_and_levels(world: dict[str, Any]) -> None:
    c = counts(world["region"])
    assert c.item_meta["LG01-A1"] == ("LG01", "algemeen")
    assert c.item_meta["LG01-S1"] == ("LG01", "specialistisch")
    assert set(c.section_levels["LG01"]) == {"algemeen", "specialistisch"}


def test_sections_count_distinct_people(world: dict[str, Any]) -> None:
    c = counts(world["region"])
    # GC: goals p2 (GC02) and p4 (GC01); gaps without a goal p1 and p5.
    assert _sections(c) == {("TA", "GC"): (2, 2), ("TA", "LG01"): (0, 2), ("TB", "LG01"): (0, 1),
                            ("TC", "GC"): (0, 1)}
    assert _sections(c, "specialistisch") == {("TB", "LG01"): (0, 1)}
    assert _sections(c, "algemeen") == {("TA", "LG01"): (0, 2)}


def test_team_sizes_count_submitted_scans_only(world: dict[str, Any]) -> None:
    teams = {t.team_code: t.people for t in counts(world["region"]).teams}
    # Team A: p1, p2, p4, p5 (p3 has only a draft scan; p6 is in the old round).
    assert teams == {"TA": 4, "TB": 1, "TC": 1}


def test_period_selects_rounds_by_opening_date(world: dict[str, Any]) -> None:
    assert _items(counts(world["region"], (-120, -90))) == {("TA", "LG02-A1"): (0, 1)}
    both = counts(world["region"], (-120, 0))
    assert _items(both)[("TA", "LG02-A1")] == (0, 1)
    assert _items(both)[("TA", "GC01")] == (1, 2)
    assert "TX" not in {t.team_code for t in both.teams}


def test_goal_in_another_round_of_the_period_cancels_the_gap(world: dict[str, Any]) -> None:
    from scan.assessment.models import ScanRound
    from scan.auth.models import User

    old = db.session.scalar(select(ScanRound).where(ScanRound.title == "Oud"))
    p1 = db.session.scalar(select(User).where(User.team_id == world["a"]).order_by(User.id))
    _pop(old, p1, [(PopStatus.SIGNED, ["GC01"])])
    # Without a submitted scan in the old round, that POP is not counted at all.
    assert _items(counts(world["region"], (-120, 0)))[("TA", "GC01")] == (1, 2)
    make_scan(old, p1, {"GC01": (3, 3)}, submitted=True)
    # Now it is a goal of the period: p1's gap on GC01 in the new round is no gap without a goal.
    assert _items(counts(world["region"], (-120, 0)))[("TA", "GC01")] == (2, 1)


def test_returned_and_proposed_versions_count_drafts_do_not(world: dict[str, Any]) -> None:
    from scan.auth.models import User

    p1 = db.session.scalar(select(User).where(User.team_id == world["a"]).order_by(User.id))
    pop = db.session.scalar(select(Pop).where(Pop.user_id == p1.id))
    db.session.get(PopVersion, pop.versions[0].id).status = PopStatus.RETURNED
    db.session.flush()
    assert _items(counts(world["region"]))[("TA", "LG01-A1")] == (1, 1)  # the returned version counts
    # A new draft version with another goal: the returned one still counts, the draft does not.
    version = PopVersion(pop_id=pop.id, number=2, status=PopStatus.DRAFT)
    db.session.add(version)
    db.session.flush()
    item = db.session.scalar(select(Item).where(Item.code == "GC02"))
    db.session.add(PopGoal(version_id=version.id, position=0, item_id=item.id))
    db.session.flush()
    assert _items(counts(world["region"]))[("TA", "GC02")] == (1, 0)  # p2 only


def test_people_are_counted_where_and_as_whom_they_submitted(world: dict[str, Any]) -> None:
    from scan.auth.models import User
    from scan.organisation.models import Team

    before = counts(world["region"])
    members = db.session.scalars(select(User).where(User.team_id == world["a"]).order_by(User.id)).all()
    # Afterwards p1 moves to team C and p2 becomes a team leader: nothing changes.
    members[0].team_id = world["c"]
    members[1].role = Role.TEAMLEIDER.value
    db.session.get(Team, world["a"]).archived_at = utcnow()  # archived teams stay in
    db.session.flush()
    after = counts(world["region"])
    assert _items(after) == _items(before)
    assert {t.team_code: t.people for t in after.teams} == {t.team_code: t.people for t in before.teams}


def test_role_at_submission_decides(world: dict[str, Any]) -> None:
    from scan.assessment.models import ScanRound

    ra = db.session.scalar(select(ScanRound).where(ScanRound.team_id == world["b"]))
    from scan.organisation.models import Team

    leader = make_user(Role.TEAMLEIDER, team=db.session.get(Team, world["b"]))
    make_scan(ra, leader, {"GC01": (1, 4)}, submitted=True)
    leader.role = Role.PROFESSIONAL.value  # promoted back later: the scan was not a professional's
    db.session.flush()
    assert {t.team_code: t.people for t in counts(world["region"]).teams}["TB"] == 1


def test_reopened_scan_is_not_counted(world: dict[str, Any]) -> None:
    from scan.assessment.models import Scan

    scan = db.session.scalar(select(Scan).join(Scan.round).where(Scan.status == "submitted",
                                                                  Scan.counted_team_id == world["b"]))
    scan.status = "draft"
    db.session.flush()
    assert scan.counted_role is None
    assert "TB" not in {t.team_code for t in counts(world["region"]).teams}


def test_two_statements_whatever_the_size(app: Any, count_queries: Any) -> None:
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
        numbers = []
        for region_id, n_teams in ((small, 2), (large, 6)):
            count_queries.statements.clear()
            c = counts(region_id)
            numbers.append(count_queries.count)
            assert len(c.teams) == n_teams
            assert sum(n for (m, _t, _i), n in c.items.items() if m == "gap") == 2 * n_teams
        db.session.rollback()
    assert numbers[0] == numbers[1] <= 3  # the counts, the team sizes (and SET LOCAL on PostgreSQL)


def test_a_team_moved_afterwards_stays_in_the_municipality_it_was_counted_in(world: dict[str, Any]) -> None:
    from scan.organisation.models import Team

    db.session.get(Team, world["a"]).municipality_id = world["m2"]
    db.session.flush()
    teams = {t.team_code: t.municipality_id for t in counts(world["region"]).teams}
    assert teams["TA"] == world["m1"]
