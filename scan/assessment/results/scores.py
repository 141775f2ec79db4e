"""A professional's result: averages per section, strengths, development points and the T-profile.

Pure functions on plain data: no database, no request. Sections and items are anything with the
attributes of `SectionSpec` / `ItemSpec` (the Kenniskaart models qualify), answers anything with those
of `Rating` (the Answer model qualifies), keyed by item id.

Averages count only items with a level: "not applicable" and unscored items are left out, and the
counts say how many were. Averages are rounded to one decimal (half up) here, once, so the chart, the
table and the gap (ambition − level of the rounded averages) always show the same numbers.

`agreed` (item id -> level agreed with the team leader) is optional; when given, each item and section
carries the agreed level next to the self-assessed one. Self-assessed and agreed are never mixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from scan.kenniskaart.models import (
    LEVEL_ALGEMEEN,
    LEVEL_GENERIC,
    LEVEL_SPECIALISTISCH,
    SECTION_GENERIC,
    SECTION_LEEFGEBIED,
)

STRENGTH_LEVEL = 3
DEFAULT_SPECIALIST_LEVEL = 3
MAX_LISTED = 5
_ONE_DECIMAL = Decimal("0.1")


class ItemLike(Protocol):
    id: int
    code: str
    title_nl: str
    title_en: str
    level_kind: str
    required: bool
    retired: bool


class SectionLike(Protocol):
    code: str
    kind: str
    title_nl: str
    title_en: str

    @property
    def items(self) -> Sequence[Any]: ...


class RatingLike(Protocol):
    level: int | None
    not_applicable: bool
    ambition: int | None


@dataclass(frozen=True)
class ItemSpec:
    """A Kenniskaart item as plain data (for tests and for results rebuilt from query rows)."""

    id: int
    code: str
    level_kind: str
    title_nl: str = ""
    title_en: str = ""
    required: bool = True
    retired: bool = False


@dataclass(frozen=True)
class SectionSpec:
    code: str
    kind: str
    items: tuple[ItemSpec, ...] = ()
    title_nl: str = ""
    title_en: str = ""


@dataclass(frozen=True)
class Rating:
    level: int | None = None
    not_applicable: bool = False
    ambition: int | None = None


@dataclass(frozen=True)
class IndividualNorm:
    """The Kenniskaart's individual norm: the minimum level on generic and on algemeen items."""

    generic_min_level: int | None = None
    algemeen_min_level: int | None = None

    @classmethod
    def from_norms(cls, norms: Mapping[str, Any] | None) -> IndividualNorm:
        individual = (norms or {}).get("individual") or {}
        return cls(individual.get("generic_min_level"), individual.get("algemeen_min_level"))

    def minimum_for(self, level_kind: str) -> int | None:
        if level_kind == LEVEL_GENERIC:
            return self.generic_min_level
        if level_kind == LEVEL_ALGEMEEN:
            return self.algemeen_min_level
        return None


def specialist_level_from(norms: Mapping[str, Any] | None) -> int:
    team = (norms or {}).get("team") or {}
    value = team.get("specialist_level")
    return value if isinstance(value, int) else DEFAULT_SPECIALIST_LEVEL


def average(values: Iterable[int]) -> Decimal | None:
    """The mean, rounded to one decimal half up (2.25 -> 2.3); None for no values."""
    values = list(values)
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def difference(high: Decimal | None, low: Decimal | None) -> Decimal | None:
    if high is None or low is None:
        return None
    return high - low


@dataclass(frozen=True)
class ItemResult:
    item_id: int
    code: str
    title_nl: str
    title_en: str
    section_code: str
    level_kind: str
    required: bool
    level: int | None
    ambition: int | None
    not_applicable: bool
    # The individual norm for this kind of item (None for specialist items or when the map has none).
    norm: int | None
    agreed_level: int | None = None

    @property
    def scored(self) -> bool:
        return self.level is not None

    @property
    def gap(self) -> int | None:
        if self.level is None or self.ambition is None:
            return None
        return self.ambition - self.level

    @property
    def below_norm(self) -> bool:
        return self.required and self.level is not None and self.norm is not None and self.level < self.norm


@dataclass(frozen=True)
class SectionResult:
    code: str
    kind: str
    title_nl: str
    title_en: str
    items: tuple[ItemResult, ...]
    # Items of this section in the scan (retired ones excluded).
    total: int
    scored: int
    not_applicable: int
    average_level: Decimal | None
    average_ambition: Decimal | None
    average_agreed: Decimal | None = None
    # The same section (matched by code) in the previous round, when there was one.
    previous: SectionResult | None = None

    @property
    def unscored(self) -> int:
        return self.total - self.scored - self.not_applicable

    @property
    def gap(self) -> Decimal | None:
        return difference(self.average_ambition, self.average_level)

    @property
    def change(self) -> Decimal | None:
        """Level now minus level in the previous round."""
        return difference(self.average_level, self.previous.average_level if self.previous else None)


