"""Sparse fieldsets: ``fields=`` on every collection and item, through both paths (the WSGI fast
path and the app), checked names, nested names, their own ETags."""

from __future__ import annotations

import pytest

from .conftest import SEED, SEED_ID, assert_both_paths_agree, store_article

pytestmark = pytest.mark.nlp


@pytest.fixture
def seeded(store):
    store_article(store, SEED.read_bytes(), SEED.name, with_language=True)
    return store


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.get_json())
    return response


def data(client, url):
    return get(client, url).get_json()["data"]


def test_collection_items_keep_only_the_named_fields(client, seeded):
    items = data(client, "/v1/articles?fields=id,title,published_at")
    assert items and all(set(item) == {"id", "title", "published_at"} for item in items)
    # The item's own member order, whatever order the request names them in.
    assert list(data(client, "/v1/articles?fields=title,id")[0]) == ["id", "title"]


def test_the_envelope_stays_whole(client, seeded):
    body = get(client, "/v1/articles?fields=id&page_size=1").get_json()
    assert set(body) == {"data", "links", "meta"}
    assert "fields=id" in body["links"]["self"]
    assert body["meta"]["pagination"]["page_size"] == 1


def test_nested_names_reach_into_objects_and_lists(client, seeded):
    article = data(client, f"/v1/articles/{SEED_ID}?fields=title,quotes.text,quotes.speaker.name")
    assert set(article) == {"title", "quotes"}  # quotes embedded without include=quotes
    assert all(set(q) <= {"text", "speaker"} for q in article["quotes"])
    speakers = [q["speaker"] for q in article["quotes"] if q.get("speaker")]
    assert speakers and all(set(s) == {"name"} for s in speakers)
    counts = data(client, f"/v1/articles/{SEED_ID}?fields=counts.quotes")
    assert counts == {"counts": {"quotes": 4}}
    # The whole member wins over a part of it.
    whole = data(client, f"/v1/articles/{SEED_ID}?fields=counts,counts.quotes")
    assert set(whole["counts"]) >= {"sections", "quotes"}


@pytest.mark.parametrize(
    "url, fields",
    [
        (f"/v1/articles/{SEED_ID}/quotes", "id,text"),
        (f"/v1/articles/{SEED_ID}/sections", "id,heading"),
        (f"/v1/articles/{SEED_ID}/bullets", "label"),
        (f"/v1/articles/{SEED_ID}/entities", "key,mentions.start"),
        (f"/v1/articles/{SEED_ID}/versions", "version,url"),
        (f"/v1/articles/{SEED_ID}/versions/1", "id,version"),
        (f"/v1/articles/{SEED_ID}/sections/opening", "id"),
        ("/v1/quotes", "article_id,text"),
        ("/v1/entities", "key,article_count"),
        ("/v1/entities/person:donald-trump", "name,articles.article_id"),
        ("/v1/quotes?q=truce", "text,search.rank"),
    ],
)
def test_every_collection_and_item_takes_fields(client, seeded, url, fields):
    joiner = "&" if "?" in url else "?"
    found = data(client, f"{url}{joiner}fields={fields}")
    top = {name.split(".")[0] for name in fields.split(",")}
    for item in found if isinstance(found, list) else [found]:
        assert set(item) <= top, item


@pytest.mark.parametrize(
    "url, name",
    [
        ("/v1/articles?fields=id,colour", "colour"),
        ("/v1/articles?fields=quotes.text", "quotes.text"),  # a listing has no parts
        (f"/v1/articles/{SEED_ID}?fields=quotes.colour", "quotes.colour"),
        (f"/v1/articles/{SEED_ID}?fields=title.length", "title.length"),
        (f"/v1/articles/{SEED_ID}/quotes?fields=speaker.colour", "speaker.colour"),
    ],
)
def test_an_unknown_field_is_a_400_naming_it(client, seeded, url, name):
    response = get(client, url, 400)
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["errors"][0]["parameter"] == "fields"
    assert repr(name) in problem["detail"]


