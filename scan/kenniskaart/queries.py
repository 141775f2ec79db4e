"""Read functions for Kenniskaart versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from scan.extensions import db
from scan.kenniskaart.models import Item, KenniskaartVersion


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
