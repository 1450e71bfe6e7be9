"""Semantic diffs between versions (``/v1/articles/{id}/versions/{a}/diff/{b}``), through the
HTTP API on both store backends, with two versions of an article of our own; and the change
feed's link to them. The matching rules themselves are checked on :mod:`api.diff` directly."""

from __future__ import annotations

import pytest

from api import diff as semantic
from api.contract import IMMUTABLE, MAX_VERSION

from .conftest import store_article

pytestmark = pytest.mark.nlp  # quotes, speakers and entities need the language stages

NAME = "harbour-bridge.txt"
A = "/v1/articles/harbour-bridge"

FIRST = b"""# Harbour bridge vote delayed

The city council delayed its vote on the harbour bridge on Tuesday. Mayor Ana Ruiz said the \
plans needed more work.

## Costs

"We cannot sign a blank cheque," said Ana Ruiz, who chairs the council.

- Budget: The bridge would cost 40 million euros.
- Timeline: Building would take three years.

## Opposition

Tom Becker, a councillor, said: "The harbour needs this bridge now."
"""

SECOND = b"""# Harbour bridge vote delayed again

The city council delayed its vote on the harbour bridge for a second time on Tuesday. Mayor Ana \
Ruiz said the plans needed more work.

## Money

"We cannot sign a blank cheque," said Ana Ruiz, who chairs the council.

- Budget: The bridge would cost 45 million euros.
- Timeline: Building would take three years.

## Opposition

"The harbour really needs this bridge now," said Maria Lopez, a councillor.

## Next steps

The Port Authority will publish a new study in March. "Nobody should expect miracles from a \
single report," said Peter Novak, its director.
"""


@pytest.fixture
def versions(client, store):
    store_article(store, FIRST, NAME, with_language=True)
    store_article(store, SECOND, NAME, with_language=True)
    first = client.get(f"{A}/versions/1").get_json()["data"]
    second = client.get(f"{A}/versions/2").get_json()["data"]
    return first["text"], second["text"]


