"""Account rules: logging in, changing passwords, creating accounts. Flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import func, select

from scan.access import Role
from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.auth import devices, sessions, throttle
from scan.auth.models import User
from scan.auth.passwords import burn_verification_time, hash_password, password_problem, verify_password
from scan.extensions import db
from scan.organisation.models import Region, Team


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


class AccountError(ValueError):
    """A rule about accounts was broken; `field` names the input concerned."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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
        record(audit_actions.LOGIN_FAILED, actor=user, actor_name=typed, detail="throttled")
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
        raise AccountError(throttle.refusal_message(attempt.verdict), field="current_password")
    if not verify_password(user.password_hash, current):
        raise AccountError(_("The current password is not correct."), field="current_password")
    throttle.succeeded(attempt)
    set_password(user, new)
    user.must_change_password = False
    # Other devices that knew the old password are logged out; this one stays in.
    sessions.end_all_sessions(user, except_token=keep_token)


def set_password(user: User, new: str, temporary: bool = False) -> None:
    problem = password_problem(new, user.username)
    if problem:
        raise AccountError(problem, field="password")
    user.password_hash = hash_password(new)
    user.must_change_password = temporary


def end_all_sessions_for(user: User) -> None:
    sessions.end_all_sessions(user)


def deactivate(user: User) -> None:
    user.active = False
    sessions.end_all_sessions(user)


@dataclass
class NewAccount:
    username: str
    role: str
    password: str
    full_name: str = ""
    team_codes: tuple[str, ...] = ()
    region_code: str | None = None


def check_new_account(
    account: NewAccount, teams: dict[str, Team], regions: dict[str, Region], taken: set[str]
) -> list[tuple[str, str]]:
    """Every problem with an account to create, as (field, translated message); nothing is written."""
    from flask_babel import gettext as _

    problems: list[tuple[str, str]] = []
    username = normalise_username(account.username)
    if not username:
        problems.append(("username", _("A username is required.")))
    elif len(username) > 80 or not all(c.isalnum() or c in "._-@" for c in username):
        problems.append(
            ("username", _("Use at most 80 letters, digits and . _ - @ in a username, without spaces."))
        )
    elif username in taken:
        problems.append(("username", _("The username %(name)s is already in use.", name=username)))
    try:
        role = Role(account.role.strip().lower())
    except ValueError:
        problems.append(
            ("role", _("Unknown role %(role)s; choose one of: %(roles)s.", role=account.role,
                       roles=", ".join(r.value for r in Role)))
        )
        role = None
    unknown = [code for code in account.team_codes if code not in teams]
    if unknown:
        problems.append(("team", _("Unknown team code: %(codes)s.", codes=", ".join(unknown))))
    if role is Role.PROFESSIONAL and len(account.team_codes) != 1:
        problems.append(("team", _("A professional belongs to exactly one team; give its code.")))
    if role is Role.TEAMLEIDER and not account.team_codes:
        problems.append(("team", _("A team leader leads at least one team; give its code.")))
    if role in (Role.REGIOCOORDINATOR, Role.BEHEERDER) and account.team_codes:
        problems.append(("team", _("This role does not belong to a team.")))
    if role is Role.REGIOCOORDINATOR:
        if not account.region_code:
            problems.append(("region", _("A regional coordinator needs a region code.")))
        elif account.region_code not in regions:
            problems.append(("region", _("Unknown region code: %(codes)s.", codes=account.region_code)))
    elif account.region_code and role is not None:
        problems.append(("region", _("Only a regional coordinator has a region.")))
    if len(account.full_name) > 200:
        problems.append(("name", _("Use at most %(n)d characters.", n=200)))
    problem = password_problem(account.password, username)
    if problem:
        problems.append(("password", problem))
    return problems


def lookup_tables() -> tuple[dict[str, Team], dict[str, Region], set[str]]:
    teams = {t.code: t for t in db.session.scalars(select(Team))}
    regions = {r.code: r for r in db.session.scalars(select(Region))}
    taken = set(db.session.scalars(select(func.lower(User.username))))
    return teams, regions, taken


def create_account(account: NewAccount, teams: dict[str, Team], regions: dict[str, Region]) -> User:
    """Create an already-checked account (see `check_new_account`)."""
    role = Role(account.role.strip().lower())
    username = normalise_username(account.username)
    user = User(
        username=username,
        full_name=account.full_name.strip() or username,
        password_hash=hash_password(account.password),
        role=role.value,
    )
    if role is Role.PROFESSIONAL:
        user.team = teams[account.team_codes[0]]
    elif role is Role.TEAMLEIDER:
        user.led_teams = [teams[code] for code in account.team_codes]
    elif role is Role.REGIOCOORDINATOR and account.region_code:
        user.region = regions[account.region_code]
    db.session.add(user)
    db.session.flush()
    return user
