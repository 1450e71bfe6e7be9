"""Editorial metadata and facets: publication time on ``articles``, ``article_facets``,
``facet_counts``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

``articles.published_at`` is the latest version's publication time ("" when it has none), for
date filters and ``sort=published_at``. ``article_facets`` holds each version's facet values
(entity keys and types, tags, authors, section, month of publication); ``facet_counts`` the
live articles counting each value (entities excepted: ``corpus_entities`` counts those).
Filled here from what is stored: a version stored before this revision has no tags, authors
or section (parser 1.3.0 adds them), so its values are its entities and its month.

Frozen as written: it uses no code of ``api``.
"""

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def key(length: int):
    """Text keys order by code point on every backend (PostgreSQL: collation ``C``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    bind = op.get_bind()
    if "article_facets" in set(sa.inspect(bind).get_table_names()):
        return
    op.add_column("articles", sa.Column("published_at", key(40), nullable=False, server_default=""))
    op.create_index("ix_articles_published_at", "articles", ["published_at", "id"])
    facets = op.create_table(
        "article_facets",
        sa.Column("article_id", key(128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("facet", key(16), nullable=False),
        sa.Column("value", key(200), nullable=False),
        sa.Column("label", sa.String(300)),
        sa.PrimaryKeyConstraint("article_id", "version", "facet", "value"),
        sa.ForeignKeyConstraint(
            ["article_id", "version"],
            ["article_versions.article_id", "article_versions.version"],
        ),
    )
    op.create_index("ix_article_facets_value", "article_facets", ["facet", "value", "article_id"])
    counts = op.create_table(
        "facet_counts",
        sa.Column("facet", key(16), nullable=False),
        sa.Column("value", key(200), nullable=False),
        sa.Column("label", sa.String(300)),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("facet", "value"),
    )
    op.create_index("ix_facet_counts_count", "facet_counts", ["facet", "article_count"])
    _backfill(bind, facets, counts)


def _backfill(bind, facets, counts) -> None:
    versions = sa.table(
        "article_versions", sa.column("article_id"), sa.column("version"), sa.column("article_json")
    )
    parts = sa.table(
        "parts",
        sa.column("article_id"),
        sa.column("version"),
        sa.column("kind"),
        sa.column("entity_key"),
        sa.column("entity_type"),
        sa.column("name"),
    )
    articles = sa.table(
        "articles",
        sa.column("id"),
        sa.column("latest_version"),
        sa.column("retracted_at"),
        sa.column("published_at"),
    )
    for article_id, version, article_json in bind.execute(sa.select(versions)).all():
        published = orjson.loads(article_json).get("published_at") or ""
        rows = {}
        if published:
            rows[("published_month", published[:7])] = None
        for entity_key, entity_type, name in bind.execute(
            sa.select(parts.c.entity_key, parts.c.entity_type, parts.c.name).where(
                parts.c.article_id == article_id,
                parts.c.version == version,
                parts.c.kind == "entities",
                parts.c.entity_key.is_not(None),
            )
        ):
            rows[("entity", entity_key)] = name
            rows[("type", entity_type)] = None
        if rows:
            bind.execute(
                facets.insert(),
                [
                    {
                        "article_id": article_id,
                        "version": version,
                        "facet": facet,
                        "value": value,
                        "label": label,
                    }
                    for (facet, value), label in rows.items()
                ],
            )
        bind.execute(
            articles.update()
            .where(articles.c.id == article_id, articles.c.latest_version == version)
            .values(published_at=published)
        )
    live = (
        sa.select(
            facets.c.facet,
            facets.c.value,
            sa.func.max(facets.c.label),
            sa.func.count(),
        )
        .select_from(
            facets.join(
                articles,
                (facets.c.article_id == articles.c.id)
                & (facets.c.version == articles.c.latest_version),
            )
        )
        .where(articles.c.retracted_at.is_(None), facets.c.facet != "entity")
        .group_by(facets.c.facet, facets.c.value)
    )
    bind.execute(counts.insert().from_select(["facet", "value", "label", "article_count"], live))


def downgrade() -> None:
    op.drop_index("ix_facet_counts_count", table_name="facet_counts")
    op.drop_table("facet_counts")
    op.drop_index("ix_article_facets_value", table_name="article_facets")
    op.drop_table("article_facets")
    # A plain ALTER TABLE … DROP COLUMN on both backends (SQLite 3.35+), as 0002 does: a batch
    # rebuild would drop ``articles`` under the foreign keys that point at it.
    op.drop_index("ix_articles_published_at", table_name="articles")
    op.execute("ALTER TABLE articles DROP COLUMN published_at")
