"""Security headers, length limits, HEAD/OPTIONS, compression, rate limiting, fuzzed input."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import time

import brotli
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import shared_counts
from api.app import create_app

from .conftest import SEED_ID, store_article

A = f"/v1/articles/{SEED_ID}"


def test_security_headers_on_json_and_errors(client, loaded):
    for url in (A, "/v1/articles/nope", "/v1/articles?page=0"):
        headers = client.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_docs_csp_allows_exactly_its_inline_script(client):
    page = client.get("/docs")
    csp = page.headers["Content-Security-Policy"]
    scripts = re.findall(rb"<script>(.*?)</script>", page.get_data(), re.DOTALL)
    assert scripts
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize("url", ["/v1/articles/" + "x" * 2000, "/v1/articles?cursor=" + "c" * 3000])
def test_overlong_urls_are_414_problems(client, url):
    response = client.get(url)
    assert response.status_code == 414
    assert response.content_type == "application/problem+json"


def test_head_and_options(client, loaded):
    get = client.get(A)
    head = client.head(A)
    assert head.status_code == 200
    assert head.get_data() == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    options = client.options(A)
    assert options.status_code == 200
    assert set(options.headers["Allow"].split(", ")) >= {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize(
    ("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)]
)
def test_large_bodies_are_compressed_and_revalidate(client, loaded, encoding, decode):
    url = f"{A}?include=sections,bullets,quotes,entities"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert decode(packed.get_data()) == plain.get_data()
    assert packed.headers["ETag"] != plain.headers["ETag"]
    again = client.get(
        url, headers={"Accept-Encoding": encoding, "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304


def test_small_bodies_are_not_compressed(client, loaded):
    response = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers


def test_rate_limit_answers_429_problem_with_headers(db_url):
    app = create_app({"DATABASE_URL": db_url, "RATE_LIMIT": "3 per minute"})
    client = app.test_client()
    statuses = [client.get("/v1/articles").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/v1/articles")
    assert limited.content_type == "application/problem+json"
    assert limited.get_json()["status"] == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.headers["RateLimit-Limit"] == "3"
    assert limited.headers["RateLimit-Remaining"] == "0"
    assert client.get("/healthz").status_code == 200  # probes are never limited


def test_a_browser_can_read_what_a_429_says(db_url):
    """CORS exposes Retry-After and RateLimit-* so a browser script can honour a 429."""
    client = create_app({"DATABASE_URL": db_url, "RATE_LIMIT": "1 per minute"}).test_client()
    origin = {"Origin": "https://news.example"}
    assert client.get("/v1/articles", headers=origin).status_code == 200
    limited = client.get("/v1/articles", headers=origin)
    assert limited.status_code == 429
    assert limited.headers["Access-Control-Allow-Origin"] in ("*", "https://news.example")
    exposed = {
        name.strip().lower() for name in limited.headers["Access-Control-Expose-Headers"].split(",")
    }
    wanted = {"retry-after", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"}
    assert wanted <= exposed
    assert all(name in limited.headers for name in wanted)


@pytest.mark.parametrize("storage", ["redis://127.0.0.1:9/0", "local://"])
def test_a_failing_rate_limit_storage_lets_requests_through(db_url, storage, monkeypatch, caplog):
    """Redis down (nothing listens on port 9) or the shared counters failing: the request is
    answered, without RateLimit-* headers, on the fast path and the app's, and it is logged."""
    app = create_app(
        {"DATABASE_URL": db_url, "RATE_LIMIT": "3 per minute", "RATE_LIMIT_STORAGE_URI": storage}
    )
    if storage == "local://":
        table = app.extensions["article_rate_limit"].limiter.storage.table

        def broken(*args, **kwargs):
            raise OSError("the shared map failed")

        monkeypatch.setattr(table, "hit_window", broken)
    client = app.test_client()
    for url in ("/v1/articles", "/v1/articles?tag=x&page_size=1", "/v1/articles/nope"):
        for _ in range(4):  # past the limit: nothing counted, nothing refused
            answer = client.get(url)
            assert answer.status_code in (200, 404), url
            assert "RateLimit-Limit" not in answer.headers
    assert "rate limit storage failed" in caplog.text


def test_local_counts_and_the_window_end_come_in_one_step():
    table = shared_counts.WindowTable.private()
    count, end = table.hit_window("client", 60)
    assert count == 1 and time.time() < end <= time.time() + 60
    assert table.hit_window("client", 60) == (2, end)
    assert table.hit("client", 60) == 3
    assert table.window("client") == (end, 3)
    assert table.hit_window("other", 60)[0] == 1


def test_rate_limit_can_be_switched_off(db_url):
    client = create_app({"DATABASE_URL": db_url, "RATE_LIMIT": None}).test_client()
    assert all(client.get("/healthz").status_code == 200 for _ in range(5))
    assert "RateLimit-Limit" not in client.get("/v1/articles").headers


