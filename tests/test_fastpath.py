"""The WSGI fast path (``api/fastpath.py``) answers exactly what the Flask app answers.

For every route it knows and one it does not, every parameter combination (valid ones, which
it answers, and invalid ones, which it must hand over), every coding, validator, ``Accept``,
``Origin``, ``Authorization`` and method: the same status, the same headers in the same order
and the same body, by the fast path and by the Flask app alone. And it did answer the hot ones
itself (otherwise the equivalence would prove nothing).
"""

from __future__ import annotations

import itertools
import re

import pytest
from werkzeug.test import Client

from api.app import create_app
from api.store import ArticleStore

from .conftest import LAYOUT_ARTICLES, SEED, SEED_ID, store_article

pytestmark = pytest.mark.nlp  # the seed's entities and quotes, for every part route

A = f"/v1/articles/{SEED_ID}"
NEW_ID = re.compile(r"[0-9a-f]{32}")
ARTICLE_QUERIES = [
    "",
    "include=sections",
    "include=sections,bullets,quotes,entities",
    "include=entities,sections",
    "include=sections&include=bullets",
    "include=sections%2Cbullets",
    "include=quotes",
    "include=annotations",
    "include=quotes,annotations",
    # for the app: bad or unknown values and parameters
    "include=",
    "include=nope",
    "include=sections,sections",
    "include=sections&x=1",
    "x=1",
    "include",
    "include=sections;bullets",
    "include=annotations,annotations",
    "include=sections+bullets",
    "include=%ff",
]
LIST_QUERIES = [
    "",
    "page_size=1",
    "page_size=2&page=2",
    "page=1",
    "page=99",
    "sort=-id",
    "sort=id&page_size=3",
    "sort=-id&page_size=2&page=2",
    "page_size=100",
    "{cursor}",
    "{cursor}&page_size=1",
    "{prev}",
    # for the app
    "page_size=0",
    "page_size=101",
    "page_size=01",
    "page=0",
    "sort=title",
    "page_size=1&page_size=2",
    "cursor=not-a-cursor",
    "cursor=" + "A" * 600,
    "{cursor}&sort=-id",
    "{cursor}&page=1",
    "q=trade",
    "q=trade&page_size=1",
    "q=trade&page_size=1&page=2",
    "q=trade%20truce",
    "q=trade+OR+tariffs",
    "q=said&page_size=1&{search_cursor}",
    "q=said&page_size=2",
    "q=trade&fields=id,search",
    "q=%22trade%20truce%22",
    "q=trade&sort=id",
    "q=trade&after=x",
    "q=trade&facets=tag",
    "q=",
    "q=-",
    "q=trade&q=truce",
    "q=trade&{cursor}",
    "entity=person:donald-trump",
    "since=2020-01-01T00:00:00Z",
    # filters and search with them: the fast path, through the app's parser
    "entity=donald-trump&entity=china",
    "entity=Trump&page_size=1&{cursor}",
    "tag=trade&facets=tag",
    "author=Jane%20Smith",
    "section=politics&sort=-published_at",
    "published_after=2020-01-01&published_before=2030-01-01T00:00:00Z&sort=published_at",
    "published_after=2020-01-01T00:00:00%2B02:00",
    "since=2020-01-01T00:00:00Z&facets=entity,type&facet_size=2",
    "q=trade&entity=donald-trump",
    "q=trade&since=2020-01-01T00:00:00Z&page_size=1&page=1",
    "q=said&published_before=2000-01-01",
    # and the app's 400s for them
    "published_after=yesterday",
    "since=2020-01-01",
    "entity=",
    "section=politics&section=world",
    "tag=" + "&tag=".join("abcdefghijklmnopqrstuvwxyz"),
    "sort=published_at&after=nope",
]
PART_QUERIES = [
    "",
    "page_size=1",
    "page_size=2&page=2",
    "page=1",
    "page=50",
    "{part_cursor}",
    "{part_prev}",
    # filters: the fast path (each route takes its own; another's is the app's 400)
    "kind=speech",
    "kind=term&page_size=1",
    "type=PERSON",
    "type=ORG&{part_cursor}",
    "speaker=donald-trump",
    "speaker=Trump&kind=speech",
    "via=cue,according-to",
    "via=cue&via=pronoun&page_size=1",
    "about=china",
    # for the app
    "page_size=0",
    "page=1&{part_cursor}",
    "sort=id",
    "via=nope",
    "kind=speech&kind=term",
    "type=nope",
    "speaker=",
    "{cursor}",
]
ENTITY_QUERIES = [
    "",
    "page_size=1",
    "page_size=2&page=2",
    "type=PERSON",
    "type=PERSON&page_size=1&page=2",
    "type=WORK_OF_ART",
    "{entity_cursor}",
    "{entity_cursor}&type=PERSON",
    "{entity_prev}",
    "fields=key,article_count",
    "q=a",
    "q=trump&type=PERSON",
    "q=Tr&page_size=1&{entity_cursor}",
    # for the app
    "type=nope",
    "type=PERSON&type=ORG",
    "q=",
    "page_size=0",
    "sort=key",
    "{cursor}",
    "fields=nope",
]
PATHS = {
    A: ARTICLE_QUERIES,
    f"{A}/versions/1": ARTICLE_QUERIES,
    "/v1/articles": LIST_QUERIES,
    # for the app: not found, not canonical, not the fast path's routes
    "/v1/articles/nope": ["", "include=sections"],
    f"{A}/versions/2": [""],
    f"{A}/versions/01": [""],
    f"{A}/versions/0": [""],
    f"{A}/versions": [""],
    **{f"{A}/{kind}": PART_QUERIES for kind in ("sections", "bullets", "quotes", "entities")},
    "/v1/articles/nope/sections": ["", "page_size=1", "page=3", "cursor=bad", "{cursor}"],
    f"{A}/sections/opening": [""],
    "/v1/articles/": [""],
    "//v1/articles": [""],
    "/v1/entities": ENTITY_QUERIES,
    "/healthz": [""],
    "/v1/articles/" + "x" * 1100: [""],
    "/v1/jobs": [""],
}
CODINGS = [None, "br", "gzip", "gzip, br", "identity", "br;q=0, gzip;q=0"]
#: Headers tried one at a time on every URL (besides the codings and validators).
OTHER_HEADERS = [
    {"Accept": "application/json"},
    {"Accept": "application/json; charset=utf-8"},
    {"Accept": "text/html"},
    {"Accept": "*/*"},
    {"Origin": "https://example.org"},
    {"Origin": "https://example.org", "Accept-Encoding": "br"},
    {"Authorization": "Bearer abc"},
    {"If-None-Match": "*"},
    {"If-None-Match": '"other"'},
    {"X-Request-ID": "bad id!"},
]


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """The same app twice (rate limit on, one counter each) on one store: one with the fast
    path, one without."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fastpath') / 'store.sqlite3'}"
    store = ArticleStore(url)
    store.create_schema()
    store_article(store, SEED.read_bytes(), SEED.name, with_language=True)
    for path in LAYOUT_ARTICLES:
        store_article(store, path.read_bytes(), path.name)
    store.dispose()
    config = {
        "DATABASE_URL": url,
        "TESTING": True,
        "RATE_LIMIT": "100000 per hour",
        "RATE_LIMIT_STORAGE_URI": "memory://",
    }
    fast = create_app({**config, "FAST_PATH": True})
    slow = create_app({**config, "FAST_PATH": False})
    assert "article_fastpath" in fast.extensions and "article_fastpath" not in slow.extensions
    yield fast, slow
    for app in (fast, slow):
        app.extensions["article_store"].dispose()


def answer(client: Client, method: str, url: str, headers: dict):
    response = client.open(url, method=method, headers=headers)
    body = response.get_data()
    response.close()
    # RateLimit-Reset counts down whole seconds: equal unless a second ends between the two.
    # A request id the server made is new each time: compared as "a new one".
    kept = [
        (k, "<new>" if k == "X-Request-ID" and v != headers.get(k) and NEW_ID.fullmatch(v) else v)
        for k, v in response.headers.items()
        if k != "RateLimit-Reset"
    ]
    made = response.headers.get("X-Request-ID", "")
    if made != headers.get("X-Request-ID") and NEW_ID.fullmatch(made):
        body = body.replace(made.encode(), b"<new>")  # a problem document quotes it
    return response.status_code, kept, body


def cursors(client, url: str) -> tuple[str, str]:
    """The ``cursor=…`` of the page after the first one of ``url`` (``…page_size=1``), and of
    the page before that second page: each query with ``url``'s own items taken out."""
    own = url.split("?", 1)[1] + "&"
    following = client.get(url).get_json()["links"]["next"]
    back = client.get(following).get_json()["links"]["prev"]
    return tuple(link.split("?", 1)[1].replace(own, "") for link in (following, back))


