"""Who said what about whom: ``/v1/quotes?about=``, ``/v1/entities/{key}/quotes`` and
``/v1/entities/{key}/quoted-about``, through the API on both stores; and the rule itself
(``api.about``), which decides at ingest which entities each quote is about."""

from __future__ import annotations

from urllib.parse import quote as urlquote

import pytest
from sqlalchemy import inspect

from api import migrations
from api.about import blocks_of, quote_about

from .conftest import store_article

FERRY = b"""Ferry operator fined over late sailings

The regulator fined Tidewater Ferries on Tuesday after a winter of cancelled crossings.

"Tidewater Ferries cannot keep blaming the weather," said Sarah Mitchell, who leads the \
island's transport authority. "We gave them a year."

Chief executive John Harper said the company had been squeezed by the Bank of England. \
"Interest rates doubled our repair bill," Harper said of the Bank of England.

"Sarah Mitchell has been fair with us," said Harper, speaking to reporters in Portsmouth.
"""

COUNCIL = b"""Island council backs ferry fine

Council leader Priya Patel welcomed the fine at a meeting on Wednesday.

"John Harper owes the island an apology," Patel said. "The Bank of England is not to blame \
for late boats, and neither is the weather."

"Tidewater Ferries will be on time by spring," John Harper told the council in a letter.
"""

#: The ferry story again, its Bank of England sentence rewritten: a new version.
FERRY_REVISED = FERRY.replace(
    b'"Interest rates doubled our repair bill," Harper said of the Bank of England.',
    b'"Interest rates doubled our repair bill," Harper said.',
)


@pytest.fixture
def stories(store):
    store_article(store, FERRY, "ferry-fine.txt", with_language=True)
    store_article(store, COUNCIL, "council-fine.txt", with_language=True)
    return store


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_json())
    return response.get_json()


def quotes(client, url: str) -> list[dict]:
    return get(client, url)["data"]


def said(items: list[dict]) -> list[tuple[str, str, str]]:
    """``(article, speaker, words)`` of each quote."""
    return [(q["article_id"], q["speaker"]["name"], q["text"]) for q in items]


BANK_QUOTES = [
    (
        "council-fine",
        "Priya Patel",
        "The Bank of England is not to blame for late boats, and neither is the weather.",
    ),
    ("ferry-fine", "John Harper", "Interest rates doubled our repair bill,"),
]


def test_about_finds_quotes_mentioning_the_entity_inside_or_in_the_sentence(client, stories):
    found = quotes(client, "/v1/quotes?about=org:bank-of-england")
    assert said(found) == BANK_QUOTES
    inside, in_sentence = found
    bank = {"key": "org:bank-of-england", "entity_id": "bank-of-england"}
    assert bank | {"where": "quote"} in inside["about"]
    assert bank | {"where": "sentence"} in in_sentence["about"]


def test_each_item_names_the_fixed_version_its_span_is_in(client, stories):
    for item in quotes(client, "/v1/quotes?about=org:bank-of-england"):
        assert item["version"] == 1
        assert item["version_url"] == f"/v1/articles/{item['article_id']}/versions/1"
        version = get(client, item["version_url"])["data"]
        assert version["text"][item["start"] : item["end"]] == item["text"]


def test_about_takes_the_key_the_id_and_every_name(client, stories):
    by_key = quotes(client, "/v1/quotes?about=org:bank-of-england")
    for word in ("bank-of-england", "Bank of England", "bank of england"):
        assert quotes(client, f"/v1/quotes?about={urlquote(word)}") == by_key, word
    by_name = quotes(client, "/v1/quotes?about=John%20Harper&page_size=100")
    assert said(by_name) == [
        ("council-fine", "Priya Patel", "John Harper owes the island an apology,")
    ]
    assert quotes(client, "/v1/quotes?about=nobody-at-all") == []


def test_about_combines_with_speaker_kind_and_via(client, stories):
    harper = quotes(client, "/v1/quotes?speaker=Harper&about=Bank%20of%20England")
    assert said(harper) == [BANK_QUOTES[1]]
    assert quotes(client, "/v1/quotes?speaker=person:priya-patel&about=org:bank-of-england") == [
        quotes(client, "/v1/quotes?about=org:bank-of-england")[0]
    ]
    assert quotes(client, "/v1/quotes?about=org:bank-of-england&kind=term") == []
    direct = quotes(client, "/v1/quotes?about=org:bank-of-england&via=cue")
    assert said(direct) == [BANK_QUOTES[1]]  # Patel's is a continuation


def test_several_about_values_must_all_hold(client, stories):
    both = quotes(client, "/v1/quotes?about=person:sarah-mitchell&about=gpe:portsmouth")
    assert said(both) == [("ferry-fine", "John Harper", "Sarah Mitchell has been fair with us,")]
    assert quotes(client, "/v1/quotes?about=person:sarah-mitchell,gpe:portsmouth") == both
    assert quotes(client, "/v1/quotes?about=org:bank-of-england&about=gpe:portsmouth") == []