def test_trusted_proxy_sets_the_client_address(db_url):
    app = create_app({"DATABASE_URL": db_url, "RATE_LIMIT": "2 per minute", "TRUSTED_PROXIES": 1})
    client = app.test_client()
    for _ in range(2):
        client.get("/v1/articles", headers={"X-Forwarded-For": "203.0.113.7"})
    assert client.get("/v1/articles", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    assert client.get("/v1/articles", headers={"X-Forwarded-For": "203.0.113.8"}).status_code == 200


# -- fuzzing: no request of any shape gets a 5xx ----------------------------------------------

ENDPOINTS = [
    "/v1/articles",
    "/v1/articles/{id}",
    "/v1/articles/{id}/versions",
    "/v1/articles/{id}/versions/{n}",
    "/v1/articles/{id}/sections",
    "/v1/articles/{id}/sections/{id}",
    "/v1/articles/{id}/bullets",
    "/v1/articles/{id}/quotes",
    "/v1/articles/{id}/entities",
    "/v1/quotes",
    "/v1/entities",
    "/v1/entities/{id}",
    "/healthz",
    "/readyz",
]
PARAMS = [
    "page",
    "page_size",
    "cursor",
    "include",
    "sort",
    "since",
    "entity",
    "speaker",
    "kind",
    "type",
    "q",
    "pagesize",
    "",
]
segment = st.one_of(
    st.sampled_from([SEED_ID, "opening", "b1", "person:donald-trump", "0", "-1", "1", "%00"]),
    st.text(min_size=1, max_size=40),
)
value = st.one_of(
    st.sampled_from(
        [
            "0",
            "-1",
            "1",
            "100",
            "101",
            "1e9",
            "99999999999999999999",
            "",
            "null",
            "sections,quotes",
            "-id",
            "2026-01-01T00:00:00Z",
            "PERSON",
            "eyJ9",
        ]
    ),
    st.text(max_size=60),
)


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "RATE_LIMIT": None})
    from .conftest import SEED

    store_article(app.extensions["article_store"], SEED.read_bytes(), SEED.name, with_language=True)
    yield app.test_client()
    app.extensions["article_store"].dispose()


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    segments=st.lists(segment, min_size=2, max_size=2),
    query=st.lists(st.tuples(st.sampled_from(PARAMS), value), max_size=4),
)
def test_fuzzed_paths_and_queries_never_get_a_5xx(fuzz_client, endpoint, segments, query):
    from urllib.parse import quote, urlencode

    path = endpoint.replace("{id}", quote(segments[0], safe=""), 1)
    path = path.replace("{id}", quote(segments[1], safe="")).replace("{n}", quote(segments[1]))
    response = fuzz_client.get(f"{path}?{urlencode(query)}")
    assert response.status_code < 500, (path, query, response.get_data()[:300])
    if response.status_code >= 400:
        assert response.content_type == "application/problem+json"


def count_from_forks_then_die_holding_the_lock(table) -> None:
    """Four forked processes hit ``table`` 500 times each: 2,000 counted. Then one dies holding
    the table's lock, and the next hit is still counted (2,001)."""
    import os

    children = []
    for _ in range(4):
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child)
            for _ in range(500):
                table.hit("client", 60)
            os._exit(0)
        children.append(pid)
    for pid in children:
        assert os.waitpid(pid, 0)[1] == 0
    assert table.window("client")[1] == 2000
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child dies holding the lock)
        table._locked().__enter__()
        os._exit(0)
    os.waitpid(pid, 0)
    assert table.hit("client", 60) == 2001


def test_shared_counts_are_exact_across_processes_and_survive_a_dead_holder(monkeypatch):
    """Four forked processes (like gunicorn's workers) count into one table: every hit is
    counted once. A process that dies holding the table's semaphore (killed mid-update) does
    not stop the others: they find its holder gone and take the semaphore back."""

    monkeypatch.setattr(shared_counts, "HOLD_SECONDS", 0.05)
    table = shared_counts.WindowTable.shared()
    count_from_forks_then_die_holding_the_lock(table)


def test_shared_counts_without_process_semaphores_lock_the_file(monkeypatch, caplog):
    """Where the system cannot make a process-shared semaphore (no ``/dev/shm``), the table
    locks its file instead, says so once, and still counts every hit of forked processes once;
    a process that dies holding that lock frees it (the kernel's doing)."""
    import multiprocessing

    class NoSemaphores:
        def Lock(self):  # multiprocessing's name
            raise FileNotFoundError(2, "No such file or directory", "/dev/shm")

    monkeypatch.setattr(shared_counts.multiprocessing, "get_context", lambda _: NoSemaphores())
    with caplog.at_level("WARNING", logger="api.shared_counts"):
        table = shared_counts.WindowTable.shared()
    monkeypatch.setattr(shared_counts.multiprocessing, "get_context", multiprocessing.get_context)
    assert "fcntl.lockf" in caplog.text
    count_from_forks_then_die_holding_the_lock(table)
