"""Region → municipalities (gemeenten) → teams. Members and leaders live on the accounts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scan.db import Base, CreatedMixin, UTCDateTime

if TYPE_CHECKING:
    from scan.auth.models import User

team_leaders = Table(
    "team_leader",
    Base.metadata,
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class Region(CreatedMixin, Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="region", order_by="Municipality.name"
    )


class Municipality(CreatedMixin, Base):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Archived municipalities keep their teams' history; they are never deleted.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    region: Mapped[Region] = relationship(back_populates="municipalities")
    teams: Mapped[list[Team]] = relationship(back_populates="municipality", order_by="Team.name")


class Team(CreatedMixin, Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Teams are archived, never deleted: scans refer to them.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    municipality: Mapped[Municipality] = relationship(back_populates="teams")
    leaders: Mapped[list[User]] = relationship(
        secondary=team_leaders, back_populates="led_teams", order_by="User.full_name"
    )
    members: Mapped[list[User]] = relationship(
        back_populates="team", order_by="User.full_name", foreign_keys="User.team_id"
    )
