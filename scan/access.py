"""The one permission layer: roles, public views, role checks and each role's start page.

Every view is login-protected unless marked `@public`; role checks go through `require`;
object-level rules live as plain `can_*` functions in each feature's permissions module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    PROFESSIONAL = "professional"
    TEAMLEIDER = "teamleider"
    REGIOCOORDINATOR = "regiocoordinator"
    BEHEERDER = "beheerder"


ROLE_LABELS = {
    Role.PROFESSIONAL: _l("Professional"),
    Role.TEAMLEIDER: _l("Team leader"),
    Role.REGIOCOORDINATOR: _l("Regional coordinator"),
    Role.BEHEERDER: _l("Administrator"),
}

START_ENDPOINTS = {
    Role.PROFESSIONAL: "home.professional",
    Role.TEAMLEIDER: "teams.index",
    Role.REGIOCOORDINATOR: "regio.index",
    Role.BEHEERDER: "beheer.index",
}


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any
    # Further URL prefixes whose pages belong to this item (its own URL is one already): the header marks
    # the item on every page of its section, not only on the page it links to.
    section: tuple[str, ...] = ()


# What each role may use; the header shows exactly this list.
NAVIGATION: dict[Role, tuple[NavItem, ...]] = {
    Role.PROFESSIONAL: (
        NavItem("home.professional", _l("My development")),
        NavItem("assessment.overview", _l("My scan")),
        NavItem("assessment.latest_result", _l("My result")),
        NavItem("pop.mine", _l("My POP"), section=("/pop",)),
        NavItem("catalogue.browse", _l("Training catalogue")),
        NavItem("team_plan.mine", _l("My team")),
        NavItem("privacy.my_data", _l("My data")),
    ),
    Role.TEAMLEIDER: (
        NavItem("teams.index", _l("My teams"), section=("/pop", "/scans")),
        NavItem("catalogue.browse", _l("Training catalogue")),
    ),
    Role.REGIOCOORDINATOR: (
        NavItem("regio.index", _l("Region")),
        NavItem("catalogue.index", _l("Training catalogue")),
    ),
    Role.BEHEERDER: (
        NavItem("beheer.index", _l("Administration"), section=("/regio/publicaties",)),
        NavItem("beheer.accounts", _l("Accounts")),
        NavItem("beheer.organisation", _l("Organisation"),
                section=("/beheer/gemeenten", "/beheer/teams", "/teams")),
        NavItem("beheer.kenniskaart", _l("Kenniskaart")),
        NavItem("audit.index", _l("Audit log")),
        NavItem("catalogue.index", _l("Training catalogue")),
    ),
}


def current_nav_item(items: tuple[NavItem, ...], path: str, url_of: Callable[[str], str]) -> str | None:
    """The endpoint of the item whose section `path` lies in: the longest of the items' own URLs and
    section prefixes that is `path` or a folder above it (so /mijn/team is "My team", not "My
    development"); None for a page outside every section (the password page)."""
    best, length = None, 0
    for item in items:
        for prefix in (url_of(item.endpoint), *item.section):
            stem = prefix.rstrip("/")
            if (path.rstrip("/") == stem or path.startswith(stem + "/")) and len(stem) > length:
                best, length = item.endpoint, len(stem)
    return best


def public(view: F) -> F:
    """Mark a view as reachable without logging in (login page, health check, static files)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def require(*roles: Role) -> Callable[[F], F]:
    """Allow only the given roles; everyone else gets 403 (anonymous users never get this far)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = tuple(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def start_endpoint(role: str) -> str:
    return START_ENDPOINTS[Role(role)]


def navigation(role: str) -> tuple[NavItem, ...]:
    return NAVIGATION[Role(role)]


def role_label(role: str) -> Any:
    return ROLE_LABELS[Role(role)]
