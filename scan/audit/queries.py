"""Reading the audit log: the administrator's filter as one query, counted and paged in two."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from scan.audit.models import AuditEvent
from scan.core.clock import AMSTERDAM
from scan.extensions import db

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""  # a username, or its beginning
    action: str = ""  # "" for every action
    first: date | None = None  # calendar days in Europe/Amsterdam, both included
    last: date | None = None

    def query_args(self) -> dict[str, str]:
        """The filter as the form's query string (for page and export links)."""
        args = {"person": self.person, "action": self.action,
                "first": self.first.isoformat() if self.first else "",
                "last": self.last.isoformat() if self.last else ""}
        return {key: value for key, value in args.items() if value}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(chosen: AuditFilter) -> Select[tuple[AuditEvent]]:
    query = select(AuditEvent)
    person = chosen.person.strip().lower()
    if person:
        # Exact or prefix: "s.bak" finds s.bakker; usernames are stored in lower case.
        query = query.where(func.lower(AuditEvent.actor_name).like(_escape_like(person) + "%", escape="\\"))
    if chosen.action:
        query = query.where(AuditEvent.action == chosen.action)
    if chosen.first:
        query = query.where(AuditEvent.at >= _start_of(chosen.first))
    if chosen.last:
        query = query.where(AuditEvent.at < _start_of(chosen.last + timedelta(days=1)))
    return query


def newest_first(query: Select[tuple[AuditEvent]]) -> Select[tuple[AuditEvent]]:
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


@dataclass(frozen=True)
class Page:
    events: list[AuditEvent]
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def page(chosen: AuditFilter, number: int) -> Page:
    """One page of events, newest first: two queries whatever the number of rows."""
    query = filtered(chosen)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    events = list(db.session.scalars(newest_first(query).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)))
    return Page(events, number, total)


def all_events(chosen: AuditFilter) -> list[AuditEvent]:
    return list(db.session.scalars(newest_first(filtered(chosen))))