def test_the_speakers_own_name_never_counts(client, stories):
    """Harper's name is in the sentence of each of his quotes: that is who said it, not what it
    is about. Mitchell's too."""
    about_harper = quotes(client, "/v1/quotes?about=person:john-harper&page_size=100")
    assert all(q["speaker"]["entity_id"] != "john-harper" for q in about_harper)
    assert said(about_harper) == [
        ("council-fine", "Priya Patel", "John Harper owes the island an apology,")
    ]
    for item in quotes(client, "/v1/quotes?page_size=100"):
        speaker = (item["speaker"] or {}).get("entity_id")
        assert speaker not in {a["entity_id"] for a in item["about"]}, item


def test_what_an_entity_said_across_articles(client, stories):
    body = get(client, "/v1/entities/person:john-harper/quotes")
    assert {q["speaker"]["entity_id"] for q in body["data"]} == {"john-harper"}
    assert [(a, t) for a, _, t in said(body["data"])] == [
        ("council-fine", "Tidewater Ferries will be on time by spring,"),
        ("ferry-fine", "Interest rates doubled our repair bill,"),
        ("ferry-fine", "Sarah Mitchell has been fair with us,"),
    ]
    assert body["meta"]["pagination"]["total_items"] == 3
    assert body["data"] == quotes(client, "/v1/quotes?speaker=person:john-harper")
    cue_only = quotes(client, "/v1/entities/person:sarah-mitchell/quotes?via=cue")
    assert [q["speaker"]["via"] for q in cue_only] == ["cue"]


def test_what_others_said_about_an_entity(client, stories):
    about = quotes(client, "/v1/entities/org:tidewater-ferries/quoted-about")
    assert said(about) == [
        ("council-fine", "John Harper", "Tidewater Ferries will be on time by spring,"),
        ("ferry-fine", "Sarah Mitchell", "Tidewater Ferries cannot keep blaming the weather,"),
    ]
    mitchell = quotes(client, "/v1/entities/person:sarah-mitchell/quoted-about")
    assert said(mitchell) == [
        ("ferry-fine", "John Harper", "Sarah Mitchell has been fair with us,")
    ]
    assert quotes(client, "/v1/entities/person:sarah-mitchell/quotes")  # her own words elsewhere
    assert quotes(client, "/v1/entities/person:priya-patel/quoted-about") == []


def test_cursor_and_page_walks_agree(client, stories):
    everything = quotes(client, "/v1/entities/org:tidewater-ferries/quoted-about?page_size=100")
    walked, url = [], "/v1/entities/org:tidewater-ferries/quoted-about?page_size=1"
    while url:
        body = get(client, url)
        walked += body["data"]
        url = body["links"]["next"]
    assert walked == everything
    paged = get(client, "/v1/quotes?about=org:bank-of-england&page=2&page_size=1")
    assert paged["data"] == quotes(client, "/v1/quotes?about=org:bank-of-england")[1:]
    assert paged["meta"]["pagination"]["total_items"] == 2
    foreign = get(client, "/v1/quotes?page_size=1")["links"]["next"].split("cursor=")[1]
    response = client.get(f"/v1/entities/org:tidewater-ferries/quoted-about?cursor={foreign}")
    assert response.status_code == 400


def test_search_results_say_what_each_quote_is_about(client, stories):
    found = quotes(client, "/v1/quotes?q=interest&about=org:bank-of-england")
    assert said(found) == [BANK_QUOTES[1]]
    assert found[0]["about"] == [
        {"key": "org:bank-of-england", "entity_id": "bank-of-england", "where": "sentence"}
    ]
    assert found[0]["version_url"] == "/v1/articles/ferry-fine/versions/1"
    assert "search" in found[0]


@pytest.mark.parametrize("path", ["quotes", "quoted-about"])
def test_an_unknown_entity_is_a_404_problem(client, stories, path):
    response = client.get(f"/v1/entities/org:no-such-thing/{path}")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert "org:no-such-thing" in response.get_json()["detail"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/v1/quotes?about=", "about"),
        ("/v1/quotes?about=a,", "about"),
        ("/v1/quotes?about=" + "x" * 201, "about"),
        ("/v1/quotes?about=a&about=b&about=c&about=d&about=e&about=f", "about"),
        ("/v1/entities/org:tidewater-ferries/quotes?kind=rumour", "kind"),
        ("/v1/entities/org:tidewater-ferries/quoted-about?via=rumour", "via"),
        ("/v1/entities/org:tidewater-ferries/quoted-about?about=x", "about"),
        ("/v1/entities/org:tidewater-ferries/quotes?page_size=0", "page_size"),
    ],
)
def test_bad_values_are_400s_naming_the_parameter(client, stories, url, parameter):
    response = client.get(url)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["errors"][0]["parameter"] == parameter


