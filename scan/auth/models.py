"""Accounts, their database-backed sessions and the login-failure counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scan.access import Role
from scan.db import Base, CreatedMixin, UTCDateTime
from scan.organisation.models import Region, Team, team_leaders


class User(CreatedMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    # Set when an administrator gave a temporary password: the next login must change it.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # A professional belongs to one team; a regional coordinator to one region.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True, default=None)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), default=None)
    locale: Mapped[str | None] = mapped_column(String(5), default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Set when a leaver's account was erased: name and username anonymised, notes removed, counts kept.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    region: Mapped[Region | None] = relationship()
    led_teams: Mapped[list[Team]] = relationship(
        secondary=team_leaders, back_populates="leaders", order_by="Team.name"
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class UserSession(CreatedMixin, Base):
    """One login. The cookie carries a random token; only its SHA-256 is stored here."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    address: Mapped[str | None] = mapped_column(String(64), default=None)

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """A password attempt, recorded before the check and removed when it succeeds (scan.auth.throttle)."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_kind_key_at", "kind", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "pair" (key: name|address), "account" (key: the name as typed) or "device" (key: a known-browser nonce)
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
