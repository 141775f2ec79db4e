"""The scholingsplan: suppressed needs matched to the catalogue, groups, hours, cost and totals."""

from __future__ import annotations

from decimal import Decimal

from scan.regio.disclosure.linked import TeamCount
from scan.regio.disclosure.suppression import Suppressed
from scan.regio.overview import ItemLabel, Labels, SectionLabel, from_publication
from scan.regio.plan import Offer, build_plan
from tests.regio.conftest import counts_of, publish_pure

LABELS = Labels(
    (
        SectionLabel("GC", "Generieke competenties", "generiek", 0),
        SectionLabel("LG01", "Geldzaken", "leefgebied", 1),
    ),
    (
        ItemLabel("GC01", "Gespreksvoering", "GC", "generiek", 1),
        ItemLabel("GC02", "Netwerken", "GC", "generiek", 2),
        ItemLabel("LG01-A1", "Schulden signaleren", "LG01", "algemeen", 1001),
        ItemLabel("LG01-S1", "Schuldhulp", "LG01", "specialistisch", 1002),
    ),
)
TEAMS = [
    TeamCount(11, "TA", 1, "GM0001", "Aadorp", 20),
    TeamCount(12, "TB", 1, "GM0001", "Aadorp", 20),
    TeamCount(21, "TC", 2, "GM0002", "Beekdal", 20),
]


def _offer(
    code: str,
    items: set[str],
    *,
    level: str | None = None,
    hours: str = "8",
    euros: int = 100,
    min_group: int | None = None,
    max_group: int | None = None,
) -> Offer:
    return Offer(
        code,
        f"Training {code}",
        "Aanbieder",
        "training",
        level,
        Decimal(hours),
        euros * 100,
        min_group,
        max_group,
        frozenset(items),
    )


def _plan(
    goals: dict[tuple[str, str], int], offers: list[Offer], gaps: dict[tuple[str, str], int] | None = None
):
    data = publish_pure(counts_of(TEAMS, goals, gaps or {}, LABELS))
    overview = from_publication(data, LABELS)
    return overview, build_plan(overview, offers)


def test_groups_hours_and_cost_of_a_need() -> None:
    _, plan = _plan(
        {("TA", "GC01"): 7, ("TB", "GC01"): 6, ("TC", "GC01"): 0},
        [_offer("TR1", {"GC01"}, hours="12.5", euros=250, min_group=8, max_group=12)],
    )
    line = plan.region.lines[0]
    # "teams" of a plan line: municipalities with a goal on it (TA and TB are both in Aadorp).
    assert line.item.code == "GC01" and line.participants == 13 and line.teams == 1
    option = line.chosen
    assert option is not None and option.offer.code == "TR1"
    # 13 people, at most 12 per group: two groups of 6.5 on average, below the minimum of 8.
    assert option.groups == 2 and option.below_minimum
    assert option.total_hours == Decimal("162.5") and option.total_cost_cents == 13 * 25_000
    assert (plan.region.participants, plan.region.groups, plan.region.hours, plan.region.cost_cents) == (
        13,
        2,
        Decimal("162.5"),
        325_000,
    )


def test_one_group_without_a_maximum_and_no_flag_when_the_minimum_is_met() -> None:
    _, plan = _plan({("TA", "GC01"): 9}, [_offer("TR1", {"GC01"}, min_group=6)])
    option = plan.region.lines[0].chosen
    assert option is not None and (option.groups, option.below_minimum) == (1, False)


def test_the_plan_prefers_the_matching_level_then_the_cheaper_entry() -> None:
    offers = [
        _offer("CHEAP-SPEC", {"LG01-A1"}, level="specialistisch", euros=10),
        _offer("DEAR", {"LG01-A1"}, level="algemeen", euros=400),
        _offer("CHEAP", {"LG01-A1"}, level="algemeen", euros=150),
    ]
    _, plan = _plan({("TA", "LG01-A1"): 6}, offers)
    line = plan.region.lines[0]
    assert [o.offer.code for o in line.options] == ["CHEAP", "DEAR", "CHEAP-SPEC"]
    assert [o.chosen for o in line.options] == [True, False, False]
    assert plan.region.cost_cents == 6 * 15_000  # only the chosen entry counts


