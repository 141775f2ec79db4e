"""regional publications: where a scan was submitted, periods and audited publications

Revision ID: d13e5c1f0a01
Revises: 7c1e0a5b9d42
Create Date: 2026-12-07 15:40:00

"""

import sqlalchemy as sa
from alembic import op

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


def downgrade() -> None:
    with op.batch_alter_table("scan") as batch:
        batch.drop_constraint(op.f("fk_scan_counted_municipality_id_municipality"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_scan_counted_team_id_team"), type_="foreignkey")
        batch.drop_column("counted_role")
        batch.drop_column("counted_municipality_id")
        batch.drop_column("counted_team_id")
