"""Suggested team priorities: items ranked by the team's shared gap and its coverage risk.

Pure functions on plain data: no database, no request. Items are anything with the attributes of
`results.ItemSpec` plus `section_code` (see `SuggestionItem`), answers anything with those of
`queries.TeamAnswer` (scan id, item id, self level, not applicable, ambition, agreed level), coverage
anything with the attributes `code` and `norm` of `coverage.SectionCoverage`.

Per item, over the members whose scan is submitted:
- generic and algemeen items: how many are below the Kenniskaart's individual norm;
- every item: how many want to grow (ambition above their self-assessed level);
- specialist items: how many are at specialist level, against the team norm of the item's leefgebied
  (the section's `norm` in the coverage list; else the Kenniskaart's default): nobody is the highest
  risk, one is "rests on one person", fewer than the norm is "thin".
The level that counts for the norm and for specialists is the agreed one where the team leader recorded
it, else the self-assessed one (the same rules as `coverage`). Self-assessed and agreed levels are never
averaged.

Score: twice the share below the norm, plus the share that wants to grow, plus the coverage risk (none 2,
one person 1.5, thin 1). Highest first; ties go to more members below the norm, then to more members who
want to grow, then to Kenniskaart order. An item is suggested only when someone is below the norm, its
specialist coverage is at risk, or at least `MIN_SHARED_GROWTH` members want to grow in it: one person's
wish belongs in their own development plan, not in the team's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from scan.assessment.results.scores import IndividualNorm, specialist_level_from
from scan.kenniskaart.models import LEVEL_SPECIALISTISCH
from scan.teamschouw import reasons
from scan.teamschouw.answers import AnswerLike, effective_level

MIN_SHARED_GROWTH = 2
DEFAULT_SPECIALISTS_MIN = 2

RISK_NONE = reasons.RISK_NONE
RISK_SINGLE = reasons.RISK_SINGLE
RISK_THIN = reasons.RISK_THIN
RISK_OK = "ok"
RISK_WEIGHT = {RISK_NONE: 2.0, RISK_SINGLE: 1.5, RISK_THIN: 1.0, RISK_OK: 0.0}


class SuggestionItem(Protocol):
    id: int
    code: str
    section_code: str
    level_kind: str
    title_nl: str
    title_en: str


class CoverageLike(Protocol):
    code: str
    norm: int


@dataclass(frozen=True)
class ItemInfo:
    """An item as plain data, for tests and for callers that build items from query rows."""

    id: int
    code: str
    section_code: str
    level_kind: str
    title_nl: str = ""
    title_en: str = ""


@dataclass(frozen=True)
class Suggestion:
    item_id: int
    code: str
    section_code: str
    level_kind: str
    title_nl: str
    title_en: str
    members: int  # submitted members in the round
    below_norm: int
    wants_growth: int
    # Specialist items only: members at specialist level, the team norm, and the risk.
    specialists: int | None
    norm: int | None
    risk: str | None
    score: float


def specialists_min_from(norms: Mapping[str, Any] | None) -> int:
    team = (norms or {}).get("team") or {}
    value = team.get("specialists_min")
    return value if isinstance(value, int) else DEFAULT_SPECIALISTS_MIN


def coverage_risk(specialists: int, norm: int) -> str:
    if specialists == 0:
        return RISK_NONE
    if specialists == 1:
        return RISK_SINGLE
    if specialists < norm:
        return RISK_THIN
    return RISK_OK


def rank(
    items: Sequence[SuggestionItem],
    answers: Iterable[AnswerLike],
    members: int,
    norms: Mapping[str, Any] | None = None,
    coverage: Sequence[CoverageLike] | None = None,
) -> list[Suggestion]:
    """The ranked suggestions; `items` in Kenniskaart order, `members` = submitted members."""
    if members <= 0:
        return []  # no submitted scan: nothing is known about the team yet
    individual = IndividualNorm.from_norms(norms)
    specialist_level = specialist_level_from(norms)
    default_norm = specialists_min_from(norms)
    section_norm = {c.code: c.norm for c in coverage or ()}
    per_item: dict[int, list[AnswerLike]] = {}
    for answer in answers:
        per_item.setdefault(answer.item_id, []).append(answer)

    ranked: list[tuple[tuple[float, int, int, int], Suggestion]] = []
    for position, item in enumerate(items):
        rows = per_item.get(item.id, [])
        minimum = individual.minimum_for(item.level_kind)
        below = growth = 0
        specialists = 0
        for row in rows:
            # Growth is the member's own wish: ambition above their self-assessed level (as coverage).
            own = None if row.not_applicable else row.level
            if own is not None and row.ambition is not None and row.ambition > own:
                growth += 1
            level = effective_level(row)
            if level is None:
                continue
            if minimum is not None and level < minimum:
                below += 1
            if level >= specialist_level:
                specialists += 1
        risk = norm = count = None
        if item.level_kind == LEVEL_SPECIALISTISCH:
            norm = section_norm.get(item.section_code, default_norm)
            count = specialists
            risk = coverage_risk(specialists, norm)
        at_risk = risk not in (None, RISK_OK)
        if not (below or at_risk or growth >= MIN_SHARED_GROWTH):
            continue
        score = 2 * below / members + growth / members + RISK_WEIGHT.get(risk or RISK_OK, 0.0)
        suggestion = Suggestion(
            item_id=item.id,
            code=item.code,
            section_code=item.section_code,
            level_kind=item.level_kind,
            title_nl=item.title_nl,
            title_en=item.title_en,
            members=members,
            below_norm=below,
            wants_growth=growth,
            specialists=count,
            norm=norm,
            risk=risk,
            score=round(score, 6),
        )
        ranked.append(((-suggestion.score, -below, -growth, position), suggestion))
    ranked.sort(key=lambda pair: pair[0])
    return [suggestion for _key, suggestion in ranked]


def facts(suggestion: Suggestion) -> dict[str, Any]:
    """What the reason is built from, as stored with a priority taken over (see scan.teamschouw.reasons)."""
    return {
        "members": suggestion.members,
        "below_norm": suggestion.below_norm,
        "wants_growth": suggestion.wants_growth,
        "risk": suggestion.risk,
        "specialists": suggestion.specialists,
        "norm": suggestion.norm,
    }


def reason(suggestion: Suggestion) -> str:
    """Why the item is suggested, in the reader's language: "4 of 9 below the norm; nobody at ..."."""
    return reasons.suggestion_sentence(facts(suggestion))