def urls(fast) -> list[str]:
    """Every path with every query of its list; cursors taken from real responses."""
    client = fast.test_client()
    cursor, prev = cursors(client, "/v1/articles?page_size=1")
    search_cursor, _ = cursors(client, "/v1/articles?q=said&page_size=1")
    entity_cursor, entity_prev = cursors(client, "/v1/entities?page_size=1")
    found = []
    for path, queries in PATHS.items():
        part_cursor = part_prev = "cursor=none"
        if path.endswith(("/sections", "/bullets", "/quotes", "/entities")) and SEED_ID in path:
            part_cursor, part_prev = cursors(client, f"{path}?page_size=1")
        for query in queries:
            query = query.format(
                cursor=cursor,
                prev=prev,
                part_cursor=part_cursor,
                part_prev=part_prev,
                entity_cursor=entity_cursor,
                entity_prev=entity_prev,
                search_cursor=search_cursor,
            )
            found.append(f"{path}?{query}" if query else path)
    return found


def test_both_paths_answer_every_combination_alike(apps):
    fast, slow = apps
    fast_client, slow_client = Client(fast), Client(slow)
    fastpath = fast.extensions["article_fastpath"]
    compared = 0
    for url in urls(fast):
        # The validators the app hands out for this URL, identity and coded.
        # (Both clients get every request, so that their rate-limit counts stay equal.)
        tags = {None}
        for coding in CODINGS:
            headers = {"X-Request-ID": "t", **({"Accept-Encoding": coding} if coding else {})}
            expected = answer(slow_client, "GET", url, headers)
            assert answer(fast_client, "GET", url, headers) == expected, (url, headers)
            tags.add(dict(expected[1]).get("ETag"))
        cases = [
            {"Accept-Encoding": coding, "If-None-Match": tag}
            for coding, tag in itertools.product(CODINGS, tags)
        ]
        cases += OTHER_HEADERS
        for headers, method in itertools.product(cases, ["GET", "HEAD"]):
            sent = {"X-Request-ID": "test-1", **{k: v for k, v in headers.items() if v}}
            expected = answer(slow_client, method, url, sent)
            assert answer(fast_client, method, url, sent) == expected, (method, url, sent)
            compared += 1
    assert compared > 3000
    assert fastpath.answered > compared / 3  # the hot requests were answered by the fast path


