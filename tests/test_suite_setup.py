"""What the test set-up (tests/conftest.py) guarantees: it runs on a test database only and leaves no folder
behind, every test starts from the database as the migrations leave it (rows a migration seeds included),
and on PostgreSQL the clean-up keeps the planner's statistics true."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from scan.access import Role
from scan.extensions import db
from tests import conftest
from tests.conftest import Baseline, database_backend, not_a_test_database
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
TEMP = Path(os.environ.get("TMPDIR") or "/tmp")
ONLY_ONCE = pytest.mark.skipif(database_backend() == "postgresql",
                               reason="does not depend on the database: run on the SQLite pass")
POSTGRESQL = pytest.mark.skipif(database_backend() != "postgresql",
                                reason="needs TEST_DATABASE_URL on PostgreSQL")


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@127.0.0.1:5432/ontwikkelscan_test",
    "postgres://ci@db.internal/test_hyg",
    "postgresql://u@h/TestRun",
    "sqlite://",
    "sqlite:///:memory:",
    f"sqlite:///{TEMP / 'ontwikkelscan-test-x' / 'test.sqlite'}",
])
def test_a_test_database_is_accepted(url: str) -> None:
    assert not_a_test_database(url) is None


@pytest.mark.parametrize(("url", "reason"), [
    ("postgresql://app@db.internal/ontwikkelscan", 'does not have "test" in its name'),
    ("postgres://app@db.internal/production", 'does not have "test" in its name'),
    ("postgresql://app@db.internal/", 'does not have "test" in its name'),
    (f"sqlite:///{ROOT / 'instance' / 'ontwikkelscan.sqlite'}", 'does not have "test" in its name'),
    ("sqlite:///ontwikkelscan.sqlite", 'does not have "test" in its name'),
    # Where the checkout lies does not matter: CI clones into the temporary directory.
    (f"sqlite:///{TEMP / 'fresh' / 'instance' / 'ontwikkelscan.sqlite'}", 'does not have "test" in its name'),
    ("mysql://u@h/test", "not on mysql"),
    ("not a url", "not a database URL"),
])
def test_any_other_database_is_refused(url: str, reason: str) -> None:
    refusal = not_a_test_database(url)
    assert refusal is not None and reason in refusal


def _pytest(tmp_path: Path, url: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in a process of its own, with its temporary folders in tmp_path."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("TEST_DATABASE_URL", "INSTANCE_PATH", "PYTEST_ADDOPTS")
                   and not key.startswith("PYTEST_")}
    environment["TMPDIR"] = str(tmp_path)
    if url:
        environment["TEST_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=100, stdin=subprocess.DEVNULL,
    )


@ONLY_ONCE
def test_the_run_stops_before_it_touches_a_database_that_is_not_for_tests(tmp_path: Path) -> None:
    # Nothing listens on port 1: had the run got as far as connecting, it would say so instead.
    done = _pytest(tmp_path, "postgresql://app@127.0.0.1:1/ontwikkelscan", "tests/test_health.py")
    output = done.stdout + done.stderr
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert "Refusing to run the tests: the PostgreSQL database 'ontwikkelscan'" in output
    assert "passed" not in output and "connection" not in output.lower()

    production = ROOT / "instance" / f"guard-{uuid.uuid4().hex}.sqlite"
    done = _pytest(tmp_path, f"sqlite:///{production}", "tests/test_health.py")
    output = done.stdout + done.stderr
    try:
        assert done.returncode == pytest.ExitCode.USAGE_ERROR, output
        assert f'the SQLite file {production} does not have "test" in its name' in output
        assert not production.exists()
    finally:
        production.unlink(missing_ok=True)


@ONLY_ONCE
def test_a_run_leaves_no_folder_of_its_own_behind(tmp_path: Path) -> None:
    done = _pytest(tmp_path, None, "tests/test_health.py")
    assert done.returncode == 0, done.stdout + done.stderr
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("ontwikkelscan-test-"))
    assert left == []


def test_the_clean_up_puts_back_the_rows_a_migration_seeds(migration_app: Flask) -> None:
    """Migration 7c1e0a5b9d42 seeds the regional data version (id 1, number 0); a later one drops the table.
    Whatever a test does to such a row, the next test finds it as the migration left it."""
    with migration_app.app_context():
        upgrade(revision="7c1e0a5b9d42")
        with db.engine.begin() as connection:
            baseline = Baseline.of(connection)
        assert baseline.seeded == {"regio_data_version": [{"id": 1, "number": 0}]}
        with db.engine.begin() as connection:  # what a test may do
            connection.execute(text("UPDATE regio_data_version SET number = 7"))
            connection.execute(text("INSERT INTO regio_data_version (id, number) VALUES (2, 1)"))
            connection.execute(text("INSERT INTO regio_overview_cache (key, version, payload, created_at)"
                                    " VALUES ('k', 7, '{}', CURRENT_TIMESTAMP)"))
        with db.engine.begin() as connection:  # the clean-up after it
            baseline.restore(connection)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT id, number FROM regio_data_version")).all() == [(1, 0)]
            assert connection.execute(text("SELECT count(*) FROM regio_overview_cache")).scalar() == 0
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert version == "7c1e0a5b9d42"


# The next two run in this order (pytest keeps a file's order): the second finds what the first left.

def test_a_test_writes_to_the_database(app_ctx: Any) -> None:
    make_user(Role.PROFESSIONAL)
    db.session.commit()


def test_the_next_test_finds_the_database_as_the_migrations_left_it(app_ctx: Any) -> None:
    baseline = conftest._BASELINE[0]
    for table in baseline.tables:
        rows = [dict(row._mapping) for row in db.session.execute(table.select())]
        assert rows == baseline.seeded.get(table.name, []), table.name


@POSTGRESQL
def test_after_the_clean_up_postgresql_plans_a_table_by_what_it_holds(app_ctx: Any) -> None:
    """The clean-up used to DELETE: autovacuum then recorded the emptied tables as holding nothing, and the
    demo loaded by the next test was planned as if each table had one row (a regional statement ran for
    12 minutes). After TRUNCATE a table's estimate follows what it holds."""

    def fill() -> None:
        db.session.execute(text("INSERT INTO region (code, name, created_at)"
                                " SELECT 'R' || g, 'Regio ' || g, now() FROM generate_series(1, 5000) g"))
        db.session.commit()

    def analyze() -> None:  # what autovacuum does when it likes
        db.session.execute(text("ANALYZE region"))
        db.session.commit()

    fill()
    analyze()
    conftest._BASELINE[0].restore(db.session.connection())  # the clean-up between two tests
    db.session.commit()
    analyze()
    fill()
    plan = db.session.execute(text("EXPLAIN (FORMAT JSON) SELECT * FROM region")).scalar_one()
    estimate = (plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]["Plan Rows"]
    assert 2500 <= estimate <= 10000, estimate


@POSTGRESQL
def test_a_transaction_a_test_leaves_open_makes_the_clean_up_fail_with_a_reason(app_ctx: Any) -> None:
    """TRUNCATE waits for other transactions on its tables: one a test forgot would make it wait for ever."""
    make_user(Role.PROFESSIONAL)
    db.session.commit()
    with db.engine.connect() as forgotten:
        forgotten.execute(text("SELECT count(*) FROM user_account"))  # holds its lock until it ends
        with pytest.raises(RuntimeError, match="left a connection in an open transaction") as caught:
            conftest._BASELINE[0].restore(db.session.connection(), lock_timeout_s=1)
        assert "SELECT count(*) FROM user_account" in str(caught.value)
        db.session.rollback()
        forgotten.rollback()


def test_every_test_runs_under_a_time_limit(request: pytest.FixtureRequest) -> None:
    """pytest-timeout with a default from pyproject.toml: a test that hangs fails with its name."""
    assert request.config.pluginmanager.hasplugin("timeout")
    assert 0 < float(request.config.getini("timeout")) <= 300
