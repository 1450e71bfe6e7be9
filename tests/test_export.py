"""Bulk export (``api/export.py``): ``Accept: application/x-ndjson`` or ``text/csv`` on a
collection streams every matching item, through the HTTP API on both backends; and one export
of 100,000 articles read incrementally from a real gunicorn server within a memory bound."""

from __future__ import annotations

import csv
import http.client
import io
import time
from pathlib import Path
from urllib.parse import urlsplit

import orjson
import pytest

from api import export
from api.app import create_app
from api.contract import EXPORT_CHUNK

from .conftest import SEED, SEED_ID, store_article
from .serving import gunicorn_server

NDJSON = {"Accept": "application/x-ndjson"}
CSV = {"Accept": "text/csv"}

#: Our own small articles: a title that would start a spreadsheet formula, a lede with a
#: comma and quotation marks for the CSV quoting.
ARTICLES = {
    "formula.txt": b'# =SUM(A1:A9) is not a headline\n\nA lede, with a comma and "quotes".\n',
    "alpha.txt": b"# Alpha council meets\n\nThe council met on Monday to agree a budget.\n",
    "beta.txt": b"# Beta bridge opens\n\nThe new bridge opened to walkers and cyclists.\n",
    "gamma.txt": b"# Gamma market returns\n\nThe market returns to the square on Sundays.\n",
}


@pytest.fixture
def corpus(store):
    store_article(store, SEED.read_bytes(), SEED.name, with_language=True)
    for name, raw in ARTICLES.items():
        store_article(store, raw, name)
    return store


def lines(response) -> list[dict]:
    assert response.status_code == 200, response.get_data()
    return [orjson.loads(line) for line in response.get_data().splitlines()]


def page_items(client, url: str) -> list[dict]:
    """Every item of a collection, walked page by page in JSON (what an export must equal)."""
    found = []
    while url:
        body = client.get(url).get_json()
        found += body["data"] if isinstance(body["data"], list) else body["data"]["articles"]
        url = body["links"].get("next")
    return found


@pytest.mark.parametrize(
    "url",
    [
        "/v1/articles",
        "/v1/articles?sort=-id",
        "/v1/articles?since=2000-01-01T00:00:00Z",
        "/v1/articles?entity=donald-trump",
        f"/v1/articles/{SEED_ID}/sections",
        f"/v1/articles/{SEED_ID}/bullets",
        f"/v1/articles/{SEED_ID}/quotes",
        f"/v1/articles/{SEED_ID}/quotes?kind=speech",
        f"/v1/articles/{SEED_ID}/entities?type=PERSON",
        "/v1/quotes",
        "/v1/quotes?speaker=donald-trump",
        "/v1/entities",
        "/v1/entities?type=GPE",
        "/v1/entities/person:donald-trump",
        f"/v1/articles/{SEED_ID}/versions",
    ],
)
def test_ndjson_export_is_every_item_of_the_pages(client, corpus, url, monkeypatch):
    # Small chunks, so that every export here reads several windows.
    monkeypatch.setattr(export, "EXPORT_CHUNK", 2)
    response = client.get(url, headers=NDJSON)
    assert response.headers["Content-Type"] == "application/x-ndjson"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Accel-Buffering"] == "no"
    assert "Accept" in response.headers["Vary"]
    assert "ETag" not in response.headers and "Content-Length" not in response.headers
    exported = lines(response)
    sep = "&" if "?" in url else "?"
    assert exported == page_items(client, f"{url}{sep}page_size=3")
    assert exported, url
    # page_size is ignored (generated clients send its default every time).
    assert lines(client.get(f"{url}{sep}page_size=1", headers=NDJSON)) == exported


def test_csv_export_quotes_guards_formulas_and_has_the_documented_columns(client, corpus):
    response = client.get("/v1/articles", headers=CSV)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    body = response.get_data().decode()
    assert body.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(body)))
    header, rows = rows[0], rows[1:]
    assert header[:3] == ["id", "version", "title"]
    assert "counts.quotes" in header and "search.rank" not in header
    items = page_items(client, "/v1/articles?page_size=100")
    assert [row[0] for row in rows] == [item["id"] for item in items]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    formula = next(item for item in items if item["title"].startswith("="))
    assert by_id[formula["id"]]["title"] == "'" + formula["title"]  # CSV injection guard
    assert by_id[formula["id"]]["summary"] == formula["summary"]  # comma and quotes survive
    assert '"' in formula["summary"] and "," in formula["summary"]
    assert f'"{formula["summary"].replace(chr(34), chr(34) * 2)}"' in body  # RFC 4180 quoting
    seed = next(item for item in items if item["id"] == SEED_ID)
    assert by_id[SEED_ID]["counts.entities"] == str(seed["counts"]["entities"])
    assert by_id[SEED_ID]["published_at"] == ""  # null is an empty cell


