"""The privacy statement and the accessibility statement (toegankelijkheidsverklaring): public pages,
linked from every page's footer, readable without logging in."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template
from flask_babel import get_locale

from scan.access import public
from scan.core import bp

# The day the makers last measured and wrote the accessibility statement (see README.md).
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 23)


@bp.get("/privacyverklaring")
@public
def privacy_statement() -> str:
    config = current_app.config
    return render_template(
        "statements/privacy.html",
        retention_months=config["RETENTION_MONTHS"],
        audit_months=config["AUDIT_RETENTION_MONTHS"],
        idle_minutes=config["SESSION_IDLE_MINUTES"],
        min_cell=config["REGIO_MIN_CELL"],
    )


@bp.get("/toegankelijkheidsverklaring")
@public
def accessibility_statement() -> str:
    # The statement follows the Dutch model statement; the English page says the same in English.
    lang = "en" if str(get_locale() or "nl")[:2] == "en" else "nl"
    return render_template(f"statements/accessibility.{lang}.html", written_on=ACCESSIBILITY_STATEMENT_DATE,
                           idle_minutes=current_app.config["SESSION_IDLE_MINUTES"])