def get_diff(client, a: int, b: int) -> dict:
    response = client.get(f"{A}/versions/{a}/diff/{b}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def spans_check(text: str, side: dict, field: str = "text") -> None:
    """A side's offsets point at what it says in its own version's text."""
    assert text[side["start"] : side["end"]] == side[field], side


def test_a_diff_names_every_kind_of_change_with_spans_in_both_versions(client, versions):
    before, after = versions
    body = get_diff(client, 1, 2)
    data = body["data"]
    assert (data["article_id"], data["from_version"], data["to_version"]) == (
        "harbour-bridge",
        1,
        2,
    )
    assert data["identical"] is False and data["text_changed"] is True
    assert body["links"] == {
        "self": f"{A}/versions/1/diff/2",
        "from_version": f"{A}/versions/1",
        "to_version": f"{A}/versions/2",
        "reverse": f"{A}/versions/2/diff/1",
        "article": A,
    }

    title = data["title"]
    assert title["from"]["text"] == "Harbour bridge vote delayed"
    assert title["to"]["text"] == "Harbour bridge vote delayed again"
    spans_check(before, title["from"])
    spans_check(after, title["to"])
    spans_check(before, data["summary"]["from"])
    spans_check(after, data["summary"]["to"])
    assert "second time" in data["summary"]["to"]["text"]

    sections = data["sections"]
    assert [(c["from"]["id"], c["to"]["id"]) for c in sections["renamed"]] == [("costs", "money")]
    assert [c["to"]["heading"] for c in sections["added"]] == ["Next steps"]
    assert all(c["from"] is None for c in sections["added"])
    assert sections["removed"] == []
    renamed = sections["renamed"][0]
    assert before[renamed["from"]["start"] :].startswith("Costs")
    assert after[renamed["to"]["start"] :].startswith("Money")
    # Words changed: the opening's lede, a bullet under the renamed heading, the opposition's
    # paragraph; each pair of spans shows the change.
    edited = {c["to"]["id"]: c for c in sections["edited"]}
    assert list(edited) == ["opening", "money", "opposition"]
    assert "40 million" in before[edited["money"]["from"]["start"] : edited["money"]["from"]["end"]]
    assert "45 million" in after[edited["money"]["to"]["start"] : edited["money"]["to"]["end"]]
    assert all(0 < c["similarity"] < 1 for c in sections["edited"])

    quotes = data["quotes"]
    assert quotes["removed"] == []
    assert [c["to"]["text"] for c in quotes["added"]] == [
        "Nobody should expect miracles from a single report,"
    ]
    (edited,) = quotes["edited"]
    assert edited["from"]["text"] == "The harbour needs this bridge now."
    assert edited["to"]["text"] == "The harbour really needs this bridge now,"
    assert semantic.QUOTE_SIMILARITY <= edited["similarity"] < 1
    (moved,) = quotes["reattributed"]  # the edited quote, now said by someone else
    assert moved["from"]["speaker"]["name"] == "Tom Becker"
    assert moved["to"]["speaker"]["name"] == "Maria Lopez"
    assert moved["to"]["speaker"]["key"] == "person:maria-lopez"
    for change in [*quotes["added"], *quotes["edited"]]:
        spans_check(after, change["to"])
    spans_check(before, edited["from"])

    entities = data["entities"]
    gained = {c["to"]["key"] for c in entities["gained"]}
    lost = {c["from"]["key"] for c in entities["lost"]}
    assert {"person:maria-lopez", "org:port-authority"} <= gained
    assert "person:tom-becker" in lost and not gained & lost
    for change in entities["gained"]:
        for mention in change["to"]["mentions"]:
            spans_check(after, mention)
    for change in entities["lost"]:
        for mention in change["from"]["mentions"]:
            spans_check(before, mention)


def test_the_reverse_diff_swaps_the_sides(client, versions):
    forward = get_diff(client, 1, 2)["data"]
    back = get_diff(client, 2, 1)["data"]
    assert (back["from_version"], back["to_version"]) == (2, 1)
    assert back["title"] == {"from": forward["title"]["to"], "to": forward["title"]["from"]}
    assert [c["from"] for c in back["sections"]["removed"]] == [
        c["to"] for c in forward["sections"]["added"]
    ]
    assert [c["from"] for c in back["quotes"]["removed"]] == [
        c["to"] for c in forward["quotes"]["added"]
    ]
    assert {c["from"]["key"] for c in back["entities"]["lost"]} == {
        c["to"]["key"] for c in forward["entities"]["gained"]
    }


def test_a_version_against_itself_is_an_empty_diff(client, versions):
    data = get_diff(client, 2, 2)["data"]
    assert data["identical"] is True and data["text_changed"] is False
    assert data["title"] is None and data["summary"] is None
    for group in ("sections", "quotes", "entities"):
        assert all(change == [] for change in data[group].values()), group


def test_a_diff_is_immutable_and_answers_304(client, versions):
    response = client.get(f"{A}/versions/1/diff/2")
    assert response.headers["Cache-Control"] == IMMUTABLE
    etag = response.headers["ETag"]
    again = client.get(f"{A}/versions/1/diff/2", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(f"{A}/versions/2/diff/1").headers["ETag"] != etag


@pytest.mark.parametrize(
    ("path", "missing"),
    [
        (f"{A}/versions/1/diff/3", "version 3"),
        (f"{A}/versions/7/diff/2", "version 7"),
        (f"{A}/versions/8/diff/9", "version 8 or 9"),
        ("/v1/articles/nope/versions/1/diff/2", "No article with id 'nope'"),
    ],
)
def test_a_missing_version_is_a_404_naming_it(client, versions, path, missing):
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert missing in response.get_json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        f"{A}/versions/0/diff/1",
        f"{A}/versions/01/diff/2",
        f"{A}/versions/1/diff/{MAX_VERSION + 1}",
        f"{A}/versions/{10**30}/diff/1",
        f"{A}/versions/-1/diff/1",
    ],
)
def test_versions_out_of_range_are_404s_not_500s(client, versions, path):
    assert client.get(path).status_code == 404


def test_a_query_parameter_is_a_400_naming_it(client, versions):
    response = client.get(f"{A}/versions/1/diff/2?include=sections")
    assert response.status_code == 400
    assert "include" in response.get_data(as_text=True)


def test_a_retracted_article_has_no_diffs(client, store, versions):
    store.retract("harbour-bridge", "legal request")
    response = client.get(f"{A}/versions/1/diff/2")
    assert response.status_code == 410
    assert response.get_json()["reason"] == "legal request"


def test_updated_events_link_to_their_diff(client, versions):
    events = client.get("/v1/changes?article_id=harbour-bridge").get_json()["data"]
    assert [e["type"] for e in events] == ["article.created", "article.updated"]
    assert events[0]["links"]["diff"] is None
    link = events[1]["links"]["diff"]
    assert link == f"{A}/versions/1/diff/2"
    assert client.get(link).get_json()["data"]["to_version"] == 2


def test_the_version_list_links_each_version_to_its_diff(client, versions):
    listed = client.get(f"{A}/versions").get_json()["data"]
    assert [(v["version"], v["diff"]) for v in listed] == [
        (2, f"{A}/versions/1/diff/2"),
        (1, None),
    ]
    assert client.get(listed[0]["diff"]).status_code == 200