def test_csv_lists_are_joined_and_the_spec_names_the_columns(client, corpus, app):
    response = client.get(f"/v1/articles/{SEED_ID}/entities", headers=CSV)
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode())))
    items = page_items(client, f"/v1/articles/{SEED_ID}/entities?page_size=100")
    assert [row["id"] for row in rows] == [item["id"] for item in items]
    assert "mentions" not in rows[0]  # a list of objects has no flat form: left out
    with_alias = next(item for item in items if item["aliases"])
    row = next(row for row in rows if row["id"] == with_alias["id"])
    assert row["aliases"] == "|".join(with_alias["aliases"])
    spec = app.extensions["article_api"].spec.to_dict()
    content = spec["paths"]["/v1/articles/{article_id}/entities"]["get"]["responses"]["200"][
        "content"
    ]
    assert content["application/x-ndjson"]["schema"]["$ref"].endswith("/Entity")
    assert content["text/csv"]["example"] == ",".join(rows[0]) + "\r\n"


def test_a_collection_without_a_flat_form_answers_406_naming_what_it_has(client, corpus):
    response = client.get(f"/v1/articles/{SEED_ID}/sections", headers=CSV)
    assert response.status_code == 406
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "application/json, application/x-ndjson" in response.get_json()["detail"]
    # Not a collection: no export at all.
    response = client.get(f"/v1/articles/{SEED_ID}", headers=NDJSON)
    assert response.status_code == 406
    # Preferring JSON where it is offered: a page, as before; and a page says it varies by
    # Accept (a cache must not answer an export with it), a single resource does not.
    mixed = {"Accept": "application/json, application/x-ndjson;q=0.5"}
    page = client.get("/v1/articles", headers=mixed)
    assert page.get_json()["data"] and page.headers["Vary"] == "Accept, Accept-Encoding"
    assert client.get(f"/v1/articles/{SEED_ID}").headers["Vary"] == "Accept-Encoding"


def test_resume_with_after_or_a_cursor_continues_where_the_client_stopped(client, corpus):
    whole = lines(client.get("/v1/articles", headers=NDJSON))
    received = whole[:2]  # the connection broke after two items
    rest = lines(client.get(f"/v1/articles?after={received[-1]['id']}", headers=NDJSON))
    assert received + rest == whole
    # Descending: after means "after in this order".
    down = lines(client.get("/v1/articles?sort=-id", headers=NDJSON))
    assert (
        lines(client.get(f"/v1/articles?sort=-id&after={down[1]['id']}", headers=NDJSON))
        == (down[2:])
    )
    # A page's next cursor starts an export where the page ended.
    page = client.get("/v1/articles?page_size=2").get_json()
    cursor = page["links"]["next"].split("cursor=")[1]
    assert lines(client.get(f"/v1/articles?cursor={cursor}", headers=NDJSON)) == whole[2:]
    # Parts resume from the last part's id; quotes across articles from `article_id/id`.
    quotes = lines(client.get(f"/v1/articles/{SEED_ID}/quotes", headers=NDJSON))
    after = quotes[1]["id"]
    tail = lines(client.get(f"/v1/articles/{SEED_ID}/quotes?after={after}", headers=NDJSON))
    assert tail == quotes[2:]
    everywhere = lines(client.get("/v1/quotes", headers=NDJSON))
    last = everywhere[0]
    tail = lines(client.get(f"/v1/quotes?after={last['article_id']}/{last['id']}", headers=NDJSON))
    assert tail == everywhere[1:]
    versions = lines(client.get(f"/v1/articles/{SEED_ID}/versions?after=2", headers=NDJSON))
    assert [v["version"] for v in versions] == [1]
    # The change feed: after the seq of the last event received.
    events = lines(client.get("/v1/changes", headers=NDJSON))
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    tail = lines(client.get(f"/v1/changes?after={events[1]['seq']}", headers=NDJSON))
    assert tail == events[2:]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/v1/articles?page=1", "page"),
        ("/v1/articles?after=x&cursor=abc", "after"),
        ("/v1/articles?cursor=not-a-cursor", "cursor"),
        (f"/v1/articles/{SEED_ID}/versions?after=01", "after"),
        (f"/v1/articles/{SEED_ID}/quotes?after=q999", "after"),
        ("/v1/quotes?after=nope", "after"),
        ("/v1/articles?q=budget&after=alpha", "after"),
        ("/v1/changes?wait=1", "wait"),
        ("/v1/articles?sort=title", "sort"),
    ],
)
def test_bad_parameters_are_still_problem_documents(client, corpus, url, parameter):
    response = client.get(url, headers=NDJSON)
    assert response.status_code == 400, response.get_data()
    assert response.headers["Content-Type"] == "application/problem+json"
    assert parameter in [e["parameter"] for e in response.get_json()["errors"]]


