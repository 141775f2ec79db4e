"""Password throttling shared by logging in, changing the password and signing a POP.

The counts live in the database, so every gunicorn worker and server sees the same ones. The rules (also in
the README):

- Every attempt is recorded and committed *before* the password is checked, then counted; the password is
  checked only when the count allows it. Simultaneous guesses therefore cannot all be checked against the
  same old count: the k-th attempt to be committed sees at least k attempts.
- Per account and address: after LOGIN_MAX_FAILURES_PER_ACCOUNT attempts without success within
  LOGIN_THROTTLE_MINUTES, that address gets no more tries for that account until the window has passed.
  The owner at another address, and other accounts behind the same address (an office NAT), are unaffected.
- Per account, over all addresses: once LOGIN_SLOWDOWN_AFTER attempts without success fall within the
  window, at most one attempt per LOGIN_SLOWDOWN_SECONDS is checked; the others are told to try again in a
  moment. A guesser with many addresses is slowed, never the owner refused for good.
- A known browser (scan.auth.devices: a signed cookie from an earlier successful login to this account)
  skips both rules while it has had fewer than LOGIN_MAX_FAILURES_PER_ACCOUNT failures itself in the window,
  so an attack elsewhere never keeps the owner out, and a stolen cookie buys only a few guesses.

Names are counted as typed (lower-cased), known or not, so throttling never reveals whether an account exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement, and_, delete, func, or_, select

from scan.auth.models import LoginFailure
from scan.core import clock
from scan.extensions import db

PAIR, ACCOUNT, DEVICE = "pair", "account", "device"


class Verdict(Enum):
    CHECK = "check"  # check the password
    WAIT = "wait"  # too many failures from this address (or browser) for this account: wait for the window
    SLOW = "slow"  # the account is being guessed from many places: try again in a moment


@dataclass(frozen=True)
class Attempt:
    verdict: Verdict
    row_ids: tuple[int, ...]
    pair_key: str
    device: str | None


def _key(username: str) -> str:
    return username.strip().lower()[:130]


def _pair_key(username: str, address: str) -> str:
    # The name first, so erasing an account finds its rows by prefix.
    return f"{_key(username)}|{address[:64]}"


def _window_start(now: datetime) -> datetime:
    return now - timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])


def begin(username: str, address: str, device: str | None = None) -> Attempt:
    """Record an attempt for this name from this address (and known browser), then say whether to check it.

    The record is committed at once, with whatever the session holds: another worker must see it before
    any password is checked, and a later rollback of the request must not take it back.
    """
    now = clock.utcnow()
    pair_key = _pair_key(username, address)
    rows = [
        LoginFailure(kind=PAIR, key=pair_key, at=now),
        LoginFailure(kind=ACCOUNT, key=_key(username), at=now),
    ]
    if device:
        rows.append(LoginFailure(kind=DEVICE, key=device, at=now))
    db.session.add_all(rows)
    # Keep the table small: attempts older than the window no longer count.
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < _window_start(now) - timedelta(days=1)))
    db.session.flush()
    row_ids = tuple(row.id for row in rows)
    db.session.commit()
    return Attempt(_verdict(username, pair_key, device, now), row_ids, pair_key, device)


def _verdict(username: str, pair_key: str, device: str | None, now: datetime) -> Verdict:
    cfg = current_app.config
    slow_since = now - timedelta(seconds=cfg["LOGIN_SLOWDOWN_SECONDS"])
    is_account = and_(LoginFailure.kind == ACCOUNT, LoginFailure.key == _key(username))
    counts = db.session.execute(
        select(
            func.count().filter(and_(LoginFailure.kind == PAIR, LoginFailure.key == pair_key)),
            func.count().filter(is_account),
            func.count().filter(and_(is_account, LoginFailure.at > slow_since)),
            func.count().filter(and_(LoginFailure.kind == DEVICE, LoginFailure.key == (device or ""))),
        ).where(
            LoginFailure.at >= _window_start(now),
            or_(
                and_(LoginFailure.kind == PAIR, LoginFailure.key == pair_key),
                is_account,
                and_(LoginFailure.kind == DEVICE, LoginFailure.key == (device or "")),
            ),
        )
    ).one()
    pair, account, recent, device_count = (int(n) for n in counts)
    limit = cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    # Every count includes this attempt, so at most `limit` attempts are ever checked per key and window.
    if device and device_count <= limit:
        return Verdict.CHECK
    if pair > limit:
        return Verdict.WAIT
    if account > cfg["LOGIN_SLOWDOWN_AFTER"] and recent > 1:
        return Verdict.SLOW
    return Verdict.CHECK


def succeeded(attempt: Attempt) -> None:
    """The password was right: this attempt, and the earlier failures from this address and browser for
    the account, no longer count. Failures from elsewhere still do: the owner never resets an attacker's."""
    conditions = [
        LoginFailure.id.in_(attempt.row_ids),
        and_(LoginFailure.kind == PAIR, LoginFailure.key == attempt.pair_key),
    ]
    if attempt.device:
        conditions.append(and_(LoginFailure.kind == DEVICE, LoginFailure.key == attempt.device))
    db.session.execute(delete(LoginFailure).where(or_(*conditions)))


def recorded_under(username: str) -> ColumnElement[bool]:
    """The attempts recorded under this name, from any address (erasing an account)."""
    name = _key(username)
    return or_(
        and_(LoginFailure.kind == ACCOUNT, LoginFailure.key == name),
        and_(LoginFailure.kind == PAIR, LoginFailure.key.startswith(name + "|", autoescape=True)),
    )


def forget(username: str) -> None:
    """Remove the attempts recorded under this name (erasing an account)."""
    db.session.execute(delete(LoginFailure).where(recorded_under(username)))


def refusal_message(verdict: Verdict) -> str:
    """What a refused attempt is told, in the reader's language."""
    if verdict is Verdict.SLOW:
        seconds = int(current_app.config["LOGIN_SLOWDOWN_SECONDS"])
        return ngettext(
            "Many attempts were made to log in to this account just now. Wait %(num)d second and try again.",
            "Many attempts were made to log in to this account just now. Wait %(num)d seconds and try again.",
            seconds,
        )
    return _(
        "Too many failed attempts. Wait %(minutes)d minutes and try again.",
        minutes=current_app.config["LOGIN_THROTTLE_MINUTES"],
    )
