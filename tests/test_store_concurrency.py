"""Concurrent writers and readers on one store (both backends; several processes share a
PostgreSQL store in production)."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import create_engine, event

from api.app import create_app
from api.store import ArticleStore, Window, stored_total

from .conftest import SEED, SEED_ID, store_article


def article(i: int) -> bytes:
    return f"---\nid: contested\n---\nRevision {i} of the contested article, word{i}.\n".encode()


def race(stores: list, file_name) -> tuple[list, list, list]:
    """Each store (its own engine, like a separate ingest process) saves ``article(i)`` from
    ``file_name(i)`` at the same moment: the results, the refusals (``SourceConflict``) and any
    other error."""
    from api.store import SourceConflict

    stores[0].create_schema()
    barrier = threading.Barrier(len(stores))
    results, refused, errors = [], [], []

    def write(i: int) -> None:
        try:
            barrier.wait()
            results.append(store_article(stores[i], article(i), file_name(i)))
        except SourceConflict as conflict:
            refused.append(conflict)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, refused, errors


def test_concurrent_saves_of_one_article_make_contiguous_versions(db_url):
    """Eight writers (each with its own engine, like separate ingest processes) store different
    outputs of one article at once: versions 1..8, no duplicate, no gap, counters right. (One
    file, edited between the ingests: another file could not store versions of its article.)"""
    writers = 8
    stores = [ArticleStore(db_url) for _ in range(writers)]
    results, refused, errors = race(stores, lambda i: "contested.txt")
    try:
        assert errors + refused == []
        assert sorted(r.version for r in results) == list(range(1, writers + 1))
        assert all(r.created for r in results)
        store = stores[0]
        assert store.integrity_errors() == []
        stats = store.stats()
        assert (stats.articles, stats.versions) == (1, writers)
        with store.reading() as conn:
            assert stored_total(conn, "articles") == 1
            # the search index holds the latest version only
            _, total = store.search_articles(conn, "contested", Window(limit=10))
        assert total == 1
    finally:
        for store in stores:
            store.dispose()


def test_files_claiming_one_new_id_at_once_leave_it_to_one_of_them(db_url):
    """Eight files with the same front-matter id, stored at once into an empty store: one owns
    the article (version 1), the seven others are refused, none half-written."""
    writers = 8
    stores = [ArticleStore(db_url) for _ in range(writers)]
    results, refused, errors = race(stores, lambda i: f"claimant-{i}.txt")
    try:
        assert errors == []
        assert [(r.version, r.created) for r in results] == [(1, True)]
        assert len(refused) == writers - 1
        owners = {conflict.owner for conflict in refused}  # all refused by the one winner
        assert len(owners) == 1
        assert owners <= {f"file:claimant-{n}.txt" for n in range(writers)}
        assert stores[0].stats().versions == 1
        assert stores[0].integrity_errors() == []
    finally:
        for store in stores:
            store.dispose()


def test_sqlite_writes_take_the_write_lock_first_and_reads_do_not(tmp_path):
    """``save`` opens its transaction with ``BEGIN IMMEDIATE`` (writers queue on the lock);
    reads open a deferred ``BEGIN`` (a WAL snapshot), also on a connection a save used before."""
    store = ArticleStore(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    store.create_schema()
    begins: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def _record(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    try:
        store_article(store, SEED.read_bytes(), SEED.name)
        assert begins == ["BEGIN IMMEDIATE"]
        with store.reading() as conn:
            store.versions(conn, SEED_ID, Window(limit=10))
        store.stats()
        assert begins == ["BEGIN IMMEDIATE", "BEGIN", "BEGIN"]
    finally:
        store.dispose()


def test_readers_see_whole_versions_while_an_article_is_rewritten(db_url):
    """While a writer stores new versions, every read of the latest article (with its parts)
    is one whole version: the embedded parts belong to the version the body names."""
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "RATE_LIMIT": None})
    client = app.test_client()
    store = app.extensions["article_store"]
    store_article(store, article(0), "contested.txt")
    stop = threading.Event()
    problems = []

    def rewrite() -> None:
        writer = ArticleStore(db_url)
        try:
            i = 1
            while not stop.is_set() and i < 40:
                store_article(writer, article(i), "contested.txt")
                i += 1
        finally:
            writer.dispose()

    thread = threading.Thread(target=rewrite)
    thread.start()
    try:
        while thread.is_alive():
            response = client.get("/v1/articles/contested?include=sections")
            assert response.status_code == 200, response.get_data(as_text=True)
            body = response.get_json()["data"]
            text = body["text"]
            paragraphs = [p["text"] for s in body["sections"] for p in s["paragraphs"]]
            if not all(p in text for p in paragraphs):
                problems.append(body["version"])
    finally:
        stop.set()
        thread.join()
        store.dispose()
    assert problems == []


def test_the_request_path_reconnects_after_the_database_drops_it(pg_url):
    """PostgreSQL restarts, failovers and idle timeouts close connections: the next read opens
    a fresh one instead of failing from then on."""
    app = create_app({"DATABASE_URL": pg_url, "TESTING": True})
    store = app.extensions["article_store"]
    try:
        store_article(store, SEED.read_bytes(), SEED.name)
        client = app.test_client()
        assert client.get(f"/v1/articles/{SEED_ID}").status_code == 200
        name = parse_qs(urlsplit(pg_url).query)["application_name"][0]
        admin = create_engine(pg_url)
        with admin.connect() as conn:
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE application_name = '{name}' AND pid <> pg_backend_pid()"
            )
        admin.dispose()
        assert client.get(f"/v1/articles/{SEED_ID}").status_code == 200
        assert client.get("/v1/articles").status_code == 200
    finally:
        store.dispose()


def test_the_request_path_remembers_reads_only_until_anyone_writes(db_url):
    """The request path's reads are remembered between writes (a SQLite file: its
    ``data_version``), yet every read after a write another engine commits — another worker
    or an ingest process — sees it: a new version, then the retraction."""
    reader, writer = ArticleStore(db_url), ArticleStore(db_url)
    try:
        reader.create_schema()
        store_article(writer, article(1), "contested.txt")
        first = reader.latest_article("contested")
        assert first is not None and first[0] == 1
        assert reader.latest_article("contested") == first  # remembered: the same answer
        fast = reader._fast()
        if db_url.startswith("sqlite"):
            assert fast._memo, "a SQLite file's reads are remembered"
            assert fast._wal is not None, "known fresh by the WAL index, without a system call"
        store_article(writer, article(2), "contested.txt")
        second = reader.latest_article("contested")
        assert second[0] == 2 and b"Revision 2" in second[3]
        assert reader.change_state()[0] == writer.change_state()[0]
        writer.retract("contested", reason="test")
        assert reader.latest_article("contested") is None
        assert reader.article_version("contested", 1) is None
    finally:
        reader.dispose()
        writer.dispose()


def test_an_in_memory_sqlite_store_reads_every_time():
    """An in-memory database is written on the reader's own connection, which SQLite's
    ``data_version`` does not count: nothing is remembered there."""
    store = ArticleStore("sqlite://")
    try:
        store.create_schema()
        store_article(store, article(1), "contested.txt")
        assert store.latest_article("contested")[0] == 1
        store_article(store, article(2), "contested.txt")
        assert store.latest_article("contested")[0] == 2
        assert not store._fast()._memo
    finally:
        store.dispose()
