"""The regional pages' tables, kept in the database until the data behind them changes.

Counting a region's needs reads every submitted answer of every selected round: work that grows with the
region (about 2.5 s for 10,000 professionals). The result changes only when a scan is submitted or
reopened, a level is calibrated, a POP goal or version changes, or the organisation or the Kenniskaart
changes; a coordinator opens the pages far more often than that. So the suppressed tables of a selection
are stored (`regio_overview_cache`) with the data version they were made at, and used while that version
stands.

The data version (`regio_data_version`, one row) is raised in the same transaction as any such change, by
session hooks in one place (not by each feature): `after_flush` notes changed objects, `do_orm_execute`
bulk statements, and `before_commit` raises the version once, as the transaction's last statement. A
cached table therefore never outlives its data, on any worker or server: the version lives in the
database, like the tables. What is stored are the suppressed aggregates
the page shows, never a name or a small count (no personal data; nothing for retention to clear).

Raising the version is an UPDATE of one row at commit, so concurrent changes queue on it only for their
commit; draft saves (the busy path) do not touch it, only submits, calibrations and plan changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Integer, String, Text, delete, event, func, inspect, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from scan.assessment.models import Answer, Scan, ScanRound
from scan.auth.models import User
from scan.db import Base, UTCDateTime, utcnow
from scan.extensions import db
from scan.kenniskaart.models import Item, KenniskaartVersion, Section
from scan.organisation.models import Municipality, Region, Team
from scan.pop.models import Pop, PopGoal, PopVersion
from scan.regio.overview import (
    CountRow,
    ItemLabel,
    ItemRow,
    ItemTable,
    LeefgebiedTable,
    MunicipalityBlock,
    MunicipalityColumn,
    Overview,
    SectionLabel,
)
from scan.regio.suppression import Suppressed
from scan.teamschouw.models import Calibration


class DataVersion(Base):
    """One row (id 1): raised whenever data that the regional counts rest on changes."""

    __tablename__ = "regio_data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    number: Mapped[int] = mapped_column(Integer, default=0)


class OverviewCache(Base):
    """The suppressed tables of one selection and scope, as JSON, at the data version they were made at."""

    __tablename__ = "regio_overview_cache"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- what raises the version --------------------------------------------------------------------------------

# Tables whose every change can change a count or a label of the regional pages.
_ANY_CHANGE = frozenset(model.__tablename__ for model in (
    Calibration, Pop, PopVersion, PopGoal, Team, Municipality, Region, ScanRound, KenniskaartVersion, Section,
    Item,
))
# Tables where only some columns matter: a draft save bumps the scan's lock version, a login the account's
# last login; neither changes a regional count.
_COLUMNS = {Scan.__tablename__: frozenset({"status", "round_id", "user_id"}),
            User.__tablename__: frozenset({"role"})}
# Bulk statements: every table the counts read (the session and audit tables are not among them).
_BULK = _ANY_CHANGE | frozenset(_COLUMNS) | {Answer.__tablename__}


def _matters(obj: Any, change: str) -> bool:
    """Whether a new, deleted or dirty object can change a regional count or label."""
    table = getattr(obj, "__tablename__", "")
    if table in _ANY_CHANGE:
        return True
    columns = _COLUMNS.get(table)
    if columns is None:
        return False
    if change == "deleted":
        return True
    if change == "new":
        return table == Scan.__tablename__  # a new account has no scan yet
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in columns)


_FLAG = "regio_data_changed"


def _after_flush(session: Session, _context: Any) -> None:
    changed = (
        any(_matters(o, "new") for o in session.new)
        or any(_matters(o, "deleted") for o in session.deleted)
        or any(_matters(o, "dirty") for o in session.dirty)
    )
    if changed:
        session.info[_FLAG] = True


def _bulk_statement(state: Any) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _BULK:
        state.session.info[_FLAG] = True


def _before_commit(session: Session) -> None:
    """Raise the version once per transaction, as its last statement: the row lock is held only for the
    commit itself, so transactions cannot wait on each other in a circle over it."""
    session.flush()  # what the commit would flush, so its changes are seen here
    if session.info.pop(_FLAG, False):
        session.connection().execute(
            update(DataVersion.__table__).where(DataVersion.id == 1).values(number=DataVersion.number + 1)
        )


def _after_rollback(session: Session, previous: Any) -> None:
    # A savepoint rolled back leaves the changes before it in the transaction: only the outermost counts.
    if not previous.nested:
        session.info.pop(_FLAG, None)


def register() -> None:
    """Install the hooks (once per process; every session of the app gets them)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _bulk_statement)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)


