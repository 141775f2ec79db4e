"""The training catalogue: what a region offers to learn, per Kenniskaart item code. Owned by `catalogue`;
a POP action may point at an entry, the regional plan reads it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Numeric, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scan.db import Base
from scan.organisation.models import Region

training_item_code = Table(
    "training_item_code",
    Base.metadata,
    Column("training_id", ForeignKey("training.id", ondelete="CASCADE"), primary_key=True),
    # By code, not item id: the catalogue outlives Kenniskaart versions.
    Column("item_code", String(40), primary_key=True),
)


class Training(Base):
    """An entry of a region's training catalogue. Each region has its own: codes are unique per region."""

    __tablename__ = "training"
    __table_args__ = (UniqueConstraint("region_id", "code", name="uq_training_region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(200), default="")
    type: Mapped[str] = mapped_column(String(20))  # one of activities.TRAINING_TYPES
    level: Mapped[str | None] = mapped_column(String(20), default=None)  # algemeen / specialistisch
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1), default=Decimal("0"))
    cost_cents: Mapped[int] = mapped_column(default=0)  # per participant, excl. VAT
    # Accreditation points for the professional registers (SKJ, Registerplein); 0 when none.
    points: Mapped[int] = mapped_column(default=0)
    min_group: Mapped[int | None] = mapped_column(default=None)
    max_group: Mapped[int | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(default=True)

    region: Mapped[Region] = relationship()
    item_codes: Mapped[list[TrainingItem]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class TrainingItem(Base):
    __table__ = training_item_code

    training: Mapped[Training] = relationship(viewonly=True)
