"""Every value a client sends is checked before it reaches SQL, and has one spelling.

* Range: a forged cursor whose integer key no stored column can hold, a ``since`` that leaves
  the datetime range once turned into UTC: a 400 naming the parameter, on both backends, never
  a 500 from the driver.
* Canonical numbers: path and query integers are ASCII digits without a sign, leading zeros or
  underscores (``/versions/01``, ``/versions/١``, ``page=1_000`` are a 404 or a 400, never a
  second URL for the same resource); a single-valued parameter given twice is a 400 naming it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import quote

import pytest

from api.pagination import encode_cursor

from .conftest import SEED_ID

A = f"/v1/articles/{SEED_ID}"

#: Every collection whose cursor key is (or holds) an integer: (url, cursor scope, a good key).
INTEGER_KEYED = [
    (f"{A}/sections", f"sections:{SEED_ID}", 0),
    (f"{A}/bullets", f"bullets:{SEED_ID}", 0),
    (f"{A}/quotes", f"quotes:{SEED_ID}", 0),
    (f"{A}/entities", f"entities:{SEED_ID}", 0),
    (f"{A}/versions", f"versions:{SEED_ID}", 1),
    ("/v1/quotes", "quotes", [SEED_ID, 0]),
]
#: Integers no stored column holds: past int4 (PostgreSQL), past int8 (SQLite), negatives.
OUT_OF_RANGE = [2**31, 2**63, 2**64, -1, -(2**63) - 1]


def forged_cursor(scope: str, key) -> str:
    """A cursor as the server writes them, but with any key (stdlib json: no 64-bit limit)."""
    raw = json.dumps({"s": scope, "d": "next", "k": key}).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def problem_parameters(response, status: int = 400) -> list[str]:
    assert response.status_code == status, response.get_data()[:300]
    assert response.content_type == "application/problem+json"
    return [error.get("parameter") for error in response.get_json().get("errors", [])]


def with_key(good, value):
    return [good[0], value] if isinstance(good, list) else value


@pytest.mark.parametrize(("url", "scope", "good"), INTEGER_KEYED)
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_cursor_key_no_column_can_hold_is_a_400(client, loaded, url, scope, good, value):
    cursor = forged_cursor(scope, with_key(good, value))
    assert problem_parameters(client.get(f"{url}?cursor={cursor}")) == ["cursor"]


@pytest.mark.parametrize(("url", "scope", "good"), INTEGER_KEYED)
def test_a_cursor_key_in_range_still_works(client, loaded, url, scope, good):
    cursor = encode_cursor(scope, "next", good)
    assert client.get(f"{url}?cursor={cursor}").status_code == 200


def test_a_search_cursor_past_the_range_is_a_400(client, loaded):
    scope = "articles:q:" + hashlib.blake2b(b"trade", digest_size=6).hexdigest()
    in_range = client.get(f"/v1/articles?q=trade&cursor={forged_cursor(scope, 1)}")
    assert in_range.status_code == 200
    cursor = forged_cursor(scope, 2**63)
    assert problem_parameters(client.get(f"/v1/articles?q=trade&cursor={cursor}")) == ["cursor"]


@pytest.mark.parametrize(
    "since",
    [
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T13:59:59+14:00",
        "9999-12-31T23:59:59-14:00",
        "9999-12-31T12:00:00-12:00",
    ],
)
@pytest.mark.parametrize("url", ["/v1/articles", "/v1/articles?q=trade"])
def test_a_since_outside_the_utc_range_is_a_400(client, loaded, url, since):
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}since={quote(since)}")
    assert problem_parameters(response) == ["since"]


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00Z", "0001-01-01T14:00:00+14:00"])
def test_the_edges_of_the_utc_range_are_fine(client, loaded, since):
    response = client.get(f"/v1/articles?since={quote(since)}")
    assert response.status_code == 200
    assert response.get_json()["meta"]["pagination"]["total_items"] == 5


# -- one spelling for each number ---------------------------------------------------------------


@pytest.mark.parametrize(
    "version",
    ["01", "001", "%D9%A1", "%EF%BC%91", "+1", "1_0", "%201", "1.0", "0x1", "-1", "0"],
)
def test_a_non_canonical_version_is_a_404(client, loaded, version):
    """The immutable URL has one spelling: ``/versions/1``, not ``01``, ``١`` (Arabic-Indic) or
    ``１`` (full width)."""
    assert problem_parameters(client.get(f"{A}/versions/{version}"), 404) == []


def test_the_canonical_version_is_served(client, loaded):
    assert client.get(f"{A}/versions/1").status_code == 200


QUERY_INTEGERS = [
    ("/v1/articles", "page"),
    ("/v1/articles", "page_size"),
    (f"{A}/sections", "page"),
    (f"{A}/versions", "page_size"),
    ("/v1/quotes", "page"),
    ("/v1/entities", "page_size"),
    ("/v1/entities/person:donald-trump", "page"),
]


@pytest.mark.parametrize(("url", "name"), QUERY_INTEGERS)
@pytest.mark.parametrize(
    "value", ["1_0", "01", "%D9%A1", "%EF%BC%91", "+1", "%201", "1%20", "1.0", "1e1", "0x1"]
)
def test_a_non_canonical_query_integer_is_a_400_naming_it(client, loaded, url, name, value):
    assert problem_parameters(client.get(f"{url}?{name}={value}")) == [name]


@pytest.mark.parametrize(("url", "name"), QUERY_INTEGERS)
def test_a_canonical_query_integer_is_accepted(client, loaded, url, name):
    assert client.get(f"{url}?{name}=10").status_code == 200


@pytest.mark.parametrize(
    ("url", "query", "name"),
    [
        ("/v1/articles", "page_size=1&page_size=2", "page_size"),
        ("/v1/articles", "page=1&page=2", "page"),
        ("/v1/articles", "sort=id&sort=-id", "sort"),
        ("/v1/articles", "q=trade&q=truce", "q"),
        ("/v1/articles", "since=2020-01-01T00:00:00Z&since=2021-01-01T00:00:00Z", "since"),
        ("/v1/articles", "section=a&section=b", "section"),
        ("/v1/quotes", "speaker=a&speaker=b", "speaker"),
        ("/v1/quotes", "kind=speech&kind=term", "kind"),
        (f"{A}/entities", "type=PERSON&type=ORG", "type"),
        ("/v1/entities", "q=a&q=b", "q"),
        (f"{A}/sections", "cursor=abc&cursor=abd", "cursor"),
    ],
)
def test_a_single_valued_parameter_given_twice_is_a_400_naming_it(client, loaded, url, query, name):
    assert problem_parameters(client.get(f"{url}?{query}")) == [name]


def test_a_list_parameter_may_repeat(client, loaded):
    response = client.get(f"{A}?include=sections&include=bullets")
    assert response.status_code == 200
    assert {"sections", "bullets"} <= set(response.get_json()["data"])
