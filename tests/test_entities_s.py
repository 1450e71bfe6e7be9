"""Entity typing and boundary rules (invented text throughout: people, bodies and places)."""

from __future__ import annotations

import pytest

from api.parser import parse_article

pytestmark = pytest.mark.nlp


def _parse(text: str):
    return parse_article(text, file_name="t.txt")


def _types(text: str) -> dict[str, str]:
    return {e.name: e.type for e in _parse(text).entities}


def _spans(text: str) -> dict[str, str]:
    """Mention text -> its entity's type."""
    return {m.text: e.type for e in _parse(text).entities for m in e.mentions}


def test_a_modifier_word_opening_a_body_name_is_no_job_title() -> None:
    spans = _spans(
        "The Foreign Office said on Monday that the talks with Velmora would resume in the "
        "spring, and officials of the Foreign Office declined to say more."
    )
    assert "Foreign Office" in spans
    assert "Office" not in spans


def test_a_title_word_in_the_name_list_does_not_make_a_body_a_person() -> None:
    types = _types(
        "Workers at the Dunmore plant were told on Tuesday that General Fixtures announced "
        "it would close the site next year, the union said."
    )
    assert types.get("General Fixtures") != "PERSON"


def test_a_nationality_used_as_a_modifier_stays_a_nationality() -> None:
    types = _types(
        "Aid workers said on Friday that some 4,000 Velmorian refugees had crossed the river, "
        "and that Velmorian officials had asked for tents and food."
    )
    assert types.get("Velmorian") == "NORP"


def test_a_country_the_model_takes_for_a_person_is_a_place() -> None:
    types = _types(
        "The talks stalled on Monday after Israel rejected the proposal, diplomats said, and "
        "the mediators left the capital without a date for the next round of talks."
    )
    assert types.get("Israel") == "GPE"


def test_a_one_word_club_that_plays_is_an_organisation() -> None:
    types = _types(
        "Mossford beat Kelburn by six runs on Friday to stay top of the table, and Kelburn "
        "must now win their last three matches to avoid relegation."
    )
    assert types.get("Kelburn") == "ORG"


def test_a_word_in_capitals_in_prose_is_no_person() -> None:
    types = _types(
        "The rebel group's leaders met in the hills on Sunday, and the KVPR said it would "
        "observe the ceasefire if the army withdrew its tanks from the valley."
    )
    assert types.get("KVPR", "ORG") == "ORG"
