"""Schema migrations (Alembic) on both backends: they make exactly what ``metadata`` describes,
plus each dialect's search index; older stores are adopted; ``article-api db upgrade``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from api import migrations
from api.cli import main
from api.store import ArticleStore, include_name, metadata

from .conftest import SEED, SEED_ID, store_article


def differences(store: ArticleStore) -> list:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": include_name, "compare_type": True}
        )
        return compare_metadata(context, metadata)


def test_migrations_make_exactly_the_metadata_schema(db_url):
    store = ArticleStore(db_url)
    try:
        assert store.schema_version() is None
        store.create_schema()
        assert store.schema_version() == migrations.head()
        assert differences(store) == []
        tables = set(inspect(store.engine).get_table_names())
        assert set(metadata.tables) | {"alembic_version"} <= tables
        with store.engine.connect() as conn:
            if store.is_sqlite:  # the FTS5 table and the triggers that keep it in step
                names = conn.execute(
                    text("SELECT name FROM sqlite_master WHERE name LIKE 'search_fts%'")
                ).scalars()
                assert {"search_fts", "search_fts_insert", "search_fts_delete"} <= set(names)
            else:  # the generated tsvector column and its GIN index
                columns = {c["name"] for c in inspect(conn).get_columns("search_docs")}
                assert "tsv" in columns
                indexes = {i["name"] for i in inspect(conn).get_indexes("search_docs")}
                assert "ix_search_docs_tsv" in indexes
        store.create_schema()  # idempotent
        assert store.schema_version() == migrations.head()
    finally:
        store.dispose()


def test_a_page_of_the_article_list_reads_one_index_on_sqlite(db_url, loaded):
    """Page one and a cursor's page of ``/v1/articles`` (the fast reader's statement) are read
    from the covering index alone on SQLite (migration 0011): no table lookup per row.
    PostgreSQL has no such index (it bounds an index entry's size)."""
    from api.store.reads import Window

    indexes = {i["name"] for i in inspect(loaded.engine).get_indexes("articles")}
    assert ("ix_articles_listing" in indexes) == loaded.is_sqlite
    reader = loaded._fast()
    for window in (Window(limit=20), Window(limit=20, after="a")):
        assert reader.article_summaries(window)[0].rows  # the read itself, on both
        if not loaded.is_sqlite:
            continue
        bound = "after" if window.after is not None else None
        sql, names, defaults = reader._compiled[("summaries", bound, False, False)]
        params = {**defaults, "key": window.after, "limit": 21, "total_name": "articles"}
        plan = " ".join(
            str(row[-1])
            for row in reader.connection.execute(
                "EXPLAIN QUERY PLAN " + sql, tuple(params[n] for n in names)
            )
        )
        assert "COVERING INDEX ix_articles_listing" in plan, plan


def test_downgrade_and_upgrade_again(db_url):
    store = ArticleStore(db_url)
    try:
        store.create_schema()
        migrations.downgrade(store.engine, "base")
        assert store.schema_version() is None
        assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
        store.create_schema()
        assert differences(store) == []
    finally:
        store.dispose()


def test_a_store_from_before_migrations_is_adopted(db_url, client):
    """A store made by ``metadata.create_all`` without totals, search or a version is brought to
    head: counters counted, the search index built from the latest versions."""
    store = client.application.extensions["article_store"]
    store_article(store, SEED.read_bytes(), SEED.name)
    with store.engine.begin() as conn:
        if store.is_sqlite:
            conn.exec_driver_sql("DROP TABLE search_fts")
        for name in ("alembic_version", "search_docs", "totals"):
            conn.exec_driver_sql(f"DROP TABLE {name}")
    store.dispose()
    assert store.schema_version() is None
    store.create_schema()
    assert store.schema_version() == migrations.head()
    assert differences(store) == []
    body = client.get("/v1/articles").get_json()
    assert body["meta"]["pagination"]["total_items"] == 1
    found = client.get("/v1/articles?q=truce").get_json()["data"]
    assert [item["id"] for item in found] == [SEED_ID]


def test_0002_gives_each_stored_article_its_file_as_owner(db_url):
    """A store from before ownership: each article is owned by the file of its latest version,
    so that file keeps it and any other file is refused."""
    from api.store import SourceConflict

    store = ArticleStore(db_url)
    try:
        store.create_schema()
        store_article(store, SEED.read_bytes(), SEED.name)
        migrations.downgrade(store.engine, "0001")
        assert "source" not in {c["name"] for c in inspect(store.engine).get_columns("articles")}
        store.create_schema()
        with store.engine.connect() as conn:
            owner = conn.execute(text("SELECT source FROM articles")).scalar_one()
        assert owner == f"file:{SEED.name}"
        assert differences(store) == []
        assert store_article(store, SEED.read_bytes(), SEED.name).created is False
        renamed = b"---\nid: " + SEED_ID.encode() + b"\n---\n" + SEED.read_bytes()
        with pytest.raises(SourceConflict):
            store_article(store, renamed, "copy-of-the-seed.txt")
    finally:
        store.dispose()


def test_0003_lists_the_names_of_stored_entities(db_url, client):
    """Entities stored before 0003 get their names listed: ``speaker`` and ``entity`` find them
    by key, id, name and alias once the store is upgraded."""
    store = client.application.extensions["article_store"]
    store_article(store, SEED.read_bytes(), SEED.name, with_language=True)
    migrations.downgrade(store.engine, "0002")
    assert "entity_names" not in inspect(store.engine).get_table_names()
    store.create_schema()
    assert differences(store) == []
    for speaker in ("person:donald-trump", "donald-trump", "Donald Trump", "Trump"):
        quotes = client.get(f"/v1/quotes?speaker={speaker}").get_json()["data"]
        assert [q["speaker"]["name"] for q in quotes] == ["Donald Trump"] * 2, speaker
    found = client.get("/v1/articles?entity=Trump").get_json()["data"]
    assert [a["id"] for a in found] == [SEED_ID]


def test_db_upgrade_command(runner):
    first = runner.invoke(main, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert f"schema upgraded: empty -> {migrations.head()}" in first.output
    again = runner.invoke(main, ["db", "upgrade"])
    assert again.exit_code == 0
    assert "nothing to do" in again.output
    current = runner.invoke(main, ["db", "current"])
    assert current.output.strip() == migrations.head()


def test_readyz_shows_the_schema_version(client, loaded):
    body = client.get("/readyz").get_json()
    assert body["data"] == {"status": "ready", "schema_version": migrations.head()}


def test_readyz_is_503_when_the_schema_is_behind(client, loaded):
    store = client.application.extensions["article_store"]
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "article-api db upgrade" in response.get_json()["detail"]


def test_revisions_run_no_store_code():
    """A revision does what it did when it was written: it imports nothing from ``api`` (its
    tables, recounts and search documents are its own), so store changes cannot alter it."""
    for path in sorted((Path(migrations.__file__).parent / "versions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = ["." if node.level else node.module or ""]
            else:
                continue
            assert not [n for n in names if n == "." or n.split(".")[0] == "api"], path.name
