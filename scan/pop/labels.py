"""The words for the POP's fixed values, for pages, PDFs and exports."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from scan.pop.models import ACTION_STATUSES, PopStatus

ACTION_STATUS_LABELS: dict[str, Any] = {
    "gepland": _l("planned"),
    "bezig": _l("in progress"),
    "afgerond": _l("done"),
    "vervallen": _l("dropped"),
}
REASON_KIND_LABELS: dict[str, Any] = {
    "team_priority": _l("team priority"),
    "ambition": _l("your own ambition"),
    "own": _l("own goal"),
}
# The same kinds for a reader other than the professional (the team leader, the PDF both sign).
SHARED_REASON_KIND_LABELS: dict[str, Any] = {
    "team_priority": _l("team priority"),
    "ambition": _l("own ambition"),
    "own": _l("own goal"),
}
VERSION_STATUS_LABELS: dict[str, Any] = {
    PopStatus.DRAFT: _l("Draft"),
    PopStatus.PROPOSED: _l("Proposed to the team leader"),
    PopStatus.RETURNED: _l("Sent back by the team leader"),
    PopStatus.AGREED: _l("Agreed, waiting for signatures"),
    PopStatus.SIGNED: _l("Signed"),
}
assert set(ACTION_STATUS_LABELS) == set(ACTION_STATUSES)
