"""The account's personal data: the account itself, its logins and its failed logins, for the export and
the erasure (the contract: scan.core.personal_data; collected by scan.privacy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, or_, select

from scan.auth import queries, throttle
from scan.auth.models import LoginFailure, User, UserSession
from scan.core.personal_data import (
    Erasure,
    ExportSection,
    Person,
    PersonalTable,
    PreviewCount,
    RetentionCutoffs,
    RetentionKind,
)
from scan.db import utcnow
from scan.extensions import db


@dataclass(frozen=True)
class AccountData:
    username: str
    full_name: str
    role: str
    team: str | None
    municipality: str | None
    language: str | None
    created_at: datetime | None
    last_login_at: datetime | None
    region: str | None = None
    led_teams: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionRecord:
    """A login: when it started, was last used and ended, and from which address."""

    started_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None
    address: str | None


def account_data(user: User) -> AccountData:
    team = user.team
    return AccountData(
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        team=team.name if team else None,
        municipality=team.municipality.name if team else None,
        language=user.locale,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        region=user.region.name if user.region else None,
        led_teams=tuple(t.name for t in user.led_teams),
    )


def session_records(person: Person) -> tuple[SessionRecord, ...]:
    return tuple(
        SessionRecord(s.created_at, s.last_seen_at, s.revoked_at, s.address)
        for s in queries.sessions_of(person.id)
    )


def _attempts_of(user_id: int) -> Select[Any]:
    # Failed logins are kept by the name as typed, not by account: look the name up first.
    username = db.session.scalar(select(User.username).where(User.id == user_id)) or ""
    return select(LoginFailure.id).where(throttle.recorded_under(username))


def _delete_sessions(person: Person, _replacement: str) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == person.id))


def _forget_attempts(person: Person, _replacement: str) -> None:
    throttle.forget(person.username)


def _anonymise_account(user: User, replacement: str) -> None:
    """No name, no way to log in. The role stays (the counts select professionals), and so do the id and
    what hangs on it."""
    db.session.expire(user, ["led_teams"])
    user.username = replacement
    user.full_name = replacement  # team lists of past rounds show this instead of an empty name
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


def _ended_sessions(cutoffs: RetentionCutoffs) -> Select[Any]:
    # Ended sessions: revoked, or idle past the window, more than a day ago.
    return select(UserSession.id).where(
        or_(UserSession.revoked_at < cutoffs.sessions,
            UserSession.last_seen_at < cutoffs.sessions - cutoffs.session_idle)
    )


EXPORT = (
    ExportSection("account", account_data),
    ExportSection("sessions", session_records),
)

RETENTION = (
    RetentionKind("user_sessions", _l("ended login sessions"), position=120, removal=110,
                  by_age=_ended_sessions, model=UserSession),
    RetentionKind(
        "login_failures", _l("failed logins"), position=130, removal=120, model=LoginFailure,
        by_age=lambda cutoffs: select(LoginFailure.id).where(LoginFailure.at < cutoffs.failures),
    ),
)

ERASE_PREVIEW = (
    PreviewCount("sessions", lambda uid: select(UserSession.id).where(UserSession.user_id == uid)),
)

# The account row last: erasing the failed logins above finds them by the account's (old) username.
TABLES = (
    PersonalTable(
        "user_session", lambda uid: select(UserSession.id).where(UserSession.user_id == uid), Erasure.DELETE,
        export="login_sessions", erase=_delete_sessions, person_columns=("user_id",),
        retention=("user_sessions",),
    ),
    PersonalTable(
        "login_failure", _attempts_of, Erasure.DELETE, erase=_forget_attempts, retention=("login_failures",),
        reason="not exported: kept by the name as typed (known or not), never linked to an account, and "
        "removed by retention after a day",
    ),
    PersonalTable(
        "user_account", lambda uid: select(User.id).where(User.id == uid), Erasure.ANONYMISE,
        export="account", erase=_anonymise_account,
        blanked=("username", "full_name", "team_id", "region_id", "locale", "last_login_at"),
        reason="not under retention: an account goes when its holder leaves (erasure), not after a term",
    ),
)
