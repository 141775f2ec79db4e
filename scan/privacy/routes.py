"""Mijn gegevens: everything stored about you, on a page and as JSON and CSV downloads. Any logged-in
user, their own data only."""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from scan.audit import actions as audit_actions
from scan.audit.services import record
from scan.core.clock import AMSTERDAM
from scan.core.downloads import CSV_MIME, download
from scan.extensions import db
from scan.privacy import bp
from scan.privacy.export import render_csv, render_json
from scan.privacy.queries import personal_data


def _filename(exported_at: datetime, extension: str) -> str:
    return f"ontwikkelscan-mijn-gegevens-{exported_at.astimezone(AMSTERDAM).date().isoformat()}.{extension}"


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
    return download(body, _filename(data.exported_at, "json"), "application/json")


@bp.get("/mijn/gegevens.csv")
def my_data_csv() -> Response:
    data = personal_data(current_user)
    lang = str(get_locale() or "nl")[:2]
    body = render_csv(data, lang)
    record(audit_actions.EXPORT, object_type="mijn-gegevens.csv", object_id=current_user.id)
    db.session.commit()
    return download(body, _filename(data.exported_at, "csv"), CSV_MIME)
