"""Property tests: any input gives an article or a ParseError, consistent offsets, same bytes."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.parser import ArticleDocument, ParseError, parse_article, parse_bytes
from api.representation import full_resource

LINE_PIECES = [
    "## A heading",
    "# Title line",
    "Short heading here",
    "- Label: bullet text.",
    "* starred item",
    "1. numbered item",
    "2) other item",
    "• dot item",
    "---",
    "id: x",
    "",
    "   ",
    'He said: "We will win," and left.',
    "“An unclosed quote starts here",
    "‘single’ and 'straight' marks",
    "Mr Smith told reporters.",
    "The U.S. and the UK agreed.",
]

lines = st.one_of(st.sampled_from(LINE_PIECES), st.text(max_size=80))
documents = st.lists(lines, max_size=25).map("\n".join)


def check_offsets(document: ArticleDocument) -> None:
    text = document.text
    for section in document.sections:
        assert 0 <= section.start <= section.end <= len(text)
        for paragraph in section.paragraphs:
            assert text[paragraph.start : paragraph.end] == paragraph.text
    for bullet in document.bullets:
        assert text[bullet.start : bullet.end] == bullet.text
    for quote in document.quotes:
        assert text[quote.start : quote.end] == quote.text
        if quote.cue:
            assert text[quote.cue.start : quote.cue.end] == quote.cue.text
    for entity in document.entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text


def parse_or_error(text: str, **kwargs) -> ArticleDocument | None:
    try:
        return parse_article(text, file_name="story.txt", **kwargs)
    except ParseError as error:
        assert str(error)
        return None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(documents, st.text()))
def test_layout_any_text_parses_or_is_a_parse_error(text):
    document = parse_or_error(text, with_language=False)
    if document is not None:
        check_offsets(document)
        assert document.title


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse_or_are_a_parse_error(raw):
    try:
        document = parse_bytes(raw, file_name="story.txt", with_language=False)
    except ParseError:
        return
    check_offsets(document)


@pytest.mark.nlp
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_full_pipeline_offsets_and_determinism(text):
    first = parse_or_error(text)
    if first is None:
        return
    check_offsets(first)
    again = parse_or_error(text)
    assert orjson.dumps(full_resource(first, 1, "t")) == orjson.dumps(full_resource(again, 1, "t"))
