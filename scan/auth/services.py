"""Account rules: logging in, changing passwords, ending sessions. Flush, never commit. Creating and changing
accounts is in scan.auth.accounts, the import in scan.auth.account_import."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select

from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.auth import devices, sessions, throttle
from scan.auth.models import User
from scan.auth.passwords import burn_verification_time, hash_password, password_problem, verify_password
from scan.core.rules import RuleError
from scan.extensions import db


class LoginOutcome(Enum):
    OK = "ok"
    INVALID = "invalid"
    THROTTLED = "throttled"


@dataclass
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None
    token: str | None = None
    # Why a throttled attempt was refused (see scan.auth.throttle).
    verdict: throttle.Verdict | None = None


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def log_in(username: str, password: str, address: str, device_cookie: str | None = None) -> LoginResult:
    """Check the credentials under the throttle (scan.auth.throttle); start a session on success.

    The attempt is recorded and committed before the password is checked. Every failure looks the same to
    the caller whether or not the username exists. `device_cookie` is the browser's known-device cookie.
    """
    typed = username.strip()[:80]
    user = find_user(username)
    attempt = throttle.begin(username, address, devices.known_device(device_cookie, user))
    if attempt.verdict is not throttle.Verdict.CHECK:
        record(audit_actions.LOGIN_FAILED, actor=user, actor_name=typed, facts={"reason": "throttled"})
        return LoginResult(LoginOutcome.THROTTLED, verdict=attempt.verdict)
    if user is None:
        burn_verification_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    if not ok or user is None:
        record(audit_actions.LOGIN_FAILED, actor=user, actor_name=typed)
        return LoginResult(LoginOutcome.INVALID)
    throttle.succeeded(attempt)
    record(audit_actions.LOGIN, actor=user)
    return LoginResult(LoginOutcome.OK, user, sessions.start_session(user, address))


def change_password(
    user: User, current: str, new: str, keep_token: str | None, address: str, device_cookie: str | None = None
) -> None:
    """Set a new password after checking the current one under the login throttle.

    The attempt is committed before the check (as at login), so the caller may roll back on an error.
    """
    from flask_babel import gettext as _

    attempt = throttle.begin(user.username, address, devices.known_device(device_cookie, user))
    if attempt.verdict is not throttle.Verdict.CHECK:
        raise RuleError(throttle.refusal_message(attempt.verdict), field="current_password")
    if not verify_password(user.password_hash, current):
        raise RuleError(_("The current password is not correct."), field="current_password")
    throttle.succeeded(attempt)
    set_password(user, new)
    user.must_change_password = False
    # Other devices that knew the old password are logged out; this one stays in.
    sessions.end_all_sessions(user, except_token=keep_token)


def set_password(user: User, new: str, temporary: bool = False) -> None:
    problem = password_problem(new, user.username)
    if problem:
        raise RuleError(problem, field="password")
    user.password_hash = hash_password(new)
    user.must_change_password = temporary


def end_all_sessions_for(user: User) -> None:
    sessions.end_all_sessions(user)


def deactivate(user: User) -> None:
    user.active = False
    sessions.end_all_sessions(user)
