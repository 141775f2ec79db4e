"""Ranking proposed POP goals: pure functions, no database."""

from scan.pop.proposals import AMBITION, TEAM_PRIORITY, ItemInfo, MyAnswer, PriorityInfo, rank

NORMS = {"individual": {"generic_min_level": 2, "algemeen_min_level": 2}}
GC01 = ItemInfo(1, "GC01", 10, "generiek")
GC02 = ItemInfo(2, "GC02", 10, "generiek")
A1 = ItemInfo(3, "LG01-A1", 20, "algemeen")
A2 = ItemInfo(4, "LG01-A2", 20, "algemeen")
S1 = ItemInfo(5, "LG01-S1", 20, "specialistisch", required=False)
B1 = ItemInfo(6, "LG02-A1", 30, "algemeen")
ITEMS = [GC01, GC02, A1, A2, S1, B1]


def _codes(proposals):
    return [(p.code, p.reason_kind) for p in proposals]


def test_own_gaps_largest_first_in_kenniskaart_order():
    answers = {1: MyAnswer(2, 3), 2: MyAnswer(1, 4), 3: MyAnswer(2, 2), 6: MyAnswer(2, 3)}
    assert _codes(rank(ITEMS, answers, [], NORMS)) == [
        ("GC02", AMBITION),
        ("GC01", AMBITION),
        ("LG02-A1", AMBITION),
    ]


def test_the_agreed_level_counts_instead_of_the_self_assessed_one():
    # Self 2, ambition 3, but agreed 3: no gap. Self 3, ambition 3, agreed 2: a gap of 1.
    answers = {1: MyAnswer(2, 3, agreed_level=3), 2: MyAnswer(3, 3, agreed_level=2)}
    proposals = rank(ITEMS, answers, [], NORMS)
    assert _codes(proposals) == [("GC02", AMBITION)]
    assert proposals[0].level == 2 and proposals[0].agreed and proposals[0].target_level == 3


def test_no_ambition_means_stay_and_not_applicable_is_never_a_gap():
    answers = {1: MyAnswer(2, None), 5: MyAnswer(None, None)}
    assert rank(ITEMS, answers, [], NORMS) == []


def test_team_priorities_come_first_in_the_teams_order():
    answers = {1: MyAnswer(1, 4), 2: MyAnswer(3, 3), 3: MyAnswer(1, 1), 4: MyAnswer(2, 3), 5: MyAnswer(3, 3)}
    priorities = [PriorityInfo(None, 20, "Schulden"), PriorityInfo(2, None, "Vraagverheldering")]
    proposals = rank(ITEMS, answers, priorities, NORMS)
    # Leefgebied LG01: A2 (gap 1) before A1 (below the norm, no gap); S1 has neither and is left out.
    # Then the item priority GC02 even without a gap; then the own gap GC01, not repeated.
    assert _codes(proposals) == [
        ("LG01-A2", TEAM_PRIORITY),
        ("LG01-A1", TEAM_PRIORITY),
        ("GC02", TEAM_PRIORITY),
        ("GC01", AMBITION),
    ]
    assert proposals[0].priority_reason == "Schulden" and proposals[2].priority_reason == "Vraagverheldering"
    assert proposals[1].below_norm and proposals[1].target_level == 2


def test_an_item_is_proposed_once_even_when_two_priorities_name_it():
    answers = {3: MyAnswer(1, 3)}
    priorities = [PriorityInfo(3, None, "eerst"), PriorityInfo(None, 20, "leefgebied")]
    assert _codes(rank(ITEMS, answers, priorities, NORMS)) == [("LG01-A1", TEAM_PRIORITY)]


def test_priorities_on_unknown_items_are_ignored():
    assert rank(ITEMS, {}, [PriorityInfo(999, None, "x"), PriorityInfo(None, 999, "y")], NORMS) == []
