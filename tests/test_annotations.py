"""``?include=annotations``: every part's spans over ``text`` in one sorted list, through the
HTTP API (the fast path and the Flask app alike) on both store backends, for the latest article
and for a version URL. The proof that a frontend can use it: render ``text`` to HTML with every
span (nested and overlapping ones split and reopened), parse the HTML back and find each span's
text, and find every part's offsets among the spans."""

from __future__ import annotations

import html
import itertools
from html.parser import HTMLParser

import pytest

from api.annotations import TYPES
from api.app import create_app

from .conftest import SEED, SEED_ID, store_article
from .test_diff import FIRST, NAME, SECOND

pytestmark = pytest.mark.nlp  # quotes, speakers and entities need the language stages

A = "/v1/articles/harbour-bridge"


@pytest.fixture
def stored(store):
    store_article(store, FIRST, NAME, with_language=True)
    store_article(store, SECOND, NAME, with_language=True)
    return store


def get_data(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]


# -- rendering ----------------------------------------------------------------------------------


def render(text: str, spans: list[dict]) -> str:
    """``text`` as HTML, each span a ``<span data-i=…>`` (split into several elements where it
    overlaps another without nesting): at every boundary the open elements are closed down to
    what both segments share and the rest reopened, in the list's order."""
    order = {id(span): index for index, span in enumerate(spans)}
    cuts = sorted({0, len(text), *(s["start"] for s in spans), *(s["end"] for s in spans)})
    out, stack = [], []
    for left, right in itertools.pairwise(cuts):
        wanted = [s for s in spans if s["start"] <= left and right <= s["end"]]
        wanted.sort(key=lambda s: order[id(s)])
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        out.extend("</span>" for _ in stack[keep:])
        for span in wanted[keep:]:
            out.append(f'<span class="{span["type"]}" data-i="{order[id(span)]}">')
        stack = wanted
        out.append(html.escape(text[left:right]))
    out.extend("</span>" for _ in stack)
    return "".join(out)


