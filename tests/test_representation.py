"""What GET serves is the marshmallow schemas' dump, byte for byte.

The API writes bytes stored at ingest (and splices them into the envelope) instead of dumping
per request; these tests pin that down: dumping a served body through its response schema and
serialising it again gives the same bytes (no field the schema lacks, none missing, same order),
and every stored representation equals the schema dump of the parsed document.
"""

from __future__ import annotations

import itertools

import orjson
import pytest

from api.parser import parse_bytes
from api.representation import Representation, dump_article, dump_parts
from schemas.article import (
    INCLUDES,
    ArticleListResponseSchema,
    ArticleResponseSchema,
    ArticleSummarySchema,
)
from schemas.bullet import BulletListResponseSchema
from schemas.section import SectionListResponseSchema, SectionResponseSchema

from .conftest import SEED, SEED_ID

A = f"/v1/articles/{SEED_ID}"
INCLUDE_SETS = [
    ",".join(combo)
    for n in range(len(INCLUDES) + 1)
    for combo in itertools.combinations(INCLUDES, n)
]
SERVED = [
    *(
        (f"{A}?include={include}" if include else A, ArticleResponseSchema)
        for include in INCLUDE_SETS
    ),
    (f"{A}/versions/1?include=sections,quotes", ArticleResponseSchema),
    ("/v1/articles", ArticleListResponseSchema),
    ("/v1/articles?page_size=2&page=2", ArticleListResponseSchema),
    (f"{A}/sections", SectionListResponseSchema),
    (f"{A}/sections/opening", SectionResponseSchema),
    (f"{A}/bullets?page_size=2", BulletListResponseSchema),
]


@pytest.mark.parametrize(("url", "schema"), SERVED)
def test_served_bytes_equal_the_schema_dump(client, loaded, url, schema):
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_data()
    assert orjson.dumps(schema().dump(orjson.loads(body))) == body


def test_stored_bytes_equal_the_schema_dump_of_the_document(store):
    document = parse_bytes(SEED.read_bytes(), file_name=SEED.name)
    representation = Representation(document)
    saved = store.save(
        document.id, representation.output_hash, representation.render, source=representation.source
    )
    reader = store
    version, ingested_at, _output_hash, article_json = reader.latest_article(SEED_ID)
    assert version == saved.version
    article = dump_article(document, version, ingested_at)
    assert article_json == orjson.dumps(article)
    parts = dump_parts(document)
    stored = reader.part_lists(SEED_ID, version)
    assert set(stored) == set(INCLUDES)
    for kind in INCLUDES:
        assert stored[kind] == orjson.dumps(parts[kind])
    summaries, total = reader.article_summaries(_first_page())
    assert total == 1
    assert summaries.rows[0][1] == orjson.dumps(ArticleSummarySchema().dump(article))


def _first_page():
    from api.store import Window

    return Window(limit=20)
