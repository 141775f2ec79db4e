"""Why a POP goal is in the plan, in words: built when it is read, in the reader's language.

A goal stores the facts behind its reason (kind, the level that counted, the ambition, whether that level
was agreed with the team leader) and free text only where someone typed it (the team's reason for a
priority). Goals adopted before the facts were stored keep their sentence as text and show it as it is.
Pure: no database, no request; call inside an application context (flask_babel picks the locale, or
`force_locale` does, as in the PDF).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from scan.teamschouw.reasons import reason_sentence as priority_sentence

# The reason kinds of scan.pop.proposals, repeated here so the model can use this module without
# importing the proposal ranking.
AMBITION = "ambition"
TEAM_PRIORITY = "team_priority"


def ambition_sentence(level: int, ambition: int, agreed: bool, shared: bool = False) -> str:
    """The professional's own words ("your ambition") for their page; `shared` gives the neutral sentence
    that reads right to the team leader too (the leader's view of the plan and the PDF both sign)."""
    if shared:
        if agreed:
            return _(
                "Ambition level %(ambition)d; level agreed with the team leader %(level)d.",
                ambition=ambition,
                level=level,
            )
        return _(
            "Ambition level %(ambition)d; self-assessed level %(level)d.", ambition=ambition, level=level
        )
    if agreed:
        return _(
            "Your ambition is level %(ambition)d; the level agreed with your team leader is %(level)d.",
            ambition=ambition,
            level=level,
        )
    return _(
        "Your ambition is level %(ambition)d; you rated yourself at level %(level)d.",
        ambition=ambition,
        level=level,
    )


def reason_sentence(
    kind: str,
    text: str = "",
    level: int | None = None,
    ambition: int | None = None,
    agreed: bool | None = None,
    shared: bool = False,
    facts: Mapping[str, Any] | None = None,
) -> str:
    """The reason after the kind's label: the ambition sentence from the stored facts, the team priority's
    reason from its facts (a suggestion taken over, see scan.teamschouw.reasons), else the stored text (the
    team's own words for a team priority, an own goal's words, or a legacy sentence)."""
    if kind == AMBITION and level is not None and ambition is not None:
        return ambition_sentence(level, ambition, bool(agreed), shared)
    if kind == TEAM_PRIORITY:
        return priority_sentence(text, facts)
    return text
