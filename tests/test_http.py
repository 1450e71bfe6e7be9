"""The HTTP contract on every endpoint: ETag/304, Cache-Control, errors, CORS, request ids."""

from __future__ import annotations

import pytest

from api.app import create_app

from .conftest import SEED_ID

A = f"/v1/articles/{SEED_ID}"
GET_ENDPOINTS = [
    "/v1/articles",
    "/v1/articles?page=1",
    A,
    f"{A}?include=sections,bullets",
    f"{A}/versions",
    f"{A}/versions/1",
    f"{A}/sections",
    f"{A}/sections/opening",
    f"{A}/bullets",
    f"{A}/quotes",
    f"{A}/quotes?kind=speech&speaker=donald-trump",
    f"{A}/entities?type=PERSON",
    "/v1/quotes",
    "/v1/entities?q=trump",
    "/v1/entities/person:donald-trump",
    "/v1/articles?entity=person:donald-trump",
    "/healthz",
    "/readyz",
    "/v1/openapi.json",
]
MISSING = [
    "/v1/articles/nope",
    "/v1/articles/nope/versions",
    "/v1/articles/nope/versions/1",
    f"{A}/versions/2",
    f"{A}/versions/99999999999999999999",
    "/v1/articles/nope/sections",
    "/v1/articles/nope/sections/opening",
    f"{A}/sections/nope",
    "/v1/articles/nope/bullets",
    "/v1/articles/nope/quotes",
    "/v1/articles/nope/entities",
    "/v1/entities/person:nobody",
    "/v1/nothing-here",
]
WITH_QUERY_SCHEMA = [e for e in GET_ENDPOINTS if "openapi" not in e]


def assert_problem(response, status):
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert set(problem) >= {"type", "title", "status", "detail", "instance", "request_id"}
    assert problem["status"] == status
    assert problem["request_id"] == response.headers["X-Request-ID"]
    assert "Traceback" not in response.get_data(as_text=True)
    return problem


@pytest.mark.parametrize("url", GET_ENDPOINTS)
def test_every_get_has_a_strong_etag_and_answers_304(client, loaded, url):
    response = client.get(url)
    assert response.status_code == 200
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.get_data() == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-None-Match": "*"}).status_code == 304


def test_etag_changes_with_the_body(client, loaded):
    a = client.get("/v1/articles?page_size=1").headers["ETag"]
    b = client.get("/v1/articles?page_size=2").headers["ETag"]
    assert a != b


@pytest.mark.parametrize("url", GET_ENDPOINTS)
def test_cache_control(client, loaded, url):
    """Versions are immutable; latest URLs a few seconds in shared caches (nginx, a CDN) and
    revalidated every time by browsers; health and the spec revalidated everywhere."""
    if "/versions/1" in url:
        expected = "public, max-age=31536000, immutable"
    elif url.startswith("/v1/articles") or url.startswith(("/v1/quotes", "/v1/entities")):
        expected = "public, max-age=0, s-maxage=5, stale-while-revalidate=5"
    else:
        expected = "no-cache"
    assert client.get(url).headers["Cache-Control"] == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        ("0", "no-cache"),
        ("2", "public, max-age=0, s-maxage=2, stale-while-revalidate=2"),
        ("3600", "public, max-age=0, s-maxage=60, stale-while-revalidate=60"),  # bounded
    ],
)
def test_the_shared_cache_lifetime_is_a_setting(monkeypatch, tmp_path, seconds, expected):
    from api.app import create_app

    monkeypatch.setenv("ARTICLE_API_SHARED_CACHE_SECONDS", seconds)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    response = app.test_client().get("/v1/articles")
    assert response.headers["Cache-Control"] == expected
    assert app.test_client().get("/healthz").headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("url", MISSING)
def test_404_is_a_problem(client, loaded, url):
    assert_problem(client.get(url), 404)


@pytest.mark.parametrize("url", WITH_QUERY_SCHEMA)
def test_unknown_query_parameter_is_a_400_naming_it(client, loaded, url):
    joiner = "&" if "?" in url else "?"
    problem = assert_problem(client.get(f"{url}{joiner}colour=blue"), 400)
    assert {"parameter": "colour", "detail": "Unknown field."} in problem["errors"]


#: The writes some read URLs also take (each needs a key: tests/test_integration.py).
WRITES = {("post", "/v1/articles"), ("put", "/v1/articles/{id}"), ("delete", "/v1/articles/{id}")}


@pytest.mark.parametrize("url", GET_ENDPOINTS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_405_with_allow(client, loaded, url, method):
    path = url.split("?")[0]
    shape = "/v1/articles/{id}" if path == A.split("?")[0] else path
    response = getattr(client, method)(url)
    if (method, shape) in WRITES:
        assert_problem(response, 401)  # a write, without a key
        return
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_406_when_json_is_not_acceptable(client, loaded):
    assert_problem(client.get(A, headers={"Accept": "text/html"}), 406)
    assert client.get(A, headers={"Accept": "application/*"}).status_code == 200
    assert client.get(A, headers={"Accept": "*/*"}).status_code == 200


def test_500_is_a_problem_without_internals(app, client, loaded, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(app.extensions["article_store"], "latest_article", broken)
    response = client.get(A)
    problem = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "request_id" in problem["detail"]


def test_request_id_is_echoed_when_valid(client, loaded):
    assert client.get(A, headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    generated = client.get(A, headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["X-Request-ID"] != "bad id with spaces"
    assert len(generated.headers["X-Request-ID"]) == 32


def test_cors_preflight_and_exposed_headers(client, loaded):
    origin = {"Origin": "https://news.example"}
    preflight = client.options(
        A,
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] in ("*", "https://news.example")
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    response = client.get(A, headers=origin)
    exposed = {
        h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }
    assert {"etag", "link", "x-request-id"} <= exposed


def test_any_origin_gets_the_one_shared_answer(app, client, loaded):
    """With the default ``*`` every origin gets the same bytes and headers (``*``, no Vary on
    Origin), so a shared cache keeps one copy for every site; on the fast path and the app's."""
    for url in (A, "/v1/articles", f"{A}/quotes?speaker=none"):  # the last: the app's
        answers = [client.get(url, headers=h) for h in ({}, {"Origin": "https://a.example"})]
        answers.append(client.get(url, headers={"Origin": "https://b.example"}))
        for answer in answers:
            assert answer.status_code == 200
            assert answer.headers["Access-Control-Allow-Origin"] == "*"
            assert "Origin" not in answer.headers.get("Vary", "")
        assert len({answer.get_data() for answer in answers}) == 1


def test_a_list_of_origins_echoes_the_one_that_matched(db_url, loaded):
    listed = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "CORS_ORIGINS": ("https://a.example", "https://b.example"),
        }
    )
    try:
        client = listed.test_client()
        answer = client.get(A, headers={"Origin": "https://b.example"})
        assert answer.headers["Access-Control-Allow-Origin"] == "https://b.example"
        assert "Origin" in answer.headers["Vary"]
        refused = client.get(A, headers={"Origin": "https://c.example"})
        assert "Access-Control-Allow-Origin" not in refused.headers
    finally:
        listed.extensions["article_store"].dispose()


def test_docs_page_uses_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in html
    assert "/v1/openapi.json" in html
    assert "https://" not in html
    asset = client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()
