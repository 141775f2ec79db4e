"""Declarative base, shared column helpers and the load-or-404 helper."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import DateTime, MetaData, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware datetimes on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CreatedMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


M = TypeVar("M")
# Primary keys are INTEGER columns; a larger number in a URL names no row (and would overflow the driver).
MAX_ID = 2**31 - 1


def limit_statements(seconds: float) -> None:
    """On PostgreSQL, the statements of the current transaction may run `seconds` each (0: no limit) instead
    of the connection's DATABASE_STATEMENT_TIMEOUT_S, which holds again from the next transaction on
    (SET LOCAL). On SQLite, which has no statement timeout, nothing happens."""
    from scan.config import statement_timeout_ms
    from scan.extensions import db

    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"SET LOCAL statement_timeout = {statement_timeout_ms(seconds)}"))


def load_or_404(model: type[M], ident: Any) -> M:
    from scan.extensions import db

    if isinstance(ident, int) and not 0 <= ident <= MAX_ID:
        abort(404)
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj
