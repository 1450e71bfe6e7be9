"""What only the real server shows: gunicorn's own errors, the rate limit across workers,
redirects.

* gunicorn answers a malformed request line (400), an over-long one (414) and too many or too
  large header fields (431) itself, before the app sees anything: those answers are problem
  documents with a request id too, never HTML, and never echo the request.
* The advertised rate limit is what is enforced: every worker of a server counts into one
  window (it was counted per worker: 2 workers let twice the limit through).
* No answer is a redirect built from the client's ``Host``: a path with doubled slashes is a
  404, not a 308 to ``http://<Host>/…``.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections import Counter

import pytest

from .conftest import SEED, SEED_ID, store_article
from .serving import gunicorn_server

pytestmark = pytest.mark.nlp


def seeded(tmp_path) -> str:
    from api.store import ArticleStore

    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = ArticleStore(url)
    store.create_schema()
    store_article(store, SEED.read_bytes(), SEED.name)
    store.dispose()
    return url


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("served")
    env = {"ARTICLE_API_RATE_LIMIT": "off", "ARTICLE_API_LOG_FORMAT": "json"}
    with gunicorn_server(seeded(tmp_path), tmp_path, extra_env=env) as running:
        yield running


def raw(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are and read the answer (status, headers by lower-cased name, body)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


BAD_REQUESTS = {
    "bad request line": (b"GET /v1/articles HTTP/1.1 extra<script>\r\nHost: x\r\n\r\n", 400),
    "bad method": (b"G<T /v1/articles HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "bad version": (b"GET /v1/articles HTTP/9.z\r\nHost: x\r\n\r\n", 400),
    "bad header name": (b"GET /v1/articles HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", 400),
    "request line too long": (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    "too many headers": (
        b"GET /v1/articles HTTP/1.1\r\nHost: x\r\n"
        + b"".join(b"X-H%d: 1\r\n" % n for n in range(150))
        + b"\r\n",
        431,
    ),
    "header too large": (
        b"GET /v1/articles HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n",
        431,
    ),
}


@pytest.mark.parametrize("case", list(BAD_REQUESTS))
def test_gunicorns_own_errors_are_problem_documents(server, case):
    request, status = BAD_REQUESTS[case]
    got, headers, body = raw(server.url, request)
    assert got == status, body[:300]
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == status
    assert set(problem) >= {"type", "title", "status", "detail", "instance", "request_id"}
    assert problem["request_id"] == headers["x-request-id"]
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    assert b"<" not in body and b"script" not in body  # nothing of the request echoed
    assert int(headers["content-length"]) == len(body)


@pytest.mark.parametrize(
    "path", ["/v1//articles", "//v1/articles", f"/v1/articles//{SEED_ID}", "/v1/articles//"]
)
def test_doubled_slashes_are_a_404_never_a_redirect_from_host(server, path):
    request = f"GET {path} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    status, headers, body = raw(server.url, request.encode())
    assert status == 404, (status, headers)
    assert "location" not in headers
    assert headers["content-type"] == "application/problem+json"
    assert b"evil.example" not in body


def test_the_advertised_limit_is_enforced_across_workers(tmp_path):
    limit = 20
    env = {"ARTICLE_API_RATE_LIMIT": f"{limit} per minute"}
    with gunicorn_server(seeded(tmp_path), tmp_path, extra_env=env, workers=2) as running:
        host, port = running.url.removeprefix("http://").split(":")
        answers: list[tuple[int, str | None, str | None]] = []
        lock = threading.Lock()

        def hammer():
            for _ in range(10):  # a new connection each time, so both workers take some
                connection = http.client.HTTPConnection(host, int(port), timeout=10)
                connection.request("GET", f"/v1/articles/{SEED_ID}/bullets")
                response = connection.getresponse()
                response.read()
                with lock:
                    answers.append(
                        (
                            response.status,
                            response.getheader("RateLimit-Limit"),
                            response.getheader("RateLimit-Remaining"),
                        )
                    )
                connection.close()

        threads = [threading.Thread(target=hammer) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    statuses = Counter(status for status, _, _ in answers)
    assert statuses == {200: limit, 429: 60 - limit}, statuses
    assert {advertised for _, advertised, _ in answers} == {str(limit)}
    remaining = sorted(int(left) for status, _, left in answers if status == 200)
    assert remaining == list(range(limit)), remaining  # one count, each value once
