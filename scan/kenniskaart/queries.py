"""Read functions for Kenniskaart versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from scan.extensions import db
from scan.kenniskaart.models import Item, KenniskaartVersion, ScaleLevel, Section


@dataclass(frozen=True)
class VersionSummary:
    id: int
    code: str
    number: int
    label: str
    title_nl: str
    title_en: str
    loaded_at: datetime
    items: int
    current: bool


def current_version(code: str | None = None) -> KenniskaartVersion | None:
    """The newest loaded version (of the given Kenniskaart code, or of any)."""
    stmt = select(KenniskaartVersion).order_by(
        KenniskaartVersion.loaded_at.desc(), KenniskaartVersion.id.desc()
    )
    if code:
        stmt = stmt.where(KenniskaartVersion.code == code)
    return db.session.scalars(stmt.limit(1)).first()


def version_summaries() -> list[VersionSummary]:
    item_count = select(func.count(Item.id)).where(Item.version_id == KenniskaartVersion.id).scalar_subquery()
    rows = db.session.execute(
        select(KenniskaartVersion, item_count).order_by(
            KenniskaartVersion.code, KenniskaartVersion.number.desc()
        )
    ).all()
    newest: dict[str, int] = {}
    for version, _count in rows:
        newest.setdefault(version.code, version.id)
    return [
        VersionSummary(
            v.id, v.code, v.number, v.label, v.title_nl, v.title_en, v.loaded_at, n, newest[v.code] == v.id
        )
        for v, n in rows
    ]


# --- a version's content, for the features that show it ----------------------------------------------


def sections(version_id: int) -> list[Section]:
    """Every section with its items and their level descriptors: three queries, whatever the size."""
    return list(
        db.session.scalars(
            select(Section)
            .where(Section.version_id == version_id)
            .order_by(Section.position)
            .options(selectinload(Section.items).selectinload(Item.descriptors))
        )
    )


def section_list(version_id: int) -> list[Section]:
    """The sections alone, for navigation: one query."""
    return list(
        db.session.scalars(select(Section).where(Section.version_id == version_id).order_by(Section.position))
    )


def section_items(section_id: int) -> list[Item]:
    """One section's scanned items with their level descriptors: two queries, whatever the size."""
    return list(
        db.session.scalars(
            select(Item)
            .where(Item.section_id == section_id, Item.retired.is_(False))
            .order_by(Item.position)
            .options(selectinload(Item.descriptors))
        )
    )


def scale(version_id: int) -> list[ScaleLevel]:
    return list(
        db.session.scalars(
            select(ScaleLevel).where(ScaleLevel.version_id == version_id).order_by(ScaleLevel.level)
        )
    )


def sections_with_items(version_id: int) -> list[Section]:
    """The version's sections with their items (two queries)."""
    return list(
        db.session.scalars(
            select(Section)
            .where(Section.version_id == version_id)
            .order_by(Section.position)
            .options(selectinload(Section.items))
        )
    )


def version_norms(version_id: int) -> dict[str, Any]:
    norms = db.session.scalar(select(KenniskaartVersion.norms).where(KenniskaartVersion.id == version_id))
    return norms or {}
