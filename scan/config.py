"""Settings, read from the environment only (twelve-factor), with safe development defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def normalise_database_url(url: str) -> str:
    """Let operators paste the usual `postgres://` URL; we talk to PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(uri: str, options: dict[str, Any]) -> dict[str, Any]:
    """The engine options for this database.

    On PostgreSQL, psycopg's automatic server-side prepared statements are switched off
    (`prepare_threshold=None`): after five runs of a statement PostgreSQL may plan it once for any
    parameters, and the regional counts then took 50 s instead of 2 s in the benchmark. Unnamed statements
    are planned for their own parameters every time. (It also keeps the app usable behind PgBouncer in
    transaction pooling.)
    """
    if not uri.startswith("postgresql"):
        return options
    connect_args = {**options.get("connect_args", {}), "prepare_threshold": None}
    return {**options, "connect_args": connect_args}


def from_environment(instance_path: str) -> dict[str, object]:
    env = os.environ.get("SCAN_ENV", "production")
    development = env == "development"
    default_db = "sqlite:///" + str(Path(instance_path) / "ontwikkelscan.sqlite")
    secret = os.environ.get("SECRET_KEY")
    if not secret and not development:
        raise RuntimeError("SECRET_KEY must be set outside development (SCAN_ENV=development).")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret or "development-only-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(os.environ.get("DATABASE_URL", default_db)),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # The session cookie carries only a random session id; the row in the database is the truth.
        "SESSION_COOKIE_NAME": "ontwikkelscan_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 60),
        # Long forms (a whole scan section) must not time out on their CSRF token.
        "WTF_CSRF_TIME_LIMIT": None,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": _int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": _int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
        "LOGIN_THROTTLE_MINUTES": _int("LOGIN_THROTTLE_MINUTES", 15),
        "ARGON2_TIME_COST": _int("ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int("ARGON2_MEMORY_COST", 65536),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LANGUAGES": ("nl", "en"),
        "HSTS": not development,
        # Regional overview: counts resting on fewer than this many professionals are shown as "<k".
        "REGIO_MIN_CELL": _int("REGIO_MIN_CELL", 5),
        # Publishing a period: the counting statement's time limit on PostgreSQL, in seconds.
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
