"""A Kenniskaart version and its elements. Versions are never rewritten: scans point at one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scan.db import Base, UTCDateTime, utcnow

SECTION_GENERIC = "generiek"
SECTION_LEEFGEBIED = "leefgebied"
LEVEL_GENERIC = "generiek"
LEVEL_ALGEMEEN = "algemeen"
LEVEL_SPECIALISTISCH = "specialistisch"


class KenniskaartVersion(Base):
    __tablename__ = "kenniskaart_version"
    __table_args__ = (UniqueConstraint("code", "number", name="uq_kenniskaart_version_code_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    # Sequential per code: 1, 2, 3 ... in the order they were loaded.
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(40))  # the file's own version label, e.g. "2026.1"
    title_nl: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    region_name: Mapped[str] = mapped_column(String(200), default="")
    # SHA-256 of the validated content: loading an unchanged file adds nothing.
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    source_name: Mapped[str] = mapped_column(String(300), default="")
    norms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    scale: Mapped[list[ScaleLevel]] = relationship(
        back_populates="version", order_by="ScaleLevel.level", cascade="all, delete-orphan"
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="version", order_by="Section.position", cascade="all, delete-orphan"
    )


class ScaleLevel(Base):
    __tablename__ = "kenniskaart_scale_level"
    __table_args__ = (UniqueConstraint("version_id", "level", name="uq_scale_level_version_level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("kenniskaart_version.id", ondelete="CASCADE"))
    level: Mapped[int]
    title_nl: Mapped[str] = mapped_column(String(100))
    title_en: Mapped[str] = mapped_column(String(100))
    description_nl: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)

    version: Mapped[KenniskaartVersion] = relationship(back_populates="scale")


class Section(Base):
    """The generic competencies, or one leefgebied."""

    __tablename__ = "kenniskaart_section"
    __table_args__ = (UniqueConstraint("version_id", "code", name="uq_section_version_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("kenniskaart_version.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # SECTION_GENERIC or SECTION_LEEFGEBIED
    position: Mapped[int]
    title_nl: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[KenniskaartVersion] = relationship(back_populates="sections")
    items: Mapped[list[Item]] = relationship(
        back_populates="section", order_by="Item.position", cascade="all, delete-orphan"
    )


class Item(Base):
    """A generic competency or a knowledge item (algemeen or specialistisch)."""

    __tablename__ = "kenniskaart_item"
    __table_args__ = (UniqueConstraint("version_id", "code", name="uq_item_version_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("kenniskaart_version.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("kenniskaart_section.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    level_kind: Mapped[str] = mapped_column(String(20))  # LEVEL_GENERIC / _ALGEMEEN / _SPECIALISTISCH
    position: Mapped[int]
    title_nl: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Whether a professional may answer "niet van toepassing" instead of a level.
    not_applicable_allowed: Mapped[bool] = mapped_column(default=False)
    # Specialist items are optional in the scan; generic and algemeen items are required.
    required: Mapped[bool] = mapped_column(default=True)
    # Retired items keep their code (never renumbered) but are no longer scanned.
    retired: Mapped[bool] = mapped_column(default=False)
    # Codes of related elements in the same version (e.g. a knowledge item and a generic competency).
    related: Mapped[list[str]] = mapped_column(JSON, default=list)

    section: Mapped[Section] = relationship(back_populates="items")
    descriptors: Mapped[list[LevelDescriptor]] = relationship(
        back_populates="item", order_by="LevelDescriptor.level", cascade="all, delete-orphan"
    )


class LevelDescriptor(Base):
    """What a level means for one item (e.g. GC01 at level 3)."""

    __tablename__ = "kenniskaart_level_descriptor"
    __table_args__ = (UniqueConstraint("item_id", "level", name="uq_descriptor_item_level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("kenniskaart_item.id", ondelete="CASCADE"))
    level: Mapped[int]
    text_nl: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)

    item: Mapped[Item] = relationship(back_populates="descriptors")
