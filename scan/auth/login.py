"""Wires Flask-Login to the database sessions and guards every non-public view."""

from __future__ import annotations

from flask import Flask, current_app, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from scan.auth import sessions
from scan.auth.models import User
from scan.extensions import login_manager

# While a temporary password is in force, only these views are open.
_ALLOWED_DURING_FORCED_CHANGE = {"auth.change_password", "auth.logout", "core.set_language", "static"}


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    # Sessions are revoked in the database; Flask-Login's own "remember me" cookie is never used.
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = sessions.user_for_token(session.get("sid"))
        if user is None or str(user.id) != user_id:
            return None
        return user

    @app.before_request
    def guard() -> Response | None:
        if request.endpoint is None:
            return None  # 404 follows
        view = current_app.view_functions.get(request.endpoint)
        if request.endpoint == "static" or getattr(view, "is_public", False):
            return None
        if not current_user.is_authenticated:
            session.pop("_user_id", None)
            return login_manager.unauthorized()
        if current_user.must_change_password and request.endpoint not in _ALLOWED_DURING_FORCED_CHANGE:
            return redirect(url_for("auth.change_password"))
        return None