@pytest.mark.parametrize("value", ["", "id,", "ID", "id;title", ",".join(["id"] * 51)])
def test_a_malformed_fields_value_is_a_400(client, seeded, value):
    response = get(client, f"/v1/articles?fields={value}", 400)
    assert response.get_json()["errors"][0]["parameter"] == "fields"


def test_each_selection_has_its_own_etag_and_revalidates(client, seeded):
    plain = get(client, f"/v1/articles/{SEED_ID}")
    cut = get(client, f"/v1/articles/{SEED_ID}?fields=id")
    assert plain.headers["ETag"] != cut.headers["ETag"]
    again = client.get(
        f"/v1/articles/{SEED_ID}?fields=id", headers={"If-None-Match": cut.headers["ETag"]}
    )
    assert again.status_code == 304
    listed = get(client, "/v1/articles?fields=id")
    assert listed.headers["ETag"] != get(client, "/v1/articles").headers["ETag"]


def test_fast_path_and_app_answer_fields_alike(app, seeded):
    """The same request through the fast path and through the app alone: same body, ETag."""
    urls = [
        "/v1/articles?fields=id,title",
        f"/v1/articles/{SEED_ID}?fields=title,quotes.text",
        f"/v1/articles/{SEED_ID}/versions/1?fields=id&include=bullets",
        f"/v1/articles/{SEED_ID}/quotes?fields=text&page_size=2",
    ]
    for url in urls:
        assert_both_paths_agree(app, url)


def _without_required(node):
    """The spec with no member required: what a cut item must still match (each member it
    has, as documented)."""
    if isinstance(node, dict):
        return {k: _without_required(v) for k, v in node.items() if k != "required"}
    if isinstance(node, list):
        return [_without_required(v) for v in node]
    return node


@pytest.mark.parametrize(
    "url, component",
    [
        ("/v1/articles?fields=id,title,counts.quotes,published_at", "ArticleSummary"),
        (
            f"/v1/articles/{SEED_ID}?fields=title,quotes.text,quotes.speaker,entities.mentions",
            "Article",
        ),
        (f"/v1/articles/{SEED_ID}/quotes?fields=text,cue.start", "Quote"),
        ("/v1/quotes?fields=article_id,speaker.name,about", "CorpusQuote"),
        ("/v1/entities?fields=key,article_count", "CorpusEntity"),
        (f"/v1/articles/{SEED_ID}/versions?fields=version,url", "VersionSummary"),
    ],
)
def test_cut_items_match_their_documented_members(client, seeded, url, component):
    """Every member a cut item keeps is as the spec documents it (types, formats, nested
    objects), though not every required member is there: the contract schemathesis cannot
    check (tests/test_contract_schemathesis.py leaves ``fields`` out)."""
    import yaml
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    from .conftest import ROOT

    spec = _without_required(yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8")))
    registry = Registry().with_resource("urn:spec", Resource.from_contents(spec, DRAFT202012))
    validator = Draft202012Validator(
        {"$ref": f"urn:spec#/components/schemas/{component}"}, registry=registry
    )
    found = data(client, url)
    items = found if isinstance(found, list) else [found]
    assert items
    for item in items:
        validator.validate(item)
        assert set(item) <= {name.split(".")[0] for name in url.split("fields=")[1].split(",")}


def test_an_export_is_cut_to_the_fields_too(client, seeded):
    """NDJSON lines carry only the named members; CSV only their columns."""
    import json

    lines = client.get(
        f"/v1/articles/{SEED_ID}/quotes?fields=id,speaker.name",
        headers={"Accept": "application/x-ndjson"},
    ).get_data(as_text=True)
    items = [json.loads(line) for line in lines.splitlines() if line]
    assert items and all(set(item) <= {"id", "speaker"} for item in items)
    assert all(set(item.get("speaker") or {}) <= {"name"} for item in items)
    csv = client.get(
        f"/v1/articles/{SEED_ID}/quotes?fields=id,speaker.name", headers={"Accept": "text/csv"}
    ).get_data(as_text=True)
    assert csv.splitlines()[0] == "id,speaker.name"
    assert len(csv.splitlines()) == len(items) + 1
