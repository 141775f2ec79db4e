"""Mijn gegevens: everything stored about you, on a page and as JSON and CSV downloads. Any logged-in
user, their own data only."""

from __future__ import annotations

from datetime import datetime

from flask import make_response, render_template
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.core.clock import AMSTERDAM
from scan.extensions import db
from scan.privacy import bp
from scan.privacy.export import render_csv, render_json
from scan.privacy.queries import personal_data


def _download(body: bytes, mimetype: str, extension: str, exported_at: datetime) -> Response:
    response = make_response(body)
    response.mimetype = mimetype
    if mimetype.startswith("text/"):
        response.charset = "utf-8"
    day = exported_at.astimezone(AMSTERDAM).date().isoformat()
    response.headers["Content-Disposition"] = (
        f"attachment; filename=ontwikkelscan-mijn-gegevens-{day}.{extension}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/mijn/gegevens")
def my_data() -> str:
    data = personal_data(current_user)
    return render_template("privacy/my_data.html", data=data, role=current_user.role)


@bp.get("/mijn/gegevens.json")
def my_data_json() -> Response:
    data = personal_data(current_user)
    body = render_json(data)
    record(audit_actions.EXPORT, object_type="mijn-gegevens.json", object_id=current_user.id)
    db.session.commit()
    return _download(body, "application/json", "json", data.exported_at)


@bp.get("/mijn/gegevens.csv")
def my_data_csv() -> Response:
    data = personal_data(current_user)
    lang = str(get_locale() or "nl")[:2]
    body = render_csv(data, lang)
    record(audit_actions.EXPORT, object_type="mijn-gegevens.csv", object_id=current_user.id)
    db.session.commit()
    return _download(body, "text/csv", "csv", data.exported_at)
