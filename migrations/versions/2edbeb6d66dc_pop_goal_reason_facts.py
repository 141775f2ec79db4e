"""POP goal: the facts behind the reason (level, ambition, agreed) instead of a sentence in one language

Revision ID: 2edbeb6d66dc
Revises: f3d75c3dc9ed
Create Date: 2027-01-14 10:00:00.000000

Adopting a proposed goal used to store its reason as a sentence in the language the app had at that moment.
The sentence is now built when read, in the reader's language, from three new columns. Existing sentences of
"ambition" goals written by the app (Dutch or English, the only two it ever wrote) are turned into those
facts and their text is cleared; any other text stays as it is and is shown as it is.
"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2edbeb6d66dc'
down_revision = 'f3d75c3dc9ed'
branch_labels = None
depends_on = None

# (pattern, level agreed): the app's sentences as its catalogues had them; groups are ambition, level.
SENTENCES = (
    (re.compile(r"^Your ambition is level (\d+); the level agreed with your team leader is (\d+)\.$"), True),
    (re.compile(r"^Your ambition is level (\d+); you rated yourself at level (\d+)\.$"), False),
    (re.compile(r"^Je ambitie is niveau (\d+); met je teamleider is niveau (\d+) afgesproken\.$"), True),
    (re.compile(r"^Je ambitie is niveau (\d+); je schatte jezelf in op niveau (\d+)\.$"), False),
)
# The Dutch sentences, for a downgrade (Dutch is the app's default language).
DUTCH = {
    True: "Je ambitie is niveau {ambition}; met je teamleider is niveau {level} afgesproken.",
    False: "Je ambitie is niveau {ambition}; je schatte jezelf in op niveau {level}.",
}

pop_goal = sa.table(
    'pop_goal',
    sa.column('id', sa.Integer()),
    sa.column('reason_kind', sa.String(20)),
    sa.column('reason', sa.Text()),
    sa.column('reason_level', sa.Integer()),
    sa.column('reason_ambition', sa.Integer()),
    sa.column('reason_level_agreed', sa.Boolean()),
)


def _facts(text):
    for pattern, agreed in SENTENCES:
        match = pattern.match((text or "").strip())
        if match:
            return int(match.group(2)), int(match.group(1)), agreed
    return None


def upgrade():
    with op.batch_alter_table('pop_goal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reason_ambition', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reason_level_agreed', sa.Boolean(), nullable=True))

    conn = op.get_bind()
    rows = conn.execute(
        sa.select(pop_goal.c.id, pop_goal.c.reason)
        .where(pop_goal.c.reason_kind == 'ambition', pop_goal.c.reason != '')
    ).all()
    for goal_id, text in rows:
        facts = _facts(text)
        if facts is None:
            continue  # not the app's sentence: kept and shown as it is
        level, ambition, agreed = facts
        conn.execute(
            pop_goal.update().where(pop_goal.c.id == goal_id).values(
                reason='', reason_level=level, reason_ambition=ambition, reason_level_agreed=agreed
            )
        )


def downgrade():
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(pop_goal.c.id, pop_goal.c.reason_level, pop_goal.c.reason_ambition,
                  pop_goal.c.reason_level_agreed)
        .where(pop_goal.c.reason_kind == 'ambition', pop_goal.c.reason == '',
               pop_goal.c.reason_level.is_not(None), pop_goal.c.reason_ambition.is_not(None))
    ).all()
    for goal_id, level, ambition, agreed in rows:
        text = DUTCH[bool(agreed)].format(ambition=ambition, level=level)
        conn.execute(pop_goal.update().where(pop_goal.c.id == goal_id).values(reason=text))

    with op.batch_alter_table('pop_goal', schema=None) as batch_op:
        batch_op.drop_column('reason_level_agreed')
        batch_op.drop_column('reason_ambition')
        batch_op.drop_column('reason_level')