@dataclass(frozen=True)
class DevelopmentPoint:
    item: ItemResult
    # Why it is listed: the professional wants to grow, and/or the level is below the norm.
    wants_to_grow: bool
    below_norm: bool


@dataclass(frozen=True)
class BreadthArea:
    """Breadth: the generic competencies, or the algemeen items of one leefgebied."""

    section_code: str
    kind: str
    title_nl: str
    title_en: str
    scored: int
    average_level: Decimal | None
    average_ambition: Decimal | None


@dataclass(frozen=True)
class DepthArea:
    """Depth: the specialist items of a leefgebied where the person is or wants to be specialist."""

    section_code: str
    title_nl: str
    title_en: str
    scored: int
    average_level: Decimal
    average_ambition: Decimal
    is_specialist: bool
    wants_specialist: bool


@dataclass(frozen=True)
class TProfile:
    breadth: tuple[BreadthArea, ...]
    depth: tuple[DepthArea, ...]
    specialist_level: int

    def depth_for(self, section_code: str) -> DepthArea | None:
        return next((d for d in self.depth if d.section_code == section_code), None)


@dataclass(frozen=True)
class ScanResult:
    sections: tuple[SectionResult, ...]
    strengths: tuple[ItemResult, ...]
    strengths_total: int
    development: tuple[DevelopmentPoint, ...]
    development_total: int
    t_profile: TProfile
    has_previous: bool = False

    @property
    def scored(self) -> int:
        return sum(s.scored for s in self.sections)

    @property
    def not_applicable(self) -> int:
        return sum(s.not_applicable for s in self.sections)


def item_results(
    section: SectionLike,
    answers: Mapping[int, RatingLike],
    norm: IndividualNorm,
    agreed: Mapping[int, int] | None = None,
) -> tuple[ItemResult, ...]:
    results = []
    for item in section.items:
        if item.retired:
            continue
        answer = answers.get(item.id)
        level = answer.level if answer is not None and not answer.not_applicable else None
        # No ambition chosen means "stay at this level".
        ambition = None
        if level is not None:
            ambition = answer.ambition if answer is not None and answer.ambition is not None else level
        results.append(
            ItemResult(
                item_id=item.id,
                code=item.code,
                title_nl=item.title_nl,
                title_en=item.title_en,
                section_code=section.code,
                level_kind=item.level_kind,
                required=item.required,
                level=level,
                ambition=ambition,
                not_applicable=bool(answer is not None and answer.not_applicable),
                norm=norm.minimum_for(item.level_kind),
                agreed_level=(agreed or {}).get(item.id),
            )
        )
    return tuple(results)


def section_result(
    section: SectionLike,
    answers: Mapping[int, RatingLike],
    norm: IndividualNorm,
    agreed: Mapping[int, int] | None = None,
) -> SectionResult:
    items = item_results(section, answers, norm, agreed)
    scored = [i for i in items if i.level is not None]
    return SectionResult(
        code=section.code,
        kind=section.kind,
        title_nl=section.title_nl,
        title_en=section.title_en,
        items=items,
        total=len(items),
        scored=len(scored),
        not_applicable=sum(1 for i in items if i.not_applicable),
        average_level=average(i.level for i in scored if i.level is not None),
        average_ambition=average(i.ambition for i in scored if i.ambition is not None),
        average_agreed=average(i.agreed_level for i in items if i.agreed_level is not None)
        if agreed is not None
        else None,
    )


def strengths(items: Iterable[ItemResult]) -> list[ItemResult]:
    """Items at level 3 or higher, highest level first (Kenniskaart order within a level)."""
    strong = [i for i in items if i.level is not None and i.level >= STRENGTH_LEVEL]
    return sorted(strong, key=lambda i: -(i.level or 0))


def development_points(items: Iterable[ItemResult]) -> list[DevelopmentPoint]:
    """First where the professional wants to grow (largest gap first), then required items below the
    individual norm (furthest below first). Kenniskaart order breaks ties."""
    items = list(items)
    growing = sorted((i for i in items if (i.gap or 0) > 0), key=lambda i: -(i.gap or 0))
    listed = {i.item_id for i in growing}
    below = sorted(
        (i for i in items if i.below_norm and i.item_id not in listed),
        key=lambda i: (i.level or 0) - (i.norm or 0),
    )
    return [DevelopmentPoint(i, True, i.below_norm) for i in growing] + [
        DevelopmentPoint(i, False, True) for i in below
    ]


