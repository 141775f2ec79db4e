"""Engine options per database: on PostgreSQL no server-side prepared statements, so every statement is
planned for its own parameters (a generic plan made the regional counts 25 times slower)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from scan.config import engine_options
from scan.extensions import db
from tests.conftest import database_backend


def test_postgresql_gets_no_prepared_statements_and_sqlite_is_left_alone() -> None:
    base = {"pool_pre_ping": True}
    pg = engine_options("postgresql+psycopg://u@h/db", base)
    assert pg == {"pool_pre_ping": True, "connect_args": {"prepare_threshold": None}}
    assert engine_options("sqlite:///x.sqlite", base) == base
    # Other connect arguments are kept.
    kept = engine_options("postgresql+psycopg://u@h/db", {"connect_args": {"connect_timeout": 5}})
    assert kept["connect_args"] == {"connect_timeout": 5, "prepare_threshold": None}


@pytest.mark.skipif(database_backend() != "postgresql", reason="needs TEST_DATABASE_URL on PostgreSQL")
def test_a_statement_run_often_is_never_prepared_on_the_server(app_ctx: Any) -> None:
    with db.engine.connect() as conn:
        for _ in range(12):  # psycopg would prepare it after five runs
            conn.execute(text("SELECT count(*) FROM scan_answer WHERE scan_id = :id"), {"id": 1})
        prepared = conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
    assert prepared == 0