def test_a_hidden_need_gets_no_numbers_and_stays_out_of_the_totals() -> None:
    goals = {
        ("TA", "GC01"): 3,
        ("TA", "GC02"): 8,
        ("TB", "GC02"): 9,
        ("TC", "GC02"): 6,
        ("TA", "LG01-A1"): 12,
        ("TB", "LG01-A1"): 7,
        ("TC", "LG01-A1"): 10,
    }
    _, plan = _plan(goals, [_offer("TR1", {"GC01"}), _offer("TR2", {"GC02", "LG01-A1"}, euros=50)])
    lines = {line.item.code: line for line in plan.region.lines}
    assert isinstance(lines["GC01"].participants, Suppressed)
    hidden = lines["GC01"].chosen
    assert hidden is not None and (hidden.groups, hidden.total_hours, hidden.total_cost_cents) == (
        None,
        None,
        None,
    )
    shown = [line for line in plan.region.lines if isinstance(line.participants, int)]
    assert shown, "the other needs are large enough to show"
    assert plan.region.participants == sum(line.participants for line in shown)
    assert plan.region.cost_cents == sum(line.participants * 5_000 for line in shown)
    assert plan.region.hidden_needs == len(plan.region.lines) - len(shown)
    for scope in plan.municipalities:
        visible = [line for line in scope.lines if isinstance(line.participants, int) and line.participants]
        assert scope.participants == sum(line.participants for line in visible)


def test_municipality_plans_use_the_suppressed_item_table() -> None:
    overview, plan = _plan(
        {("TA", "GC01"): 9, ("TC", "GC01"): 2, ("TC", "GC02"): 7}, [_offer("TR1", {"GC01", "GC02"})]
    )
    beekdal = next(m for m in plan.municipalities if m.name == "Beekdal")
    by_code = {line.item.code: line.participants for line in beekdal.lines}
    items = overview.items["goal"]
    assert by_code["GC01"] == items.cell("GC01", 2) and isinstance(by_code["GC01"], Suppressed)
    assert by_code["GC02"] == items.cell("GC02", 2)
    # The hidden Beekdal cell forces a second hidden cell in its line: the region total of GC01 cannot
    # be shown as 11 next to Aadorp's 9 (that would give Beekdal's 2 away).
    region_gc01 = next(line for line in plan.region.lines if line.item.code == "GC01").participants
    aadorp_gc01 = items.cell("GC01", 1)
    assert isinstance(region_gc01, Suppressed) or isinstance(aadorp_gc01, Suppressed)


def test_needs_without_an_offer_are_a_purchasing_question() -> None:
    _, plan = _plan(
        {("TA", "GC01"): 6, ("TB", "GC02"): 7}, [_offer("TR1", {"GC01"})], gaps={("TC", "LG01-S1"): 5}
    )
    assert [line.item.code for line in plan.unmatched] == ["GC02", "LG01-S1"]
    assert plan.unmatched[1].participants == 0 and plan.unmatched[1].potential == 5


def test_a_regional_group_offer_needs_k_professionals_from_two_municipalities() -> None:
    _, plan = _plan(
        {("TA", "GC01"): 6, ("TC", "GC01"): 6, ("TA", "GC02"): 9, ("TB", "GC02"): 9},
        [_offer("TR1", {"GC01", "GC02"})],
    )
    # GC01: 12 from Aadorp and Beekdal; GC02: 18, but from Aadorp only.
    offered = {line.item.code: line.teams for line in plan.regional_offers}
    assert offered == {"GC01": 2}


def test_the_municipality_filter_keeps_the_region_plan() -> None:
    _, plan = _plan({("TA", "GC01"): 6, ("TC", "GC01"): 6}, [_offer("TR1", {"GC01"})])
    only = plan.for_municipality(2)
    assert [m.name for m in only.municipalities] == ["Beekdal"] and only.region == plan.region
    assert plan.for_municipality(None) is plan
