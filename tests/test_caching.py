"""Validators and compression: one ETag per representation, whatever the compressor does.

``/v1/openapi.json`` over gzip used to get an ETag hashed from the gzip output, whose header
holds the time: a new ETag every second, never a 304. A 416 from the docs assets had no
``Content-Range``; the 1.7 MB docs bundle went uncompressed to gzip-only clients.
"""

from __future__ import annotations

import gzip
import time

import brotli
import pytest

from .conftest import SEED_ID

A = f"/v1/articles/{SEED_ID}"
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}
#: Large enough to be compressed: bodies the app builds, the spec, the docs assets.
LARGE = [
    f"{A}?include=sections,bullets,quotes,entities",
    "/v1/articles",
    "/v1/openapi.json",
    "/docs/assets/swagger-ui-bundle.js",
    "/docs/assets/swagger-ui.css",
]


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    body = response.get_data()
    response.close()
    return response, body


@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("url", LARGE)
def test_a_compressed_representation_keeps_its_etag_and_revalidates(client, loaded, url, encoding):
    plain, plain_body = fetch(client, url)
    first, first_body = fetch(client, url, **{"Accept-Encoding": encoding})
    assert first.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in first.headers["Vary"]
    assert DECODE[encoding](first_body) == plain_body
    time.sleep(1.05)  # gzip writes the time into its header: a new second, new bytes
    second, second_body = fetch(client, url, **{"Accept-Encoding": encoding})
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second_body == first_body  # one representation, one byte sequence
    assert first.headers["ETag"] != plain.headers["ETag"]  # another coding, another tag
    again, _ = fetch(
        client, url, **{"Accept-Encoding": encoding, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize(
    ("accept_encoding", "chosen"),
    [
        ("gzip", "gzip"),
        ("gzip, deflate", "gzip"),
        ("br", "br"),
        ("gzip, br", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("*", "br"),
        ("gzip;q=0, br;q=0", None),
        ("identity", None),
        ("deflate", None),
    ],
)
def test_the_coding_follows_accept_encoding(client, loaded, accept_encoding, chosen):
    response, _ = fetch(client, "/v1/openapi.json", **{"Accept-Encoding": accept_encoding})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == chosen


def test_a_416_names_the_size_in_content_range(client):
    size = len(fetch(client, "/docs/assets/swagger-ui-bundle.js")[1])
    response, _ = fetch(client, "/docs/assets/swagger-ui-bundle.js", Range=f"bytes={size + 10}-")
    assert response.status_code == 416
    assert response.content_type == "application/problem+json"
    assert response.headers["Content-Range"] == f"bytes */{size}"


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_range_of_an_asset_is_of_the_plain_bytes(client, encoding):
    """A 206 is a slice of the identity representation: never compressed (its Content-Range
    would not describe the bytes sent)."""
    whole = fetch(client, "/docs/assets/swagger-ui-bundle.js")[1]
    response, body = fetch(
        client,
        "/docs/assets/swagger-ui-bundle.js",
        Range="bytes=100-199",
        **{"Accept-Encoding": encoding},
    )
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert body == whole[100:200]
    assert response.headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
