"""Compressed article bodies are made at ingest (``encoded_bodies``): no request for an
article or version URL without parameters compresses, on either path (fast path and Flask),
and a stored body is used only while it encodes the very identity bytes the server would send.
"""

from __future__ import annotations

import gzip

import brotli
import pytest
from sqlalchemy import inspect

from api import compression, migrations
from api.app import create_app
from api.store.tables import encoded_bodies

from .conftest import SEED, SEED_ID, store_article

A = f"/v1/articles/{SEED_ID}"
PLAIN_URLS = {"latest": A, "version": f"{A}/versions/1"}
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.fixture(params=["fast", "flask"])
def served(request, db_url):
    """An app on a store holding the seed, with the fast path or without it."""
    app = create_app(
        {"DATABASE_URL": db_url, "TESTING": True, "FAST_PATH": request.param == "fast"}
    )
    store = app.extensions["article_store"]
    store_article(store, SEED.read_bytes(), SEED.name)
    compression.BODIES._items.clear()  # nothing remembered from another test
    yield app, store
    store.dispose()


def stored_rows(store) -> list[tuple]:
    with store.engine.connect() as conn:
        return sorted(
            tuple(row)
            for row in conn.exec_driver_sql(
                "SELECT article_id, version, url, coding, identity, body FROM encoded_bodies"
            ).all()
        )


def test_each_version_is_stored_compressed_at_its_plain_urls(served):
    app, store = served
    client = app.test_client()
    rows = {(url, coding): body for _, _, url, coding, _, body in stored_rows(store)}
    assert set(rows) == {(url, coding) for url in PLAIN_URLS for coding in ("br", "gzip")}
    for name, url in PLAIN_URLS.items():
        identity = client.get(url).get_data()
        for coding in ("br", "gzip"):
            response = client.get(url, headers={"Accept-Encoding": coding})
            assert response.headers["Content-Encoding"] == coding
            assert response.get_data() == bytes(rows[(name, coding)])
            assert DECODE[coding](response.get_data()) == identity


def test_no_request_for_a_stored_body_compresses(served, monkeypatch):
    app, _ = served
    client = app.test_client()
    identity = {url: client.get(url).get_data() for url in PLAIN_URLS.values()}

    def refuse(data, coding):
        raise AssertionError("a request compressed a body that ingest stored compressed")

    monkeypatch.setattr(compression, "compress", refuse)
    for url in PLAIN_URLS.values():
        for coding in ("br", "gzip"):
            response = client.get(url, headers={"Accept-Encoding": coding})
            assert response.status_code == 200
            assert DECODE[coding](response.get_data()) == identity[url]
    # Any other URL of the article is compressed on its first request (and remembered).
    with pytest.raises(AssertionError, match="compressed"):
        client.get(f"{A}?include=sections", headers={"Accept-Encoding": "br"})


def test_a_stored_body_that_does_not_encode_what_is_sent_is_not_used(served):
    """A stored body made from other identity bytes (an older envelope, say) is ignored: the
    body sent is compressed from what is sent now."""
    app, store = served
    client = app.test_client()
    with store.engine.begin() as conn:
        conn.execute(encoded_bodies.update().values(identity="older", body=b"stale"))
    for url in PLAIN_URLS.values():
        identity = client.get(url).get_data()
        response = client.get(url, headers={"Accept-Encoding": "br"})
        assert brotli.decompress(response.get_data()) == identity


def test_0010_fills_encoded_bodies_from_the_stored_versions(db_url):
    """Versions stored before 0010 get the same compressed bodies a save makes."""
    app = create_app({"DATABASE_URL": db_url, "TESTING": True})
    store = app.extensions["article_store"]
    try:
        store_article(store, SEED.read_bytes(), SEED.name)
        edited = SEED.read_bytes().replace(b"Lutnick", b"Roe")
        store_article(store, edited, SEED.name)
        made = stored_rows(store)
        assert {(row[1], row[2]) for row in made} == {
            (v, url) for v in (1, 2) for url in PLAIN_URLS
        }
        migrations.downgrade(store.engine, "0009")
        assert "encoded_bodies" not in inspect(store.engine).get_table_names()
        store.create_schema()
        assert store.schema_version() == migrations.head()
        assert stored_rows(store) == made
    finally:
        store.dispose()
