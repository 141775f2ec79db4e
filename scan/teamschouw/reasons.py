"""Why a team priority is suggested, in words: built when it is read, in the reader's language.

A priority taken over from the app's suggestion stores the facts behind its reason (`reason_facts`: the
submitted members, how many are below the norm, how many want to grow, and for a specialist item the
coverage risk, the specialists and the team norm); a priority the team leader chose keeps the reason as
typed, and so do priorities taken over before the facts were stored. Pure: no database, no request; call
inside an application context (flask_babel picks the locale, or `force_locale` does, as in the PDFs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

# The coverage risks of scan.teamschouw.plan.suggestions, repeated so that models can word a reason
# without importing the ranking.
RISK_NONE = "none"
RISK_SINGLE = "single"
RISK_THIN = "thin"

FACT_KEYS = ("members", "below_norm", "wants_growth", "risk", "specialists", "norm")


def _count(facts: Mapping[str, Any], key: str) -> int:
    value = facts.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def suggestion_sentence(facts: Mapping[str, Any]) -> str:
    """"4 of 9 below the norm; nobody at specialist level" from the stored facts, in the current locale."""
    members = _count(facts, "members")
    below = _count(facts, "below_norm")
    growth = _count(facts, "wants_growth")
    risk = facts.get("risk")
    parts = []
    if below:
        parts.append(
            ngettext(
                "%(num)d of %(total)d below the norm",
                "%(num)d of %(total)d below the norm",
                below,
                total=members,
            )
        )
    if growth:
        parts.append(
            ngettext(
                "%(num)d of %(total)d wants to grow",
                "%(num)d of %(total)d want to grow",
                growth,
                total=members,
            )
        )
    if risk == RISK_NONE:
        parts.append(_("nobody at specialist level"))
    elif risk == RISK_SINGLE:
        parts.append(_("rests on one person"))
    elif risk == RISK_THIN:
        parts.append(
            _(
                "thin: %(num)d at specialist level, the team norm is %(norm)d",
                num=_count(facts, "specialists"),
                norm=_count(facts, "norm"),
            )
        )
    return "; ".join(parts)


def reason_sentence(text: str, facts: Mapping[str, Any] | None) -> str:
    """The priority's reason: worded from the facts where they were stored (and say something), else the
    text as typed (a priority the leader chose, or one taken over before the facts were stored)."""
    if facts:
        sentence = suggestion_sentence(facts)
        if sentence:
            return sentence
    return text
