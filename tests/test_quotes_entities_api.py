"""Quote and entity endpoints: per article, across the corpus, filters."""

from __future__ import annotations

from urllib.parse import quote as urlquote

import pytest

from .conftest import ARTICLES, SEED, SEED_ID, store_article

pytestmark = pytest.mark.nlp


@pytest.fixture
def corpus(store):
    store_article(store, SEED.read_bytes(), SEED.name, with_language=True)
    other = (
        "Trade talks resume in Geneva\n\n"
        "Donald Trump said on Friday that talks with China would resume next week. "
        '"We are close to a deal," Trump told reporters in Washington.\n'
    )
    store_article(store, other.encode(), "trade-talks.txt", with_language=True)
    markdown = ARTICLES / "markdown-front-matter.md"
    store_article(store, markdown.read_bytes(), markdown.name, with_language=True)
    return store


def data(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_article_quotes_with_filters(client, corpus):
    quotes = data(client, f"/v1/articles/{SEED_ID}/quotes")["data"]
    assert [(q["kind"], (q["speaker"] or {}).get("name")) for q in quotes] == [
        ("speech", "Donald Trump"),
        ("speech", "Donald Trump"),
        ("term", None),
        ("speech", "Howard Lutnick"),
    ]
    terms = data(client, f"/v1/articles/{SEED_ID}/quotes?kind=term")["data"]
    assert [q["text"] for q in terms] == ["general licenses"]
    by_name = data(client, f"/v1/articles/{SEED_ID}/quotes?speaker=Howard%20Lutnick")["data"]
    by_id = data(client, f"/v1/articles/{SEED_ID}/quotes?speaker=howard-lutnick")["data"]
    assert by_name == by_id
    assert [q["id"] for q in by_id] == ["q4"]
    assert by_id[0]["cue"]["text"] == "stating"


def test_quotes_across_articles(client, corpus):
    body = data(client, "/v1/quotes?speaker=donald-trump")
    assert {q["article_id"] for q in body["data"]} == {SEED_ID, "trade-talks"}
    assert body["meta"]["pagination"]["total_items"] == 3
    walked, url = [], "/v1/quotes?page_size=2"
    while url:
        page = data(client, url)
        walked += [(q["article_id"], q["id"]) for q in page["data"]]
        url = page["links"]["next"]
    assert (
        len(walked)
        == len(set(walked))
        == data(client, "/v1/quotes")["meta"]["pagination"]["total_items"]
    )


def test_article_entities_filter_by_type(client, corpus):
    people = data(client, f"/v1/articles/{SEED_ID}/entities?type=PERSON")["data"]
    names = {e["name"] for e in people}
    assert {"Xi Jinping", "Donald Trump", "Howard Lutnick"} <= names
    assert all(e["type"] == "PERSON" for e in people)


def test_entities_across_articles_and_one_entity(client, corpus):
    listed = data(client, "/v1/entities?q=trump&type=PERSON")["data"]
    assert [e["key"] for e in listed] == ["person:donald-trump"]
    assert listed[0]["article_count"] == 2
    one = data(client, "/v1/entities/person:donald-trump")
    assert one["data"]["name"] == "Donald Trump"
    assert {a["article_id"] for a in one["data"]["articles"]} == {SEED_ID, "trade-talks"}
    assert one["meta"]["pagination"]["total_items"] == 2
    paged = data(client, "/v1/entities/person:donald-trump?page_size=1")
    assert len(paged["data"]["articles"]) == 1
    second = data(client, paged["links"]["next"])
    assert second["data"]["articles"][0]["article_id"] != paged["data"]["articles"][0]["article_id"]


def test_articles_filtered_by_entity(client, corpus):
    ids = [a["id"] for a in data(client, "/v1/articles?entity=person:donald-trump")["data"]]
    assert ids == [SEED_ID, "trade-talks"]
    assert data(client, "/v1/articles?entity=person:nobody")["data"] == []


def test_include_quotes_and_entities(client, corpus):
    article = data(client, f"/v1/articles/{SEED_ID}?include=quotes,entities")["data"]
    text = article["text"]
    for quote in article["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]
    for entity in article["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]


def test_speaker_filter_by_an_accented_name(client, store):
    text = (
        "Chef opens a second kitchen\n\n"
        'The chef Zoë Brûlé opened her second restaurant on Friday. "We were full by noon," '
        "Zoë Brûlé said.\n"
    )
    store_article(store, text.encode(), "chef.txt", with_language=True)
    quotes = data(client, "/v1/articles/chef/quotes")["data"]
    speaker = next(q["speaker"] for q in quotes if q["speaker"])
    assert speaker["entity_id"] == "zoe-brule"
    by_name = data(client, "/v1/articles/chef/quotes?speaker=Zo%C3%AB%20Br%C3%BBl%C3%A9")["data"]
    assert [q["id"] for q in by_name] == [q["id"] for q in quotes if q["speaker"]]


def speakers_and_names(client):
    """Every speaking entity of the seed, with each way the API says it is known: its key, id,
    name and every alias."""
    entities = data(client, f"/v1/articles/{SEED_ID}/entities?page_size=100")["data"]
    by_id = {entity["id"]: entity for entity in entities}
    quotes = data(client, f"/v1/articles/{SEED_ID}/quotes?page_size=100")["data"]
    speaking = {q["speaker"]["entity_id"] for q in quotes if (q["speaker"] or {}).get("entity_id")}
    assert speaking, "the seed has quotes by entities"
    for entity_id in sorted(speaking):
        entity = by_id[entity_id]
        yield entity, [entity["key"], entity["id"], entity["name"], *entity["aliases"]]


def test_speaker_takes_the_key_the_id_and_every_name_of_the_entity(client, corpus):
    checked = 0
    for entity, names in speakers_and_names(client):
        by_id = data(client, f"/v1/quotes?speaker={entity['id']}&page_size=100")["data"]
        assert by_id and all(q["speaker"]["entity_id"] == entity["id"] for q in by_id)
        for name in names:
            for url in ("/v1/quotes", f"/v1/articles/{SEED_ID}/quotes"):
                found = data(client, f"{url}?speaker={urlquote(name)}&page_size=100")["data"]
                expected = [q for q in by_id if url == "/v1/quotes" or q["article_id"] == SEED_ID]
                if url != "/v1/quotes":
                    across = ("article_id", "version", "version_url", "about")
                    expected = [{k: v for k, v in q.items() if k not in across} for q in expected]
                assert found == expected, (url, name)
            checked += 1
    assert checked >= 4  # at least a key, an id, a name and an alias of someone


def test_speaker_by_alias_across_articles_and_with_search(client, corpus):
    """``Trump`` is an alias in both articles; ``person:donald-trump`` is the key /v1/entities
    advertises: both find his quotes in both articles, with or without ``q``."""
    by_key = data(client, "/v1/quotes?speaker=person:donald-trump")["data"]
    assert {q["article_id"] for q in by_key} == {SEED_ID, "trade-talks"}
    assert data(client, "/v1/quotes?speaker=Trump")["data"] == by_key
    searched = data(client, "/v1/quotes?speaker=Trump&q=deal")["data"]
    assert [q["article_id"] for q in searched] == ["trade-talks"]
    assert data(client, "/v1/quotes?speaker=person:howard-lutnick&q=deal")["data"] == []


def test_an_unknown_speaker_finds_nothing(client, corpus):
    for name in ("nobody", "person:nobody", "org:donald-trump", "Trump Tower"):
        assert data(client, f"/v1/quotes?speaker={urlquote(name)}")["data"] == [], name


def test_the_entity_filter_takes_the_same_names(client, corpus):
    by_key = [a["id"] for a in data(client, "/v1/articles?entity=person:donald-trump")["data"]]
    assert by_key == [SEED_ID, "trade-talks"]
    for name in ("donald-trump", "Donald Trump", "Trump"):
        found = [a["id"] for a in data(client, f"/v1/articles?entity={urlquote(name)}")["data"]]
        assert found == by_key, name


def _grouped_now(store) -> list[tuple]:
    """What ``corpus_entities`` must hold: the latest versions' entities, grouped now."""
    from sqlalchemy import select

    from api.store.reads import grouped_entities

    grouped = grouped_entities([])
    with store.reading() as conn:
        rows = conn.execute(select(grouped).order_by(grouped.c.key)).all()
    return [tuple(row) for row in rows]


def _kept(store) -> list[tuple]:
    from sqlalchemy import select

    from api.store.tables import corpus_entities

    with store.reading() as conn:
        rows = conn.execute(select(corpus_entities).order_by(corpus_entities.c.key)).all()
    return [tuple(row) for row in rows]


def test_entities_across_articles_are_kept_at_ingest_as_grouping_would_find_them(client, store):
    """``/v1/entities`` reads ``corpus_entities``, which each save keeps: after new articles, a
    new version that drops a person and names another, and an unchanged re-ingest, it holds
    what grouping the latest versions finds, and the API serves it."""
    raw = SEED.read_bytes()
    store_article(store, raw, SEED.name, with_language=True)
    markdown = ARTICLES / "markdown-front-matter.md"
    store_article(store, markdown.read_bytes(), markdown.name, with_language=True)
    assert _kept(store) == _grouped_now(store) != []
    edited = raw.replace(b"Howard Lutnick", b"Jane Roe").replace(b"Lutnick", b"Roe")
    assert store_article(store, edited, SEED.name, with_language=True).version == 2
    kept = _kept(store)
    assert kept == _grouped_now(store)
    keys = {row[0] for row in kept}
    assert "person:jane-roe" in keys and "person:howard-lutnick" not in keys
    store_article(store, edited, SEED.name, with_language=True)  # unchanged: no new version
    assert _kept(store) == kept
    listed = client.get("/v1/entities?page_size=100").get_json()
    assert [item["key"] for item in listed["data"]] == sorted(keys)
    assert listed["meta"]["pagination"]["total_items"] == len(keys)


def _counters_now(store) -> dict[str, int]:
    """What ``/v1/entities``' counters must say: the ``corpus_entities`` rows, counted now."""
    counted: dict[str, int] = {"corpus_entities": 0}
    for _key, _name, entity_type, *_ in _kept(store):
        counted["corpus_entities"] += 1
        counted[f"corpus_entities:{entity_type}"] = (
            counted.get(f"corpus_entities:{entity_type}", 0) + 1
        )
    return counted


def _counters_kept(store) -> dict[str, int]:
    from sqlalchemy import select

    from api.store.tables import totals

    with store.reading() as conn:
        rows = conn.execute(select(totals).where(totals.c.name.like("corpus_entities%"))).all()
    return {name: value for name, value in rows if value}


def test_entity_totals_are_kept_by_every_save_and_retraction(client, store):
    """``/v1/entities``' ``total_items`` (all, and per ``type``) is a stored counter that each
    save and retraction keeps equal to the rows it counts, so no page counts rows."""
    raw = SEED.read_bytes()
    store_article(store, raw, SEED.name, with_language=True)
    markdown = ARTICLES / "markdown-front-matter.md"
    store_article(store, markdown.read_bytes(), markdown.name, with_language=True)
    assert _counters_kept(store) == _counters_now(store)
    edited = raw.replace(b"Howard Lutnick", b"Jane Roe").replace(b"Lutnick", b"Roe")
    store_article(store, edited, SEED.name, with_language=True)
    assert _counters_kept(store) == _counters_now(store)
    store.retract(SEED_ID, "test")
    kept = _counters_kept(store)
    assert kept == _counters_now(store)
    for entity_type in ("PERSON", "ORG", "GPE"):
        page = client.get(f"/v1/entities?type={entity_type}&page_size=1").get_json()
        total = page["meta"]["pagination"]["total_items"]
        assert total == kept.get(f"corpus_entities:{entity_type}", 0)
        listed = client.get(f"/v1/entities?type={entity_type}&page_size=100").get_json()
        assert len(listed["data"]) == total
    assert (
        client.get("/v1/entities").get_json()["meta"]["pagination"]["total_items"]
        == kept["corpus_entities"]
    )
