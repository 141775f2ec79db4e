"""Who may manage the regional training catalogue."""

from __future__ import annotations

from typing import Any

from scan.access import Role

MANAGERS = (Role.REGIOCOORDINATOR, Role.BEHEERDER)


def can_manage_catalogue(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.role in MANAGERS)
