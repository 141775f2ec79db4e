"""a scan's lock per section: saving one section no longer makes an open page of another section stale

Revision ID: b8d41f6e2a07
Revises: a5f0c2d83e11
Create Date: 2026-12-08 10:00:00

scan.section_saves maps a section code to the scan's lock_version at that section's last save. Existing
scans get their current lock_version for every section that has answers, so a page opened before this
migration is refused for those sections, as it was before.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "b8d41f6e2a07"
down_revision = "a5f0c2d83e11"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scan") as batch:
        batch.add_column(sa.Column("section_saves", sa.JSON(), nullable=False, server_default="{}"))
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT DISTINCT s.id, s.lock_version, sec.code FROM scan s"
        " JOIN scan_answer a ON a.scan_id = s.id"
        " JOIN kenniskaart_item i ON i.id = a.item_id"
        " JOIN kenniskaart_section sec ON sec.id = i.section_id"
    )).all()
    saves: dict[int, dict[str, int]] = {}
    for scan_id, lock_version, code in rows:
        saves.setdefault(scan_id, {})[code] = lock_version
    update = sa.text("UPDATE scan SET section_saves = :saves WHERE id = :id")
    for scan_id, sections in saves.items():
        conn.execute(update, {"saves": json.dumps(sections), "id": scan_id})
    with op.batch_alter_table("scan") as batch:
        batch.alter_column("section_saves", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("scan") as batch:
        batch.drop_column("section_saves")
