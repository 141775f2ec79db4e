"""Where a scan is counted: the team, municipality and role at the moment it was submitted.

The regional publications (scan.regio) count a submitted scan in `counted_team_id`,
`counted_municipality_id` and `counted_role`, never in what the account says today: an administrator who
changes someone's role or team afterwards must not be able to make one person's numbers move between two
downloads. The snapshot is taken in one place, at flush, for every scan that becomes submitted (the submit
service, the demo and the test factories alike), and cleared when a scan is reopened.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from scan.assessment.models import Scan, ScanRound, ScanStatus
from scan.auth.models import User
from scan.organisation.models import Team


def take(session: Session, scan: Scan) -> None:
    """Fill the snapshot from the round's team and the account as they are now (a new scan may carry only
    the ids of its round and user, so they are looked up by id)."""
    scan_round = scan.round or session.get(ScanRound, scan.round_id)
    user = scan.user or session.get(User, scan.user_id)
    team = scan_round.team or session.get(Team, scan_round.team_id)
    # Objects, not ids: the round or team may be new in this same flush.
    scan.counted_team = team
    scan.counted_municipality = team.municipality
    scan.counted_role = user.role


@event.listens_for(Session, "before_flush")
def _snapshot(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Scan):
            continue
        if obj.status == ScanStatus.SUBMITTED.value:
            if obj.counted_role is None:
                take(session, obj)
        elif obj.counted_role is not None:
            obj.counted_team = obj.counted_municipality = obj.counted_role = None
