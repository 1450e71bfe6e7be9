"""Editorial metadata (authors, section, tags, image, publication time) and what it serves: date
filters and order, tag/author/section filters, several entity filters (AND), facet counts."""

from __future__ import annotations

import pytest

from api.parser import ParseError, parse_article

from .conftest import assert_both_paths_agree, store_article

COUNCIL = b"""---
title: Council approves budget
published_at: 2026-11-03T09:00:00+01:00
authors: [Jane Smith, Tom Reid]
tags: [Budget, Local Politics]
section: Politics
image: https://news.example.com/img/council.jpg
---
The city council approved the 2027 budget on Tuesday. The loan comes from Fernwood Bank, the
council said.

"This is a budget for everyone," said Ana Lopez.
"""

#: An as-is article: its byline and date line are metadata, not prose.
LIBRARY = b"""Library reopens after works

By Tom Reid

5 October 2026

The city library reopened on Saturday after two years of works. "We missed our readers," said
librarian Maria Chen, who thanked Fernwood Bank.
"""

MARKET = b"""---
title: Market hall to close
published_at: 2026-11-20
tags: budget
section: Business
---
The old market hall will close in March, the council said.

"It is a hard choice," said Ana Lopez, the mayor.
"""

UNDATED = b"""Bridge repairs start

Repairs to the river bridge started on Monday, the roads office said.
"""


@pytest.fixture
def editorial(store):
    for name, raw in (
        ("council.md", COUNCIL),
        ("library.txt", LIBRARY),
        ("market.md", MARKET),
        ("bridge.txt", UNDATED),
    ):
        store_article(store, raw, name, with_language=True)
    return store


def ids(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["data"]]


def test_front_matter_metadata_is_served():
    document = parse_article(COUNCIL.decode(), file_name="council.md", with_language=False)
    assert document.authors == ["Jane Smith", "Tom Reid"]
    assert document.tags == ["Budget", "Local Politics"]
    assert document.section == "Politics"
    assert document.image == "https://news.example.com/img/council.jpg"
    assert document.published_at == "2026-11-03T08:00:00Z"


def test_byline_and_date_line_are_metadata_not_text():
    document = parse_article(LIBRARY.decode(), file_name="library.txt", with_language=False)
    assert document.authors == ["Tom Reid"]
    assert document.published_at == "2026-10-05T00:00:00Z"
    assert "By Tom Reid" not in document.text and "5 October 2026" not in document.text
    assert document.summary.startswith("The city library reopened")


@pytest.mark.parametrize(
    "opening",
    [
        "By playing games, children learn rules.",  # a sentence, not a byline
        "By Tom Reid\n\nBy Ann Lee",  # two bylines: ambiguous
        "5 October 2026\n\n6 October 2026",  # two dates: ambiguous
        "By tom reid",  # not a name
    ],
)
def test_unclear_bylines_and_dates_stay_text(opening):
    text = f"Headline here\n\n{opening}\n\nThe body of the story, as written."
    document = parse_article(text, file_name="x.txt", with_language=False)
    assert document.authors == [] and document.published_at is None
    assert opening.split("\n")[0] in document.text


def test_front_matter_wins_over_the_byline():
    text = "---\nauthors: Ann Lee\n---\nHeadline here\n\nBy Tom Reid\n\nThe body of the story."
    document = parse_article(text, file_name="x.txt", with_language=False)
    assert document.authors == ["Ann Lee"]


@pytest.mark.parametrize(
    "front, message",
    [
        ("tags: {a: 1}", "tags"),
        ("authors: [[nested]]", "authors"),
        ("tags: [" + ", ".join(f"t{i}" for i in range(30)) + "]", "at most"),
        ("section: " + "x" * 200, "section"),
    ],
)
def test_bad_metadata_is_a_parse_error(front, message):
    with pytest.raises(ParseError, match=message):
        parse_article(f"---\n{front}\n---\nBody text.", file_name="x.txt", with_language=False)


def test_metadata_in_listings_and_articles(client, editorial):
    listed = {a["id"]: a for a in client.get("/v1/articles").get_json()["data"]}
    council = listed["council"]
    assert council["authors"] == ["Jane Smith", "Tom Reid"]
    assert council["tags"] == ["Budget", "Local Politics"]
    assert council["section"] == "Politics"
    assert listed["library"]["authors"] == ["Tom Reid"]
    assert listed["bridge"]["published_at"] is None and listed["bridge"]["tags"] == []
    article = client.get("/v1/articles/library").get_json()["data"]
    assert article["published_at"] == "2026-10-05T00:00:00Z"
    assert "By Tom Reid" not in article["text"]


def test_sort_by_publication_time_both_ways_and_by_cursor(client, editorial):
    assert ids(client, "/v1/articles?sort=-published_at") == [
        "market",
        "council",
        "library",
        "bridge",  # no publication time: last, newest first
    ]
    assert ids(client, "/v1/articles?sort=published_at") == [
        "bridge",
        "library",
        "council",
        "market",
    ]
    walked, url = [], "/v1/articles?sort=-published_at&page_size=1"
    while url:
        body = client.get(url).get_json()
        walked += [a["id"] for a in body["data"]]
        url = body["links"]["next"]
    assert walked == ["market", "council", "library", "bridge"]
    paged = ids(client, "/v1/articles?sort=-published_at&page=2&page_size=2")
    assert paged == ["library", "bridge"]