def test_missing_things_are_404_and_410_before_any_item(client, corpus, store):
    assert client.get("/v1/articles/nope/quotes", headers=NDJSON).status_code == 404
    assert client.get("/v1/entities/person:nobody", headers=NDJSON).status_code == 404
    store.retract("alpha", "test")
    assert client.get("/v1/articles/alpha/bullets", headers=NDJSON).status_code == 410
    ids = [item["id"] for item in lines(client.get("/v1/articles", headers=NDJSON))]
    assert "alpha" not in ids


def test_search_exports_every_hit_in_rank_order_with_its_search_columns(client, corpus):
    exported = lines(client.get("/v1/articles?q=council OR bridge", headers=NDJSON))
    assert exported == page_items(client, "/v1/articles?q=council%20OR%20bridge&page_size=1")
    assert {item["id"] for item in exported} == {"alpha", "beta"}
    rows = list(csv.DictReader(io.StringIO(client.get("/v1/quotes?q=trump", headers=CSV).text)))
    assert rows and all(row["search.rank"] and row["search.snippet"] for row in rows)


def test_an_export_of_parts_is_of_one_version_while_a_new_one_lands(client, store, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_CHUNK", 1)
    first = b"# Delta depot\n\nThe depot lists its lines:\n\n* one\n* two\n* three\n"
    store_article(store, first, "delta.txt")
    response = client.get("/v1/articles/delta/bullets", headers=NDJSON)  # one window read
    store_article(store, first.replace(b"* t", b"* later t"), "delta.txt")  # version 2
    assert [b["text"] for b in lines(response)] == ["one", "two", "three"]
    again = lines(client.get("/v1/articles/delta/bullets", headers=NDJSON))
    assert [b["text"] for b in again] == ["one", "later two", "later three"]


def held_connections(client, store) -> int:
    """Connections checked out of the pool after a page was read (this thread's fast reader
    holds one for good): what an export must come back to."""
    client.get(f"/v1/articles/{SEED_ID}/quotes?kind=speech")
    client.get("/v1/articles")
    return store.engine.pool.checkedout()


def test_head_answers_the_headers_and_releases_its_reads(client, corpus):
    before = held_connections(client, corpus)
    response = client.head(f"/v1/articles/{SEED_ID}/quotes", headers=NDJSON)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-ndjson"
    assert response.get_data() == b""
    response.close()  # what a WSGI server does with every answer (a HEAD's body is not read)
    assert corpus.engine.pool.checkedout() == before


def test_an_error_after_the_start_breaks_the_stream_off(client, corpus, monkeypatch, caplog):
    monkeypatch.setattr(export, "EXPORT_CHUNK", 2)
    before = held_connections(client, corpus)
    calls = []
    real = corpus.article_summaries

    def failing(window, *args, **filters):
        calls.append(window)
        if len(calls) > 1:
            raise RuntimeError("the database went away")
        return real(window, *args, **filters)

    monkeypatch.setattr(corpus, "article_summaries", failing)
    response = client.get("/v1/articles", headers=NDJSON)
    assert response.status_code == 200  # sent before the failure: it cannot change
    with pytest.raises(RuntimeError):
        response.get_data()  # the server drops the connection: the client sees it broken
    assert "broken off after 2 items" in caplog.text
    assert corpus.engine.pool.checkedout() == before


def test_the_fast_path_leaves_exports_to_the_app(db_url):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "FAST_PATH": True})
    try:
        store = app.extensions["article_store"]
        store_article(store, ARTICLES["alpha.txt"], "alpha.txt")
        fast = app.extensions["article_fastpath"]
        client = app.test_client()
        assert client.get("/v1/articles").status_code == 200
        assert fast.answered == 1  # a page: the fast path's
        for url in ("/v1/articles", "/v1/articles/alpha/bullets", "/v1/articles?page=1"):
            for accept in ("application/x-ndjson", "text/csv;q=0.9, application/json;q=0.1"):
                response = client.get(url, headers={"Accept": accept})
                assert response.status_code == (400 if "page=" in url else 200), url
                response.close()
        assert fast.answered == 1
        assert client.get("/v1/articles", headers=NDJSON).get_data().count(b"\n") == 1
    finally:
        app.extensions["article_store"].dispose()


