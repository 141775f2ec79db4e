"""What every template may display: the navigation of the current role, role labels."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, url_for
from flask_login import current_user

from scan.access import current_nav_item, navigation, role_label


def register(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        authenticated = bool(current_user and current_user.is_authenticated)
        items = navigation(current_user.role) if authenticated else ()
        return {
            "nav_items": items,
            # The item marked in the header: the one whose section the page is in.
            "nav_current": current_nav_item(items, request.path, url_for) if items else None,
            "role_label": role_label,
        }