# -- the matching rules, on api.diff itself ---------------------------------------------------


def section(sid: str, heading: str | None, position: int, *paragraphs: str) -> dict:
    return {
        "id": sid,
        "heading": heading,
        "position": position,
        "start": position * 100,
        "end": position * 100 + 50,
        "paragraphs": [{"position": n, "text": p} for n, p in enumerate(paragraphs)],
    }


def test_sections_are_renamed_by_id_by_paragraphs_or_by_position():
    before = [
        section("opening", None, 0, "Lede."),
        section("costs", "Costs", 1, "It costs a lot."),
        section("plans", "Plans", 2, "The plans were drawn up by the harbour office last year."),
        section("vote", "Vote", 3, "A vote on Tuesday."),
        section("gone", "Gone", 4, "Something else entirely."),
    ]
    after = [
        section("opening", None, 0, "Lede."),
        section("money", "Money", 1, "It costs a lot."),  # same paragraphs
        section("drawings", "Drawings", 2, "The plans were drawn by the harbour office last year."),
        section("vote", "VOTE", 3, "A vote on Tuesday."),  # same id, heading rewritten
        section("new", "New", 4, "Nothing like before, at all, in any way."),
    ]
    changes = semantic.diff_sections(before, after)
    renamed = [(c["from"]["id"], c["to"]["id"]) for c in changes["renamed"]]
    assert renamed == [("costs", "money"), ("plans", "drawings"), ("vote", "vote")]
    assert [c["from"]["id"] for c in changes["removed"]] == ["gone"]
    assert [c["to"]["id"] for c in changes["added"]] == ["new"]
    assert [(c["from"]["id"], c["to"]["id"]) for c in changes["edited"]] == [("plans", "drawings")]


def test_a_section_whose_bullets_changed_is_edited():
    before = [section("costs", "Costs", 0, "It costs a lot.")]
    bullet = {"id": "b1", "section_id": "costs", "label": "Budget", "text": "40 million."}
    changed = semantic.diff_sections(before, before, [bullet], [{**bullet, "text": "45 million."}])
    assert [c["to"]["id"] for c in changed["edited"]] == ["costs"]
    relabelled = semantic.diff_sections(before, before, [bullet], [{**bullet, "label": "Cost"}])
    assert [c["to"]["id"] for c in relabelled["edited"]] == ["costs"]
    same = semantic.diff_sections(before, before, [bullet], [dict(bullet)])
    assert same["edited"] == []


def quote(qid: str, text: str, speaker: str | None, entity_id: str | None = None) -> dict:
    return {
        "id": qid,
        "section_id": "opening",
        "text": text,
        "kind": "speech",
        "speaker": None
        if speaker is None
        else {"entity_id": entity_id, "name": speaker, "via": "cue"},
        "cue": None,
        "start": 0,
        "end": len(text),
    }


def test_quotes_are_matched_exactly_then_by_similarity_and_reattributed_by_speaker():
    before = [
        quote("q1", "We will build it.", "Ana Ruiz"),
        quote("q2", "The costs are far too high for this city.", "Tom Becker", "tom-becker"),
        quote("q3", "Completely different words here.", "Ana Ruiz"),
    ]
    after = [
        quote("q1", "The costs are much too high for this city.", "Tom Becker", "tom-becker"),
        quote("q2", "We will build it.", "Maria Lopez", "maria-lopez"),
        quote("q3", "Nothing alike at all.", None),
    ]
    a_keys = {"tom-becker": "person:tom-becker"}
    b_keys = {"tom-becker": "person:tom-becker", "maria-lopez": "person:maria-lopez"}
    changes = semantic.diff_quotes(before, after, a_keys, b_keys)
    assert [(c["from"]["id"], c["to"]["id"]) for c in changes["edited"]] == [("q2", "q1")]
    assert changes["edited"][0]["to"]["speaker"]["key"] == "person:tom-becker"
    assert [(c["from"]["id"], c["to"]["id"]) for c in changes["reattributed"]] == [("q1", "q2")]
    assert changes["reattributed"][0]["similarity"] == 1.0
    assert [c["from"]["id"] for c in changes["removed"]] == ["q3"]
    assert [c["to"]["id"] for c in changes["added"]] == ["q3"]


def test_a_speaker_found_as_an_entity_later_is_the_same_speaker():
    before = [quote("q1", "We will build it.", "Ana Ruiz")]
    after = [quote("q1", "We will build it.", "Ana Ruiz", "ana-ruiz")]
    changes = semantic.diff_quotes(before, after, {}, {"ana-ruiz": "person:ana-ruiz"})
    assert changes["reattributed"] == []
