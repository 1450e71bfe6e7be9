"""Entity typing and boundary rules (invented text throughout: people, bodies and places)."""

from __future__ import annotations

import pytest

from api.parser import nlp, parse_article

pytestmark = pytest.mark.nlp


def _parse(text: str):
    return parse_article(text, file_name="t.txt")


def _types(text: str) -> dict[str, str]:
    return {e.name: e.type for e in _parse(text).entities}


def _spans(text: str) -> dict[str, str]:
    """Mention text -> its entity's type."""
    return {m.text: e.type for e in _parse(text).entities for m in e.mentions}


def _with_ents(text: str, ents: list[tuple[str, str]]):
    """The article parsed with NER's spans replaced by ``ents`` (first occurrence of each
    text, with its label): the rules' answer to what the model might have said."""
    document = parse_article(text, file_name="t.txt", with_language=False)
    doc = nlp.load_model()(document.text)
    spans, at = [], 0
    for sub, label in ents:
        a = document.text.index(sub, at)
        span = doc.char_span(a, a + len(sub), label=label)
        assert span is not None, sub
        spans.append(span)
        at = a + len(sub)
    doc.ents = spans
    return nlp.annotate(document, doc)


def _mentions(document) -> dict[str, str]:
    return {m.text: e.type for e in document.entities for m in e.mentions}


def test_a_modifier_word_opening_a_body_name_is_no_job_title() -> None:
    document = _with_ents(
        "The Senior Citizens Council of Kelburn met on Monday, and the Senior Citizens Council "
        "voted to keep the bus pass.",
        [("Senior Citizens Council", "ORG"), ("Senior Citizens Council", "ORG")],
    )
    got = _mentions(document)
    assert "Senior Citizens Council" in got
    assert "Citizens Council" not in got


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
    document = _with_ents(
        "Georgia opened a new consulate in Kelburn this week, and trade between the two is "
        "expected to grow.",
        [("Georgia", "PERSON")],
    )
    assert {e.name: e.type for e in document.entities}.get("Georgia") == "GPE"


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


def test_a_span_stops_at_a_bracket_and_before_trailing_common_words() -> None:
    document = _with_ents(
        "Talks between the Harbour Workers Union (HWU) and the port resumed on Monday, the "
        "Corran Wire news agency said.",
        [("Harbour Workers Union (HWU", "ORG"), ("Corran Wire news agency", "ORG")],
    )
    got = _mentions(document)
    assert got.get("Harbour Workers Union") == "ORG"
    assert got.get("Corran Wire") == "ORG"
    assert "Corran Wire news agency" not in got


def test_scores_numbers_and_date_words_are_no_part_of_a_name() -> None:
    document = _with_ents(
        "The Kelburn Otters beat Port Ansel 3-1 on Sunday, and the Friday Harbour Bulletin said "
        "that Pia Marsh 45 was named the best player.",
        [("Port Ansel 3-1", "ORG"), ("Friday Harbour Bulletin", "ORG"), ("Pia Marsh 45", "PERSON")],
    )
    got = _mentions(document)
    assert "Port Ansel" in got
    assert "Harbour Bulletin" in got
    assert got.get("Pia Marsh") == "PERSON"


def test_names_run_together_are_split_at_or_commas_and_between_two_people() -> None:
    document = _with_ents(
        "Analysts said the deal would favour Brackwell Bank or Tollmere Trust, and that Ana "
        "Ruiz and Jo Hardy had both advised Dunmore Mills and Sons on it.",
        [
            ("Brackwell Bank or Tollmere Trust", "ORG"),
            ("Ana Ruiz and Jo Hardy", "PERSON"),
            ("Dunmore Mills and Sons", "ORG"),
        ],
    )
    got = _mentions(document)
    assert {"Brackwell Bank", "Tollmere Trust", "Ana Ruiz", "Jo Hardy"} <= set(got)
    assert got.get("Dunmore Mills and Sons") == "ORG"  # a company called "A and B" stays whole


def test_a_side_and_its_ground_are_two_mentions() -> None:
    document = _with_ents(
        "Rain stopped play in the match against Kelburn at Mossford Park on Friday afternoon.",
        [("Kelburn at Mossford Park", "PERSON")],
    )
    got = _mentions(document)
    assert "Kelburn" in got
    assert got.get("Mossford Park") == "LOC"


def test_a_place_too_small_for_the_gazetteer_named_as_a_town_is_a_place() -> None:
    document = _with_ents(
        "Shelling was heard on Sunday near the town of Pellowmere, and aid convoys bound for "
        "Pellowmere were turned back at the river crossing.",
        [("Pellowmere", "ORG"), ("Pellowmere", "ORG")],
    )
    assert {e.name: e.type for e in document.entities}.get("Pellowmere") == "GPE"


