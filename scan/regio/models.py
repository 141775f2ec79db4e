"""The regional publications: periods a region publishes its figures for, and what was published.

A publication is counted once, suppressed once, audited once and stored (scan.regio.publish); every
regional page and export reads it and never counts again. Once stored its figures never change: a correction
is a publication with the next number for the same period, audited together with the earlier ones.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scan.db import Base, CreatedMixin, UTCDateTime, utcnow


class Period(CreatedMixin, Base):
    """A named span of opening dates (e.g. "najaar 2026"): every round of the region's teams (archived
    teams included) that opened in it is counted in the period's publication."""

    __tablename__ = "regio_period"
    __table_args__ = (UniqueConstraint("region_id", "name", name="uq_regio_period_region_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)

    publications: Mapped[list[Publication]] = relationship(
        back_populates="period", order_by="Publication.number", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> Publication | None:
        return self.publications[-1] if self.publications else None


class Publication(Base):
    """One audited publication of a period. `payload` holds what may be shown (suppressed figures, group
    sizes, codes; never a name); `truth` the true values of the same positions, kept only so the audit of a
    later correction can check the two together (never shown, never exported)."""

    __tablename__ = "regio_publication"
    __table_args__ = (UniqueConstraint("period_id", "number", name="uq_regio_publication_period_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("regio_period.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    k: Mapped[int]
    professionals: Mapped[int] = mapped_column(default=0)
    groups: Mapped[int] = mapped_column(default=0)
    # The audit's outcome (shown to the coordinator and the administrator).
    positions: Mapped[int] = mapped_column(default=0)
    hidden: Mapped[int] = mapped_column(default=0)
    primary: Mapped[int] = mapped_column(default=0)
    sensitive: Mapped[int] = mapped_column(default=0)
    rounds: Mapped[int] = mapped_column(default=0)
    lp_solves: Mapped[int] = mapped_column(default=0)
    mip_solves: Mapped[int] = mapped_column(default=0)
    count_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    audit_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # The three texts grow with the region (megabytes at 40,000 professionals) and no page shows them:
    # loaded only when read. The pages read the publication's parts (PublicationPart) instead.
    payload: Mapped[str] = mapped_column(Text, deferred=True)
    truth: Mapped[str] = mapped_column(Text, deferred=True)
    intervals: Mapped[str] = mapped_column(Text, default="{}", deferred=True)

    period: Mapped[Period] = relationship(back_populates="publications")

    def data(self) -> dict[str, Any]:
        return json.loads(self.payload)


class PublicationPart(Base):
    """The payload split by where a page needs it (scan.regio.parts): `meta` and one per municipality."""

    __tablename__ = "regio_publication_part"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("regio_publication.id", ondelete="CASCADE"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    body: Mapped[str] = mapped_column(Text)

    def data(self) -> dict[str, Any]:
        return json.loads(self.body)


class PublicationFile(Base):
    """An export of a publication written once and kept (scan.regio.exports.files): the figures never
    change, so
    the file only changes when what else is in it does (the catalogue, the Kenniskaart's titles, the
    trends); `fingerprint` says which of those it was written with."""

    __tablename__ = "regio_publication_file"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("regio_publication.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
