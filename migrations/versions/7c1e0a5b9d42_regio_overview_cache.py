"""regional overview cache: the data version and the stored tables

Revision ID: 7c1e0a5b9d42
Revises: 2edbeb6d66dc
Create Date: 2026-12-06 09:20:00

"""

import sqlalchemy as sa
from alembic import op

import scan.db

revision = "7c1e0a5b9d42"
down_revision = "2edbeb6d66dc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    version = op.create_table(
        "regio_data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regio_data_version")),
    )
    op.bulk_insert(version, [{"id": 1, "number": 0}])
    op.create_table(
        "regio_overview_cache",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", scan.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_regio_overview_cache")),
    )


def downgrade() -> None:
    op.drop_table("regio_overview_cache")
    op.drop_table("regio_data_version")