def test_a_new_version_and_a_retraction_keep_the_lists_right(client, stories):
    store_article(stories, FERRY_REVISED, "ferry-fine.txt", with_language=True)
    found = quotes(client, "/v1/quotes?about=org:bank-of-england")
    assert said(found) == [BANK_QUOTES[0]]
    revised = quotes(client, "/v1/entities/person:john-harper/quotes")
    assert {(q["article_id"], q["version"]) for q in revised} == {
        ("council-fine", 1),
        ("ferry-fine", 2),
    }
    version = get(client, "/v1/articles/ferry-fine/versions/2")["data"]
    for item in revised:
        if item["article_id"] == "ferry-fine":
            assert version["text"][item["start"] : item["end"]] == item["text"]
    stories.retract("council-fine", "test")
    assert quotes(client, "/v1/quotes?about=org:bank-of-england") == []
    assert {q["article_id"] for q in quotes(client, "/v1/entities/person:john-harper/quotes")} == {
        "ferry-fine"
    }
    assert quotes(client, "/v1/entities/person:john-harper/quoted-about") == []


def test_0008_fills_quote_about_from_the_stored_versions(client, stories):
    """Versions stored before 0008 get what their quotes are about, from their stored bytes:
    the lists read the same once the store is upgraded (older versions included)."""
    store_article(stories, FERRY_REVISED, "ferry-fine.txt", with_language=True)
    urls = [
        "/v1/quotes?page_size=100",
        "/v1/entities/person:john-harper/quotes",
        "/v1/entities/org:bank-of-england/quoted-about",
    ]
    before = [quotes(client, url) for url in urls]
    with stories.engine.connect() as conn:
        rows = sorted(conn.exec_driver_sql("SELECT * FROM quote_about").all())
    assert any(row[1] == 1 for row in rows if row[0] == "ferry-fine")  # the old version's too
    migrations.downgrade(stories.engine, "0006")
    assert "quote_about" not in inspect(stories.engine).get_table_names()
    stories.create_schema()
    assert stories.schema_version() == migrations.head()
    with stories.engine.connect() as conn:
        assert sorted(conn.exec_driver_sql("SELECT * FROM quote_about").all()) == rows
    assert [quotes(client, url) for url in urls] == before


# -- the rule ----------------------------------------------------------------------------------


def entity(entity_id: str, text: str, *names: str) -> dict:
    mentions = []
    for name in names:
        at = text.find(name)
        while at >= 0:
            mentions.append({"start": at, "end": at + len(name)})
            at = text.find(name, at + 1)
    return {"id": entity_id, "key": f"x:{entity_id}", "mentions": mentions}


def speech(text: str, words: str, speaker: str | None) -> dict:
    at = text.index(words)
    return {"start": at, "end": at + len(words), "speaker": {"entity_id": speaker}}


def about(text: str, quotes: list[dict], entities: list[dict], blocks=None):
    found = quote_about(text, quotes, entities, blocks or [(0, len(text))])
    return [(a.position, a.entity_id, a.where) for a in found]


def test_rule_the_sentence_ends_after_the_quote_when_a_new_one_starts():
    text = '"Acme will fail." Mr. Lee of Globex disagreed.'
    entities = [entity("acme", text, "Acme"), entity("globex", text, "Globex")]
    assert about(text, [speech(text, "Acme will fail.", None)], entities) == [(0, "acme", "quote")]


def test_rule_abbreviations_and_initials_do_not_end_a_sentence():
    text = 'Dr. Ann Lee of the U.S. Treasury said: "Rates will rise."'
    entities = [entity("ann-lee", text, "Ann Lee"), entity("treasury", text, "U.S. Treasury")]
    got = about(text, [speech(text, "Rates will rise.", "ann-lee")], entities)
    assert got == [(0, "treasury", "sentence")]


def test_rule_a_quote_inside_the_words_does_not_end_the_sentence_around_it():
    text = '"We tried. We failed," Lee said of Acme. Globex stayed quiet.'
    entities = [entity("acme", text, "Acme"), entity("globex", text, "Globex")]
    assert about(text, [speech(text, "We tried. We failed,", None)], entities) == [
        (0, "acme", "sentence")
    ]


def test_rule_the_paragraph_bounds_the_sentence_and_the_speaker_never_counts():
    text = 'Lee praised Acme\n\n"Good work," said Lee'
    entities = [entity("lee", text, "Lee"), entity("acme", text, "Acme")]
    quote = speech(text, "Good work,", "lee")
    assert about(text, [quote], entities, blocks=[(0, 16), (18, len(text))]) == []
    assert about(text, [dict(quote, speaker=None)], entities, [(0, 16), (18, len(text))]) == [
        (0, "lee", "sentence")
    ]


def test_rule_a_speaker_no_entity_matched_is_not_what_the_quote_is_about():
    text = '"Fares will fall," Okafor said of Tidewater.'
    entities = [entity("okafor", text, "Okafor"), entity("tidewater", text, "Tidewater")]
    for each in entities:
        each["name"], each["aliases"] = each["id"].title(), []
    quote = speech(text, "Fares will fall,", None)
    quote["speaker"]["name"] = "Okafor"
    assert about(text, [quote], entities) == [(0, "tidewater", "sentence")]


def test_rule_blocks_come_from_paragraphs_and_bullets():
    sections = [{"paragraphs": [{"start": 0, "end": 5}, {"start": 7, "end": 9}]}]
    assert blocks_of(sections, [{"start": 11, "end": 20}]) == [(0, 5), (7, 9), (11, 20)]
