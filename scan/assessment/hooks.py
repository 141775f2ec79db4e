"""What the scan pages show from features above assessment, without assessment importing them.

The professional's scan pages close the cycle: the previous POP beside the new scan, and on the result
page the levels agreed in the teamschouw. The POP and the teamschouw sit above assessment, so they
contribute those parts by connecting to these signals (blinker, as Indico does) in their `contributions`
modules; the scan pages ask and show whatever comes back.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace

_signals = Namespace()

previous_plan = _signals.signal(
    "previous-plan",
    doc="sender: the user id; keyword `before`: the ScanRound. Returns template values for the overview "
    "(previous_pop, previous_plan, action_types, action_statuses), or None.",
)
previous_goals = _signals.signal(
    "previous-goals",
    doc="sender: the user id; keyword `before`: the ScanRound. Returns the previous plan's goals by item "
    "code (an object with `signed` and `by_code`), or None.",
)

agreed_levels = _signals.signal(
    "agreed-levels",
    doc="sender: the scan id. Returns {item id: level agreed in calibration} (the teamschouw), or None.",
)


def ask(signal: Any, sender: Any, **kwargs: Any) -> Any:
    """The first answer a receiver gives (None when nobody answers): one feature contributes each part."""
    for _receiver, value in signal.send(sender, **kwargs):
        if value is not None:
            return value
    return None
