"""Scan rounds, self-assessments (scans), their answers and their history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scan.auth.models import User
from scan.db import Base, CreatedMixin, UTCDateTime, utcnow
from scan.kenniskaart.models import Item, KenniskaartVersion
from scan.organisation.models import Municipality, Team

NOTE_MAX_LENGTH = 500


class RoundStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open"
    CLOSED = "closed"


class ScanStatus(StrEnum):
    NOT_STARTED = "not_started"  # never stored: no scan row yet
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ScanRound(CreatedMixin, Base):
    """A round belongs to one team and stays tied to the Kenniskaart version it was opened on."""

    __tablename__ = "scan_round"
    __table_args__ = (Index("ix_scan_round_team_dates", "team_id", "opens_on", "closes_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("kenniskaart_version.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    # The last day on which scans can be filled in (inclusive).
    closes_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)

    team: Mapped[Team] = relationship()
    version: Mapped[KenniskaartVersion] = relationship()

    def status(self, today: date) -> RoundStatus:
        if today < self.opens_on:
            return RoundStatus.PLANNED
        if today > self.closes_on:
            return RoundStatus.CLOSED
        return RoundStatus.OPEN


class Scan(Base):
    """One professional's self-assessment in one round."""

    __tablename__ = "scan"
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_scan_round_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scan_round.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ScanStatus.DRAFT.value)
    # Optimistic locking per section: every change raises lock_version; a page carries the number it was
    # loaded with, and its save is refused only when its own section was saved after that
    # (section_saves: section code -> lock_version of that section's last save).
    lock_version: Mapped[int] = mapped_column(default=1)
    section_saves: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Where and as whom the scan was submitted: the regional publications count people there, whatever
    # happens to their account afterwards (scan.assessment.snapshot fills these at submission).
    counted_team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), default=None)
    counted_municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), default=None)
    counted_role: Mapped[str | None] = mapped_column(String(30), default=None)

    round: Mapped[ScanRound] = relationship()
    user: Mapped[User] = relationship()
    counted_team: Mapped[Team | None] = relationship(foreign_keys=[counted_team_id])
    counted_municipality: Mapped[Municipality | None] = relationship(foreign_keys=[counted_municipality_id])


class Answer(Base):
    __tablename__ = "scan_answer"
    __table_args__ = (UniqueConstraint("scan_id", "item_id", name="uq_scan_answer_scan_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("kenniskaart_item.id"), index=True)
    level: Mapped[int | None] = mapped_column(default=None)
    not_applicable: Mapped[bool] = mapped_column(default=False)
    # The level the professional wants to reach; equal to `level` means "stay at this level".
    ambition: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[Item] = relationship()


class ScanEvent(Base):
    """Submitting and reopening, with who, when and (for a reopening) why. Never rewritten."""

    __tablename__ = "scan_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "submitted" or "reopened"
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship()
