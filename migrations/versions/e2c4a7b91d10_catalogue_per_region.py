"""catalogue per region: every training belongs to a region; codes are unique per region

Revision ID: e2c4a7b91d10
Revises: d13e5c1f0a01
Create Date: 2026-12-08 10:00:00

Existing entries go to the region with the lowest id. Every other region gets a copy of each entry (with
its Kenniskaart item codes), so no region loses the catalogue it used until now; POP actions of a region's
professionals (the region of the POP round's team) are moved to their own region's copy, so that a
coordinator who deactivates or changes an entry only touches POPs of their own region.

A database with entries but no region at all (only possible when someone filled the catalogue before any
organisation existed: such a database has no coordinator, no team and no POP) is refused before anything
changes, with a message: there is no region to give the entries to, and neither inventing a region nor
deleting the entries is something a migration should decide. Download the catalogue first if it is worth
keeping, remove the entries (DELETE FROM training_item_code; DELETE FROM training), upgrade, and import the
file into the region once it exists.

Downgrading merges the catalogues back into one, as it was: per code the entry with the lowest id stays,
POP actions that refer to another region's entry with that code then refer to it, and the other entries
(with their item codes) are removed.
"""

import sqlalchemy as sa
from alembic import op

revision = "e2c4a7b91d10"
down_revision = "d13e5c1f0a01"
branch_labels = None
depends_on = None

_COLUMNS = "code, title, provider, type, level, hours, cost_cents, points, min_group, max_group, active"

# The POP goals of one region: through the POP's round, its team and the team's municipality.
_GOALS_OF_REGION = (
    "SELECT pop_goal.id FROM pop_goal"
    " JOIN pop_version ON pop_version.id = pop_goal.version_id"
    " JOIN pop ON pop.id = pop_version.pop_id"
    " JOIN scan_round ON scan_round.id = pop.round_id"
    " JOIN team ON team.id = scan_round.team_id"
    " JOIN municipality ON municipality.id = team.municipality_id"
    " WHERE municipality.region_id = :region"
)


def upgrade() -> None:
    bind = op.get_bind()
    regions = list(bind.scalars(sa.text("SELECT id FROM region ORDER BY id")))
    entries = bind.scalar(sa.text("SELECT count(*) FROM training"))
    if entries and not regions:
        raise RuntimeError(
            f"The training catalogue has {entries} entries, but there is no region to give them to: every "
            "entry now belongs to a region. Download the catalogue if it is worth keeping, remove the entries "
            "(DELETE FROM training_item_code; DELETE FROM training), run the upgrade again and import the "
            "file into the region once it exists. Nothing has been changed."
        )

    with op.batch_alter_table("training") as batch:
        batch.add_column(sa.Column("region_id", sa.Integer(), nullable=True))
        batch.drop_constraint("uq_training_code", type_="unique")

    if entries:
        first, others = regions[0], regions[1:]
        bind.execute(sa.text("UPDATE training SET region_id = :first"), {"first": first})
        for region in others:
            params = {"first": first, "region": region}
            bind.execute(sa.text(
                f"INSERT INTO training (region_id, {_COLUMNS})"
                f" SELECT :region, {_COLUMNS} FROM training WHERE region_id = :first ORDER BY id"
            ), params)
            # Codes were unique until now, so the code finds each entry's copy.
            bind.execute(sa.text(
                "INSERT INTO training_item_code (training_id, item_code)"
                " SELECT copy.id, item.item_code FROM training_item_code item"
                " JOIN training original ON original.id = item.training_id"
                " JOIN training copy ON copy.code = original.code AND copy.region_id = :region"
                " WHERE original.region_id = :first"
            ), params)
            bind.execute(sa.text(
                "UPDATE pop_action SET training_id = ("
                " SELECT copy.id FROM training original"
                " JOIN training copy ON copy.code = original.code AND copy.region_id = :region"
                " WHERE original.id = pop_action.training_id)"
                f" WHERE training_id IS NOT NULL AND goal_id IN ({_GOALS_OF_REGION})"
            ), {"region": region})

    with op.batch_alter_table("training") as batch:
        batch.alter_column("region_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(op.f("fk_training_region_id_region"), "region", ["region_id"], ["id"])
        batch.create_index(op.f("ix_training_region_id"), ["region_id"], unique=False)
        batch.create_unique_constraint("uq_training_region_code", ["region_id", "code"])


def downgrade() -> None:
    keep = "SELECT min(id) FROM training GROUP BY code"
    op.execute(
        "UPDATE pop_action SET training_id = ("
        " SELECT min(other.id) FROM training this JOIN training other ON other.code = this.code"
        " WHERE this.id = pop_action.training_id)"
        " WHERE training_id IS NOT NULL"
    )
    # SQLite does not enforce the cascade: remove the item codes explicitly.
    op.execute(f"DELETE FROM training_item_code WHERE training_id NOT IN ({keep})")
    op.execute(f"DELETE FROM training WHERE id NOT IN ({keep})")
    with op.batch_alter_table("training") as batch:
        batch.drop_constraint("uq_training_region_code", type_="unique")
        batch.drop_index(op.f("ix_training_region_id"))
        batch.drop_constraint(op.f("fk_training_region_id_region"), type_="foreignkey")
        batch.drop_column("region_id")
        batch.create_unique_constraint(op.f("uq_training_code"), ["code"])
