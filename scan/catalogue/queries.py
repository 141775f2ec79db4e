"""Reading the training catalogue: always one region's."""

from __future__ import annotations

from sqlalchemy import select

from scan.catalogue.models import Training
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.kenniskaart.queries import current_version
from scan.organisation.models import Region

FILTERS = ("active", "inactive", "all")


def regions() -> list[Region]:
    """Every region, by name: the administrator's choice of catalogue."""
    return list(db.session.scalars(select(Region).order_by(Region.name, Region.id)))


def first_region() -> Region | None:
    """The region with the lowest id: the administrator's catalogue when none was chosen."""
    return db.session.scalars(select(Region).order_by(Region.id).limit(1)).first()


def trainings(region_id: int, show: str = "active") -> list[Training]:
    stmt = select(Training).where(Training.region_id == region_id).order_by(Training.code)
    if show == "active":
        stmt = stmt.where(Training.active.is_(True))
    elif show == "inactive":
        stmt = stmt.where(Training.active.is_(False))
    return list(db.session.scalars(stmt))


def trainings_by_code(region_id: int, codes: list[str] | None = None) -> dict[str, Training]:
    stmt = select(Training).where(Training.region_id == region_id)
    if codes is not None:
        stmt = stmt.where(Training.code.in_(codes))
    return {t.code: t for t in db.session.scalars(stmt)}


def code_taken(region_id: int, code: str, except_id: int | None = None) -> bool:
    """Whether another entry of the region has this code (other regions may use it too)."""
    stmt = select(Training.id).where(Training.region_id == region_id, Training.code == code)
    if except_id is not None:
        stmt = stmt.where(Training.id != except_id)
    return db.session.scalars(stmt.limit(1)).first() is not None


def known_item_codes() -> set[str]:
    """The item codes of the current Kenniskaart version (empty when none is loaded)."""
    version = current_version()
    if version is None:
        return set()
    return set(db.session.scalars(select(Item.code).where(Item.version_id == version.id)))
