"""Speaker attribution: signed quote paragraphs, messages that speak for their sender, naming
verbs with an object, joined verbs after a passive, and a speech verb before a participle. Each
rule has an article of our own (invented people, places and wording)."""

from __future__ import annotations

import pytest

from .conftest import speakers_and_kinds

pytestmark = pytest.mark.nlp


def speakers(text: str) -> dict[str, tuple[str | None, str]]:
    return speakers_and_kinds(text, file_name="speakers-t.txt")


def test_a_quote_paragraph_signed_by_the_next_one_is_the_signers() -> None:
    got = speakers(
        "Harbour levy vote\n\n"
        "The council met on Tuesday to weigh the levy.\n\n"
        '"The pier has been crumbling for a decade and nobody wants to pay for it."\n\n'
        "- Councillor Wenna Tresidder.\n\n"
        "Residents were split on the question.\n\n"
        '"We keep being told next year. Next year never comes."\n\n'
        "-Obadiah Fenwright, Porthlow."
    )
    assert got["The pier has been crumbling for a decade and nobody wants to pay for it."][0] == (
        "Wenna Tresidder"
    )
    assert got["We keep being told next year. Next year never comes."][0] == "Obadiah Fenwright"


def test_a_paragraph_with_prose_beside_its_quote_is_not_signed_by_the_next() -> None:
    got = speakers(
        "Harbour levy vote\n\n"
        'Wenna Tresidder opened the meeting. "The pier has been crumbling for years," she said.\n\n'
        "- Obadiah Fenwright"
    )
    assert got["The pier has been crumbling for years,"][0] == "Wenna Tresidder"


def test_a_message_someone_sends_speaks_for_them() -> None:
    got = speakers(
        "Orchard growers ask for help\n\n"
        'On Friday an email from Marisol Quenby to the growers warned: "Without a new cold '
        "store, half of this year's apples will rot before they reach a shop.\"\n\n"
        "Quenby's newsletter to members notes that the cooperative \"has never before asked the "
        'county for money."'
    )
    assert got[
        "Without a new cold store, half of this year's apples will rot before they reach a shop."
    ][0] == ("Marisol Quenby")
    assert got["has never before asked the county for money."][0] == "Marisol Quenby"


def test_a_verb_joined_to_a_passive_one_shares_its_subject() -> None:
    got = speakers(
        "Festival closes\n\n"
        "Teodora Pellwick was greeted on stage by the whole choir and joked, "
        '"I only came for the cake, you know."'
    )
    assert got["I only came for the cake, you know."][0] == "Teodora Pellwick"


def test_a_name_given_with_an_object_between_is_the_namers() -> None:
    got = speakers(
        "Ferry dispute\n\n"
        'Captain Lorcan Abernethy called the new timetable "The Great Shuffle." The harbour\'s '
        "manager, Ilse Varrick, told reporters that she refers to the night crossing as "
        '"Lantern Run," a name the crew chose.\n\n'
        'The town calls it "The Old Slip" and always has.'
    )
    assert got["The Great Shuffle."] == ("Lorcan Abernethy", "speech")
    assert got["Lantern Run,"] == ("Ilse Varrick", "speech")
    assert got["The Old Slip"] == (None, "term")


def test_a_speech_verb_with_a_subject_wins_over_a_leading_participle() -> None:
    got = speakers(
        "Festival closes\n\n"
        'Praising the volunteers who had run the gates, Pellwick said, "Not one of them was '
        'paid, and not one of them missed a shift."'
    )
    assert got["Not one of them was paid, and not one of them missed a shift."][0] == "Pellwick"


def test_a_name_and_cue_after_a_full_stop_inside_the_quote_attribute_it() -> None:
    got = speakers(
        "Ferry strike\n\n"
        '"The boats will sit at the quay until somebody in the town hall picks up a phone." '
        "Gwilym Hartnell said."
    )
    assert got["The boats will sit at the quay until somebody in the town hall picks up a phone."][
        0
    ] == ("Gwilym Hartnell")


def test_a_description_between_the_name_and_the_cue_is_passed_over() -> None:
    got = speakers(
        "Ferry strike\n\n"
        'Gwilym Hartnell spoke first. "Would you cross the estuary on a night like this?" '
        "Brannagh, a ferry pilot for two decades who has sailed in worse, asked the crowd.\n\n"
        '"Not the plan we wanted but we can live with it!" Agnes Tolliver, the head of Save Our '
        "Bridge, tweeted on Friday with a photo of the banner."
    )
    assert got["Would you cross the estuary on a night like this?"][0] == "Brannagh"
    assert got["Not the plan we wanted but we can live with it!"][0] == "Agnes Tolliver"


def test_a_speech_verb_joined_to_the_reported_clause_is_the_reporters() -> None:
    got = speakers(
        "Bridge repairs\n\n"
        "The Kestrel Valley Trust wrote to the council on Monday. Mayor Perpetua Alcombe said it "
        'was far too early to name a date but added, "If the cracks grow, we will shut it that '
        'same afternoon."'
    )
    assert got["If the cracks grow, we will shut it that same afternoon."][0] == (
        "Perpetua Alcombe"
    )


def test_a_name_after_a_dash_before_the_colon_is_the_source() -> None:
    got = speakers(
        "Morning digest\n\n"
        'FERRY FARES RISE AGAIN IN THE SPRING - Halvard Ostby: "The cost of fuel has doubled '
        'since last year and somebody has to pay it." [Harbour Times.]\n\n'
        'Tide tables questioned - More from Ostby: "Nobody checks the figures before they are '
        'printed."'
    )
    first = "The cost of fuel has doubled since last year and somebody has to pay it."
    assert got[first][0] in ("Halvard Ostby", "Ostby")
    assert got["Nobody checks the figures before they are printed."][0] in (
        "Halvard Ostby",
        "Ostby",
    )
