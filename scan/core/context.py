"""What every template may display: the navigation of the current role, role labels."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from scan.access import navigation, role_label


def register(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        authenticated = bool(current_user and current_user.is_authenticated)
        return {
            "nav_items": navigation(current_user.role) if authenticated else (),
            "role_label": role_label,
        }
