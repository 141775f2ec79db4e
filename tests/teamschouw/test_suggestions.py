"""Suggested priorities: the ranking on small hand-made teams (no database, no request)."""

from dataclasses import dataclass

from scan.teamschouw.plan.suggestions import ItemInfo, rank, reason


@dataclass(frozen=True)
class A:
    scan_id: int
    item_id: int
    level: int | None
    ambition: int | None = None
    agreed_level: int | None = None
    not_applicable: bool = False


@dataclass(frozen=True)
class Cov:
    """Enough of a SectionCoverage for the ranking: the section code and the team norm."""

    code: str
    norm: int
    status: str = "ok"


NORMS = {
    "individual": {"generic_min_level": 2, "algemeen_min_level": 2},
    "team": {"specialists_min": 2, "specialist_level": 3},
}
GC01, GC02, A1, S1, S2 = 1, 2, 3, 4, 5
ITEMS = [
    ItemInfo(GC01, "GC01", "GC", "generiek", "Contact maken", "Engaging"),
    ItemInfo(GC02, "GC02", "GC", "generiek", "Vraagverheldering", "Needs assessment"),
    ItemInfo(A1, "LG01-A1", "LG01", "algemeen", "Geldzorgen herkennen", "Spotting money worries"),
    ItemInfo(S1, "LG01-S1", "LG01", "specialistisch", "Stabiliseren", "Stabilising"),
    ItemInfo(S2, "LG02-S1", "LG02", "specialistisch", "Woonbegeleiding", "Housing support"),
]


def fine(scan_id: int, specialist: bool = True) -> list[A]:
    """A member who meets every norm, wants nothing more, and is a specialist on both items."""
    level = 3 if specialist else 2
    return [
        A(scan_id, GC01, 3, 3),
        A(scan_id, GC02, 3, 3),
        A(scan_id, A1, 3, 3),
        A(scan_id, S1, level, level),
        A(scan_id, S2, level, level),
    ]


def codes(suggestions):
    return [s.code for s in suggestions]


def test_an_empty_team_gets_no_suggestions():
    assert rank(ITEMS, [], 0, NORMS) == []
    # Even answers without submitted members (should not happen) give nothing.
    assert rank(ITEMS, [A(1, GC01, 1)], 0, NORMS) == []


def test_a_team_where_all_is_fine_gets_no_suggestions():
    answers = fine(1) + fine(2) + fine(3)
    assert rank(ITEMS, answers, 3, NORMS) == []


def test_members_below_the_norm_are_counted_with_a_reason():
    # 9 members: 4 below the norm of 2 on GC01, the rest fine.
    answers = [a for n in range(1, 10) for a in fine(n)]
    answers = [a for a in answers if not (a.item_id == GC01 and a.scan_id <= 4)]
    answers += [A(n, GC01, 1, 1) for n in range(1, 5)]
    result = rank(ITEMS, answers, 9, NORMS)
    assert codes(result) == ["GC01"]
    assert (result[0].below_norm, result[0].wants_growth, result[0].risk) == (4, 0, None)
    assert reason(result[0]) == "4 of 9 below the norm"


def test_specialist_coverage_none_single_and_thin():
    base = [a for n in (1, 2, 3) for a in fine(n) if a.item_id not in (S1, S2)]
    # S1: nobody at level 3; S2: one person.
    answers = [*base, A(1, S1, 2, 2), A(2, S1, 1, 1), A(1, S2, 4, 4), A(2, S2, 2, 2)]
    result = rank(ITEMS, answers, 3, NORMS)
    assert codes(result) == ["LG01-S1", "LG02-S1"]
    assert [s.risk for s in result] == ["none", "single"]
    assert reason(result[0]) == "nobody at specialist level"
    assert reason(result[1]) == "rests on one person"
    # A team norm of 3 for LG02 (from the coverage list) makes two specialists "thin".
    answers = base + [A(n, S1, 3, 3) for n in (1, 2)] + [A(n, S2, 3, 3) for n in (1, 2)]
    assert rank(ITEMS, answers, 3, NORMS, [Cov("LG01", 2), Cov("LG02", 3)])[0].risk == "thin"
    result = rank(ITEMS, answers, 3, NORMS, [Cov("LG01", 2), Cov("LG02", 3)])
    assert codes(result) == ["LG02-S1"]
    assert reason(result[0]) == "thin: 2 at specialist level, the team norm is 3"
    # Without a coverage entry the Kenniskaart's default norm (2) applies: covered.
    assert rank(ITEMS, answers, 3, NORMS) == []


