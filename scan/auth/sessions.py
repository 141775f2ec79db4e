"""Database-backed, revocable login sessions shared by every worker."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from scan.auth.models import User, UserSession
from scan.db import utcnow
from scan.extensions import db

# Writing last_seen on every request would turn each page view into a write; a minute is precise enough.
_TOUCH_INTERVAL = timedelta(seconds=60)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, address: str | None) -> str:
    """Create a session row and return the random token for the cookie (a new one at every login)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(UserSession(token_hash=_digest(token), user=user, last_seen_at=now, address=address))
    user.last_login_at = now
    db.session.flush()
    return token


def user_for_token(token: str | None) -> User | None:
    """The user of a live session, or None when it is unknown, revoked, idle too long or deactivated."""
    if not token:
        return None
    row = db.session.execute(
        select(UserSession, User)
        .join(User, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    user_session, user = row
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if not user.active or now - user_session.last_seen_at > idle:
        return None
    if now - user_session.last_seen_at > _TOUCH_INTERVAL:
        user_session.last_seen_at = now
    return user


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _digest(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def end_all_sessions(user: User, except_token: str | None = None) -> None:
    """Log a user out everywhere (deactivation, password change on another device)."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if except_token:
        stmt = stmt.where(UserSession.token_hash != _digest(except_token))
    db.session.execute(stmt.values(revoked_at=utcnow()))