class SpanTexts(HTMLParser):
    """The text inside each ``data-i`` element (every fragment of it, in order)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[int] = []
        self.texts: dict[int, str] = {}
        self.plain: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.open.append(int(dict(attrs)["data-i"]))

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        self.plain.append(data)
        for index in self.open:
            self.texts[index] = self.texts.get(index, "") + data


def check_rendering(text: str, spans: list[dict]) -> None:
    page = render(text, spans)
    parsed = SpanTexts()
    parsed.feed(page)
    parsed.close()
    assert "".join(parsed.plain) == text  # nothing lost or doubled
    for index, span in enumerate(spans):
        assert parsed.texts[index] == text[span["start"] : span["end"]], span


def check_every_part_is_annotated(data: dict, spans: list[dict]) -> None:
    found = {(s["type"], s["start"], s["end"], s["id"]) for s in spans}
    text = data["text"]
    expected = set()
    if data["title_source"] != "derived":  # a derived title is the lede's, not a line of its own
        expected.add(("title", 0, len(data["title"]), data["id"]))
    for section in data["sections"]:
        if section["heading"]:
            end = section["start"] + len(section["heading"])
            expected.add(("heading", section["start"], end, section["id"]))
        for paragraph in section["paragraphs"]:
            expected.add(("paragraph", paragraph["start"], paragraph["end"], section["id"]))
    for bullet in data["bullets"]:
        expected.add(("bullet", bullet["start"], bullet["end"], bullet["id"]))
        if bullet["label"]:
            label = [s for s in spans if s["type"] == "bullet_label" and s["id"] == bullet["id"]]
            assert [text[s["start"] : s["end"]] for s in label] == [bullet["label"]]
    for quote in data["quotes"]:
        expected.add(("quote", quote["start"], quote["end"], quote["id"]))
        if quote["cue"]:
            expected.add(("cue", quote["cue"]["start"], quote["cue"]["end"], quote["id"]))
    for entity in data["entities"]:
        for mention in entity["mentions"]:
            expected.add(("entity_mention", mention["start"], mention["end"], entity["id"]))
    assert expected <= found, expected - found


# -- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [A, f"{A}/versions/1", f"{A}/versions/2"])
def test_annotations_render_to_html_and_cover_every_part(client, stored, url):
    data = get_data(client, f"{url}?include=sections,bullets,quotes,entities,annotations")
    spans = data["annotations"]
    assert spans == sorted(spans, key=lambda s: (s["start"], -s["end"]))
    assert {s["type"] for s in spans} <= set(TYPES)
    assert all(0 <= s["start"] < s["end"] <= len(data["text"]) for s in spans)
    check_rendering(data["text"], spans)
    check_every_part_is_annotated(data, spans)


def test_each_span_carries_its_resource_and_extras(client, stored):
    data = get_data(client, f"{A}/versions/1?include=annotations,entities,quotes")
    text, spans = data["text"], data["annotations"]
    by_type = {}
    for span in spans:
        by_type.setdefault(span["type"], []).append(span)
    assert set(by_type) == set(TYPES)  # this article has one of each
    assert [text[s["start"] : s["end"]] for s in by_type["bullet_label"]] == ["Budget", "Timeline"]
    assert [s["id"] for s in by_type["bullet_label"]] == ["b1", "b2"]
    assert [text[s["start"] : s["end"]] for s in by_type["heading"]] == ["Costs", "Opposition"]
    entity = next(s for s in by_type["entity_mention"] if s["id"] == "tom-becker")
    assert (entity["entity_type"], entity["entity_key"]) == ("PERSON", "person:tom-becker")
    quotes = {q["id"]: q for q in data["quotes"]}
    for span in by_type["quote"]:
        assert span["quote_kind"] == quotes[span["id"]]["kind"]
    # Speakers named next to their quote: as an entity (Tom Becker) or as a bare name (Ana Ruiz).
    speakers = {
        s["id"]: (text[s["start"] : s["end"]], s["entity_id"]) for s in by_type["speaker_mention"]
    }
    assert speakers == {"q1": ("Ana Ruiz", None), "q2": ("Tom Becker", "tom-becker")}
    cue = by_type["cue"][0]
    assert text[cue["start"] : cue["end"]] == "said"


def test_annotations_alone_and_with_parts_are_spliced_in_order(client, stored):
    alone = client.get(f"{A}?include=annotations")
    both = client.get(f"{A}?include=annotations,quotes")
    assert alone.status_code == both.status_code == 200
    assert "quotes" not in alone.get_json()["data"]
    keys = list(both.get_json()["data"])
    assert keys[-2:] == ["quotes", "annotations"]  # parts first, annotations last
    assert alone.get_json()["data"]["annotations"] == both.get_json()["data"]["annotations"]
    assert alone.headers["ETag"] != both.headers["ETag"]
    again = client.get(f"{A}?include=annotations", headers={"If-None-Match": alone.headers["ETag"]})
    assert again.status_code == 304


def test_a_bad_include_is_a_400_naming_it(client, stored):
    response = client.get(f"{A}?include=annotation")
    assert response.status_code == 400
    assert "include" in response.get_data(as_text=True)


def test_the_fast_path_and_the_app_answer_annotations_alike(db_url, stored):
    fast = create_app({"DATABASE_URL": db_url, "TESTING": True, "FAST_PATH": True})
    slow = create_app({"DATABASE_URL": db_url, "TESTING": True, "FAST_PATH": False})
    try:
        fastpath = fast.extensions["article_fastpath"]
        for url in [
            f"{A}?include=annotations",
            f"{A}/versions/1?include=annotations",
            f"{A}/versions/2?include=sections&include=annotations",
        ]:
            before = fastpath.answered
            headers = {"X-Request-ID": "same"}
            mine, theirs = (
                fast.test_client().get(url, headers=headers),
                slow.test_client().get(url, headers=headers),
            )
            assert fastpath.answered == before + 1  # the fast path answered it itself
            assert mine.status_code == theirs.status_code == 200
            assert mine.data == theirs.data
            assert mine.headers["ETag"] == theirs.headers["ETag"]
            assert mine.headers["Cache-Control"] == theirs.headers["Cache-Control"]
    finally:
        for app in (fast, slow):
            app.extensions["article_store"].dispose()


def test_a_retracted_article_has_no_annotations(client, stored):
    stored.retract("harbour-bridge", "legal request")
    assert client.get(f"{A}?include=annotations").status_code == 410
    assert client.get(f"{A}/versions/1?include=annotations").status_code == 410


def test_the_renderer_splits_spans_that_cross():
    text = "one two three"
    spans = [
        {"type": "quote", "start": 0, "end": 7, "id": "q1"},
        {"type": "entity_mention", "start": 4, "end": 13, "id": "e"},
        {"type": "cue", "start": 4, "end": 7, "id": "q1"},
    ]
    page = render(text, spans)
    assert page.count('data-i="1"') == 2  # the mention reopened after the quote closes
    check_rendering(text, spans)


def test_the_seed_renders_with_every_part_annotated(client, store):
    """A real article: many entities, mentions inside quotes, bullets with labels."""
    store_article(store, SEED.read_bytes(), SEED.name, with_language=True)
    url = f"/v1/articles/{SEED_ID}?include=sections,bullets,quotes,entities,annotations"
    data = get_data(client, url)
    spans = data["annotations"]
    assert spans == sorted(spans, key=lambda s: (s["start"], -s["end"]))
    check_rendering(data["text"], spans)
    check_every_part_is_annotated(data, spans)
