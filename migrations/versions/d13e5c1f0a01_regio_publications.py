"""regional publications: where a scan was submitted, periods and audited publications

Revision ID: d13e5c1f0a01
Revises: 7c1e0a5b9d42
Create Date: 2026-12-07 15:40:00

"""

import sqlalchemy as sa
from alembic import op

import scan.db

revision = "d13e5c1f0a01"
down_revision = "7c1e0a5b9d42"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scan") as batch:
        batch.add_column(sa.Column("counted_team_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("counted_municipality_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("counted_role", sa.String(length=30), nullable=True))
        batch.create_foreign_key(op.f("fk_scan_counted_team_id_team"), "team", ["counted_team_id"], ["id"])
        batch.create_foreign_key(op.f("fk_scan_counted_municipality_id_municipality"), "municipality",
                                 ["counted_municipality_id"], ["id"])
    # Scans submitted before this migration: the round's team and the account's role as they are now
    # (the best there is).
    op.execute(
        "UPDATE scan SET counted_team_id = (SELECT scan_round.team_id FROM scan_round"
        " WHERE scan_round.id = scan.round_id),"
        " counted_municipality_id = (SELECT team.municipality_id FROM scan_round JOIN team"
        " ON team.id = scan_round.team_id WHERE scan_round.id = scan.round_id),"
        " counted_role = (SELECT user_account.role FROM user_account WHERE user_account.id = scan.user_id)"
        " WHERE status = 'submitted'"
    )


    # Publications replace the pages' stored tables and the data version raised on every change.
    op.drop_table("regio_overview_cache")
    op.drop_table("regio_data_version")
    op.create_table(
        "regio_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("created_at", scan.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], name=op.f("fk_regio_period_region_id_region")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regio_period")),
        sa.UniqueConstraint("region_id", "name", name="uq_regio_period_region_name"),
    )
    op.create_index(op.f("ix_regio_period_region_id"), "regio_period", ["region_id"], unique=False)
    op.create_table(
        "regio_publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", scan.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("professionals", sa.Integer(), nullable=False),
        sa.Column("groups", sa.Integer(), nullable=False),
        sa.Column("positions", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Integer(), nullable=False),
        sa.Column("primary", sa.Integer(), nullable=False),
        sa.Column("sensitive", sa.Integer(), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("lp_solves", sa.Integer(), nullable=False),
        sa.Column("mip_solves", sa.Integer(), nullable=False),
        sa.Column("count_seconds", sa.Float(), nullable=False),
        sa.Column("audit_seconds", sa.Float(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("truth", sa.Text(), nullable=False),
        sa.Column("intervals", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["regio_period.id"],
                                name=op.f("fk_regio_publication_period_id_regio_period"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["published_by_id"], ["user_account.id"],
                                name=op.f("fk_regio_publication_published_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regio_publication")),
        sa.UniqueConstraint("period_id", "number", name="uq_regio_publication_period_number"),
    )
    op.create_index(op.f("ix_regio_publication_period_id"), "regio_publication", ["period_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_regio_publication_period_id"), table_name="regio_publication")
    op.drop_table("regio_publication")
    op.drop_index(op.f("ix_regio_period_region_id"), table_name="regio_period")
    op.drop_table("regio_period")
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
    with op.batch_alter_table("scan") as batch:
        batch.drop_constraint(op.f("fk_scan_counted_municipality_id_municipality"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_scan_counted_team_id_team"), type_="foreignkey")
        batch.drop_column("counted_role")
        batch.drop_column("counted_municipality_id")
        batch.drop_column("counted_team_id")
