"""Retention (AVG): removing old personal data after a fixed term.

Plain functions that flush, never commit; the caller (route or command) commits once. Rounds that closed
long ago lose their individual records; the old audit log, ended login sessions and old login failures go.
Each feature declares what it removes in its `personal` module (RETENTION, scan.core.personal_data says
how); this module only iterates scan.privacy.registry. Each kind is named in the `retention` of its tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select

from scan.assessment.personal import rounds_closed_before
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.auth.models import User
from scan.core.personal_data import RetentionCutoffs, RetentionKind
from scan.db import utcnow
from scan.extensions import db
from scan.privacy import registry


def _count(stmt: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def round_kinds() -> tuple[RetentionKind, ...]:
    """The kinds of record removed with an old round, in the order they are reported."""
    return tuple(kind for kind in registry.retention_kinds() if kind.with_round is not None)


def age_kinds() -> tuple[RetentionKind, ...]:
    """The kinds of record removed by age, in the order they are reported."""
    return tuple(kind for kind in registry.retention_kinds() if kind.by_age is not None)


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


@dataclass(frozen=True)
class RoundRemoval:
    round_id: int
    team_code: str
    title: str
    closes_on: date
    counts: dict[str, int]


@dataclass(frozen=True)
class RetentionPlan:
    today: date
    now: datetime
    round_cutoff: date  # rounds that closed before this day lose their individual records
    audit_cutoff: datetime
    session_cutoff: datetime
    failure_cutoff: datetime
    rounds: tuple[RoundRemoval, ...]
    other: dict[str, int] = field(default_factory=dict)

    def totals(self) -> dict[str, int]:
        totals = {kind.name: sum(r.counts[kind.name] for r in self.rounds) for kind in round_kinds()}
        totals.update(self.other)
        return totals

    def cutoffs(self) -> RetentionCutoffs:
        idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
        return RetentionCutoffs(self.audit_cutoff, self.session_cutoff, idle, self.failure_cutoff)

    @property
    def empty(self) -> bool:
        return not any(self.totals().values())


def plan_retention(today: date, now: datetime | None = None) -> RetentionPlan:
    """What retention would remove today; nothing is written."""
    cfg = current_app.config
    now = now or utcnow()
    round_cutoff = months_before(today, int(cfg["RETENTION_MONTHS"]))
    audit_day = months_before(now.date(), int(cfg["AUDIT_RETENTION_MONTHS"]))
    audit_cutoff = now.replace(year=audit_day.year, month=audit_day.month, day=audit_day.day)
    session_cutoff = now - timedelta(days=1)
    failure_cutoff = now - max(timedelta(days=1), timedelta(minutes=cfg["LOGIN_THROTTLE_MINUTES"]))
    removals = []
    for old in rounds_closed_before(round_cutoff):
        counts = {kind.name: _count(kind.with_round([old.id])) for kind in round_kinds()
                  if kind.with_round is not None}
        if any(counts.values()):
            removals.append(RoundRemoval(old.id, old.team_code, old.title, old.closes_on, counts))
    idle = timedelta(minutes=cfg["SESSION_IDLE_MINUTES"])
    cutoffs = RetentionCutoffs(audit_cutoff, session_cutoff, idle, failure_cutoff)
    other = {kind.name: _count(kind.by_age(cutoffs)) for kind in age_kinds() if kind.by_age is not None}
    return RetentionPlan(today, now, round_cutoff, audit_cutoff, session_cutoff, failure_cutoff,
                         tuple(removals), other)


def apply_retention(plan: RetentionPlan, by: User | None = None) -> dict[str, int]:
    """Remove what the plan lists and record it in the audit log; returns the numbers removed per kind."""
    kinds = registry.retention_kinds()
    removed = {kind.name: 0 for kind in kinds}
    round_ids = [r.round_id for r in plan.rounds]
    cutoffs = plan.cutoffs()
    # Children first, so no foreign key is left dangling (SQLite may not enforce ON DELETE CASCADE).
    for kind in sorted(kinds, key=lambda kind: kind.removal):
        if kind.with_round is not None:
            if round_ids:
                removed[kind.name] = kind.remove(kind.with_round(round_ids), cutoffs)
        elif kind.by_age is not None:
            removed[kind.name] = kind.remove(kind.by_age(cutoffs), cutoffs)
    record(audit_actions.RETENTION_APPLY, object_type="retention",
           facts={"rounds": len(round_ids)} | {kind: n for kind, n in removed.items() if n}, actor=by)
    db.session.flush()
    db.session.expire_all()
    return removed
