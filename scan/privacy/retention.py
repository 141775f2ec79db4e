"""Retention (AVG): removing old personal data after a fixed term.

Plain functions that flush, never commit; the caller (route or command) commits once. Rounds that closed
long ago lose their individual records; the old audit log, ended login sessions and old login failures go.
Each kind removed here is named in the `retention` of the tables in scan.privacy.registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, or_, select

from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound
from scan.audit import actions as audit_actions
from scan.audit.models import AuditEvent
from scan.audit.services import purge_before, record
from scan.auth.models import LoginFailure, User, UserSession
from scan.db import utcnow
from scan.extensions import db
from scan.organisation.models import Team
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.teamschouw.models import Agreement, Calibration, TeamSession, session_attendee


def _count(stmt: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


# The kinds of record removed with an old round, in the order they are reported.
ROUND_KINDS = ("scans", "answers", "scan_events", "calibrations", "pops", "pop_versions", "pop_goals",
               "pop_actions", "agreements", "team_sessions")
OTHER_KINDS = ("audit_events", "user_sessions", "login_failures")

KIND_LABELS = {
    "scans": _l("scans"),
    "answers": _l("answers (levels, ambitions, notes)"),
    "scan_events": _l("submissions and reopenings"),
    "calibrations": _l("agreed levels"),
    "pops": _l("POPs"),
    "pop_versions": _l("POP versions"),
    "pop_goals": _l("POP goals"),
    "pop_actions": _l("POP actions"),
    "agreements": _l("teamschouw agreements"),
    "team_sessions": _l("teamschouw sessions"),
    "audit_events": _l("audit log entries"),
    "user_sessions": _l("ended login sessions"),
    "login_failures": _l("failed logins"),
}


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
        totals = {kind: sum(r.counts[kind] for r in self.rounds) for kind in ROUND_KINDS}
        totals.update(self.other)
        return totals

    @property
    def empty(self) -> bool:
        return not any(self.totals().values())


def _round_statements(round_ids: list[int]) -> dict[str, Select[Any]]:
    """Per kind: the ids of the rows removed with these rounds."""
    scans = select(Scan.id).where(Scan.round_id.in_(round_ids))
    pops = select(Pop.id).where(Pop.round_id.in_(round_ids))
    versions = select(PopVersion.id).where(PopVersion.pop_id.in_(pops))
    goals = select(PopGoal.id).where(PopGoal.version_id.in_(versions))
    return {
        "scans": scans,
        "answers": select(Answer.id).where(Answer.scan_id.in_(scans)),
        "scan_events": select(ScanEvent.id).where(ScanEvent.scan_id.in_(scans)),
        "calibrations": select(Calibration.id).where(Calibration.scan_id.in_(scans)),
        "pops": pops,
        "pop_versions": versions,
        "pop_goals": goals,
        "pop_actions": select(PopAction.id).where(PopAction.goal_id.in_(goals)),
        "agreements": select(Agreement.id).where(Agreement.round_id.in_(round_ids)),
        "team_sessions": select(TeamSession.id).where(TeamSession.round_id.in_(round_ids)),
    }


def _other_statements(audit_cutoff: datetime, session_cutoff: datetime, failure_cutoff: datetime,
                      idle: timedelta) -> dict[str, Select[Any]]:
    return {
        "audit_events": select(AuditEvent.id).where(AuditEvent.at < audit_cutoff),
        # Ended sessions: revoked, or idle past the window, more than a day ago.
        "user_sessions": select(UserSession.id).where(
            or_(UserSession.revoked_at < session_cutoff, UserSession.last_seen_at < session_cutoff - idle)
        ),
        "login_failures": select(LoginFailure.id).where(LoginFailure.at < failure_cutoff),
    }


def plan_retention(today: date, now: datetime | None = None) -> RetentionPlan:
    """What retention would remove today; nothing is written."""
    cfg = current_app.config
    now = now or utcnow()
    round_cutoff = months_before(today, int(cfg["RETENTION_MONTHS"]))
    audit_day = months_before(now.date(), int(cfg["AUDIT_RETENTION_MONTHS"]))
    audit_cutoff = now.replace(year=audit_day.year, month=audit_day.month, day=audit_day.day)
    session_cutoff = now - timedelta(days=1)
    failure_cutoff = now - max(timedelta(days=1), timedelta(minutes=cfg["LOGIN_THROTTLE_MINUTES"]))
    rounds = db.session.execute(
        select(ScanRound.id, Team.code, ScanRound.title, ScanRound.closes_on)
        .join(Team, Team.id == ScanRound.team_id)
        .where(ScanRound.closes_on < round_cutoff)
        .order_by(ScanRound.closes_on, Team.code, ScanRound.id)
    ).all()
    removals = []
    for round_id, team_code, title, closes_on in rounds:
        counts = {kind: _count(stmt) for kind, stmt in _round_statements([round_id]).items()}
        if any(counts.values()):
            removals.append(RoundRemoval(round_id, team_code, title, closes_on, counts))
    idle = timedelta(minutes=cfg["SESSION_IDLE_MINUTES"])
    other = {kind: _count(stmt) for kind, stmt in
             _other_statements(audit_cutoff, session_cutoff, failure_cutoff, idle).items()}
    return RetentionPlan(today, now, round_cutoff, audit_cutoff, session_cutoff, failure_cutoff,
                         tuple(removals), other)


def apply_retention(plan: RetentionPlan, by: User | None = None) -> dict[str, int]:
    """Remove what the plan lists and record it in the audit log; returns the numbers removed per kind."""
    removed = dict.fromkeys((*ROUND_KINDS, *OTHER_KINDS), 0)
    round_ids = [r.round_id for r in plan.rounds]
    if round_ids:
        stmts = _round_statements(round_ids)
        # Children first, so no foreign key is left dangling (SQLite may not enforce ON DELETE CASCADE).
        models = {"pop_actions": PopAction, "pop_goals": PopGoal, "pop_versions": PopVersion, "pops": Pop,
                  "answers": Answer, "scan_events": ScanEvent, "calibrations": Calibration,
                  "agreements": Agreement}
        attendees = select(TeamSession.id).where(TeamSession.round_id.in_(round_ids))
        for kind, model in models.items():
            ids = list(db.session.scalars(stmts[kind]))
            removed[kind] = _delete_ids(model, ids)
        db.session.execute(delete(session_attendee).where(session_attendee.c.session_id.in_(attendees)))
        removed["team_sessions"] = _delete_ids(TeamSession, list(db.session.scalars(stmts["team_sessions"])))
        removed["scans"] = _delete_ids(Scan, list(db.session.scalars(stmts["scans"])))
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    other = _other_statements(plan.audit_cutoff, plan.session_cutoff, plan.failure_cutoff, idle)
    removed["user_sessions"] = _delete_ids(UserSession, list(db.session.scalars(other["user_sessions"])))
    removed["login_failures"] = _delete_ids(LoginFailure, list(db.session.scalars(other["login_failures"])))
    removed["audit_events"] = purge_before(plan.audit_cutoff)
    detail = ", ".join(f"{kind}: {n}" for kind, n in removed.items() if n)
    record(audit_actions.RETENTION_APPLY, object_type="retention",
           detail=f"rounds: {len(round_ids)}; {detail}", actor=by)
    db.session.flush()
    db.session.expire_all()
    return removed


def _delete_ids(model: type, ids: list[int]) -> int:
    count = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        count += db.session.execute(delete(model).where(model.id.in_(chunk))).rowcount or 0
    return count
