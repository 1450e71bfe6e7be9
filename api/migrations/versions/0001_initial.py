"""The store's tables, stored counters and full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

A store made before migrations existed (the same tables, perhaps without ``totals`` or search)
is adopted: only what is missing is created, counters are counted once and the search index is
built from the latest versions.

Everything this revision runs is written here, frozen as it was when the revision was made: the
tables, the counters' recounts and the search documents. It uses no code of ``api.store``, so
later changes to the store cannot change what this migration does.
"""

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def key(length: int):
    """Text keys order by code point on every backend (PostgreSQL: collation ``C``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    bind = op.get_bind()
    have = set(sa.inspect(bind).get_table_names())
    if "articles" not in have:
        op.create_table(
            "articles",
            sa.Column("id", key(128), nullable=False),
            sa.Column("latest_version", sa.Integer(), nullable=False),
            sa.Column("first_ingested_at", sa.String(40), nullable=False),
            sa.Column("updated_at", key(40), nullable=False),
            sa.Column("source_file", sa.String(255), nullable=False),
            sa.Column("title", sa.String(500), nullable=False),
            sa.Column("summary_json", sa.LargeBinary(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_articles_updated_at", "articles", ["updated_at", "id"])
    if "article_versions" not in have:
        op.create_table(
            "article_versions",
            sa.Column("article_id", key(128), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("content_hash", sa.String(64), nullable=False),
            sa.Column("output_hash", sa.String(64), nullable=False),
            sa.Column("parser_version", sa.String(32), nullable=False),
            sa.Column("ingested_at", sa.String(40), nullable=False),
            sa.Column("article_json", sa.LargeBinary(), nullable=False),
            sa.PrimaryKeyConstraint("article_id", "version"),
            sa.ForeignKeyConstraint(["article_id"], ["articles.id"]),
        )
    if "part_lists" not in have:
        op.create_table(
            "part_lists",
            sa.Column("article_id", key(128), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("kind", key(16), nullable=False),
            sa.Column("body", sa.LargeBinary(), nullable=False),
            sa.PrimaryKeyConstraint("article_id", "version", "kind"),
            sa.ForeignKeyConstraint(
                ["article_id", "version"],
                ["article_versions.article_id", "article_versions.version"],
            ),
        )
    if "parts" not in have:
        op.create_table(
            "parts",
            sa.Column("article_id", key(128), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("kind", key(16), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("part_id", key(160), nullable=False),
            sa.Column("body", sa.LargeBinary(), nullable=False),
            sa.Column("speaker_id", key(160)),
            sa.Column("quote_kind", sa.String(16)),
            sa.Column("entity_type", sa.String(32)),
            sa.Column("entity_key", key(200)),
            sa.Column("name", sa.String(300)),
            sa.Column("weight", sa.Integer()),
            sa.PrimaryKeyConstraint("article_id", "version", "kind", "position"),
            sa.ForeignKeyConstraint(
                ["article_id", "version"],
                ["article_versions.article_id", "article_versions.version"],
            ),
        )
        op.create_index(
            "ix_parts_part_id", "parts", ["article_id", "version", "kind", "part_id"], unique=True
        )
        op.create_index("ix_parts_entity_key", "parts", ["kind", "entity_key"])
        op.create_index("ix_parts_speaker", "parts", ["kind", "speaker_id"])
    if "totals" not in have:
        op.create_table(
            "totals",
            sa.Column("name", sa.String(32), nullable=False),
            sa.Column("value", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("name"),
        )
    _count_totals(bind)
    if "search_docs" not in have:
        op.create_table(
            "search_docs",
            sa.Column("doc_id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("article_id", key(128), nullable=False),
            sa.Column("kind", key(16), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("body", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("doc_id"),
            sa.ForeignKeyConstraint(["article_id"], ["articles.id"]),
        )
        op.create_index(
            "ix_search_docs_article",
            "search_docs",
            ["article_id", "kind", "position"],
            unique=True,
        )
        _create_search_index(bind.dialect.name)
        _index_latest_versions(bind)


#: The stored counters and how each is counted from the rows: every article; the quotes of
#: every article's latest version.
_COUNTS = {
    "articles": "SELECT count(*) FROM articles",
    "quotes": (
        "SELECT count(*) FROM parts JOIN articles ON parts.article_id = articles.id "
        "WHERE parts.version = articles.latest_version AND parts.kind = 'quotes'"
    ),
}


def _count_totals(bind) -> None:
    """Stored counters (``totals``): counted once from the rows, for a store that had none."""
    have = set(bind.execute(sa.text("SELECT name FROM totals")).scalars())
    for name, count in _COUNTS.items():
        if name not in have:
            value = bind.execute(sa.text(count)).scalar_one()
            bind.execute(
                sa.text("INSERT INTO totals (name, value) VALUES (:name, :value)"),
                {"name": name, "value": value},
            )


def _index_latest_versions(bind) -> None:
    """Search documents for every article's latest version: one for the article (its title and
    text) and one per quote, in document order (its speaker's name and its text)."""
    bind.execute(sa.text("DELETE FROM search_docs"))
    latest = bind.execute(
        sa.text(
            "SELECT articles.id, article_versions.article_json FROM articles "
            "JOIN article_versions ON article_versions.article_id = articles.id "
            "AND article_versions.version = articles.latest_version"
        )
    ).all()
    quotes_of = sa.text(
        "SELECT parts.body, parts.name FROM parts JOIN articles ON parts.article_id = articles.id "
        "AND parts.version = articles.latest_version "
        "WHERE parts.article_id = :article_id AND parts.kind = 'quotes' ORDER BY parts.position"
    )
    insert = sa.text(
        "INSERT INTO search_docs (article_id, kind, position, title, body) "
        "VALUES (:article_id, :kind, :position, :title, :body)"
    )
    for article_id, article_json in latest:
        article = orjson.loads(article_json)
        docs = [
            {
                "article_id": article_id,
                "kind": "articles",
                "position": 0,
                "title": article.get("title") or "",
                "body": article.get("text") or "",
            }
        ]
        quotes = bind.execute(quotes_of, {"article_id": article_id}).all()
        for position, (body, name) in enumerate(quotes):
            docs.append(
                {
                    "article_id": article_id,
                    "kind": "quotes",
                    "position": position,
                    "title": name or "",
                    "body": orjson.loads(body).get("text") or "",
                }
            )
        bind.execute(insert, docs)


def _create_search_index(dialect: str) -> None:
    if dialect == "sqlite":
        # FTS5 over search_docs (external content: the text is stored once), kept in step by
        # triggers. Porter stemming; bm25 ranks, snippet() highlights.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_docs', "
            "content_rowid='doc_id', tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_docs BEGIN "
            "INSERT INTO search_fts(rowid, title, body) VALUES (new.doc_id, new.title, new.body); "
            "END"
        )
        op.execute(
            "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_docs BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, title, body) "
            "VALUES ('delete', old.doc_id, old.title, old.body); END"
        )
        op.execute(
            "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_docs BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, title, body) "
            "VALUES ('delete', old.doc_id, old.title, old.body); "
            "INSERT INTO search_fts(rowid, title, body) VALUES (new.doc_id, new.title, new.body); "
            "END"
        )
    elif dialect == "postgresql":
        # A stored tsvector (title weighted A, text B) and a GIN index; ts_rank_cd ranks,
        # ts_headline highlights.
        op.execute(
            "ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('english'::regconfig, title), 'A') || "
            "setweight(to_tsvector('english'::regconfig, body), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (tsv)")
    else:
        raise NotImplementedError(f"full-text search needs SQLite or PostgreSQL, not {dialect}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("search_fts_insert", "search_fts_delete", "search_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    for name in ("search_docs", "totals", "parts", "part_lists", "article_versions", "articles"):
        op.drop_table(name)