def test_the_agreed_level_counts_and_not_applicable_counts_for_nothing():
    answers = [a for n in (1, 2) for a in fine(n) if a.item_id != A1]
    # Member 1 said 1, but the team agreed 2: not below the norm. Member 2 marked n.v.t.
    answers += [A(1, A1, 1, 1, agreed_level=2), A(2, A1, None, None, not_applicable=True)]
    assert rank(ITEMS, answers, 2, NORMS) == []
    # Agreed lower than the self-assessment: below the norm after all.
    answers = [a for n in (1, 2) for a in fine(n) if a.item_id != A1]
    answers += [A(1, A1, 2, 2, agreed_level=1), A(2, A1, 2, 2)]
    assert codes(rank(ITEMS, answers, 2, NORMS)) == ["LG01-A1"]
    # An agreed level on an item the member marked n.v.t. counts too (as in the coverage).
    answers = [a for n in (1, 2) for a in fine(n) if a.item_id != S1]
    answers += [A(1, S1, None, None, agreed_level=3, not_applicable=True), A(2, S1, 3, 3)]
    assert rank(ITEMS, answers, 2, NORMS) == []


def test_one_members_wish_to_grow_is_not_a_team_priority_but_two_are():
    answers = [a for n in (1, 2, 3) for a in fine(n) if a.item_id != GC02]
    one = [*answers, A(1, GC02, 3, 4), A(2, GC02, 3, 3), A(3, GC02, 3, 3)]
    assert rank(ITEMS, one, 3, NORMS) == []
    two = [*answers, A(1, GC02, 3, 4), A(2, GC02, 3, 4), A(3, GC02, 3, 3)]
    result = rank(ITEMS, two, 3, NORMS)
    assert codes(result) == ["GC02"]
    assert reason(result[0]) == "2 of 3 want to grow"


def test_ranking_combines_gap_and_risk_with_a_readable_reason():
    answers = [a for n in (1, 2, 3, 4) for a in fine(n) if a.item_id not in (GC01, S1)]
    # GC01: 1 of 4 below the norm, 2 of 4 want to grow. S1: nobody specialist, 2 want to grow.
    answers += [A(1, GC01, 1, 2), A(2, GC01, 2, 3), A(3, GC01, 3, 3), A(4, GC01, 3, 3)]
    answers += [A(1, S1, 2, 3), A(2, S1, 2, 3), A(3, S1, 2, 2), A(4, S1, 1, 1)]
    result = rank(ITEMS, answers, 4, NORMS)
    assert codes(result) == ["LG01-S1", "GC01"]
    assert reason(result[0]) == "2 of 4 want to grow; nobody at specialist level"
    assert reason(result[1]) == "1 of 4 below the norm; 2 of 4 want to grow"
    assert result[0].score > result[1].score


def test_ties_go_to_more_members_below_the_norm_then_to_kenniskaart_order():
    answers = [a for n in (1, 2) for a in fine(n) if a.item_id not in (GC01, GC02, A1)]
    # Equal scores everywhere: one member below the norm, nobody wants to grow.
    answers += [A(1, GC01, 1, 1), A(2, GC01, 3, 3)]
    answers += [A(1, GC02, 3, 3), A(2, GC02, 1, 1)]
    answers += [A(1, A1, 1, 1), A(2, A1, 2, 2)]
    result = rank(ITEMS, answers, 2, NORMS)
    assert [s.score for s in result] == [1.0, 1.0, 1.0]
    assert codes(result) == ["GC01", "GC02", "LG01-A1"]
    # Same score, but more members below the norm wins: 2 below (score 2.0) against 1 below + 2 growing.
    answers = [a for n in (1, 2) for a in fine(n) if a.item_id not in (GC01, GC02)]
    answers += [A(1, GC01, 1, 2), A(2, GC01, 2, 3)]  # 1 below, 2 growing: 1.0 + 1.0
    answers += [A(1, GC02, 1, 1), A(2, GC02, 1, 1)]  # 2 below: 2.0
    result = rank(ITEMS, answers, 2, NORMS)
    assert [s.score for s in result] == [2.0, 2.0]
    assert codes(result) == ["GC02", "GC01"]


def test_reason_in_dutch(app):
    answers = [a for n in range(1, 10) for a in fine(n) if a.item_id != S1]
    answers += [A(n, S1, 2, 2) for n in range(1, 10)]
    answers = [a for a in answers if not (a.item_id == A1 and a.scan_id <= 4)]
    answers += [A(n, A1, 1, 1) for n in range(1, 5)]
    result = rank(ITEMS, answers, 9, NORMS)
    with app.test_request_context():
        assert [reason(s) for s in result] == ["niemand op specialistisch niveau", "4 van 9 onder de norm"]
