"""Links are built from the parsed request, re-encoded: nothing a client sends can start a new
link in the ``Link`` header or change what ``links.self`` points to.

A query value holding ``>``, ``;``, ``,`` or quotes used to be copied raw into
``<…>; rel="self"``, so ``requests`` read an attacker's URL as ``rel="next"``.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from requests.utils import parse_header_links

from .conftest import SEED_ID

A = f"/v1/articles/{SEED_ID}"

HOSTILE = [
    'trade>; rel="next", <https://evil.example/steal>; rel="next"',
    "trade>, <https://evil.example/>",
    "trade; rel=next",
    'trade" rel="last',
    "trade\tor truce",
    "trade %3E%3B",
    "trade <b>&amp;</b>",
]
#: (path, parameter taking free text) on collections that answer 200 for any such text.
FREE_TEXT = [
    ("/v1/articles", "q"),
    ("/v1/articles", "entity"),
    ("/v1/quotes", "q"),
    ("/v1/quotes", "speaker"),
    (f"{A}/quotes", "speaker"),
    ("/v1/entities", "q"),
]
#: What a careless client leaves unencoded in a query value.
RAW = "<>;,\"'/:@!$()*"
#: Characters that may not appear raw in a URL inside ``<…>`` of a Link header.
UNSAFE = set("<>;,\" \t'\\")


def query_items(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


@pytest.mark.parametrize(("path", "name"), FREE_TEXT)
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_query_values_cannot_add_links(client, loaded, path, name, value):
    sent = [(name, value), ("page_size", "1")]
    # As a careless client sends it: only what HTTP itself forbids is encoded.
    url = path + "?" + "&".join(f"{k}={quote(v, safe=RAW)}" for k, v in sent)
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    links = parse_header_links(response.headers["Link"])
    by_rel = {link["rel"]: link["url"] for link in links}
    assert len(by_rel) == len(links), links  # every rel once
    expected = {rel: href for rel, href in body["links"].items() if href is not None}
    assert by_rel == expected
    for href in expected.values():
        assert not UNSAFE & set(href), href
        assert urlsplit(href).path == path and not urlsplit(href).netloc
        assert (name, value) in query_items(href)
    assert query_items(body["links"]["self"]) == sent


def test_self_link_is_the_request_re_encoded(client, loaded):
    response = client.get(f"{A}?include=sections&include=bullets")
    assert response.get_json()["links"]["self"] == f"{A}?include=sections&include=bullets"
    plain = client.get("/v1/articles?page_size=1&sort=-id")
    assert plain.get_json()["links"]["self"] == "/v1/articles?page_size=1&sort=-id"
    assert '</v1/articles?page_size=1&sort=-id>; rel="self"' in plain.headers["Link"]


def test_raw_reserved_characters_in_the_query_are_re_encoded(client, loaded):
    """A client that sends ``>`` or ``;`` unencoded (some do) gets them percent-encoded back."""
    response = client.get('/v1/articles?q=trade>;"x",y')
    assert response.status_code == 200
    href = response.get_json()["links"]["self"]
    assert not UNSAFE & set(href)
    assert query_items(href) == [("q", 'trade>;"x",y')]
    assert [link["rel"] for link in parse_header_links(response.headers["Link"])] == [
        "self",
        "first",
    ]


@given(
    path=st.text(max_size=30).map(lambda t: "/v1/" + t),
    params=st.lists(st.tuples(st.text(max_size=12), st.text(max_size=40)), max_size=5),
)
def test_link_to_encodes_as_urlencode_does(path, params):
    """``link_to`` skips quoting where quoting would change nothing: the same URL as
    ``quote(path)`` and ``urlencode`` give, for any text."""
    from urllib.parse import urlencode

    from api.http import link_to

    query = urlencode(params)
    expected = quote(path, safe="/:@") + (f"?{query}" if query else "")
    assert link_to(path, params) == expected
