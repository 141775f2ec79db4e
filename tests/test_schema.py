"""The migrations build exactly the schema the models describe (nothing forgotten in a migration)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from scan.extensions import db


def test_migrations_match_the_models(app_ctx: Any) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []
