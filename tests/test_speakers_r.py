"""Speaker attribution of quoted fragments and names, each rule with an article of our own
(invented people, places and words)."""

from __future__ import annotations

import pytest

from .conftest import speakers_and_kinds

pytestmark = pytest.mark.nlp


def speakers(text: str) -> dict[str, tuple[str | None, str]]:
    return speakers_and_kinds(text, file_name="speakers-r.txt")


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
        "Marla Quint read the harbour budget twice on Tuesday and accused Tom Varga of "
        '"sitting on the pier money." She thanked the crew "for keeping the slipway open" and '
        'called the Eastvale Rowing Club "the pride of the whole estuary."'
    )
    assert got["sitting on the pier money."][0] == "Marla Quint"
    assert got["the pride of the whole estuary."][0] == "Marla Quint"


def test_a_subject_the_model_misreads_is_the_person_it_names() -> None:
    got = speakers(
        "Harbour board row\n\n"
        "Ilse Banks wrote to the harbour board on Monday. Banks posted, “The tide tables were "
        "ignored again. Nobody on that board reads a survey.”"
    )
    assert got["The tide tables were ignored again. Nobody on that board reads a survey."] == (
        "Ilse Banks",
        "speech",
    )


def test_a_quote_mark_glued_to_the_words_around_it_keeps_its_speaker() -> None:
    got = speakers(
        "Ferry plan row\n\n"
        "Marla Quint said,“The ferry sails on Sunday whatever the board decides.” Tom Varga "
        "disagreed. “The "
        "crossing pays for itself every summer,”Varga said."
    )
    assert got["The ferry sails on Sunday whatever the board decides."] == ("Marla Quint", "speech")
    assert got["The crossing pays for itself every summer,"] == ("Tom Varga", "speech")


def test_a_verb_of_manner_joined_to_one_with_a_subject_speaks_for_it() -> None:
    got = speakers(
        "Regatta day\n\n"
        "Marla Quint read the results, folded the sheet and muttered, “Well, that settles it,” "
        "before the hall emptied."
    )
    assert got["Well, that settles it,"] == ("Marla Quint", "speech")


def test_a_name_someone_gives_themselves_is_theirs() -> None:
    got = speakers(
        'Pier pilots\n\nMarla Quint, who calls herself "Captain Slack" on the quay, '
        "retired on Friday after forty winters."
    )
    assert got["Captain Slack"] == ("Marla Quint", "speech")


def test_as_someone_put_it_attributes_the_quote() -> None:
    got = speakers(
        "Ferry board\n\n"
        "Ana Ruiz, an engineer on the Eastvale pier, sees it another way. As Ana Ruiz put it "
        'on Monday, "A pier is only as good as its weakest pile." As Tom Varga put it, the levy '
        'is "money poured into the tide."'
    )
    assert got["A pier is only as good as its weakest pile."][0] == "Ana Ruiz"
    assert got["money poured into the tide."][0] == "Tom Varga"
