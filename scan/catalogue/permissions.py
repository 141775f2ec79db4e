"""Who may manage which region's training catalogue. Pure functions on plain objects."""

from __future__ import annotations

from typing import Any

from scan.access import Role

MANAGERS = (Role.REGIOCOORDINATOR, Role.BEHEERDER)


def can_manage_catalogue(user: Any) -> bool:
    """May use the catalogue pages at all: the regional coordinator and the administrator."""
    return bool(user and user.is_authenticated and user.role in MANAGERS)


def can_manage_region_catalogue(user: Any, region_id: int | None) -> bool:
    """A regional coordinator manages the catalogue of their own region only; the administrator (who has no
    region) manages every region's catalogue."""
    if region_id is None or not can_manage_catalogue(user):
        return False
    if user.role == Role.BEHEERDER:
        return True
    return user.region_id is not None and user.region_id == region_id


def can_manage_training(user: Any, training: Any) -> bool:
    return can_manage_region_catalogue(user, training.region_id)


READERS = (Role.PROFESSIONAL, Role.TEAMLEIDER, Role.REGIOCOORDINATOR)


def can_browse_region_catalogue(user: Any, region_ids: list[int], region_id: int | None) -> bool:
    """Professionals, team leaders and regional coordinators read the active entries of their own regions'
    catalogues only (`region_ids`: the regions of their team, of the teams they lead, or their own)."""
    return bool(user and user.is_authenticated and user.role in READERS and region_id is not None
                and region_id in region_ids)