@pytest.mark.parametrize(
    "url",
    [
        A,
        f"{A}?include=sections",
        "/v1/articles?page_size=2",
        f"{A}/quotes?page_size=2",
        "/v1/articles?entity=donald-trump&tag=trade&sort=-published_at",
        "/v1/articles?q=trade%20OR%20truce&since=2020-01-01T00:00:00Z&page_size=1",
        f"{A}/quotes?via=cue,according-to&kind=speech",
        f"{A}/entities?type=PERSON",
        "/v1/entities?q=trump",
    ],
)
def test_the_fast_path_answers_the_hot_gets_itself(apps, url):
    fast, _ = apps
    fastpath = fast.extensions["article_fastpath"]
    client = fast.test_client()
    for method, headers in [("GET", {}), ("HEAD", {"Accept-Encoding": "gzip, br"})]:
        before = fastpath.answered
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == 200
        assert fastpath.answered == before + 1


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_every_other_method_goes_to_the_app(apps, method):
    fast, slow = apps
    fastpath = fast.extensions["article_fastpath"]
    before = fastpath.answered
    expected = answer(Client(slow), method, A, {"X-Request-ID": "m"})
    assert answer(Client(fast), method, A, {"X-Request-ID": "m"}) == expected
    assert fastpath.answered == before