def test_a_competition_is_an_event() -> None:
    document = _with_ents(
        "She won the Kelburn Amateur Championship in June and is the favourite for the "
        "Velmoran Open next month.",
        [("Kelburn Amateur Championship", "ORG"), ("Velmoran", "NORP")],
    )
    got = _mentions(document)
    assert got.get("Kelburn Amateur Championship") == "EVENT"
    assert got.get("Velmoran Open") == "EVENT"


def test_an_acronym_defined_in_brackets_is_a_mention_of_the_body() -> None:
    document = _with_ents(
        "The Tiller Valley Democratic Front (TVDF) said on Monday it would join the talks. "
        "A TVDF spokesman said the front wanted guarantees first.",
        [("Tiller Valley Democratic Front", "ORG")],
    )
    front = next(e for e in document.entities if e.name == "Tiller Valley Democratic Front")
    assert [m.text for m in front.mentions].count("TVDF") == 2


def test_a_company_short_name_joins_its_full_name_and_company_nouns_make_a_company() -> None:
    document = _with_ents(
        "Tollco Holdings Inc said on Monday it would cut 200 jobs. Tollco shares fell 3 "
        "percent, and Tollco said more cuts could follow.",
        [("Tollco Holdings Inc", "ORG"), ("Tollco", "PERSON"), ("Tollco", "PERSON")],
    )
    assert [(e.name, e.type) for e in document.entities] == [("Tollco Holdings Inc", "ORG")]
    alone = _with_ents(
        "Brackmoor shares fell 3 percent on Monday after the company warned on profits.",
        [("Brackmoor", "PERSON")],
    )
    assert {e.name: e.type for e in alone.entities}.get("Brackmoor") == "ORG"


def test_a_team_keeps_its_town_and_a_department_its_country() -> None:
    document = _with_ents(
        "The Kelburn Otters beat the Velmora Treasury Department side on Sunday, and the "
        "Otters stay top.",
        [("Kelburn", "GPE"), ("Otters", "ORG"), ("Velmora", "GPE"), ("Treasury Department", "ORG")],
    )
    got = _mentions(document)
    assert got.get("Kelburn Otters") == "ORG"
    assert got.get("Velmora Treasury Department") == "ORG"


def test_a_headline_in_capitals_is_recased_for_the_model_offsets_kept() -> None:
    from api.parser.nlp import model_text

    text = "KELBURN BEAT TOLLMERE IN CUP FINAL\n\nMOSSFORD 2031-05-04\n\nKelburn won 2-1 on Sunday."
    recased = model_text(text)
    assert recased is not None and len(recased) == len(text)
    assert recased.startswith("Kelburn beat Tollmere in cup final\n\nMossford 2031-05-04")
    assert recased.endswith("Kelburn won 2-1 on Sunday.")  # prose is left as written
    assert model_text("Kelburn won on Sunday.") is None


def test_names_in_a_capitals_headline_are_found_with_their_offsets() -> None:
    text = (
        "DANA WHITLOCK NAMED VELMORA CAPTAIN\n\n"
        "Dana Whitlock will lead Velmora at the Kelburn Cup, the board said on Monday."
    )
    document = _parse(text)
    for entity in document.entities:
        for m in entity.mentions:
            assert document.text[m.start : m.end] == m.text
    whitlock = next(e for e in document.entities if e.name == "Dana Whitlock")
    assert any(m.text == "DANA WHITLOCK" for m in whitlock.mentions)


def test_a_country_or_a_named_town_that_ner_missed_is_a_place() -> None:
    document = _with_ents(
        "Fans from Chile sang through the night after Dana Whitlock's side won, and then "
        "travelled home to the town of Corran-Ellis by bus. Jordan Ellis scored twice.",
        [("Dana Whitlock", "PERSON"), ("Jordan Ellis", "PERSON")],
    )
    got = _mentions(document)
    assert got.get("Chile") == "GPE"
    assert got.get("Corran-Ellis") == "GPE"
    assert got.get("Jordan Ellis") == "PERSON"
    assert "Jordan" not in got


def test_a_firm_named_for_two_people_is_one_name() -> None:
    document = _with_ents(
        "Shares of Harlow and Finch Ltd rose after Kelburn Mills Inc and Tolley Corp said they "
        "would bid.",
        [("Finch Ltd", "ORG"), ("Kelburn Mills Inc", "ORG"), ("Tolley Corp", "ORG")],
    )
    got = _mentions(document)
    assert got.get("Harlow and Finch Ltd") == "ORG"
    assert "Kelburn Mills Inc" in got and "Tolley Corp" in got  # two firms stay two


