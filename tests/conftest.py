"""Test fixtures. The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.

The schema is built by the real Alembic migrations once per run; every test starts from empty tables.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

_INSTANCE = tempfile.mkdtemp(prefix="ontwikkelscan-test-")
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
    # A regional counting statement that takes this long has a bad plan: fail fast, with the test's name.
    "REGIO_COUNT_TIMEOUT_S": 60,
}

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def database_backend() -> str:
    return "postgresql" if TEST_DATABASE_URL.startswith("postgres") else "sqlite"


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

    application = create_app(TEST_CONFIG)
    application.test_client_class = Client
    with application.app_context():
        # Start from nothing, then build the schema with the real migrations.
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade()
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
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


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
