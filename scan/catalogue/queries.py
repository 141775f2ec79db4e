"""Reading the training catalogue: always one region's."""

from __future__ import annotations

from sqlalchemy import func, select

from scan.access import Role
from scan.catalogue.models import Training, training_item_code
from scan.extensions import db
from scan.kenniskaart.models import Item
from scan.kenniskaart.queries import current_version
from scan.organisation.models import Municipality, Region, Team, team_leaders

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


# --- the catalogue as professionals and team leaders read it -----------------------------------------

BROWSE_PAGE_SIZE = 50


def reader_region_ids(user_id: int, role: str, team_id: int | None, region_id: int | None) -> list[int]:
    """The regions whose catalogue this reader may browse, lowest id first: a professional's team's region,
    the regions of the teams a team leader leads, a regional coordinator's own region. One query at most."""
    if role == Role.REGIOCOORDINATOR:
        return [region_id] if region_id is not None else []
    if role == Role.PROFESSIONAL:
        if team_id is None:
            return []
        stmt = (select(Municipality.region_id).join(Team, Team.municipality_id == Municipality.id)
                .where(Team.id == team_id))
    elif role == Role.TEAMLEIDER:
        stmt = (select(Municipality.region_id).join(Team, Team.municipality_id == Municipality.id)
                .join(team_leaders, team_leaders.c.team_id == Team.id)
                .where(team_leaders.c.user_id == user_id))
    else:
        return []
    return sorted(set(db.session.scalars(stmt)))


def region_names(region_ids: list[int]) -> dict[int, str]:
    """The names of these regions (one query; none when there is only one region to show)."""
    if len(region_ids) < 2:
        return {}
    return dict(db.session.execute(select(Region.id, Region.name).where(Region.id.in_(region_ids))).tuples())


def browse(region_id: int, item_codes: set[str] | None, level: str | None, page: int,
           per_page: int = BROWSE_PAGE_SIZE) -> tuple[list[Training], int]:
    """One page of the region's active entries, by title, and how many match: three queries (count, page,
    the entries' item codes), whatever the catalogue's size. `item_codes` keeps the entries serving at least
    one of these items (a leefgebied's); `level` those of this level."""
    where = [Training.region_id == region_id, Training.active.is_(True)]
    if level is not None:
        where.append(Training.level == level)
    if item_codes is not None:
        where.append(Training.id.in_(
            select(training_item_code.c.training_id).where(training_item_code.c.item_code.in_(item_codes))))
    total = db.session.scalar(select(func.count(Training.id)).where(*where)) or 0
    rows = db.session.scalars(select(Training).where(*where).order_by(Training.title, Training.code)
                              .offset((page - 1) * per_page).limit(per_page))
    return list(rows), int(total)
