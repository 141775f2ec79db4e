"""The audit log's personal data: what a person did, for the export and the erasure (the contract:
scan.core.personal_data; collected by scan.privacy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from scan.audit.models import AuditEvent
from scan.audit.services import anonymise_actor, purge_before
from scan.core.personal_data import (
    Erasure,
    ExportSection,
    Person,
    PersonalTable,
    PreviewCount,
    RetentionCutoffs,
    RetentionKind,
)
from scan.extensions import db


@dataclass(frozen=True)
class AuditRecord:
    """Something this person did, as the audit log recorded it."""

    at: datetime
    action: str
    object_type: str
    object_id: str
    detail: str
    address: str | None


def audit_records(person: Person) -> tuple[AuditRecord, ...]:
    """What this person did according to the audit log, oldest first (one query)."""
    rows = db.session.execute(
        select(
            AuditEvent.at,
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            AuditEvent.detail,
            AuditEvent.address,
        )
        .where(AuditEvent.actor_id == person.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return tuple(AuditRecord(*row) for row in rows)


def _anonymise(person: Person, replacement: str) -> None:
    # Their name and address leave the log; the events stay, so counts and times remain true.
    anonymise_actor(person.id, replacement)


def _older_than_term(cutoffs: RetentionCutoffs) -> Select[Any]:
    return select(AuditEvent.id).where(AuditEvent.at < cutoffs.audit)


EXPORT = (ExportSection("audit", audit_records),)

# The log is append-only through the ORM: old entries go through its own service, after everything else.
RETENTION = (
    RetentionKind("audit_events", _l("audit log entries"), position=110, removal=130, by_age=_older_than_term,
                  purge=lambda cutoffs: purge_before(cutoffs.audit)),
)

ERASE_PREVIEW = (
    PreviewCount("audit_events", lambda uid: select(AuditEvent.id).where(AuditEvent.actor_id == uid)),
)

TABLES = (
    PersonalTable(
        "audit_event", lambda uid: select(AuditEvent.id).where(AuditEvent.actor_id == uid), Erasure.ANONYMISE,
        export="audit_log", erase=_anonymise, person_columns=("actor_id",), blanked=("actor_name", "address"),
        retention=("audit_events",),
    ),
)
