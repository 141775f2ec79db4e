"""One row per recorded action. Rows are never changed in the app (see `guard` in services)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scan.db import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # The account that acted (None: anonymous, e.g. a failed login for an unknown name, or a command).
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True, default=None
    )
    # The username at the time (kept when the account is renamed; replaced when a leaver is erased).
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)  # one of scan.audit.actions.ACTIONS
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(80), default="")
    # Short facts only (e.g. "fields: role, team"), never text a professional typed.
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str | None] = mapped_column(String(64), default=None)
