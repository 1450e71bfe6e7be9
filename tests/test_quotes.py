"""Quotes and speakers: the seed, and small articles of our own for the hard cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.parser import ArticleDocument, nlp, parse_article
from api.parser.document import Speaker
from api.parser.quotes import find_quote_spans
from schemas.quote import SPEAKER_VIA

from .conftest import NLP_ARTICLES as ARTICLES
from .conftest import parse_file as parse

pytestmark = pytest.mark.nlp


def speakers(document: ArticleDocument) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker.name if q.speaker else None) for q in document.quotes]


def quote(document: ArticleDocument, start_of_text: str):
    matches = [q for q in document.quotes if q.text.startswith(start_of_text)]
    assert len(matches) == 1, (start_of_text, speakers(document))
    return matches[0]


# -- the seed --------------------------------------------------------------------------------


def test_seed_has_exactly_four_quotes(seed: ArticleDocument) -> None:
    assert speakers(seed) == [
        ("in the process of doing it,", "Donald Trump"),
        ("doing a lot of soybean purchase.", "Donald Trump"),
        ("general licenses", None),
        ("He will decide whether we go forward with that or not.", "Howard Lutnick"),
    ]
    assert [q.kind for q in seed.quotes] == ["speech", "speech", "term", "speech"]
    assert [q.id for q in seed.quotes] == ["q1", "q2", "q3", "q4"]


def test_seed_speakers_point_at_entities_and_cues(seed: ArticleDocument) -> None:
    ids = {e.id: e for e in seed.entities}
    for q in seed.quotes:
        if q.speaker is not None:
            assert ids[q.speaker.entity_id].name == q.speaker.name
    assert [q.cue.text if q.cue else None for q in seed.quotes] == [
        "stated",
        "stated",
        None,
        "stating",
    ]
    assert seed.quotes[2].speaker is None


def test_seed_quote_sections(seed: ArticleDocument) -> None:
    sections = {s.id for s in seed.sections}
    for q in seed.quotes:
        assert q.section_id in sections
        section = next(s for s in seed.sections if s.id == q.section_id)
        assert section.start <= q.start and q.end <= section.end


# -- hard cases ------------------------------------------------------------------------------


def test_said_mr_x_inversion(articles: dict[str, ArticleDocument]) -> None:
    q = quote(articles["harbour-wall"], "This is the best day")
    assert q.speaker is not None and q.speaker.name == "Pemberton"
    assert q.cue is not None and q.cue.text == "said"


def test_pronoun_speaker(articles: dict[str, ArticleDocument]) -> None:
    assert quote(articles["harbour-wall"], "We listened").speaker.name == "Maria Gonzalez"
    # "it said" after a sentence about an organisation
    assert quote(articles["rates-held"], "Inflation is moving").speaker.name == "Federal Reserve"
    # "She added that … “…”"
    assert quote(articles["rates-held"], "still on the table").speaker.name == "Dana Whitfield"


def test_role_speaker(articles: dict[str, ArticleDocument]) -> None:
    # "Environment Minister David Okafor …" then "“…,” the minister said"
    assert quote(articles["harbour-wall"], "Nobody should").speaker.name == "David Okafor"


def test_spokesperson_for_an_organisation(articles: dict[str, ArticleDocument]) -> None:
    doc = articles["harbour-wall"]
    assert quote(doc, "serious concerns").speaker.name == "Coastal Birds Trust"
    assert quote(doc, "We will watch").speaker.name == "Coastal Birds Trust"
    assert quote(articles["plastic-talks"], "remains committed").speaker.name == "State Department"


def test_according_to(articles: dict[str, ArticleDocument]) -> None:
    q = quote(articles["harbour-wall"], "a sensible compromise")
    assert q.speaker.name == "Helen Brooks"
    assert q.cue.text == "according to"


def test_participle_cue(articles: dict[str, ArticleDocument]) -> None:
    q = quote(articles["harbour-wall"], "The old wall is falling")
    assert q.speaker.name == "Tom Reilly"
    # "Caldwell told the BBC that …, stating, “…”": the teller, not the subject of "had done"
    q = quote(articles["plastic-talks"], "Without the forum")
    assert q.speaker.name == "Emma Caldwell"
    assert q.cue.text == "stating"


def test_run_on_quote_across_paragraphs(articles: dict[str, ArticleDocument]) -> None:
    doc = articles["robot-prize"]
    first = quote(doc, "When we started")
    second = quote(doc, "Now our robot")
    # the first paragraph's quote is never closed: it ends at its paragraph's end
    assert first.text.endswith("prove them wrong.")
    assert first.speaker.name == second.speaker.name == "Sarah Lindqvist"
    # "“…,” said Professor Alan Reid, … “…”": the next quote keeps the speaker
    assert quote(doc, "It is the first robot").speaker.name == "Alan Reid"


def test_run_on_inside_one_paragraph() -> None:
    text = "He said: “One thing. “Another thing.” Then he left."
    assert [text[a:b] for a, b in find_quote_spans(text)] == ["One thing.", "Another thing."]


def test_unbalanced_mark_keeps_the_other_quotes(articles: dict[str, ArticleDocument]) -> None:
    doc = articles["robot-prize"]
    texts = [q.text for q in doc.quotes]
    assert "a quiet revolution. Their report praised its safety record." in texts
    assert "We saw nothing like it," in texts
    assert len(texts) == 7


def test_unbalanced_straight_marks_pure() -> None:
    text = 'A stray 12" mark. She said "yes" and "no".\nHe said "open and never closed.'
    got = [text[a:b] for a, b in find_quote_spans(text)]
    assert got == ["yes", "no", "open and never closed."]


def test_scare_quote_is_a_term(articles: dict[str, ArticleDocument]) -> None:
    q = quote(articles["robot-prize"], "polite")
    assert (q.kind, q.speaker, q.cue) == ("term", None, None)


def test_nested_single_quotes_are_part_of_the_quote(articles: dict[str, ArticleDocument]) -> None:
    doc = articles["robot-prize"]
    assert "'robots can't be polite'" in quote(doc, "When we started").text
    assert "'excuse me'" in quote(doc, "Now our robot").text
    assert not any(q.text in ("robots can't be polite", "excuse me") for q in doc.quotes)


def test_single_quotes_alone_are_not_quotes() -> None:
    text = "Robots learn ‘manners’ and 'rules', he said. It's the robots' day."
    assert find_quote_spans(text) == []


def test_fragment_in_reported_speech(articles: dict[str, ArticleDocument]) -> None:
    doc = articles["plastic-talks"]
    assert quote(doc, "study the plan").speaker.name == "Li Qiang"
    assert quote(doc, "remarkable work").speaker.name == "Emma Caldwell"
    assert quote(articles["robot-prize"], "day and night").speaker.name == "Sarah Lindqvist"


def test_quote_offsets_match_text(seed: ArticleDocument, articles) -> None:
    for document in [seed, *articles.values()]:
        assert [q.id for q in document.quotes] == [
            f"q{n}" for n in range(1, len(document.quotes) + 1)
        ]
        for q in document.quotes:
            assert document.text[q.start : q.end] == q.text
            assert q.kind in ("speech", "term")
            if q.cue is not None:
                assert document.text[q.cue.start : q.cue.end] == q.cue.text
            if q.kind == "term":
                assert q.speaker is None and q.cue is None
            if q.speaker is not None:
                assert q.speaker.via in SPEAKER_VIA
                if q.speaker.entity_id is None:  # a name the text gives that no entity has
                    assert q.speaker.name and q.speaker.name in document.text
                else:
                    assert q.speaker.entity_id in {e.id for e in document.entities}


def test_annotate_many_matches_annotate(articles: dict[str, ArticleDocument]) -> None:
    paths = sorted(ARTICLES.glob("*.txt"))
    fresh = [
        parse_article(p.read_text(encoding="utf-8"), file_name=p.name, with_language=False)
        for p in paths
    ]
    nlp.annotate_many(fresh)
    for document in fresh:
        expected = articles[Path(document.source_file).stem]
        assert document.quotes == expected.quotes
        assert document.entities == expected.entities


def test_a_named_body_no_entity_matches_is_the_speaker_by_name() -> None:
    document = parse(ARTICLES / "airline-cuts.txt")
    concerned = next(q for q in document.quotes if q.text == "deeply concerned")
    # "The union Unite said …": Unite is no entity the model found; the last organisation
    # mentioned (the BBC, in "he told the BBC") must not take its words: Unite does, by name.
    assert concerned.speaker == Speaker(entity_id=None, name="Unite", via="cue")
