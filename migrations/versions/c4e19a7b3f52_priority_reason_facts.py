"""a team priority taken over from a suggestion, and a POP goal adopted from a team priority, store the
facts behind the reason, worded when read in the reader's language

Revision ID: c4e19a7b3f52
Revises: b8d41f6e2a07
Create Date: 2026-12-08 12:00:00

Both columns are nullable: existing rows keep their reason as text and show it as it is.
"""

import sqlalchemy as sa
from alembic import op

revision = "c4e19a7b3f52"
down_revision = "b8d41f6e2a07"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("team_priority") as batch:
        batch.add_column(sa.Column("reason_facts", sa.JSON(), nullable=True))
    with op.batch_alter_table("pop_goal") as batch:
        batch.add_column(sa.Column("reason_facts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pop_goal") as batch:
        batch.drop_column("reason_facts")
    with op.batch_alter_table("team_priority") as batch:
        batch.drop_column("reason_facts")
