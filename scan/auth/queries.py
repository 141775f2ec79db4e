"""Read functions for accounts and their sessions."""

from __future__ import annotations

from sqlalchemy import select

from scan.auth.models import User, UserSession
from scan.extensions import db


def sessions_of(user_id: int) -> list[UserSession]:
    """Every login of this person, newest first (for the right of access)."""
    return list(
        db.session.scalars(
            select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.created_at.desc())
        )
    )


def usernames(ids: list[int]) -> dict[int, str]:
    """The username of each of these accounts (one query; an erased account keeps its replacement name)."""
    if not ids:
        return {}
    return {i: name for i, name in db.session.execute(select(User.id, User.username).where(User.id.in_(ids)))}
