"""The regional scholingsplan: the suppressed need per item matched to the training catalogue. Pure.

Participants of a need are the professionals with a POP goal on the item (the goal measure of the item
table); professionals with a gap but no goal are shown beside it as potential. Everything is computed from
the *suppressed* item table, so the plan never shows more than the overview:
- a need whose participant count is hidden ("<k") gets no groups, hours or cost (they would reveal it);
- totals add the shown lines only; the number of needs left out is stated, never their sum;
- the region's plan uses the region column, a municipality's plan its own column: each cell is shown or
  hidden exactly as in the item table.

Per need the trainings that address it (by item code, active entries only) are listed, each with groups =
ceil(participants / maximum group size) (one group without a maximum), flagged when a group would be
smaller than the minimum, and total hours (participants × hours) and cost (participants × cost per
participant). The plan counts one option per need: the first of (level matches the item's level,
no minimum problem, lowest cost per participant, code).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scan.regio.disclosure.suppression import Cell
from scan.regio.overview import GAP, GOAL, ItemLabel, ItemRow, Overview, SectionLabel


@dataclass(frozen=True)
class Offer:
    """A catalogue entry as the plan needs it (see queries.active_trainings)."""

    code: str
    title: str
    provider: str
    type: str
    level: str | None
    hours: Decimal
    cost_cents: int
    min_group: int | None
    max_group: int | None
    item_codes: frozenset[str]


@dataclass(frozen=True)
class Option:
    offer: Offer
    groups: int | None  # None when the participant count is hidden or zero
    below_minimum: bool
    total_hours: Decimal | None
    total_cost_cents: int | None
    chosen: bool


@dataclass(frozen=True)
class PlanLine:
    item: ItemLabel
    section: SectionLabel
    participants: Cell
    potential: Cell
    options: tuple[Option, ...]
    # Municipalities whose goal count on it is shown as more than 0 or hidden (region plan only; 0 in a
    # municipality plan); read from shown figures only. (Named "teams" before publications.)
    teams: int

    @property
    def chosen(self) -> Option | None:
        return next((o for o in self.options if o.chosen), None)

    @property
    def counted(self) -> bool:
        """Whether this line adds to the totals: a visible, non-zero need with an offer."""
        return self.chosen is not None and self.chosen.groups is not None


@dataclass(frozen=True)
class PlanScope:
    """The plan for the region (municipality_id None) or for one municipality."""

    municipality_id: int | None
    name: str
    lines: tuple[PlanLine, ...]
    participants: int
    groups: int
    hours: Decimal
    cost_cents: int
    hidden_needs: int  # lines whose participant count is "<k": not in the totals


@dataclass(frozen=True)
class Scholingsplan:
    k: int
    region: PlanScope
    municipalities: tuple[PlanScope, ...]
    unmatched: tuple[PlanLine, ...]  # needs no active catalogue entry addresses: a purchasing question
    regional_offers: tuple[PlanLine, ...]  # at least k professionals, in two or more municipalities

    def for_municipality(self, municipality_id: int | None) -> Scholingsplan:
        """The region's plan with only one municipality's share (None: every municipality)."""
        if municipality_id is None:
            return self
        return Scholingsplan(
            self.k,
            self.region,
            tuple(m for m in self.municipalities if m.municipality_id == municipality_id),
            self.unmatched,
            self.regional_offers,
        )


def _option(offer: Offer, participants: Cell, chosen: bool = False) -> Option:
    if not isinstance(participants, int) or participants == 0:
        return Option(offer, None, False, None, None, chosen)
    groups = math.ceil(participants / offer.max_group) if offer.max_group else 1
    below = offer.min_group is not None and participants / groups < offer.min_group
    return Option(offer, groups, below, offer.hours * participants, offer.cost_cents * participants, chosen)


def _rank(offer: Offer, level_kind: str, participants: Cell) -> tuple[bool, bool, int, str]:
    option = _option(offer, participants)
    return (offer.level not in (None, level_kind), option.below_minimum, offer.cost_cents, offer.code)


def _line(
    item: ItemLabel,
    section: SectionLabel,
    participants: Cell,
    potential: Cell,
    offers: Sequence[Offer],
    teams: int,
) -> PlanLine:
    matching = [o for o in offers if item.code in o.item_codes]
    ranked = sorted(matching, key=lambda o: _rank(o, item.level_kind, participants))
    options = tuple(_option(o, participants, chosen=(n == 0)) for n, o in enumerate(ranked))
    return PlanLine(item, section, participants, potential, options, teams)


def _scope(municipality_id: int | None, name: str, lines: Iterable[PlanLine]) -> PlanScope:
    lines = tuple(lines)
    counted = [line for line in lines if line.counted]
    return PlanScope(
        municipality_id,
        name,
        lines,
        participants=sum(line.participants for line in counted),  # type: ignore[misc]
        groups=sum(line.chosen.groups for line in counted),  # type: ignore[union-attr,misc]
        hours=sum((line.chosen.total_hours for line in counted), Decimal(0)),  # type: ignore[union-attr,misc]
        cost_cents=sum(line.chosen.total_cost_cents for line in counted),  # type: ignore[union-attr,misc]
        hidden_needs=sum(not isinstance(line.participants, int) for line in lines),
    )


def _has_need(value: Cell) -> bool:
    return not isinstance(value, int) or value > 0


def build_plan(overview: Overview, offers: Sequence[Offer]) -> Scholingsplan:
    goals, gaps = overview.items[GOAL], overview.items[GAP]
    gap_rows: dict[str, ItemRow] = {r.item.code: r for r in gaps.rows}
    goal_rows: dict[str, ItemRow] = {r.item.code: r for r in goals.rows}
    # Every item with a need in either measure, in Kenniskaart order (the tables are in that order).
    order = list(goal_rows) + [code for code in gap_rows if code not in goal_rows]
    order.sort(
        key=lambda c: (
            (goal_rows.get(c) or gap_rows[c]).section.position,
            (goal_rows.get(c) or gap_rows[c]).item.position,
            c,
        )
    )

    region_lines = []
    for code in order:
        row = goal_rows.get(code) or gap_rows[code]
        participants = goal_rows[code].total if code in goal_rows else 0
        potential = gap_rows[code].total if code in gap_rows else 0
        region_lines.append(
            _line(
                row.item, row.section, participants, potential, offers, overview.teams_with_goal.get(code, 0)
            )
        )
    region = _scope(None, "", region_lines)

    municipalities = []
    for n, column in enumerate(goals.columns):
        lines = []
        for code in order:
            row = goal_rows.get(code) or gap_rows[code]
            participants = goal_rows[code].cells[n] if code in goal_rows else 0
            gap_n = [c.id for c in gaps.columns].index(column.id) if code in gap_rows else None
            potential = gap_rows[code].cells[gap_n] if gap_n is not None else 0
            if _has_need(participants) or _has_need(potential):
                lines.append(_line(row.item, row.section, participants, potential, offers, 0))
        municipalities.append(_scope(column.id, column.name, lines))

    unmatched = tuple(
        line
        for line in region_lines
        if not line.options and (_has_need(line.participants) or _has_need(line.potential))
    )
    offers_ = tuple(
        line
        for line in region_lines
        if isinstance(line.participants, int) and line.participants >= overview.k and line.teams >= 2
    )
    return Scholingsplan(overview.k, region, tuple(municipalities), unmatched, offers_)
