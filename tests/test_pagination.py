"""Both pagination modes over 250 articles: every item exactly once, links and errors."""

from __future__ import annotations

import pytest

from .conftest import store_article

COUNT = 250


@pytest.fixture
def many(store):
    for n in range(COUNT):
        raw = f"Story number {n} about the harbour.\nIt has one more line, number {n}.\n"
        store_article(store, raw.encode(), f"story-{n:03d}.txt")
    return store


def walk(client, url, rel="next"):
    seen, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        seen += [item["id"] for item in body["data"]]
        url = body["links"][rel]
        pages += 1
        assert pages <= COUNT
    return seen, pages


@pytest.mark.parametrize("start", ["/v1/articles?page=1&page_size=30", "/v1/articles?page_size=30"])
def test_walking_next_visits_each_article_once(client, many, start):
    seen, pages = walk(client, start)
    assert len(seen) == COUNT
    assert len(set(seen)) == COUNT
    assert seen == sorted(seen)
    assert pages == 9


def test_descending_sort_in_cursor_mode(client, many):
    seen, _ = walk(client, "/v1/articles?sort=-id&page_size=100")
    assert seen == sorted(seen, reverse=True)
    assert len(set(seen)) == COUNT


def test_cursor_walk_backwards_with_prev(client, many):
    forward, _ = walk(client, "/v1/articles?page_size=40")
    url = "/v1/articles?page_size=40"
    while True:  # go to the last page
        body = client.get(url).get_json()
        if not body["links"]["next"]:
            break
        url = body["links"]["next"]
    backward = []
    while url:
        body = client.get(url).get_json()
        backward = [a["id"] for a in body["data"]] + backward
        url = body["links"]["prev"]
    assert backward == forward


def test_page_links_and_link_header(client, many):
    response = client.get("/v1/articles?page=3&page_size=100")
    body = response.get_json()
    assert body["data"][0]["id"] == "story-200"
    assert len(body["data"]) == 50
    assert body["links"]["next"] is None
    assert body["links"]["last"] == "/v1/articles?page_size=100&page=3"
    assert body["links"]["prev"] == "/v1/articles?page_size=100&page=2"
    header = response.headers["Link"]
    assert '</v1/articles?page_size=100&page=2>; rel="prev"' in header
    assert 'rel="last"' in header and 'rel="next"' not in header


def test_page_past_the_end_is_empty(client, many):
    body = client.get("/v1/articles?page=99&page_size=100").get_json()
    assert body["data"] == []
    assert body["meta"]["pagination"]["total_items"] == COUNT


def test_cursor_is_stable_while_articles_arrive(client, many, store):
    first = client.get("/v1/articles?page_size=50").get_json()
    store_article(store, b"An early story.\nWith a body.\n", "aaa-early.txt")
    second = client.get(first["links"]["next"]).get_json()
    assert second["data"][0]["id"] == "story-050"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
        ("pagesize=10", "pagesize"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=eyJzIjoieCJ9", "cursor"),
        ("page=1&cursor=abc", "cursor"),
        ("sort=title", "sort"),
    ],
)
def test_bad_paging_values_are_400_naming_the_parameter(client, many, query, parameter):
    response = client.get(f"/v1/articles?{query}")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400
    assert parameter in [error["parameter"] for error in problem["errors"]]


def test_cursor_from_another_collection_is_rejected(client, many):
    sections = client.get("/v1/articles/story-000/sections?page_size=1").get_json()
    assert sections["links"]["next"] is None  # one section only
    cursor = client.get("/v1/articles?page_size=1").get_json()["links"]["next"].split("cursor=")[1]
    response = client.get(f"/v1/articles/story-000/sections?cursor={cursor}")
    assert response.status_code == 400
