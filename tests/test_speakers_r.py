"""Speaker attribution of quoted fragments and names, each rule with an article of our own
(invented people, places and words)."""

from __future__ import annotations

import pytest

from api.parser import parse_article

pytestmark = pytest.mark.nlp


def speakers(text: str) -> dict[str, tuple[str | None, str]]:
    """Quote text -> (speaker name, kind), for a text we wrote."""
    document = parse_article(text, file_name="speakers-r.txt")
    return {q.text: (q.speaker.name if q.speaker else None, q.kind) for q in document.quotes}


def test_a_name_someone_gives_is_theirs() -> None:
    got = speakers(
        "Harbour levy row\n\n"
        "Marla Quint, who chairs the Eastvale ferry board, said the levy was what she called "
        '"a floating disgrace" at the meeting. Tom Varga backs a plan Quint calls "daft." The '
        'levy was branded "a tax on tides" by Tom Varga in March.'
    )
    assert got["a floating disgrace"] == ("Marla Quint", "speech")
    assert got["daft."] == ("Marla Quint", "speech")
    assert got["a tax on tides"] == ("Tom Varga", "speech")


def test_a_name_nobody_is_said_to_give_stays_a_term() -> None:
    got = speakers(
        "Harbour levy row\n\n"
        'Marla Quint said the so-called "harbour tax" would pass. A group called '
        '"Eastvale Forward" met on Monday. Critics of what they call "the harbour grab" '
        'gathered outside, and the scheme is known as "Tidepay" in the town.'
    )
    for term in ("harbour tax", "Eastvale Forward", "the harbour grab", "Tidepay"):
        assert got[term] == (None, "term"), term


def test_a_verb_joined_to_one_with_a_subject_shares_it() -> None:
    got = speakers(
        "Ferry vote\n\n"
        "On Sunday, Marla Quint slammed the change as a late reversal and accused Tom Varga of "
        'a "cynical flip-flop." She thanked the crew "for their hard work" and called the '
        'Eastvale Rowing Club "one of the finest clubs I know."'
    )
    assert got["cynical flip-flop."][0] == "Marla Quint"
    assert got["one of the finest clubs I know."][0] == "Marla Quint"


def test_a_subject_the_model_misreads_is_the_person_it_names() -> None:
    got = speakers(
        "Harbour board row\n\n"
        "Ada Waters answered the harbour board in a post. Waters tweeted, “The board did the "
        "same last week. They think they are above the rules.”"
    )
    assert got["The board did the same last week. They think they are above the rules."] == (
        "Ada Waters",
        "speech",
    )


def test_a_quote_mark_glued_to_the_words_around_it_keeps_its_speaker() -> None:
    got = speakers(
        "Ferry plan row\n\n"
        "Marla Quint said,“Look, the ferry has no future here.” Tom Varga disagreed. “The "
        "crossing pays for itself every summer,”Varga said."
    )
    assert got["Look, the ferry has no future here."] == ("Marla Quint", "speech")
    assert got["The crossing pays for itself every summer,"] == ("Tom Varga", "speech")


def test_a_verb_of_manner_joined_to_one_with_a_subject_speaks_for_it() -> None:
    got = speakers(
        "Regatta day\n\n"
        "Marla Quint spotted the trophy, picked it up and crowed, “Oh, it is mine,” which is "
        "when Tom Varga left."
    )
    assert got["Oh, it is mine,"] == ("Marla Quint", "speech")


def test_a_name_someone_gives_themselves_is_theirs() -> None:
    got = speakers(
        'Regatta day\n\nMarla Quint, the rower who calls herself "The Otter," won again.'
    )
    assert got["The Otter,"] == ("Marla Quint", "speech")


def test_as_someone_put_it_attributes_the_quote() -> None:
    got = speakers(
        "Ferry board\n\n"
        "As the Eastvale Courier columnist Ana Ruiz puts it, "
        '"The ferry board is asleep, and the town is paying." As Tom Varga put it, the '
        'ferry is "a floating disgrace."'
    )
    assert got["The ferry board is asleep, and the town is paying."][0] == "Ana Ruiz"
    assert got["a floating disgrace."][0] == "Tom Varga"
