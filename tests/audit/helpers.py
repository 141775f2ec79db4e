"""Reading the audit log back in the tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from scan.audit.models import AuditEvent
from scan.extensions import db


@dataclass(frozen=True)
class Row:
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: str
    detail: str
    address: str | None

    @property
    def facts(self) -> dict[str, Any]:
        """The detail's facts as stored (JSON), worded only when the log is read."""
        return json.loads(self.detail)


def events(app: Any, action: str | None = None) -> list[Row]:
    """The recorded events, oldest first (optionally of one action)."""
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        return [
            Row(e.actor_id, e.actor_name, e.action, e.object_type, e.object_id, e.detail, e.address)
            for e in db.session.scalars(query)
        ]


def one(app: Any, action: str) -> Row:
    rows = events(app, action)
    assert len(rows) == 1, rows
    return rows[0]
