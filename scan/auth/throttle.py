"""Login throttling with counters in the database, so every gunicorn worker sees the same count."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from scan.auth.models import LoginFailure
from scan.db import utcnow
from scan.extensions import db


def _window_start() -> datetime:
    return utcnow() - timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])


def _key(username: str) -> str:
    return username.strip().lower()[:200]


def is_throttled(username: str, address: str) -> bool:
    """True when this account name or this address had too many recent failures.

    Counted by the name that was typed, known or not, so throttling never reveals whether it exists.
    """
    since = _window_start()
    counts = dict(
        db.session.execute(
            select(LoginFailure.kind, func.count())
            .where(
                LoginFailure.at >= since,
                ((LoginFailure.kind == "account") & (LoginFailure.key == _key(username)))
                | ((LoginFailure.kind == "address") & (LoginFailure.key == address)),
            )
            .group_by(LoginFailure.kind)
        ).all()
    )
    cfg = current_app.config
    return (
        counts.get("account", 0) >= cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or counts.get("address", 0) >= cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )


def record_failure(username: str, address: str) -> None:
    now = utcnow()
    db.session.add_all(
        [
            LoginFailure(kind="account", key=_key(username), at=now),
            LoginFailure(kind="address", key=address, at=now),
        ]
    )
    # Keep the table small: failures older than the window no longer count.
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < _window_start() - timedelta(days=1)))


def clear_account_failures(username: str) -> None:
    db.session.execute(
        delete(LoginFailure).where(LoginFailure.kind == "account", LoginFailure.key == _key(username))
    )
