"""What the teamschouw contributes to the pages of features below it (connected when the blueprint loads)."""

from __future__ import annotations

from scan.assessment import hooks
from scan.teamschouw import queries


@hooks.agreed_levels.connect
def agreed_levels(scan_id: int) -> dict[int, int]:
    """The result page shows the level agreed in calibration beside the self-assessed one."""
    return queries.agreed_levels(scan_id)
