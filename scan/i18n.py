"""Language choice: the visitor's pick (session), else the account's, else Dutch."""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        # Command-line tools speak the default language (or SCAN_CLI_LANG).
        cli_lang = os.environ.get("SCAN_CLI_LANG", "")
        return cli_lang if cli_lang in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def localized(obj: Any, field: str) -> str:
    """The Dutch or English value of a bilingual column pair such as title_nl/title_en."""
    lang = str(get_locale() or "nl")[:2]
    value = getattr(obj, f"{field}_{lang}", None)
    return value or getattr(obj, f"{field}_nl")


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "current_lang": str(get_locale() or "nl")[:2],
            "localized": localized,
        }

    app.jinja_env.filters["datetime"] = format_moment
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["number"] = format_number


# One way to write a day and a moment in every language (docs/glossary.md): "27 november 2026" and
# "27 november 2026, 14:35"; in English "27 November 2026" and "27 November 2026, 14:35" (no US order,
# no AM/PM). Pages use the `date` and `datetime` filters, documents and commands `format_day` and
# `format_moment`; nothing formats a date by hand or with Babel's own "short"/"medium" patterns.
DAY_PATTERN = "d MMMM y"
MOMENT_PATTERN = "d MMMM y, HH:mm"
_TIMEZONE = ZoneInfo("Europe/Amsterdam")


def format_day(value: date | datetime | None, _ignored: str | None = None, *,
               locale: str | None = None) -> str:
    """A day in the one day format of the reader's language (or `locale`, outside a request). A moment is
    first put in Dutch time. The second argument is ignored: there is one format (older templates passed
    "short"/"medium")."""
    if value is None:
        return ""
    if locale is None:
        return format_date(value, DAY_PATTERN)
    if isinstance(value, datetime):
        value = _local(value)
    return babel_format_date(value, DAY_PATTERN, locale=locale)


def format_moment(value: datetime | None, _ignored: str | None = None, *,
                  locale: str | None = None) -> str:
    """A moment (day and 24-hour time, Dutch time) in the one moment format of the reader's language."""
    if value is None:
        return ""
    if locale is None:
        return format_datetime(value, MOMENT_PATTERN)
    return babel_format_datetime(_local(value), MOMENT_PATTERN, locale=locale)


def _local(value: datetime) -> datetime:
    """Stored moments are UTC (naive ones too, as Flask-Babel reads them)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(_TIMEZONE)


@lru_cache(maxsize=16)
def _grouping(locale: str) -> str | None:
    """The group separator when the locale writes whole numbers as Python's "{:,}" does (groups of three
    from the first thousand on, "-" for minus), else None: Babel then formats them."""
    data = Locale.parse(locale)
    pattern = data.decimal_formats.get(None)
    plain = pattern is not None and pattern.grouping == (3, 3)
    symbols = data.number_symbols.get("latn", {})
    # tests/test_i18n.py checks the result against Babel for every language the app has.
    return symbols.get("group") if plain and symbols.get("minusSign", "-") == "-" else None


def whole_number_formatter() -> Any:
    """A function writing whole numbers as `format_number` does, with the locale looked up once (for a
    loop over many counts)."""
    group = _grouping(str(get_locale() or "nl"))
    if group is None:
        return format_decimal
    return lambda value: f"{value:,}".replace(",", group) if type(value) is int else format_decimal(value)


def format_number(value: Any, format: str | None = None) -> str:
    """Babel's format_decimal in the reader's locale; whole numbers in the locale's own pattern on a fast
    path with the same result (a regional page writes thousands of counts; Babel takes some 25 µs each)."""
    if format is None and type(value) is int:
        group = _grouping(str(get_locale() or "nl"))
        if group is not None:
            return f"{value:,}".replace(",", group)
    return format_decimal(value, format)
