"""The personal development plan (POP): versions, goals, actions, and the training catalogue."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scan.assessment.models import ScanRound
from scan.auth.models import User
from scan.catalogue.models import Training
from scan.db import Base, UTCDateTime, utcnow
from scan.kenniskaart.models import Item
from scan.pop.reasons import reason_sentence

ACTION_STATUSES = ("gepland", "bezig", "afgerond", "vervallen")


class PopStatus:
    DRAFT = "draft"  # the professional is writing it
    PROPOSED = "proposed"  # sent to the team leader
    RETURNED = "returned"  # sent back with a comment
    AGREED = "agreed"  # the team leader agreed; waiting for both signatures
    SIGNED = "signed"  # signed by both: read-only, except progress on actions


class Pop(Base):
    """One professional's POP for one round. Its content lives in versions."""

    __tablename__ = "pop"
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_pop_round_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("scan_round.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[ScanRound] = relationship()
    user: Mapped[User] = relationship()
    versions: Mapped[list[PopVersion]] = relationship(
        back_populates="pop", order_by="PopVersion.number", cascade="all, delete-orphan"
    )


class PopVersion(Base):
    """A version of the plan. A signed version is never changed; a change makes the next version."""

    __tablename__ = "pop_version"
    __table_args__ = (UniqueConstraint("pop_id", "number", name="uq_pop_version_pop_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pop_id: Mapped[int] = mapped_column(ForeignKey("pop.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=PopStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    leader_comment: Mapped[str] = mapped_column(Text, default="")
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    professional_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    leader_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    leader_signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)

    pop: Mapped[Pop] = relationship(back_populates="versions")
    leader_signed_by: Mapped[User | None] = relationship(foreign_keys=[leader_signed_by_id])
    goals: Mapped[list[PopGoal]] = relationship(
        back_populates="version", order_by="PopGoal.position", cascade="all, delete-orphan"
    )


class PopGoal(Base):
    __tablename__ = "pop_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("pop_version.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    item_id: Mapped[int] = mapped_column(ForeignKey("kenniskaart_item.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    # Why this goal: "team_priority", "ambition" (own gap) or "own" (added by the professional).
    reason_kind: Mapped[str] = mapped_column(String(20), default="own")
    # Typed text only (the team's reason for a priority); the app's own sentence is built when read
    # (scan.pop.reasons) from the facts below, in the reader's language. Goals adopted before those facts
    # were stored may still hold that sentence here, in the language of the day.
    reason: Mapped[str] = mapped_column(Text, default="")
    # A goal adopted from a team priority that was a suggestion taken over: that reason's facts, worded when
    # read (scan.teamschouw.reasons); None otherwise. Part of the version: copied, never changed once signed.
    reason_facts: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    # The facts when the goal was adopted from a proposal: the level that counted, the ambition, and
    # whether that level was agreed with the team leader (else self-assessed). None for an own goal.
    reason_level: Mapped[int | None] = mapped_column(default=None)
    reason_ambition: Mapped[int | None] = mapped_column(default=None)
    reason_level_agreed: Mapped[bool | None] = mapped_column(default=None)
    target_level: Mapped[int | None] = mapped_column(default=None)

    version: Mapped[PopVersion] = relationship(back_populates="goals")
    item: Mapped[Item] = relationship()
    actions: Mapped[list[PopAction]] = relationship(
        back_populates="goal", order_by="PopAction.id", cascade="all, delete-orphan"
    )

    def _reason(self, shared: bool) -> str:
        return reason_sentence(
            self.reason_kind,
            self.reason,
            self.reason_level,
            self.reason_ambition,
            self.reason_level_agreed,
            shared=shared,
            facts=self.reason_facts,
        )

    @property
    def reason_text(self) -> str:
        """The reason in the current locale (see scan.pop.reasons)."""
        return self._reason(shared=False)

    @property
    def shared_reason_text(self) -> str:
        """The reason in words that read right to the team leader too (see scan.pop.reasons)."""
        return self._reason(shared=True)


class PopAction(Base):
    __tablename__ = "pop_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("pop_goal.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20))  # one of ACTION_TYPES
    description: Mapped[str] = mapped_column(Text, default="")
    training_id: Mapped[int | None] = mapped_column(ForeignKey("training.id"), default=None)
    # A vraagbaak colleague for meelopen or coaching.
    colleague_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    planned_from: Mapped[date | None] = mapped_column(Date, default=None)
    planned_until: Mapped[date | None] = mapped_column(Date, default=None)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1), default=Decimal("0"))
    points: Mapped[int] = mapped_column(default=0)
    # Progress: may change after signing without a new version.
    status: Mapped[str] = mapped_column(String(20), default="gepland")
    reflection: Mapped[str] = mapped_column(Text, default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    goal: Mapped[PopGoal] = relationship(back_populates="actions")
    training: Mapped[Training | None] = relationship()
    colleague: Mapped[User | None] = relationship()
