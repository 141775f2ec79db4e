"""Where the team stands in the teamschouw of a round, step by step: pure, on numbers already loaded.

Each step has a status: "done", "busy" (started, not finished) or "todo" (not started). The start
page words the numbers; what counts as done is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DONE = "done"
BUSY = "busy"
TODO = "todo"


@dataclass(frozen=True)
class Steps:
    members: int
    submitted: int
    calibrated: int  # submitted scans with at least one agreed level
    attention: int  # leefgebieden whose coverage needs attention
    leefgebieden: int
    team_norms_set: bool
    priorities: int
    agreements: int
    agreements_waiting: int  # vraagbaak requests nobody has answered yet
    session_held_on: date | None

    @property
    def scans(self) -> str:
        return _status(self.submitted, self.members)

    @property
    def calibration(self) -> str:
        return _status(self.calibrated, self.submitted)

    @property
    def coverage(self) -> str:
        """Reviewed once the team set its own norms (the coverage page is where that happens)."""
        if self.team_norms_set:
            return DONE
        return BUSY if self.submitted else TODO

    @property
    def priorities_status(self) -> str:
        return DONE if self.priorities else TODO

    @property
    def agreements_status(self) -> str:
        if not self.agreements:
            return TODO
        return BUSY if self.agreements_waiting else DONE

    @property
    def session(self) -> str:
        return DONE if self.session_held_on is not None else TODO


def _status(count: int, total: int) -> str:
    if total and count >= total:
        return DONE
    return BUSY if count else TODO
