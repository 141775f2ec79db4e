"""Retention (AVG): erasing a leaver's account, and removing old personal data after a fixed term.

Plain functions that flush, never commit; the caller (route or command) commits once.

Erasure keeps what the regional counts rest on (levels, ambitions, agreed levels, POP goals with their
Kenniskaart items, statuses, hours) and removes or anonymises everything that names or describes the person.
Retention removes the individual records of rounds that closed long ago, the old audit log, and ended
login sessions and old login failures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, or_, select, update

from scan.access import Role
from scan.assessment.models import Answer, Scan, ScanEvent, ScanRound
from scan.audit import actions as audit_actions
from scan.audit.models import AuditEvent
from scan.audit.services import anonymise_actor, purge_before, record
from scan.auth import throttle
from scan.auth.models import LoginFailure, User, UserSession
from scan.db import utcnow
from scan.extensions import db
from scan.organisation.models import Team, team_leaders
from scan.pop.models import Pop, PopAction, PopGoal, PopVersion
from scan.teamschouw.models import Agreement, Calibration, TeamSession, session_attendee


class ErasureRefused(ValueError):
    """Erasing this account is not allowed; the message says why (translated)."""


def erased_username(user_id: int) -> str:
    return f"verwijderd-{user_id}"


# --- Erasing a leaver ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasePreview:
    """What erasing an account removes and what it keeps, in numbers (shown before confirming)."""

    scans: int  # kept: levels and ambitions (anonymous)
    notes: int  # removed: answer notes and calibration notes on their scans
    scan_history: int  # reasons of reopenings of their scans, removed
    pops: int  # kept: goals' items, actions' types, hours and statuses
    pop_texts: int  # removed: goal and action texts, reflections, team leader comments
    agreements: int  # removed: teamschouw agreements naming them
    sessions: int  # removed
    audit_events: int  # kept, with the name replaced
    led_teams: int  # links removed


def _own_scan_ids(user: User) -> Select[Any]:
    return select(Scan.id).where(Scan.user_id == user.id)


def _own_version_ids(user: User) -> Select[Any]:
    return select(PopVersion.id).join(Pop, Pop.id == PopVersion.pop_id).where(Pop.user_id == user.id)


def _own_goal_ids(user: User) -> Select[Any]:
    return select(PopGoal.id).where(PopGoal.version_id.in_(_own_version_ids(user)))


def _count(stmt: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def erase_preview(user: User) -> ErasePreview:
    scans = _own_scan_ids(user)
    notes = _count(select(Answer.id).where(Answer.scan_id.in_(scans), Answer.note != "")) + _count(
        select(Calibration.id).where(Calibration.scan_id.in_(scans), Calibration.note != "")
    )
    goals = _own_goal_ids(user)
    pop_texts = (
        _count(select(PopGoal.id).where(PopGoal.id.in_(goals),
                                        or_(PopGoal.description != "", PopGoal.reason != "")))
        + _count(select(PopAction.id).where(PopAction.goal_id.in_(goals),
                                            or_(PopAction.description != "", PopAction.reflection != "")))
        + _count(select(PopVersion.id).where(PopVersion.id.in_(_own_version_ids(user)),
                                             PopVersion.leader_comment != ""))
    )
    return ErasePreview(
        scans=_count(scans),
        notes=notes,
        scan_history=_count(select(ScanEvent.id).where(ScanEvent.scan_id.in_(scans), ScanEvent.reason != "")),
        pops=_count(select(Pop.id).where(Pop.user_id == user.id)),
        pop_texts=pop_texts,
        agreements=_count(select(Agreement.id).where(Agreement.member_id == user.id)),
        sessions=_count(select(UserSession.id).where(UserSession.user_id == user.id)),
        audit_events=_count(select(AuditEvent.id).where(AuditEvent.actor_id == user.id)),
        led_teams=_count(select(team_leaders.c.team_id).where(team_leaders.c.user_id == user.id)),
    )


def check_erasable(user: User, by: User | None) -> None:
    """Raise ErasureRefused when the account may not be erased (by this administrator)."""
    if user.erased_at is not None:
        raise ErasureRefused(str(_l("This account has already been erased.")))
    if by is not None and by.id == user.id:
        raise ErasureRefused(str(_l("You cannot erase your own account.")))
    if user.role == Role.BEHEERDER.value and user.active:
        others = db.session.scalar(
            select(func.count()).where(
                User.role == Role.BEHEERDER.value, User.active.is_(True), User.id != user.id
            )
        )
        if not others:
            raise ErasureRefused(str(_l("This is the last active administrator; it cannot be erased.")))


def erase_account(user: User, by: User | None) -> None:
    """Erase a leaver: anonymise the account, remove what they (or others about them) wrote, keep counts.

    Kept on purpose: the account row (id, role) with its scans' levels and ambitions, agreed levels, POP
    goals' Kenniskaart items and target levels, actions' types, periods, hours and statuses, so every
    regional count, also of past periods, stays the same. Texts the leaver typed about someone else
    (a reason for reopening a colleague's scan, a calibration note) belong to that colleague's history and
    stay; the leaver's name is gone from them because the account is anonymised.
    """
    check_erasable(user, by)
    uid = user.id
    new_name = erased_username(uid)
    scans = _own_scan_ids(user)
    versions = _own_version_ids(user)
    goals = _own_goal_ids(user)

    # Texts about the person: their answers' notes, the reasons their scan was reopened, notes with their
    # agreed levels, their POP's texts and the team leader's comments on it.
    db.session.execute(update(Answer).where(Answer.scan_id.in_(scans)).values(note=""))
    db.session.execute(update(ScanEvent).where(ScanEvent.scan_id.in_(scans)).values(reason=""))
    db.session.execute(update(Calibration).where(Calibration.scan_id.in_(scans)).values(note=""))
    db.session.execute(
        update(PopAction).where(PopAction.goal_id.in_(goals)).values(description="", reflection="")
    )
    db.session.execute(update(PopGoal).where(PopGoal.id.in_(goals)).values(description="", reason=""))
    db.session.execute(update(PopVersion).where(PopVersion.id.in_(versions)).values(leader_comment=""))
    # Agreements naming them (vraagbaak, growing into a specialism): they left, the agreement no longer holds.
    db.session.execute(delete(Agreement).where(Agreement.member_id == uid))
    db.session.execute(delete(session_attendee).where(session_attendee.c.user_id == uid))
    db.session.execute(delete(team_leaders).where(team_leaders.c.user_id == uid))
    # Logins: sessions (time and address) and failed logins under their name.
    db.session.execute(delete(UserSession).where(UserSession.user_id == uid))
    throttle.forget(user.username)
    anonymise_actor(uid, new_name)

    # The account itself: no name, no way to log in. The role stays (the counts select professionals).
    db.session.expire(user, ["led_teams"])
    user.username = new_name
    user.full_name = new_name  # team lists of past rounds show this instead of an empty name
    # Not an Argon2 hash: no password ever verifies against it.
    user.password_hash = "!erased"
    user.active = False
    user.must_change_password = False
    user.team_id = None
    user.region_id = None
    user.locale = None
    user.last_login_at = None
    user.erased_at = utcnow()
    db.session.flush()
    record(audit_actions.ACCOUNT_ERASE, object_type="user", object_id=uid, actor=by)
    db.session.flush()


# --- Retention ----------------------------------------------------------------------------------------

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
