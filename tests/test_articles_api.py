"""The article, section and bullet endpoints against stored test articles."""

from __future__ import annotations

from .conftest import SEED_ID


def test_article_envelope_and_fields(client, loaded):
    response = client.get(f"/v1/articles/{SEED_ID}")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    body = response.get_json()
    assert set(body) == {"data", "links", "meta"}
    article = body["data"]
    assert article["id"] == SEED_ID
    assert article["version"] == 1
    assert article["title_source"] == "derived"
    assert article["counts"]["sections"] == 3
    assert article["counts"]["bullets"] == 5
    assert article["source"]["file"] == "000_8cbe90a26df69869.txt"
    assert "sections" not in article and "bullets" not in article
    assert body["links"]["versions"] == f"/v1/articles/{SEED_ID}/versions"


def test_include_embeds_parts_with_consistent_offsets(client, loaded):
    article = client.get(f"/v1/articles/{SEED_ID}?include=bullets,sections").get_json()["data"]
    text = article["text"]
    assert [s["heading"] for s in article["sections"]][1:] == [
        "Call Comes Amid Complex US-China Relations",
        "Negotiations on Rare Earths and AI Chips",
    ]
    for section in article["sections"]:
        for paragraph in section["paragraphs"]:
            assert text[paragraph["start"] : paragraph["end"]] == paragraph["text"]
    assert [b["label"] for b in article["bullets"]] == [
        "Trade Truce",
        "Soybean Purchases",
        "Regional Tensions",
        "Rare Earths",
        "AI Chips",
    ]
    for bullet in article["bullets"]:
        assert text[bullet["start"] : bullet["end"]] == bullet["text"]
    # Parts come in a fixed order whatever order `include` names them in.
    assert list(article)[-2:] == ["sections", "bullets"]


def test_unknown_include_is_a_400_naming_it(client, loaded):
    response = client.get(f"/v1/articles/{SEED_ID}?include=sections,comments")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == "include"


def test_sections_and_section_item(client, loaded):
    sections = client.get(f"/v1/articles/{SEED_ID}/sections").get_json()
    assert [s["id"] for s in sections["data"]] == [
        "opening",
        "call-comes-amid-complex-us-china-relations",
        "negotiations-on-rare-earths-and-ai-chips",
    ]
    assert sections["meta"]["pagination"]["total_items"] == 3
    one = client.get(f"/v1/articles/{SEED_ID}/sections/negotiations-on-rare-earths-and-ai-chips")
    assert one.status_code == 200
    assert one.get_json()["data"]["bullet_ids"] == ["b4", "b5"]
    missing = client.get(f"/v1/articles/{SEED_ID}/sections/nope")
    assert missing.status_code == 404


def test_bullets_belong_to_sections(client, loaded):
    bullets = client.get(f"/v1/articles/{SEED_ID}/bullets?page_size=2&page=2").get_json()
    assert [b["id"] for b in bullets["data"]] == ["b3", "b4"]
    assert bullets["data"][1]["section_id"] == "negotiations-on-rare-earths-and-ai-chips"
    assert bullets["meta"]["pagination"] == {
        "mode": "page",
        "page_size": 2,
        "total_items": 5,
        "page": 2,
        "total_pages": 3,
    }


def test_article_list_summaries_have_no_text(client, loaded):
    body = client.get("/v1/articles").get_json()
    ids = [a["id"] for a in body["data"]]
    assert ids == sorted(ids)
    assert SEED_ID in ids and "library-opening-2026" in ids
    assert all("text" not in a for a in body["data"])
    assert body["meta"]["pagination"]["mode"] == "cursor"


def test_since_filters_by_ingest_time(client, loaded):
    assert client.get("/v1/articles?since=2000-01-01T00:00:00Z").get_json()["data"]
    assert client.get("/v1/articles?since=2999-01-01T00:00:00Z").get_json()["data"] == []
    bad = client.get("/v1/articles?since=yesterday")
    assert bad.status_code == 400
    assert bad.get_json()["errors"][0]["parameter"] == "since"


def test_readyz_needs_data(client, store):
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200
