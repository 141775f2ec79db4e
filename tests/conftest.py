"""Test fixtures. The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.

The schema is built by the real Alembic migrations once per run; every test starts from the database as the
migrations leave it: empty tables, except for rows a migration seeds (put back after every test).

What the set-up guarantees:
- it runs only on a test database: the `app` fixture drops every table, so the run stops before touching
  anything else (a PostgreSQL database and a SQLite file need "test" in their name; the default SQLite
  file is test.sqlite in a temporary folder of this run);
- on PostgreSQL the clean-up is TRUNCATE, which leaves the planner true statistics (an emptied table is
  planned by its size again), where DELETE let autovacuum record near-empty tables and a later demo load
  was planned as if every table held one row (one statement took 12 minutes instead of a tenth of a second);
- no test and no statement runs for ever: pytest-timeout ends a test after the time in pyproject.toml (a test
  may set its own with @pytest.mark.timeout), and the app's statements run under a statement timeout
  (DATABASE_STATEMENT_TIMEOUT_S below) on PostgreSQL;
- the temporary folder made here is removed when the run ends.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

_INSTANCE = tempfile.mkdtemp(prefix="ontwikkelscan-test-")
# Removed when the run ends (after the session's fixtures closed the database that lives in it).
atexit.register(shutil.rmtree, _INSTANCE, ignore_errors=True)
os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ["INSTANCE_PATH"] = _INSTANCE

from scan import create_app  # noqa: E402
from scan.config import normalise_database_url  # noqa: E402
from scan.extensions import db  # noqa: E402

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_INSTANCE}/test.sqlite"

TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SQLALCHEMY_DATABASE_URI": normalise_database_url(TEST_DATABASE_URL),
    # Cheap hashes keep the suite fast; production uses the defaults in scan.config.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "SESSION_COOKIE_SECURE": False,
    # No statement of a test needs a minute; one that takes that long has a bad plan or waits on a lock:
    # it fails with the test's name instead of holding the run (PostgreSQL; SQLite has no such limit).
    "DATABASE_STATEMENT_TIMEOUT_S": 60,
    "REGIO_COUNT_TIMEOUT_S": 60,
}


def not_a_test_database(url: str) -> str | None:
    """Why the suite must not run on the database at `url` (it drops every table there), or None when it is
    clearly a test database: a PostgreSQL database or a SQLite file with "test" in its name (or SQLite in
    memory)."""
    try:
        parsed = sa.engine.make_url(normalise_database_url(url))
    except sa.exc.ArgumentError:
        return f"TEST_DATABASE_URL is not a database URL: {url!r}"
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            return None
        # By its name, not its folder: a checkout may itself lie in the temporary directory (CI's clones do).
        path = Path(parsed.database).resolve()
        if "test" in path.name.lower():
            return None
        return f"the SQLite file {path} does not have \"test\" in its name"
    if backend == "postgresql":
        if "test" in (parsed.database or "").lower():
            return None
        return f"the PostgreSQL database {parsed.database!r} does not have \"test\" in its name"
    return f"the suite runs on SQLite or PostgreSQL, not on {backend}"


def _refuse_unless_test_database() -> None:
    reason = not_a_test_database(TEST_DATABASE_URL)
    if reason:
        pytest.exit(
            f"Refusing to run the tests: {reason}. The tests drop every table of TEST_DATABASE_URL; point "
            "it at a database made for them (e.g. createdb ontwikkelscan_test), or unset it for SQLite.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


def pytest_sessionstart(session: pytest.Session) -> None:
    # Before anything is collected or connected: the first fixture that opens the database drops its tables.
    _refuse_unless_test_database()


def database_backend() -> str:
    return "postgresql" if TEST_DATABASE_URL.startswith("postgres") else "sqlite"


@dataclass
class Baseline:
    """The database as the migrations leave it: its tables in dependency order and the rows migrations seed.

    After every test `restore` empties the tables and puts the seeded rows back, so no test finds a row a
    migration made missing (and production code never needs a fallback for one).
    """

    tables: tuple[sa.Table, ...]
    seeded: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def of(cls, connection: sa.Connection) -> Baseline:
        metadata = sa.MetaData()
        metadata.reflect(bind=connection)
        tables = tuple(t for t in metadata.sorted_tables if t.name != "alembic_version")
        seeded = {t.name: [dict(row._mapping) for row in connection.execute(sa.select(t))] for t in tables}
        return cls(tables, {name: rows for name, rows in seeded.items() if rows})

    def restore(self, connection: sa.Connection, lock_timeout_s: int = 10) -> None:
        """Empty every table and put the seeded rows back (in the caller's transaction)."""
        if connection.dialect.name == "postgresql":
            self._truncate(connection, lock_timeout_s)
        else:
            # SQLite has no TRUNCATE; an unqualified DELETE empties a table just as fast there.
            for table in reversed(self.tables):
                connection.execute(table.delete())
        for table in self.tables:
            if table.name in self.seeded:
                connection.execute(table.insert(), self.seeded[table.name])

    def _truncate(self, connection: sa.Connection, lock_timeout_s: int) -> None:
        """TRUNCATE the tables that hold or held a row (those with a data file that is not empty), in one
        statement. A truncated table is planned by its size again (reltuples unknown), where DELETE leaves
        dead rows that autovacuum may count as an empty table whatever is loaded next. Identities are not
        restarted: ids keep growing from test to test as they do in production, so a test that mixes up
        the ids of two tables is not hidden by both starting at 1."""
        used = set(connection.execute(
            text("SELECT relname FROM pg_class WHERE relnamespace = to_regnamespace(current_schema())"
                 " AND relkind = 'r' AND relname = ANY(:names) AND pg_relation_size(oid) > 0"),
            {"names": [t.name for t in self.tables]},
        ).scalars())
        targets = sorted(used | set(self.seeded))
        if not targets:
            return
        quote = connection.dialect.identifier_preparer.quote
        # TRUNCATE waits for every other transaction on these tables; one left open by a test would make
        # the clean-up wait for ever. Say which instead.
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(lock_timeout_s)}s'")
        try:
            with connection.begin_nested():
                connection.exec_driver_sql(f"TRUNCATE {', '.join(quote(name) for name in targets)} CASCADE")
        except sa.exc.OperationalError as error:
            if getattr(error.orig, "sqlstate", None) != "55P03":
                raise
            holders = connection.execute(text(
                "SELECT pid, state, left(query, 200) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"
            )).all()
            raise RuntimeError(
                f"The clean-up after this test waited {lock_timeout_s} s for a table lock: the test left a "
                "connection in an open transaction (close its sessions and connections). Other connections: "
                f"{holders}"
            ) from error


