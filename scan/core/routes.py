"""Health check, the language switch and the root redirect."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from scan.access import public, start_endpoint
from scan.core import bp
from scan.core.safety import safe_next
from scan.extensions import db


@bp.get("/healthz")
@public
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means the database is unreachable
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok"), 200


@bp.get("/")
@public
def index() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for(start_endpoint(current_user.role)))
    return redirect(url_for("auth.login"))


@bp.post("/taal")
@public
def set_language() -> Response:
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("core.index"))
