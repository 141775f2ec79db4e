"""Translated error pages; no traceback ever reaches the visitor.

When the database cannot be reached (restarted, failed over, connections cut), the answer is a 503 with
`Retry-After` and a page that renders without the database: the visitor is treated as anonymous for the
rest of the request, so neither the layout, the context processors, the language choice nor the security
headers can load or refresh the account. The engine's `pool_pre_ping` replaces the dead connections once
the database is back, so the app recovers by itself.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Response

from scan.extensions import db, login_manager

# Seconds a client is asked to wait before trying again; a restart or failover takes about this long.
RETRY_AFTER_SECONDS = 30


# SQLite reports a wrong statement as an OperationalError too; only these messages mean "not reachable".
_SQLITE_UNAVAILABLE = ("unable to open database", "database is locked", "disk i/o error")


def is_statement_timeout(error: BaseException) -> bool:
    """True when PostgreSQL cancelled a statement that ran past its time limit (DATABASE_STATEMENT_TIMEOUT_S,
    or REGIO_COUNT_TIMEOUT_S for the regional count): a slow statement to fix, not an unreachable database."""
    if not isinstance(error, DBAPIError) or error.connection_invalidated:
        return False
    return getattr(error.orig, "sqlstate", None) == "57014" and "statement timeout" in str(error.orig)


def is_database_outage(error: BaseException) -> bool:
    """True when the error says the database is unreachable rather than that a statement was wrong."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if is_statement_timeout(error):
        return False
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    if isinstance(error.orig, sqlite3.Error):
        return any(text in str(error.orig).lower() for text in _SQLITE_UNAVAILABLE)
    return True


def _forget_the_account() -> None:
    """From here on the request is anonymous: nothing reads (or refreshes) the account from the database."""
    g._login_user = login_manager.anonymous_user()


def _rollback_quietly() -> None:
    # The connection may be gone already; the pool replaces it at the next checkout.
    with contextlib.suppress(Exception):
        db.session.rollback()


def _request_id() -> str:
    # The login check runs before the request id is set when the account's session row cannot be read.
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming[:64] if incoming.isascii() and incoming else secrets.token_hex(8)
    return str(g.request_id)


def register(app: Flask) -> None:
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first (teardowns run in reverse).
    @app.teardown_appcontext
    def close_session(error: BaseException | None) -> None:
        """End the request's session; a database that went away after the answer was made is no error.

        Closing rolls back the connection. When the server cut the connection after a commit (a restart),
        that rollback fails, yet the user's change is stored and the answer is on its way: raising here
        would turn a confirmed save into a 500. The pool drops the dead connection at its next checkout.
        """
        try:
            db.session.remove()
        except DBAPIError as failure:
            if not is_database_outage(failure):
                raise
            app.logger.warning(
                "database unavailable while closing the session (%s), request id %s",
                type(failure.orig).__name__ if failure.orig is not None else type(failure).__name__,
                g.get("request_id", "-"),
            )
            with contextlib.suppress(Exception):
                db.session.remove()

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
        # Raised while the form is read (the CSRF check), before any view: the page links back to the form.
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        return render_template("errors/413.html", max_mb=limit // (1024 * 1024), back=request.path), 413

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        template = f"errors/{code}.html" if code in (403, 404, 405) else "errors/generic.html"
        return render_template(template, code=code), code

    def database_unavailable(error: DBAPIError) -> Response:
        _rollback_quietly()
        _forget_the_account()
        # A warning, not an error with a traceback: the database being away is an operational fact.
        app.logger.warning(
            "database unavailable (%s): answered 503, request id %s",
            type(error.orig).__name__ if error.orig is not None else type(error).__name__,
            _request_id(),
        )
        response = Response(render_template("errors/503.html"), status=503, mimetype="text/html")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> Response | tuple[str, int]:
        if is_database_outage(error):
            return database_unavailable(error)
        if is_statement_timeout(error):
            # Named as such, with the statement and where it ran: a plan or a lock wait to look into.
            app.logger.error(
                "statement cancelled by the statement timeout (DATABASE_STATEMENT_TIMEOUT_S = %s s): "
                "answered 500, request id %s: %s",
                app.config.get("DATABASE_STATEMENT_TIMEOUT_S"), _request_id(),
                " ".join(str(error.statement or "").split())[:300], exc_info=error,
            )
            _rollback_quietly()
            return render_template("errors/500.html"), 500
        return server_error(error)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        app.logger.exception("unhandled error")
        _rollback_quietly()
        return render_template("errors/500.html"), 500
