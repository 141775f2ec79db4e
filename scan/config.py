"""Settings, read from the environment only (twelve-factor), with safe development defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A setting the app cannot start without; `wsgi` turns it into a one-line message, never a traceback."""


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from None


def normalise_database_url(url: str) -> str:
    """Let operators paste the usual `postgres://` URL; we talk to PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(uri: str, options: dict[str, Any], statement_timeout_s: float = 0) -> dict[str, Any]:
    """The engine options for this database.

    On PostgreSQL, psycopg's automatic server-side prepared statements are switched off
    (`prepare_threshold=None`): after five runs of a statement PostgreSQL may plan it once for any
    parameters, and the regional counts then took 50 s instead of 2 s in the benchmark. Unnamed statements
    are planned for their own parameters every time. (It also keeps the app usable behind PgBouncer in
    transaction pooling.)

    Every connection also starts with `statement_timeout` (DATABASE_STATEMENT_TIMEOUT_S; 0: none), sent as
    a libpq startup option, so it costs no round trip and holds for every statement of every request and
    command: a statement with a bad plan is cancelled with an error naming the limit instead of holding a
    worker (and, in the tests, CI) for minutes. Options the URL already gives (`?options=-csearch_path=x`)
    are kept.
    """
    if not uri.startswith("postgresql"):
        return options
    connect_args: dict[str, Any] = {**options.get("connect_args", {}), "prepare_threshold": None}
    milliseconds = statement_timeout_ms(statement_timeout_s)
    if milliseconds:
        from sqlalchemy.engine import make_url

        given = connect_args.get("options") or make_url(uri).query.get("options") or ""
        if isinstance(given, tuple):
            given = " ".join(given)
        connect_args["options"] = f"{given} -c statement_timeout={milliseconds}".strip()
    return {**options, "connect_args": connect_args}


def statement_timeout_ms(seconds: float) -> int:
    """PostgreSQL's `statement_timeout` in milliseconds for a limit in seconds (0 or less: no limit)."""
    return max(0, round(float(seconds) * 1000))


def from_environment(instance_path: str) -> dict[str, object]:
    env = os.environ.get("SCAN_ENV", "production")
    development = env == "development"
    default_db = "sqlite:///" + str(Path(instance_path) / "ontwikkelscan.sqlite")
    secret = os.environ.get("SECRET_KEY")
    if not secret and not development:
        raise ConfigError(
            "SECRET_KEY must be set outside development (SCAN_ENV=development): set SECRET_KEY, or, in a demo"
            " checkout, run `make run` once (it writes SCAN_ENV=development to .flaskenv for `flask`)."
        )
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret or "development-only-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(os.environ.get("DATABASE_URL", default_db)),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # PostgreSQL cancels any statement running longer than this (seconds; 0: no limit). Below the web
        # server's 60 s worker timeout (GUNICORN_TIMEOUT), so a stuck statement ends in an error page and a
        # log line naming the limit, not in a killed worker whose statement runs on in the database.
        # The regional counting statement has its own limit (REGIO_COUNT_TIMEOUT_S); `flask db upgrade`
        # runs without one.
        "DATABASE_STATEMENT_TIMEOUT_S": _int("DATABASE_STATEMENT_TIMEOUT_S", 30),
        # The session cookie carries only a random session id; the row in the database is the truth.
        "SESSION_COOKIE_NAME": "ontwikkelscan_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 60),
        # A request body above this is refused with a 413 page before anything reads it; every upload is
        # at most 2 MB, so this leaves room for the form around it.
        "MAX_CONTENT_LENGTH": _int("MAX_REQUEST_MB", 4) * 1024 * 1024,
        # Long forms (a whole scan section) must not time out on their CSRF token.
        "WTF_CSRF_TIME_LIMIT": None,
        # Login throttling (scan.auth.throttle): failures per account from one address within the window;
        # over all addresses, past LOGIN_SLOWDOWN_AFTER failures one attempt per LOGIN_SLOWDOWN_SECONDS is
        # checked; a browser that logged in to the account before skips both for LOGIN_KNOWN_DEVICE_DAYS.
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": _int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        "LOGIN_THROTTLE_MINUTES": _int("LOGIN_THROTTLE_MINUTES", 15),
        "LOGIN_SLOWDOWN_AFTER": _int("LOGIN_SLOWDOWN_AFTER", 10),
        "LOGIN_SLOWDOWN_SECONDS": _int("LOGIN_SLOWDOWN_SECONDS", 30),
        "LOGIN_KNOWN_DEVICE_DAYS": _int("LOGIN_KNOWN_DEVICE_DAYS", 90),
        "ARGON2_TIME_COST": _int("ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int("ARGON2_MEMORY_COST", 65536),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LANGUAGES": ("nl", "en"),
        "HSTS": not development,
        # Regional overview: counts resting on fewer than this many professionals are shown as "<k".
        "REGIO_MIN_CELL": _int("REGIO_MIN_CELL", 5),
        # Publishing a period: the counting statement's time limit on PostgreSQL, in seconds, instead of
        # DATABASE_STATEMENT_TIMEOUT_S (counting a national region takes longer than any page may).
        "REGIO_COUNT_TIMEOUT_S": _int("REGIO_COUNT_TIMEOUT_S", 300),
        # Publishing from the page waits for the result; a period with more submitted scans than this takes
        # minutes (longer than a web server lets a request run) and is published by the command instead.
        "REGIO_PUBLISH_NOW_MAX": _int("REGIO_PUBLISH_NOW_MAX", 15000),
        # Retention (AVG): closed rounds lose their individual records, and the audit log its entries, after
        # this many months (`flask retention apply`).
        "RETENTION_MONTHS": _int("RETENTION_MONTHS", 24),
        "AUDIT_RETENTION_MONTHS": _int("AUDIT_RETENTION_MONTHS", 24),
        # Behind a reverse proxy, trust this many X-Forwarded-* hops (0: none).
        "PROXY_FIX_HOPS": _int("PROXY_FIX_HOPS", 0),
    }