def test_a_generated_request_id_is_new_each_time(apps):
    fast, _ = apps
    client = fast.test_client()
    ids = {client.get(A).headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3 and all(len(i) == 32 for i in ids)


def test_the_fast_path_counts_into_the_apps_rate_limit(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = ArticleStore(url)
    store.create_schema()
    store_article(store, SEED.read_bytes(), SEED.name)
    store.dispose()
    app = create_app({"DATABASE_URL": url, "RATE_LIMIT": "3 per hour", "FAST_PATH": True})
    client = app.test_client()
    remaining = [client.get(A).headers.get("RateLimit-Remaining") for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = client.get(A)  # the fourth: the app's 429 problem
    assert refused.status_code == 429
    assert refused.content_type == "application/problem+json"
    app.extensions["article_store"].dispose()


def seeded(tmp_path):
    """A store on the fast path holding the seed, and a client of it."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "TESTING": True, "FAST_PATH": True})
    store = app.extensions["article_store"]
    store_article(store, SEED.read_bytes(), SEED.name)
    return store, app.test_client()


def test_an_article_cut_by_fields_is_built_once_per_version(tmp_path, monkeypatch):
    """A ``fields`` cut of an article version is known by its ETag (the version and the URL),
    so it is projected once, in identity and compressed alike; a new version is cut anew."""
    from api import fastpath

    store, client = seeded(tmp_path)
    cuts = []
    real = fastpath._cut
    monkeypatch.setattr(fastpath, "_cut", lambda *a: cuts.append(1) or real(*a))
    cut = f"/v1/articles/{SEED_ID}?fields=id,title,quotes.text"
    answers = [client.get(cut, headers=h) for h in ({}, {}, {"Accept-Encoding": "br"})]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].get_data() == answers[1].get_data()
    assert set(answers[0].get_json()["data"]) == {"id", "title", "quotes"}
    assert len(cuts) == 1
    store_article(store, SEED.read_bytes().replace(b"the", b"a", 1), SEED.name)
    newer = client.get(cut)
    assert newer.headers["ETag"] != answers[0].headers["ETag"] and len(cuts) == 2
    client.get(cut)
    assert len(cuts) == 2


def test_a_page_is_remembered_until_the_store_changes(tmp_path, monkeypatch):
    """A collection page is read once per store state: asked again, nothing is read but the
    state; a new version, a retraction (each an event) and rows added without an event
    (``copy_article``: the article count) each make the next request read anew, and see it."""
    store, client = seeded(tmp_path)
    reads = []
    real = store.article_summaries
    monkeypatch.setattr(
        store, "article_summaries", lambda *a, **k: reads.append(1) or real(*a, **k)
    )

    def listed(query: str = "") -> list[str]:
        response = client.get(f"/v1/articles{query}")
        assert response.status_code == 200
        return [item["id"] for item in response.get_json()["data"]]

    first = client.get("/v1/articles")
    again = client.get("/v1/articles")
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert len(reads) == 1
    assert listed("?fields=id") == [SEED_ID] and len(reads) == 2  # another URL: its own read
    layout = LAYOUT_ARTICLES[0]
    made = store_article(store, layout.read_bytes(), layout.name)
    assert set(listed()) == {SEED_ID, made.article_id} and len(reads) == 3
    store.copy_article(SEED_ID, ["copied-article"])
    assert "copied-article" in listed() and len(reads) == 4
    store.retract(made.article_id, "test")
    assert made.article_id not in listed() and len(reads) == 5
    assert made.article_id not in listed() and len(reads) == 5
    store.dispose()


def test_both_paths_agree_with_compression_off(tmp_path):
    """With ``ARTICLE_API_COMPRESS=off`` neither path varies by Accept-Encoding: the same
    headers (``Vary`` included) and body on every route the fast path answers."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    config = {"DATABASE_URL": url, "TESTING": True, "COMPRESS_RESPONSES": False}
    fast = create_app({**config, "FAST_PATH": True})
    slow = create_app({**config, "FAST_PATH": False})
    store_article(fast.extensions["article_store"], SEED.read_bytes(), SEED.name)
    urls = [A, f"{A}?include=sections", f"{A}/versions/1", "/v1/articles", f"{A}/sections"]
    urls += ["/v1/entities", "/v1/articles?q=trade"]
    before = fast.extensions["article_fastpath"].answered
    for url in urls:
        for headers in ({}, {"Origin": "https://example.org"}, {"Accept-Encoding": "br"}):
            sent = {"X-Request-ID": "off", **headers}
            expected = answer(Client(slow), "GET", url, sent)
            assert answer(Client(fast), "GET", url, sent) == expected, (url, sent)
            assert "Accept-Encoding" not in dict(expected[1]).get("Vary", "")
    assert fast.extensions["article_fastpath"].answered - before == 3 * len(urls)
    for app in (fast, slow):
        app.extensions["article_store"].dispose()