# -- 100,000 rows through a real server ---------------------------------------------------------

ROWS = 100_000


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RSS from /proc")
def test_export_of_100000_articles_streams_in_order_in_flat_memory(tmp_path, db_url):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True})
    store = app.extensions["article_store"]
    store_article(store, ARTICLES["alpha.txt"], "alpha.txt")
    store.copy_article("alpha", [f"bulk-{n:06d}" for n in range(ROWS - 1)])
    store.dispose()
    env = {"ARTICLE_API_RATE_LIMIT": "off", "ARTICLE_API_LOG_FORMAT": "text"}
    with gunicorn_server(db_url, tmp_path, extra_env=env, workers=1) as server:
        worker = _workers(server.process.pid)[0]
        address = urlsplit(server.url)
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        started = time.monotonic()
        conn.request("GET", "/v1/articles", headers=NDJSON)
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Transfer-Encoding") == "chunked"
        assert response.getheader("Content-Length") is None
        count, last, total_bytes, samples = 0, "", 0, []
        for line in response:  # read as it comes: the server writes chunk after chunk
            item_id = orjson.loads(line)["id"]
            assert item_id > last, (count, item_id, last)  # by id, no repeats
            last = item_id
            count += 1
            total_bytes += len(line)
            if count % (ROWS // 10) == 1:
                samples.append(_rss_kib(worker))
        elapsed = time.monotonic() - started
        conn.close()
    assert count == ROWS and last == "bulk-099998"
    assert len(samples) == 10
    # The body is ~50 MB; the worker's memory grows by a small part of it, not by all of it.
    growth = max(samples) - samples[0]
    assert growth < 32 * 1024, (samples, total_bytes)
    assert total_bytes > 200 * EXPORT_CHUNK * 100
    assert elapsed < 60, elapsed


def test_admin_collections_export_behind_their_key(client, store):
    from api import auth

    token = auth.new_token()
    store.create_key(token.key_id, "ops", "admin", token.token_hash)
    admin = {"Authorization": f"Bearer {token.token}"}
    for n in range(3):
        store.create_webhook(
            {
                "id": f"wh_{n:012x}",
                "url": f"https://203.0.113.9/hook-{n}",
                "events": "article.created,article.updated",
                "secret": "whsec_test",
                "owner": "key:ops",
            }
        )
    refused = client.get("/v1/webhooks", headers=NDJSON)
    assert refused.status_code == 401  # the key check comes first, as for a page
    hooks = lines(client.get("/v1/webhooks", headers={**NDJSON, **admin}))
    assert [h["id"] for h in hooks] == [f"wh_{n:012x}" for n in range(3)]
    assert all("secret" not in h for h in hooks)
    rows = list(
        csv.DictReader(io.StringIO(client.get("/v1/webhooks", headers={**CSV, **admin}).text))
    )
    assert rows[0]["events"] == "article.created|article.updated"
    assert rows[0]["links.deliveries"] == f"/v1/webhooks/{hooks[0]['id']}/deliveries"
    after = lines(client.get(f"/v1/webhooks?after={hooks[0]['id']}", headers={**NDJSON, **admin}))
    assert after == hooks[1:]
    deliveries = f"/v1/webhooks/{hooks[0]['id']}/deliveries"
    assert client.get(deliveries, headers={**NDJSON, **admin}).get_data() == b""
    assert client.get(deliveries, headers={**CSV, **admin}).status_code == 406  # no flat form
