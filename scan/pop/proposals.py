"""Proposed POP goals, most important first. Pure: plain data in, plain data out; no database.

Two sources, in this order:
1. the team's priorities of the round, in the team's order: a priority on an item proposes that item; a
   priority on a leefgebied proposes each of its items where the person has a gap (ambition above their
   level) or is below the individual norm (largest gap first, then furthest below the norm);
2. the person's own gaps, largest first (Kenniskaart order breaks ties).

"Their level" is the level agreed with the team leader where one was recorded, else the self-assessed
level. An item is proposed once: as a team priority when it is one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scan.assessment.results.scores import IndividualNorm

TEAM_PRIORITY = "team_priority"
AMBITION = "ambition"
OWN = "own"
REASON_KINDS = (TEAM_PRIORITY, AMBITION, OWN)


@dataclass(frozen=True)
class ItemInfo:
    id: int
    code: str
    section_id: int
    level_kind: str
    title_nl: str = ""
    title_en: str = ""
    required: bool = True


@dataclass(frozen=True)
class MyAnswer:
    level: int | None  # None: not answered or not applicable
    ambition: int | None
    agreed_level: int | None = None


@dataclass(frozen=True)
class PriorityInfo:
    item_id: int | None
    section_id: int | None
    reason: str = ""
    reason_facts: Mapping[str, Any] | None = None  # a suggestion taken over: see scan.teamschouw.reasons


@dataclass(frozen=True)
class Proposal:
    item_id: int
    code: str
    title_nl: str
    title_en: str
    reason_kind: str  # TEAM_PRIORITY or AMBITION
    level: int | None  # the level that counts (agreed, else self-assessed)
    agreed: bool  # whether `level` is an agreed level
    ambition: int | None
    norm: int | None
    priority_reason: str = ""  # the team's reason, for a team priority
    priority_reason_facts: Mapping[str, Any] | None = None  # its facts, where it was a suggestion taken over

    @property
    def gap(self) -> int:
        if self.level is None or self.ambition is None:
            return 0
        return max(self.ambition - self.level, 0)

    @property
    def below_norm(self) -> bool:
        return self.level is not None and self.norm is not None and self.level < self.norm

    @property
    def target_level(self) -> int | None:
        """Where the goal aims: the ambition when above the level, else the norm when below it."""
        if self.gap:
            return self.ambition
        if self.below_norm:
            return self.norm
        return None


def _proposal(
    item: ItemInfo,
    answer: MyAnswer | None,
    norm: IndividualNorm,
    kind: str,
    priority: PriorityInfo | None = None,
) -> Proposal:
    level = None
    agreed = False
    ambition = None
    if answer is not None:
        if answer.agreed_level is not None:
            level, agreed = answer.agreed_level, True
        else:
            level = answer.level
        # No ambition chosen means "stay at this level" (as in the scan result).
        ambition = answer.ambition if answer.ambition is not None else level
    return Proposal(
        item_id=item.id,
        code=item.code,
        title_nl=item.title_nl,
        title_en=item.title_en,
        reason_kind=kind,
        level=level,
        agreed=agreed,
        ambition=ambition,
        norm=norm.minimum_for(item.level_kind) if item.required else None,
        priority_reason=priority.reason if priority else "",
        priority_reason_facts=priority.reason_facts if priority else None,
    )


def _importance(p: Proposal) -> tuple[int, int]:
    return (-p.gap, (p.level or 0) - (p.norm or 0) if p.below_norm else 0)


def rank(
    items: Sequence[ItemInfo],
    answers: Mapping[int, MyAnswer],
    priorities: Iterable[PriorityInfo],
    norms: Mapping[str, Any] | None,
) -> list[Proposal]:
    """The proposed goals, most important first (see the module docstring)."""
    norm = IndividualNorm.from_norms(norms)
    by_id = {i.id: i for i in items}
    proposed: list[Proposal] = []
    seen: set[int] = set()
    for priority in priorities:
        if priority.item_id is not None:
            item = by_id.get(priority.item_id)
            if item is None or item.id in seen:
                continue
            proposed.append(_proposal(item, answers.get(item.id), norm, TEAM_PRIORITY, priority))
            seen.add(item.id)
        elif priority.section_id is not None:
            candidates = [
                _proposal(i, answers.get(i.id), norm, TEAM_PRIORITY, priority)
                for i in items
                if i.section_id == priority.section_id and i.id not in seen
            ]
            chosen = sorted((p for p in candidates if p.gap or p.below_norm), key=_importance)
            proposed.extend(chosen)
            seen.update(p.item_id for p in chosen)
    own = [
        p
        for p in (_proposal(i, answers.get(i.id), norm, AMBITION) for i in items if i.id not in seen)
        if p.gap
    ]
    proposed.extend(sorted(own, key=lambda p: -p.gap))
    return proposed