_BASELINE: list[Baseline] = []


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client(FlaskClient):
    """A test client that sends forms the way a browser does: with the CSRF token from the page."""

    def csrf_token(self, page: str) -> str:
        response = self.get(page)
        match = CSRF_RE.search(response.get_data(as_text=True))
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict[str, Any] | None = None, page: str | None = None,
               **kwargs: Any) -> Any:
        form = dict(data or {})
        form.setdefault("csrf_token", self.csrf_token(page or url))
        return self.post(url, data=form, **kwargs)


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    from flask_migrate import upgrade

    _refuse_unless_test_database()
    application = create_app(TEST_CONFIG)
    application.test_client_class = Client
    with application.app_context():
        # Start from nothing, then build the schema with the real migrations.
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
        with db.engine.connect() as connection:
            _BASELINE[:] = [Baseline.of(connection)]
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    if "app" not in request.fixturenames and "client" not in request.fixturenames:
        yield
        return
    application: Flask = request.getfixturevalue("app")
    yield
    with application.app_context():
        db.session.rollback()
        _BASELINE[0].restore(db.session.connection())
        db.session.commit()


@contextmanager
def own_database(folder: Path, **config: Any) -> Iterator[Flask]:
    """An app (TEST_CONFIG and `config`) on an empty database of its own: on SQLite a file in `folder`; on
    PostgreSQL a schema of its own in TEST_DATABASE_URL's database (through the URL's `options`), dropped
    afterwards."""
    if database_backend() == "sqlite":
        application = create_app({**TEST_CONFIG, **config,
                                  "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'own.sqlite'}"})
        try:
            yield application
        finally:
            with application.app_context():
                db.session.remove()
                db.engine.dispose()
        return
    schema = f"own_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(TEST_CONFIG["SQLALCHEMY_DATABASE_URI"])
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in TEST_DATABASE_URL else "?"
    url = f"{TEST_CONFIG['SQLALCHEMY_DATABASE_URI']}{separator}options=-csearch_path%3D{schema}"
    application = create_app({**TEST_CONFIG, **config, "SQLALCHEMY_DATABASE_URI": url})
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def migration_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database of its own, for tests of the migrations themselves (the suite's database
    is at the newest revision)."""
    with own_database(tmp_path) as application:
        yield application


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app: Flask) -> Client:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Iterator[QueryCounter]:
    counter = QueryCounter()
    with app.app_context():
        engine = db.engine

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    yield counter
    event.remove(engine, "before_cursor_execute", before)
