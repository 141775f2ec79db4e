"""A member's answer as the teamschouw counts it. Pure: used by the matrix, the coverage and the suggestions
alike, so the three never disagree about which level counts."""

from __future__ import annotations

from typing import Protocol


class SectionLike(Protocol):
    id: int
    code: str
    kind: str
    title_nl: str
    title_en: str


class AnswerLike(Protocol):
    scan_id: int
    item_id: int
    level: int | None
    not_applicable: bool
    ambition: int | None
    agreed_level: int | None


def effective_level(answer: AnswerLike) -> int | None:
    """The level agreed in calibration where the team leader recorded one, else the self-assessed level
    (none for "not applicable")."""
    agreed = getattr(answer, "agreed_level", None)  # the Answer model itself has none
    if agreed is not None:
        return agreed
    return None if answer.not_applicable else answer.level
