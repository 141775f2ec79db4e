"""Engine options per database: on PostgreSQL no server-side prepared statements, so every statement is
planned for its own parameters (a generic plan made the regional counts 25 times slower), and a statement
timeout (DATABASE_STATEMENT_TIMEOUT_S) on every connection, so a statement with a bad plan or a lock wait
fails with an error that names the limit instead of holding a worker (or CI) for minutes."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from scan import create_app
from scan.access import public
from scan.config import engine_options
from scan.core.errors import is_database_outage, is_statement_timeout
from scan.db import limit_statements
from scan.extensions import db
from tests.conftest import TEST_CONFIG, database_backend, own_database

POSTGRESQL = pytest.mark.skipif(database_backend() != "postgresql",
                                reason="needs TEST_DATABASE_URL on PostgreSQL")


def test_postgresql_gets_no_prepared_statements_and_sqlite_is_left_alone() -> None:
    base = {"pool_pre_ping": True}
    pg = engine_options("postgresql+psycopg://u@h/db", base)
    assert pg == {"pool_pre_ping": True, "connect_args": {"prepare_threshold": None}}
    assert engine_options("sqlite:///x.sqlite", base) == base
    # Other connect arguments are kept.
    kept = engine_options("postgresql+psycopg://u@h/db", {"connect_args": {"connect_timeout": 5}})
    assert kept["connect_args"] == {"connect_timeout": 5, "prepare_threshold": None}


def test_postgresql_connections_start_with_the_statement_timeout() -> None:
    options = engine_options("postgresql+psycopg://u@h/db", {}, 30)
    assert options["connect_args"] == {"prepare_threshold": None, "options": "-c statement_timeout=30000"}
    # The URL's own startup options (a search path, say) are kept beside it.
    given = engine_options("postgresql+psycopg://u@h/db?options=-csearch_path%3Dother", {}, 1.5)
    assert given["connect_args"]["options"] == "-csearch_path=other -c statement_timeout=1500"
    # 0: no limit; SQLite has no statement timeout.
    assert "options" not in engine_options("postgresql+psycopg://u@h/db", {}, 0)["connect_args"]
    assert engine_options("sqlite:///x.sqlite", {}, 30) == {}


def test_production_limits_statements_below_the_web_servers_worker_timeout(monkeypatch: Any) -> None:
    from scan.config import from_environment

    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT_S", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    assert 0 < from_environment("/tmp")["DATABASE_STATEMENT_TIMEOUT_S"] < 60  # gunicorn's timeout: 60 s
    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT_S", "0")
    assert from_environment("/tmp")["DATABASE_STATEMENT_TIMEOUT_S"] == 0


@pytest.mark.skipif(database_backend() != "postgresql", reason="needs TEST_DATABASE_URL on PostgreSQL")
def test_a_statement_run_often_is_never_prepared_on_the_server(app_ctx: Any) -> None:
    with db.engine.connect() as conn:
        for _ in range(12):  # psycopg would prepare it after five runs
            conn.execute(text("SELECT count(*) FROM scan_answer WHERE scan_id = :id"), {"id": 1})
        prepared = conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
    assert prepared == 0


@POSTGRESQL
def test_a_statement_past_the_limit_is_cancelled_with_an_error_that_says_so(app: Any) -> None:
    limited = create_app({**TEST_CONFIG, "DATABASE_STATEMENT_TIMEOUT_S": 1})
    with limited.app_context():
        try:
            assert db.session.execute(text("SHOW statement_timeout")).scalar_one() == "1s"
            started = time.monotonic()
            cancelled = "canceling statement due to statement timeout"
            with pytest.raises(OperationalError, match=cancelled) as caught:
                db.session.execute(text("SELECT pg_sleep(30)"))
            assert time.monotonic() - started < 10
            assert is_statement_timeout(caught.value) and not is_database_outage(caught.value)
            db.session.rollback()

            # Publishing's count gets its own limit (REGIO_COUNT_TIMEOUT_S) for its transaction ...
            limit_statements(5)
            db.session.execute(text("SELECT pg_sleep(1.5)"))
            db.session.commit()
            # ... and the app's limit holds again from the next transaction on.
            with pytest.raises(OperationalError, match="statement timeout"):
                db.session.execute(text("SELECT pg_sleep(1.5)"))
            db.session.rollback()
        finally:
            db.session.remove()
            db.engine.dispose()


@POSTGRESQL
def test_a_request_whose_statement_times_out_gets_the_error_page_and_a_log_line_naming_the_limit(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    limited = create_app({**TEST_CONFIG, "DATABASE_STATEMENT_TIMEOUT_S": 1, "PROPAGATE_EXCEPTIONS": False})

    @limited.get("/_test/slow")
    @public
    def slow() -> str:
        db.session.execute(text("SELECT pg_sleep(30)"))
        return "done"

    try:
        with caplog.at_level(logging.ERROR):
            response = limited.test_client().get("/_test/slow")
        assert response.status_code == 500
        assert "statement timeout" not in response.get_data(as_text=True)  # no internals for the visitor
        [record] = [r for r in caplog.records if "statement timeout" in r.getMessage()]
        assert "DATABASE_STATEMENT_TIMEOUT_S = 1 s" in record.getMessage()
        assert "SELECT pg_sleep(30)" in record.getMessage()
    finally:
        with limited.app_context():
            db.engine.dispose()


@POSTGRESQL
def test_migrations_run_without_the_statement_timeout(tmp_path: Path) -> None:
    """`flask db upgrade` may rewrite large tables once; the app's limit is for requests and commands."""
    with own_database(tmp_path, DATABASE_STATEMENT_TIMEOUT_S=1) as limited, limited.app_context():
        slept: list[str] = []

        def slow_first_table(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.lstrip().startswith("CREATE TABLE") and not slept:
                slept.append(statement)
                cursor.execute("SELECT pg_sleep(1.5)")  # longer than the app's limit

        event.listen(db.engine, "before_cursor_execute", slow_first_table)
        try:
            upgrade()
        finally:
            event.remove(db.engine, "before_cursor_execute", slow_first_table)
        assert slept
        # The app's own connections keep the limit, with the URL's search path beside it.
        assert db.session.execute(text("SHOW statement_timeout")).scalar_one() == "1s"
        assert db.session.execute(text("SHOW search_path")).scalar_one().startswith("own_")
