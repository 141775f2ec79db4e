"""What is in the database, to prove that a refused or rejected request wrote nothing.

`row_counts` is the cheap check (one COUNT per table); `db_state` compares every row of every table. Both
leave out what an ordinary request may touch without changing anything a person sees: the last-seen time
of a login session.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from scan.extensions import db

# Columns a read-only request may still write (sessions.user_for_token touches last_seen once a minute).
VOLATILE = {"user_session": {"last_seen_at"}}


def _tables(names: Iterable[str] | None) -> list:  # type: ignore[type-arg]
    tables = db.metadata.sorted_tables
    if names is None:
        return tables
    wanted = set(names)
    unknown = wanted - {t.name for t in tables}
    assert not unknown, f"unknown tables {sorted(unknown)}"
    return [t for t in tables if t.name in wanted]


def row_counts(tables: Iterable[str] | None = None, *, ignore: Iterable[str] = ()) -> dict[str, int]:
    """The number of rows per table (all tables unless `tables` names some), in one query. Call in an app
    context."""
    skip = set(ignore)
    chosen = [t for t in _tables(tables) if t.name not in skip]
    row = db.session.execute(
        select(*(select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in chosen))
    ).one()
    db.session.rollback()  # end the read transaction, so the next request sees a fresh snapshot
    return dict(zip([t.name for t in chosen], row, strict=True))


def db_state(tables: Iterable[str] | None = None, *, ignore: Iterable[str] = ()) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """Every row of every table (or of the tables named), sorted, as text. Call in an app context."""
    skip = set(ignore)
    state: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
    for table in _tables(tables):
        if table.name in skip:
            continue
        columns = [c for c in table.columns if c.name not in VOLATILE.get(table.name, set())]
        rows = db.session.execute(select(*columns)).all()
        state[table.name] = sorted(tuple(repr(v) for v in row) for row in rows)
    db.session.rollback()
    return state


def changed(before: dict, after: dict) -> list[str]:  # type: ignore[type-arg]
    """The tables whose rows (or counts) differ."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
