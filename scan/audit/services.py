"""Recording to the audit log. `record` adds a row to the caller's transaction: it is committed with the
change it describes, or rolled back with it. Rows cannot be changed or deleted through the ORM; only
erasure of a leaver (anonymise_actor) and retention (purge_before) touch old rows, through plain SQL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import delete, event, update
from sqlalchemy.orm import Session

from scan.audit.actions import ACTIONS
from scan.audit.models import AuditEvent
from scan.audit.wording import facts_detail
from scan.extensions import db


class AuditLogIsAppendOnly(RuntimeError):
    pass


def record(
    action: str,
    *,
    object_type: str = "",
    object_id: Any = "",
    detail: str = "",
    facts: Mapping[str, Any] | None = None,
    actor: Any = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """Add one event. The actor defaults to the logged-in user; the address to the request's.

    `facts` (e.g. {"created": 2, "changed": 0}) are stored as the detail and worded in the reader's
    language when the log is read (scan.audit.wording); `detail` is kept for plain facts already stored."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if facts is not None:
        detail = facts_detail(facts)
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEvent(
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        detail=detail,
        actor_id=getattr(actor, "id", None),
        actor_name=actor_name if actor_name is not None else getattr(actor, "username", ""),
        address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def anonymise_actor(user_id: int, replacement: str) -> int:
    """Erasure of a leaver: their name leaves the log, the events stay (counts and times remain true)."""
    result = db.session.execute(
        update(AuditEvent).where(AuditEvent.actor_id == user_id).values(actor_name=replacement, address=None)
    )
    return result.rowcount or 0


def purge_before(moment: datetime) -> int:
    """Retention: events older than `moment` are removed."""
    return db.session.execute(delete(AuditEvent).where(AuditEvent.at < moment)).rowcount or 0


@event.listens_for(Session, "before_flush")
def guard(session: Session, flush_context: Any, instances: Any) -> None:
    """No code path may edit or delete a recorded event through the ORM."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit events cannot be changed")