def test_a_quoted_title_of_a_work_is_kept_whole() -> None:
    document = _with_ents(
        'The film "The Quiet Harbour of Kelburn" opened on Friday, and her novel "A House in '
        'Mossford" sold well.',
        [("The Quiet Harbour", "WORK_OF_ART"), ("House", "ORG"), ("Mossford", "GPE")],
    )
    got = _mentions(document)
    assert got.get("The Quiet Harbour of Kelburn") == "WORK_OF_ART"
    assert got.get("A House in Mossford") == "WORK_OF_ART"
    assert "Mossford" not in got


def test_a_party_word_inside_a_holiday_is_no_party() -> None:
    text = "The Labour Day parade drew 3,000 marchers, said Labour leader Dana Whitlock."
    document = _parse(text)
    labour = [m for e in document.entities for m in e.mentions if m.text == "Labour"]
    assert [m.start for m in labour] == [text.index("Labour leader")]


def test_a_country_whose_side_plays_stays_a_place() -> None:
    document = _with_ents(
        "Chile defeated the Kelburn Otters by three goals in a friendly, and Chile next host "
        "a qualifier in June.",
        [("Chile", "ORG"), ("Kelburn Otters", "ORG"), ("Chile", "ORG")],
    )
    assert {e.name: e.type for e in document.entities}.get("Chile") == "GPE"


def test_a_one_word_name_with_a_plural_verb_is_a_body() -> None:
    document = _with_ents(
        "Kelburn are bottom of the table after four defeats in a row.",
        [("Kelburn", "PERSON")],
    )
    assert {e.name: e.type for e in document.entities}.get("Kelburn") == "ORG"


def test_a_capitalised_trade_before_a_full_name_is_a_role() -> None:
    document = _with_ents(
        "Gardener Maria Okafor planted 300 oaks along the canal towpath this spring.",
        [("Gardener Maria Okafor", "PERSON")],
    )
    assert _mentions(document).get("Maria Okafor") == "PERSON"


def test_a_title_with_a_newspaper_noun_after_it_is_a_body() -> None:
    document = _with_ents(
        "The plan was leaked to Kelburn Zeitung daily, which printed it on Sunday.",
        [("Kelburn Zeitung", "PERSON")],
    )
    assert {e.name: e.type for e in document.entities}.get("Kelburn Zeitung") == "ORG"


def test_two_people_typed_as_one_body_are_two_people() -> None:
    document = _with_ents(
        "Maria Ruiz and Peter Hardy each scored a try in the second half on Saturday.",
        [("Maria Ruiz and Peter Hardy", "ORG")],
    )
    got = _mentions(document)
    assert got.get("Maria Ruiz") == "PERSON" and got.get("Peter Hardy") == "PERSON"


def test_a_body_named_after_a_person_does_not_swallow_the_person() -> None:
    document = _with_ents(
        "Dana Whitlock opened the Dana Whitlock Centre on Monday. Whitlock said the centre "
        "would train 40 coaches a year.",
        [("Dana Whitlock", "PERSON"), ("Dana Whitlock Centre", "ORG"), ("Whitlock", "PERSON")],
    )
    types = {e.name: e.type for e in document.entities}
    assert types.get("Dana Whitlock") == "PERSON"
    assert types.get("Dana Whitlock Centre") == "ORG"


def test_a_club_typed_as_a_person_is_a_club() -> None:
    document = _with_ents(
        "Tollmere will meet Harwick Athletic in the final next month, the league said.",
        [("Harwick Athletic", "PERSON")],
    )
    assert {e.name: e.type for e in document.entities}.get("Harwick Athletic") == "ORG"


def test_a_company_short_name_the_model_missed_is_a_mention() -> None:
    text = (
        "Shares in Quarrick Leisure Holdings Inc rose 2 percent on Friday. Quarrick shares "
        "have gained 15 percent this year."
    )
    document = _with_ents(text, [("Quarrick Leisure Holdings Inc", "ORG")])
    company = next(e for e in document.entities if e.name == "Quarrick Leisure Holdings Inc")
    assert [m.start for m in company.mentions] == [text.index("Quarrick"), text.rindex("Quarrick")]


def test_a_datelines_place_in_capitals_is_recased() -> None:
    from api.parser.nlp import model_text

    text = "MOSSFORD, Velmora (Wire) - Kelburn won 2-1 on Sunday.\n\nKVPR, the front, met."
    recased = model_text(text)
    assert (
        recased == "Mossford, Velmora (Wire) - Kelburn won 2-1 on Sunday.\n\nKVPR, the front, met."
    )
