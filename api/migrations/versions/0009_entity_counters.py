"""``/v1/entities``' totals kept at ingest, not counted per request.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Adds to ``totals`` the counter ``corpus_entities`` (how many ``corpus_entities`` rows there are)
and one ``corpus_entities:<TYPE>`` per entity type, counted here from the rows; ``save`` and
``retract`` keep them, so a page of ``/v1/entities`` (with or without ``type``) costs the same
at any corpus size. Frozen as written: it uses no code of ``api``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

PREFIX = "corpus_entities"


def upgrade() -> None:
    bind = op.get_bind()
    totals = sa.table("totals", sa.column("name"), sa.column("value"))
    entities = sa.table("corpus_entities", sa.column("type"))
    bind.execute(
        totals.delete().where((totals.c.name == PREFIX) | totals.c.name.like(PREFIX + ":%"))
    )
    counted = bind.execute(
        sa.select(entities.c.type, sa.func.count()).group_by(entities.c.type)
    ).all()
    rows = [{"name": PREFIX, "value": sum(n for _, n in counted)}]
    rows += [{"name": f"{PREFIX}:{t}", "value": n} for t, n in counted if t is not None]
    bind.execute(totals.insert(), rows)


def downgrade() -> None:
    totals = sa.table("totals", sa.column("name"))
    op.get_bind().execute(
        totals.delete().where((totals.c.name == PREFIX) | totals.c.name.like(PREFIX + ":%"))
    )