def t_profile(
    sections: Sequence[SectionResult], specialist_level: int = DEFAULT_SPECIALIST_LEVEL
) -> TProfile:
    """Breadth: the generic competencies and each leefgebied's algemeen items. Depth: each leefgebied's
    specialist items, where their average level or ambition reaches the specialist level."""
    breadth = []
    depth = []
    for section in sections:
        wide_kind = LEVEL_GENERIC if section.kind == SECTION_GENERIC else LEVEL_ALGEMEEN
        wide = [i for i in section.items if i.level_kind == wide_kind and i.level is not None]
        if section.kind in (SECTION_GENERIC, SECTION_LEEFGEBIED):
            breadth.append(
                BreadthArea(
                    section.code,
                    section.kind,
                    section.title_nl,
                    section.title_en,
                    len(wide),
                    average(i.level for i in wide if i.level is not None),
                    average(i.ambition for i in wide if i.ambition is not None),
                )
            )
        deep = [i for i in section.items if i.level_kind == LEVEL_SPECIALISTISCH and i.level is not None]
        level = average(i.level for i in deep if i.level is not None)
        ambition = average(i.ambition for i in deep if i.ambition is not None)
        if level is None or ambition is None:
            continue
        is_specialist = level >= specialist_level
        wants = ambition >= specialist_level
        if is_specialist or wants:
            depth.append(
                DepthArea(
                    section.code,
                    section.title_nl,
                    section.title_en,
                    len(deep),
                    level,
                    ambition,
                    is_specialist,
                    wants,
                )
            )
    return TProfile(tuple(breadth), tuple(depth), specialist_level)


def compute_result(
    sections: Sequence[SectionLike],
    answers: Mapping[int, RatingLike],
    norms: Mapping[str, Any] | None = None,
    *,
    previous: Sequence[SectionResult] | None = None,
    agreed: Mapping[int, int] | None = None,
    max_listed: int = MAX_LISTED,
) -> ScanResult:
    """The whole result of one scan. `previous` is the previous round's section results (from
    `section_results`), matched to these sections by section code."""
    norm = IndividualNorm.from_norms(norms)
    before = {s.code: s for s in previous or ()}
    results = []
    for section in sections:
        result = section_result(section, answers, norm, agreed)
        if section.code in before:
            result = replace(result, previous=before[section.code])
        results.append(result)
    every_item = [i for s in results for i in s.items]
    strong = strengths(every_item)
    points = development_points(every_item)
    return ScanResult(
        sections=tuple(results),
        strengths=tuple(strong[:max_listed]),
        strengths_total=len(strong),
        development=tuple(points[:max_listed]),
        development_total=len(points),
        t_profile=t_profile(results, specialist_level_from(norms)),
        has_previous=previous is not None,
    )


def section_results(
    sections: Sequence[SectionLike], answers: Mapping[int, RatingLike], norms: Mapping[str, Any] | None = None
) -> list[SectionResult]:
    """Only the per-section averages (e.g. of the previous round)."""
    norm = IndividualNorm.from_norms(norms)
    return [section_result(section, answers, norm) for section in sections]


@dataclass(frozen=True)
class ItemChange:
    """One item whose level differs from the previous round (matched by item code, so across Kenniskaart
    versions). A level of None with `*_not_applicable` False cannot occur: unscored items are left out."""

    code: str
    title_nl: str
    title_en: str
    previous_level: int | None
    previous_not_applicable: bool
    level: int | None
    not_applicable: bool

    @property
    def change(self) -> int | None:
        if self.level is None or self.previous_level is None:
            return None
        return self.level - self.previous_level


def item_changes(current: ScanResult, previous: Sequence[SectionResult] | None) -> list[ItemChange]:
    """Items scored (or marked not applicable) in both rounds whose level changed, in the current order."""
    if not previous:
        return []
    before = {i.code: i for s in previous for i in s.items if i.level is not None or i.not_applicable}
    changes = []
    for section in current.sections:
        for item in section.items:
            old = before.get(item.code)
            if old is None or (item.level is None and not item.not_applicable):
                continue
            if (old.level, old.not_applicable) == (item.level, item.not_applicable):
                continue
            changes.append(
                ItemChange(
                    item.code,
                    item.title_nl,
                    item.title_en,
                    old.level,
                    old.not_applicable,
                    item.level,
                    item.not_applicable,
                )
            )
    return changes
