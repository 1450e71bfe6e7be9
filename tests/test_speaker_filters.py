"""``?via=`` and ``?speaker=`` for a speaker no entity matches, through the API on both stores."""

from __future__ import annotations

import pytest

from .conftest import NLP_ARTICLES, store_article

ARTICLE = b"""Pier reopens after storm repairs

Harbourmaster Tomas Reyes said the pier would reopen on Friday.

"The new deck will outlast all of us," said Reyes. "We built it for a hundred years."

Anika Lindqvist, who chairs the pier trust, was more cautious. "We still need the railings
painted before the summer," she said.

"Nobody should fish from the far end until then," Lindqvist added.
"""


@pytest.fixture
def pier(store):
    store_article(store, ARTICLE, "pier-reopens.txt", with_language=True)
    return "pier-reopens"


def quotes(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def test_every_speaker_says_how_it_was_found(client, pier):
    got = quotes(client, f"/v1/articles/{pier}/quotes")
    assert all(q["speaker"] is None or q["speaker"]["via"] for q in got)
    vias = {q["speaker"]["via"] for q in got if q["speaker"]}
    assert "pronoun" in vias and "cue" in vias


def test_via_keeps_only_the_attributions_asked_for(client, pier):
    everything = quotes(client, f"/v1/articles/{pier}/quotes?page_size=100")
    direct = quotes(client, f"/v1/articles/{pier}/quotes?via=cue,according-to&page_size=100")
    assert direct and len(direct) < len(everything)
    assert {q["speaker"]["via"] for q in direct} <= {"cue", "according-to"}
    repeated = quotes(client, f"/v1/articles/{pier}/quotes?via=cue&via=according-to")
    assert [q["id"] for q in repeated] == [q["id"] for q in direct][: len(repeated)]
    across = quotes(client, "/v1/quotes?via=pronoun")
    assert across and all(q["speaker"]["via"] == "pronoun" for q in across)


def test_a_bad_via_is_a_400_naming_it(client, pier):
    response = client.get(f"/v1/articles/{pier}/quotes?via=rumour")
    assert response.status_code == 400
    assert response.get_json()["errors"][0]["parameter"] == "via"


def test_speaker_finds_a_speaker_by_any_of_its_names(client, pier):
    by_surname = quotes(client, f"/v1/articles/{pier}/quotes?speaker=Lindqvist")
    assert by_surname and all(q["speaker"]["name"] == "Anika Lindqvist" for q in by_surname)
    for word in ("Tomas Reyes", "tomas-reyes", "Reyes"):
        found = quotes(client, f"/v1/articles/{pier}/quotes?speaker={word}")
        assert found and all("Reyes" in q["speaker"]["name"] for q in found), word


def test_speaker_finds_a_speaker_no_entity_matches_by_its_name(client, store):
    # "The union Unite said it was “deeply concerned” …": the model finds no entity Unite, so
    # the quote's speaker is the name alone (entity_id null), and the filter finds it by name.
    article = NLP_ARTICLES / "airline-cuts.txt"
    store_article(store, article.read_bytes(), article.name, with_language=True)
    found = quotes(client, "/v1/articles/airline-cuts/quotes?speaker=Unite")
    assert [q["text"] for q in found] == ["deeply concerned"]
    assert found[0]["speaker"] == {"entity_id": None, "name": "Unite", "via": "cue"}
    across = dict(found[0], article_id="airline-cuts", version=1)
    across["version_url"] = "/v1/articles/airline-cuts/versions/1"
    assert [q | {"about": []} for q in quotes(client, "/v1/quotes?speaker=unite")] == [
        across | {"about": []}
    ]