# --- the stored tables --------------------------------------------------------------------------------------

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (Overview, LeefgebiedTable, MunicipalityBlock, CountRow, SectionLabel, ItemLabel, ItemTable,
                ItemRow, MunicipalityColumn)
}


def encode(value: Any) -> Any:
    """An Overview as plain JSON: dataclasses by name (only the overview's own), hidden cells marked."""
    if isinstance(value, Suppressed):
        return {"<": value.k}
    if is_dataclass(value) and not isinstance(value, type):
        return {"@": type(value).__name__, **{f.name: encode(getattr(value, f.name)) for f in fields(value)}}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(value: Any) -> Any:
    """The inverse of `encode`; sequences come back as tuples, as the overview's classes hold them."""
    if isinstance(value, list):
        return tuple(decode(v) for v in value)
    if isinstance(value, dict):
        if "@" in value:
            cls = _TYPES[value["@"]]  # only the overview's classes: a stored name cannot pick another type
            return cls(**{k: decode(v) for k, v in value.items() if k != "@"})
        if set(value) == {"<"}:
            return Suppressed(int(value["<"]))
        return {k: decode(v) for k, v in value.items()}
    return value


def current_version() -> int:
    """The data version; the row is made if it is missing (the migration makes it; a test's clean-up may not).

    A new row starts above every stored table's version, so no stored table is taken for current. The
    insert takes no lock on the stored tables: two requests making the row at once only wait for each
    other's insert, never in a circle.
    """
    number = db.session.scalar(select(DataVersion.number).where(DataVersion.id == 1))
    if number is not None:
        return int(number)
    above = select(func.coalesce(func.max(OverviewCache.version), 0) + 1).scalar_subquery()
    db.session.execute(insert_row(DataVersion).values(id=1, number=above).on_conflict_do_nothing())
    return int(db.session.scalar(select(DataVersion.number).where(DataVersion.id == 1)) or 0)


def cached_scopes(key: str, scope: str, compute: Callable[[], dict[str, Overview]]) -> Overview:
    """The stored overview of `key` and `scope`, or `compute()` (every scope of the key) stored and returned.

    Storing commits the request's transaction (a GET has nothing else pending but the session's "last
    seen" time). When storing fails (the database went away, a conflict), the computed tables are shown
    all the same and the next request computes them again.
    """
    version = current_version()
    row = db.session.get(OverviewCache, f"{key}|{scope}")
    if row is not None and row.version == version:
        return decode(json.loads(row.payload))
    scopes = compute()
    rows = [
        {"key": f"{key}|{name}", "version": version, "payload": json.dumps(encode(o), separators=(",", ":")),
         "created_at": utcnow()}
        for name, o in scopes.items()
    ]
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            # Never wait long for a lock: storing is an optimisation, the page is ready without it.
            db.session.execute(text("SET LOCAL lock_timeout = '2s'"))
        stmt = insert_row(OverviewCache)
        stmt = stmt.on_conflict_do_update(
            index_elements=[OverviewCache.key],
            set_={"version": stmt.excluded.version, "payload": stmt.excluded.payload,
                  "created_at": stmt.excluded.created_at},
        )
        db.session.execute(stmt, rows)
        # Tables of earlier versions can never be used again.
        db.session.execute(delete(OverviewCache).where(OverviewCache.version < version))
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("regional overview not stored (%s)", type(error).__name__)
    return scopes[scope]


def insert_row(model: type[Base]) -> Any:
    """An INSERT that can say ON CONFLICT (PostgreSQL and SQLite both can)."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)
