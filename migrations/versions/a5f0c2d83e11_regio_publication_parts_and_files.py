"""regional publications in parts per municipality, and their export files written once

Revision ID: a5f0c2d83e11
Revises: e2c4a7b91d10
Create Date: 2026-12-07 19:30:00

A page reads only the parts it shows (the region's and one page of municipalities), never the whole payload
that grows with the region. Publications stored before are split here, with the same pure function the app
uses when it publishes (scan.regio.parts.split: it reads only the stored payload, never a model).
"""

import json

import sqlalchemy as sa
from alembic import op

import scan.db
from scan.regio.parts import split

revision = "a5f0c2d83e11"
down_revision = "e2c4a7b91d10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    part = op.create_table(
        "regio_publication_part",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["publication_id"], ["regio_publication.id"],
                                name=op.f("fk_regio_publication_part_publication_id_regio_publication"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("publication_id", "scope", name=op.f("pk_regio_publication_part")),
    )
    op.create_table(
        "regio_publication_file",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("written_at", scan.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["publication_id"], ["regio_publication.id"],
                                name=op.f("fk_regio_publication_file_publication_id_regio_publication"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("publication_id", "name", name=op.f("pk_regio_publication_file")),
    )
    connection = op.get_bind()
    for publication_id, payload in connection.execute(sa.text("SELECT id, payload FROM regio_publication")):
        rows = [{"publication_id": publication_id, "scope": scope, "body": json.dumps(body, separators=(",", ":"))}
                for scope, body in split(json.loads(payload)).items()]
        op.bulk_insert(part, rows)


def downgrade() -> None:
    op.drop_table("regio_publication_file")
    op.drop_table("regio_publication_part")
