"""The teamschouw: calibrated levels, team norms, priorities, agreements and the session itself."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scan.assessment.models import Scan, ScanRound
from scan.auth.models import User
from scan.db import Base, UTCDateTime, utcnow
from scan.kenniskaart.models import Item, Section
from scan.teamschouw.reasons import reason_sentence


class Calibration(Base):
    """An agreed level for one member and item, next to the self-assessed one.

    Append-only: every change is a new row (who, when); the newest row per scan and item counts.
    `agreed_level` None means the agreement was withdrawn.
    """

    __tablename__ = "calibration"
    __table_args__ = (Index("ix_calibration_scan_item", "scan_id", "item_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("kenniskaart_item.id"))
    agreed_level: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    scan: Mapped[Scan] = relationship()
    item: Mapped[Item] = relationship()
    set_by: Mapped[User | None] = relationship()


class TeamNorm(Base):
    """How many specialists a team wants per leefgebied (by section code, so it outlives versions)."""

    __tablename__ = "team_norm"
    __table_args__ = (UniqueConstraint("team_id", "section_code", name="uq_team_norm_team_section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    section_code: Mapped[str] = mapped_column(String(40))
    min_specialists: Mapped[int]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TeamPriority(Base):
    """A priority of the team for a round: an item or a whole leefgebied, with the reason."""

    __tablename__ = "team_priority"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scan_round.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("kenniskaart_item.id"), default=None)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("kenniskaart_section.id"), default=None)
    # As typed by the team leader; for a suggestion taken over, its sentence in the leader's language of the
    # day (kept for old rows and as a fallback): readers see `reason_text`, built from `reason_facts`.
    reason: Mapped[str] = mapped_column(Text, default="")
    # The facts behind a suggestion taken over (see scan.teamschouw.reasons); None for a typed reason.
    reason_facts: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    position: Mapped[int] = mapped_column(default=0)
    # "suggested" when taken over from the app's proposal, "own" when the team leader chose it.
    source: Mapped[str] = mapped_column(String(20), default="own")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[ScanRound] = relationship()
    item: Mapped[Item | None] = relationship()
    section: Mapped[Section | None] = relationship()

    @property
    def reason_text(self) -> str:
        """The reason in the current locale: from the facts, else as typed (scan.teamschouw.reasons)."""
        return reason_sentence(self.reason, self.reason_facts)


class AgreementKind:
    VRAAGBAAK = "vraagbaak"  # go-to colleague for a theme: needs the member's consent
    GROW = "grow"  # will grow into a specialism
    OTHER = "other"


class ConsentStatus:
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Agreement(Base):
    """An agreement from the teamschouw: who is vraagbaak for what, who grows into a specialism, ..."""

    __tablename__ = "team_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scan_round.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("kenniskaart_item.id"), default=None)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("kenniskaart_section.id"), default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    # Only for a vraagbaak: the member opts in (or declines) in the app.
    consent: Mapped[str | None] = mapped_column(String(20), default=None)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[ScanRound] = relationship()
    member: Mapped[User | None] = relationship(foreign_keys=[member_id])
    item: Mapped[Item | None] = relationship()
    section: Mapped[Section | None] = relationship()


session_attendee = Table(
    "teamschouw_attendee",
    Base.metadata,
    Column("session_id", ForeignKey("teamschouw_session.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class TeamSession(Base):
    """The teamschouw meeting of a round: when, who was there, notes and decisions."""

    __tablename__ = "teamschouw_session"
    __table_args__ = (UniqueConstraint("round_id", name="uq_teamschouw_session_round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scan_round.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[ScanRound] = relationship()
    attendees: Mapped[list[User]] = relationship(secondary=session_attendee, order_by="User.full_name")
