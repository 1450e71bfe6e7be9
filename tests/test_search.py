"""Full-text search: ``q`` on /v1/articles and /v1/quotes (SQLite FTS5, PostgreSQL tsvector)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import SEED_ID, store_article

EDITED = b"""---
id: search-edits
title: Harbour ferry timetable
---
The harbour ferry now leaves every twenty minutes, the port authority said on Monday.

"We expect the new timetable to cut queues," said Maria Lopez, the authority's director.
"""

EDITED_AGAIN = b"""---
id: search-edits
title: Harbour lighthouse restored
---
The lighthouse above the harbour was restored by volunteers over the summer.

"It shines again," said Maria Lopez, the authority's director.
"""

ESCAPED = b"""---
id: search-markup
title: Markup in news
---
The page showed <b>bold</b> & <script>alert(1)</script> where a zeppelin picture belonged.
"""


def ids(response) -> list[str]:
    return [item["id"] for item in response.get_json()["data"]]


def walk(client, url: str) -> list[dict]:
    items = []
    while url:
        body = client.get(url).get_json()
        items += body["data"]
        url = body["links"]["next"]
    return items


def test_results_are_ranked_with_highlighted_snippets(client, loaded):
    response = client.get("/v1/articles?q=trade%20truce")
    assert response.status_code == 200
    body = response.get_json()
    assert ids(response)[0] == SEED_ID
    ranks = [item["search"]["rank"] for item in body["data"]]
    assert ranks == sorted(ranks, reverse=True)
    snippet = body["data"][0]["search"]["snippet"]
    assert re.search(r"<mark>trade</mark>", snippet, re.IGNORECASE)
    assert "text" not in body["data"][0]  # still the summary shape
    assert body["meta"]["pagination"]["total_items"] == len(body["data"])


def test_search_matches_stems_and_phrases(client, loaded):
    assert SEED_ID in ids(client.get("/v1/articles?q=truces"))  # stemmed
    assert SEED_ID in ids(client.get('/v1/articles?q="trade truce"'))
    assert ids(client.get('/v1/articles?q="truce trade"')) == []  # a phrase is in order
    assert SEED_ID not in ids(client.get("/v1/articles?q=trade%20-truce"))
    both = ids(client.get("/v1/articles?q=zzyzx%20OR%20truce"))
    assert SEED_ID in both


def test_search_without_q_is_unchanged(client, loaded):
    items = client.get("/v1/articles").get_json()["data"]
    assert all("search" not in item for item in items)


def test_search_pages_by_cursor_and_by_page(client, store):
    for i in range(7):
        raw = f"---\nid: pager-{i}\n---\nThe pelican count rose to {i} this year.\n".encode()
        store_article(store, raw, f"pager-{i}.txt")
    everything = client.get("/v1/articles?q=pelican&page_size=100").get_json()["data"]
    assert len(everything) == 7
    walked = walk(client, "/v1/articles?q=pelican&page_size=3")
    assert [item["id"] for item in walked] == [item["id"] for item in everything]
    second = client.get("/v1/articles?q=pelican&page_size=3").get_json()["links"]["next"]
    page2 = client.get(second).get_json()
    back = client.get(page2["links"]["prev"]).get_json()
    assert [i["id"] for i in back["data"]] == [i["id"] for i in everything[:3]]
    assert back["links"]["prev"] is None
    paged = client.get("/v1/articles?q=pelican&page_size=3&page=3").get_json()
    assert [i["id"] for i in paged["data"]] == [everything[6]["id"]]
    assert paged["meta"]["pagination"] == {
        "mode": "page",
        "page_size": 3,
        "total_items": 7,
        "page": 3,
        "total_pages": 3,
    }
    assert 'rel="next"' in client.get("/v1/articles?q=pelican&page_size=3").headers["Link"]


def test_a_cursor_continues_only_its_own_search(client, store):
    for i in range(3):
        store_article(store, f"---\nid: c-{i}\n---\nOtters and pelicans.\n".encode(), f"c{i}.txt")
    next_url = client.get("/v1/articles?q=otters&page_size=1").get_json()["links"]["next"]
    cursor = next_url.split("cursor=")[1]
    other = client.get(f"/v1/articles?q=pelicans&page_size=1&cursor={cursor}")
    assert other.status_code == 400
    assert other.get_json()["errors"][0]["parameter"] == "cursor"
    listing = client.get(f"/v1/articles?page_size=1&cursor={cursor}")
    assert listing.status_code == 400


def test_search_etag_and_304(client, loaded):
    first = client.get("/v1/articles?q=truce")
    again = client.get("/v1/articles?q=truce", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/v1/articles?q=", "q"),
        ("/v1/articles?q=-truce", "q"),
        ("/v1/articles?q=%22%22", "q"),
        ("/v1/articles?q=***", "q"),
        ("/v1/articles?q=" + "a" * 201, "q"),
        ("/v1/articles?q=truce&sort=-id", "sort"),
        ("/v1/quotes?q=-said", "q"),
        ("/v1/articles/" + SEED_ID + "/quotes?q=said", "q"),  # per article: no search
    ],
)
def test_bad_q_is_a_400_naming_it(client, loaded, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert [e["parameter"] for e in response.get_json()["errors"]] == [parameter]


FTS_SYNTAX = [
    '"',
    'truce"',
    "AND",
    "truce AND",
    "OR OR OR",
    "NOT truce",
    "truce NOT",
    "NEAR(trade truce)",
    "title:truce",
    "^truce",
    "tru*",
    "(truce",
    "truce)",
    "{title body}: truce",
    "trade + truce",
    "'truce'",
    "truce\\",
    "trade -",
    "- - -",
    "ü ß 北京",
    "💥 truce",
    "%",
    "&|!:*",
]


@pytest.mark.parametrize("q", FTS_SYNTAX)
def test_search_syntax_never_500s(client, loaded, q):
    for path in ("/v1/articles", "/v1/quotes"):
        response = client.get(path, query_string={"q": q})
        assert response.status_code in (200, 400), (q, response.get_data(as_text=True))
        if response.status_code == 400:
            assert response.get_json()["errors"][0]["parameter"] == "q"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(min_size=1, max_size=40))
def test_any_q_is_200_or_a_400_naming_q(client, loaded, q):
    response = client.get("/v1/articles", query_string={"q": q})
    assert response.status_code in (200, 400), (q, response.get_data(as_text=True))
    if response.status_code == 400:
        assert response.get_json()["errors"][0]["parameter"] == "q"


def test_index_follows_the_latest_version(client, store):
    store_article(store, EDITED, "edits.txt", with_language=True)
    assert ids(client.get("/v1/articles?q=ferry")) == ["search-edits"]
    quotes = client.get("/v1/quotes?q=timetable").get_json()["data"]
    assert [q["article_id"] for q in quotes] == ["search-edits"]
    result = store_article(store, EDITED_AGAIN, "edits.txt", with_language=True)
    assert result.version == 2
    assert ids(client.get("/v1/articles?q=ferry")) == []
    assert ids(client.get("/v1/articles?q=lighthouse")) == ["search-edits"]
    assert client.get("/v1/quotes?q=timetable").get_json()["data"] == []
    shines = client.get("/v1/quotes?q=shines").get_json()
    assert [q["article_id"] for q in shines["data"]] == ["search-edits"]
    assert shines["meta"]["pagination"]["total_items"] == 1


def test_a_repeated_search_is_remembered_until_the_next_event(client, store, monkeypatch):
    """A ranked window is run once per newest event: asked again, it is not run again; a new
    version or a retraction (each an event) makes the next search run, and see it."""
    from api.store import search

    runs = []
    real = search.search_articles
    monkeypatch.setattr(
        search, "search_articles", lambda *a, **k: runs.append(a[1]) or real(*a, **k)
    )
    store_article(store, EDITED, "edits.txt", with_language=True)
    first = client.get("/v1/articles?q=harbour").get_json()
    assert client.get("/v1/articles?q=harbour").get_json() == first
    assert runs == ["harbour"]
    client.get("/v1/articles?q=harbour&page_size=1")  # another window: run
    assert runs == ["harbour", "harbour"]
    store_article(store, EDITED_AGAIN, "edits.txt", with_language=True)
    assert ids(client.get("/v1/articles?q=lighthouse")) == ["search-edits"]
    assert ids(client.get("/v1/articles?q=harbour")) == ["search-edits"]
    assert runs[-2:] == ["lighthouse", "harbour"]
    store.retract("search-edits", "test")
    assert ids(client.get("/v1/articles?q=lighthouse")) == []
    assert runs[-1] == "lighthouse"


def test_quote_search_with_filters(client, store):
    store_article(store, EDITED, "edits.txt", with_language=True)
    body = client.get("/v1/quotes?q=timetable").get_json()
    (quote,) = body["data"]
    assert quote["article_id"] == "search-edits"
    assert "<mark>" in quote["search"]["snippet"]
    assert quote["kind"] == "speech"
    assert client.get("/v1/quotes?q=timetable&kind=term").get_json()["data"] == []
    speaker = quote["speaker"]["entity_id"]
    by = client.get(f"/v1/quotes?q=timetable&speaker={speaker}").get_json()["data"]
    assert [q["id"] for q in by] == [quote["id"]]
    # the speaker's name is searchable too
    assert quote["id"] in [q["id"] for q in client.get("/v1/quotes?q=lopez").get_json()["data"]]


def test_snippets_are_html_escaped(client, store):
    store_article(store, ESCAPED, "markup.txt")
    (item,) = client.get("/v1/articles?q=zeppelin").get_json()["data"]
    snippet = item["search"]["snippet"]
    assert "<mark>zeppelin</mark>" in snippet
    assert "<script>" not in snippet and "<b>" not in snippet
    # SQLite keeps the markup as escaped text; PostgreSQL's headline drops tags as tokens.
    assert "&amp;" in snippet


def test_search_combines_with_since_and_entity(client, loaded):
    assert ids(client.get("/v1/articles?q=truce&since=2999-01-01T00:00:00Z")) == []
    assert SEED_ID in ids(client.get("/v1/articles?q=truce&since=2000-01-01T00:00:00Z"))
    entity = client.get(f"/v1/articles/{SEED_ID}/entities").get_json()["data"][0]
    key = entity["key"]
    assert ids(client.get(f"/v1/articles?q=truce&entity={key}")) == [SEED_ID]
