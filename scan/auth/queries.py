"""Read functions for accounts and their sessions."""

from __future__ import annotations

from sqlalchemy import select

from scan.auth.models import UserSession
from scan.extensions import db


def sessions_of(user_id: int) -> list[UserSession]:
    """Every login of this person, newest first (for the right of access)."""
    return list(
        db.session.scalars(
            select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.created_at.desc())
        )
    )
