"""Entities across articles kept at ingest, not grouped per request.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

``corpus_entities`` holds one row per entity key across the latest versions (name, type,
article and mention counts): ``/v1/entities`` and ``/v1/entities/{key}`` read it, and ``save``
recomputes the rows of the keys a new version (or a retraction) touches. Filled here from
what is stored, retracted articles left out.

Frozen as written: the grouping below is a copy of the one the store used when this revision
was made; it uses no code of ``api``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def key(length: int):
    """Text keys order by code point on every backend (PostgreSQL: collation ``C``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    bind = op.get_bind()
    if "corpus_entities" in set(sa.inspect(bind).get_table_names()):
        return
    table = op.create_table(
        "corpus_entities",
        sa.Column("key", key(200), nullable=False),
        sa.Column("name", sa.String(300)),
        sa.Column("type", sa.String(32)),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("mention_count", sa.Integer()),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_corpus_entities_type", "corpus_entities", ["type", "key"])
    parts = sa.table(
        "parts",
        sa.column("article_id"),
        sa.column("version"),
        sa.column("kind"),
        sa.column("entity_key"),
        sa.column("entity_type"),
        sa.column("name"),
        sa.column("weight"),
    )
    articles = sa.table(
        "articles", sa.column("id"), sa.column("latest_version"), sa.column("retracted_at")
    )
    grouped = (
        sa.select(
            parts.c.entity_key,
            sa.func.max(parts.c.name),
            sa.func.max(parts.c.entity_type),
            sa.func.count(),
            sa.func.sum(parts.c.weight),
        )
        .select_from(
            parts.join(
                articles,
                (parts.c.article_id == articles.c.id)
                & (parts.c.version == articles.c.latest_version),
            )
        )
        .where(
            parts.c.kind == "entities",
            parts.c.entity_key.is_not(None),
            articles.c.retracted_at.is_(None),
        )
        .group_by(parts.c.entity_key)
    )
    columns = ["key", "name", "type", "article_count", "mention_count"]
    bind.execute(table.insert().from_select(columns, grouped))


def downgrade() -> None:
    op.drop_index("ix_corpus_entities_type", "corpus_entities")
    op.drop_table("corpus_entities")
