"""Shared helpers for the command line: clear errors, never a traceback."""

from __future__ import annotations

import contextlib
from typing import Any, NoReturn

import click
from flask import has_app_context
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError

# SQLSTATEs of a schema that is missing or older than the code: undefined table, column, schema.
_SCHEMA_SQLSTATES = {"42P01", "42703", "3F000"}
# SQLite says it in words.
_SQLITE_SCHEMA_WORDS = ("no such table", "no such column", "has no column named")


def fail(message: str) -> NoReturn:
    """Print an error to stderr and exit with status 1."""
    click.echo(message, err=True)
    raise SystemExit(1)


def _reason(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0].strip().rstrip(".") if lines else type(original).__name__


def schema_is_missing(error: SQLAlchemyError) -> bool:
    """True when the database answers but lacks our tables or columns (`flask db upgrade` not run)."""
    original = getattr(error, "orig", None)
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if sqlstate in _SCHEMA_SQLSTATES:
        return True
    return any(words in str(original or error).lower() for words in _SQLITE_SCHEMA_WORDS)


def cannot_connect(error: SQLAlchemyError) -> bool:
    """True when the database could not be reached or opened at all (wrong DATABASE_URL, server down)."""
    if isinstance(error, DisconnectionError):
        return True
    if not isinstance(error, DBAPIError) or schema_is_missing(error):
        return False
    if error.connection_invalidated:
        return True
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if sqlstate:
        # 08: connection exception; 28: invalid authorisation; 3D000: no such database; 57P: server shut down.
        return sqlstate.startswith(("08", "28", "57P")) or sqlstate == "3D000"
    if type(original).__module__.startswith("sqlite3"):
        return "unable to open database file" in str(original).lower()
    # No SQLSTATE: the driver failed before the server said anything (refused, unknown host, timeout).
    return isinstance(error, (OperationalError, InterfaceError))


def database_error_message(error: SQLAlchemyError) -> str:
    """A translated one-paragraph explanation with what to do: migrate, or check DATABASE_URL."""
    reason = _reason(error)
    if schema_is_missing(error):
        return _(
            "The database has not been set up (or not completely): %(reason)s. Run `flask db upgrade` first.",
            reason=reason,
        )
    if cannot_connect(error):
        return _("Cannot reach the database: %(reason)s. Check DATABASE_URL.", reason=reason)
    return _("Database error: %(reason)s.", reason=reason)


def _rollback_quietly() -> None:
    if not has_app_context():
        return
    from scan.extensions import db

    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()


class DatabaseSafeCommand(click.Command):
    """A command whose database errors end in a clear message and status 1 instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SQLAlchemyError as error:
            # Still inside the command's app context (with_appcontext), so the message is translated.
            _rollback_quietly()
            fail(database_error_message(error))


class CommandGroup(click.Group):
    """The group class for every command group of the app: its commands are DatabaseSafeCommands."""

    command_class = DatabaseSafeCommand
    group_class = type