def test_date_filters_are_a_half_open_interval(client, editorial):
    assert ids(client, "/v1/articles?published_after=2026-11-01") == ["council", "market"]
    assert ids(client, "/v1/articles?published_before=2026-11-01") == ["library"]
    assert ids(
        client, "/v1/articles?published_after=2026-11-03T08:00:00Z&published_before=2026-11-20"
    ) == ["council"]
    bad = client.get("/v1/articles?published_after=2026-12-01&published_before=2026-11-01")
    assert bad.status_code == 400
    assert bad.get_json()["errors"][0]["parameter"] == "published_before"
    assert client.get("/v1/articles?published_after=yesterday").status_code == 400


def test_tag_author_section_and_entities_combine_with_and(client, editorial):
    assert ids(client, "/v1/articles?tag=budget") == ["council", "market"]
    assert ids(client, "/v1/articles?tag=Local%20Politics") == ["council"]
    assert ids(client, "/v1/articles?tag=budget&tag=local-politics") == ["council"]
    assert ids(client, "/v1/articles?author=Tom%20Reid") == ["council", "library"]
    assert ids(client, "/v1/articles?author=tom-reid&author=jane-smith") == ["council"]
    assert ids(client, "/v1/articles?section=business") == ["market"]
    assert ids(client, "/v1/articles?entity=Fernwood%20Bank") == ["council", "library"]
    assert ids(client, "/v1/articles?entity=Fernwood%20Bank&entity=Ana%20Lopez") == ["council"]
    assert ids(client, "/v1/articles?entity=Fernwood%20Bank&tag=budget&sort=-id") == ["council"]
    many = "&".join(f"tag=t{i}" for i in range(11))
    response = client.get(f"/v1/articles?{many}")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == "tag"


def test_facets_count_what_the_filters_keep(client, editorial):
    body = client.get("/v1/articles?facets=tag,author,section,published_month,type").get_json()
    facets = body["meta"]["facets"]
    assert facets["tag"][0]["value"] == "budget" and facets["tag"][0]["count"] == 2
    assert facets["tag"][0]["label"] in ("Budget", "budget")  # as one article wrote it
    assert {f["value"]: f["count"] for f in facets["author"]} == {"tom-reid": 2, "jane-smith": 1}
    assert {f["value"] for f in facets["section"]} == {"politics", "business"}
    assert {f["value"]: f["count"] for f in facets["published_month"]} == {
        "2026-11": 2,
        "2026-10": 1,
    }
    assert any(f["value"] == "PERSON" for f in facets["type"])
    assert body["meta"]["pagination"]["total_items"] == 4
    filtered = client.get("/v1/articles?tag=budget&facets=entity,author&facet_size=1").get_json()
    entity = filtered["meta"]["facets"]["entity"]
    assert len(entity) == 1 and entity[0]["value"] == "person:ana-lopez" and entity[0]["count"] == 2
    assert filtered["meta"]["facets"]["author"] == [
        {"value": "jane-smith", "label": "Jane Smith", "count": 1}
    ]
    unfiltered = client.get("/v1/articles?facets=entity&facet_size=100").get_json()
    counts = {f["value"]: f["count"] for f in unfiltered["meta"]["facets"]["entity"]}
    assert counts["org:fernwood-bank"] == 2


def test_facets_follow_retraction_and_new_versions(client, editorial, store):
    store.retract("market", "test")
    facets = client.get("/v1/articles?facets=tag").get_json()["meta"]["facets"]
    assert facets["tag"][0] == {"value": "budget", "label": "Budget", "count": 1}
    store_article(store, COUNCIL.replace(b"[Budget, Local Politics]", b"[Roads]"), "council.md")
    facets = client.get("/v1/articles?facets=tag").get_json()["meta"]["facets"]
    assert facets["tag"] == [{"value": "roads", "label": "Roads", "count": 1}]
    assert ids(client, "/v1/articles?tag=budget") == []


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("facets=colour", "facets"),
        ("facets=tag&facet_size=0", "facet_size"),
        ("facets=tag&q=budget", "facets"),
        ("sort=published", "sort"),
    ],
)
def test_bad_facet_and_sort_parameters_are_named(client, editorial, query, parameter):
    response = client.get(f"/v1/articles?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert parameter in {e["parameter"] for e in response.get_json()["errors"]}


def test_write_body_carries_metadata(client, store):
    """The JSON write body's metadata reaches the parser as front matter would."""
    from api.parser import parse_bytes

    document = parse_bytes(
        b"Council votes\n\nThe council voted on Tuesday.",
        file_name="x.txt",
        fields={
            "authors": ["Ann Lee"],
            "tags": ["roads"],
            "section": "Local",
            "image": "https://e/x.jpg",
        },
    )
    assert (document.authors, document.tags, document.section) == (["Ann Lee"], ["roads"], "Local")


def test_fast_path_answers_facets_as_the_app_does(app, editorial, store):
    """Facets on the fast path: the same bytes and ETag as the app, and a write (a new event)
    refreshes the counts remembered for the feed position."""
    fast = app.extensions["article_fastpath"]
    client = app.test_client()
    urls = [
        "/v1/articles?facets=tag,author&facet_size=2",
        "/v1/articles?facets=entity,type,published_month&sort=-published_at&page_size=2",
    ]
    for url in urls:
        assert_both_paths_agree(app, url)
    for bad in ("facets=tag,", "facets=colour", "facets=tag&facet_size=0"):
        before = fast.answered
        assert client.get(f"/v1/articles?{bad}").status_code == 400, bad
        assert fast.answered == before, bad  # the app's 400
    tags = "/v1/articles?facets=tag"
    first = client.get(tags).get_json()["meta"]["facets"]["tag"]
    store_article(store, MARKET.replace(b"tags: budget", b"tags: markets"), "market.md")
    second = client.get(tags).get_json()["meta"]["facets"]["tag"]
    assert first != second and {"value": "markets", "label": "markets", "count": 1} in second
