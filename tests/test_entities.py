"""Named entities: the seed against its expected entities, merging rules, ids, offsets."""

from __future__ import annotations

import re

import pytest

from api.parser import ArticleDocument, nlp, parse_article
from api.parser.entities import KEPT_TYPES

pytestmark = pytest.mark.nlp


#: The seed's entities as the user annotated them: name, type, aliases that must be present.
SEED_ENTITIES = {
    "Xi Jinping": ("PERSON", {"Xi"}),
    "Donald Trump": ("PERSON", {"Trump"}),
    "Taiwan": ("GPE", set()),
    "China": ("GPE", set()),
    "Chinese": ("NORP", set()),
    "United States": ("GPE", {"US"}),
    "Xinhua": ("ORG", set()),
    "White House": ("ORG", set()),
    "Washington": ("GPE", set()),
    "World War II": ("EVENT", set()),
    "Beijing": ("GPE", set()),
    "American": ("NORP", set()),
    "Japan": ("GPE", set()),
    "Trump administration": ("ORG", set()),
    "Howard Lutnick": ("PERSON", set()),
}


def by_name(document: ArticleDocument) -> dict[str, object]:
    return {e.name: e for e in document.entities}


def test_seed_entities_match_the_annotation(seed: ArticleDocument) -> None:
    got = by_name(seed)
    assert set(got) == set(SEED_ENTITIES)
    for name, (etype, aliases) in SEED_ENTITIES.items():
        assert got[name].type == etype, name
        assert aliases <= set(got[name].aliases), (name, got[name].aliases)


def test_seed_surname_mislabelled_by_ner_is_merged(seed: ArticleDocument) -> None:
    # NER types one "Trump" as ORG; every bare "Trump" still belongs to Donald Trump
    trump = by_name(seed)["Donald Trump"]
    singles = [m for m in trump.mentions if m.text == "Trump"]
    assert len(singles) == 4
    assert not any(e.name == "Trump" for e in seed.entities)


def test_seed_repeats_count_as_mentions(seed: ArticleDocument) -> None:
    # every whole-word "China" is a mention, the heading's "US-China" included
    china = by_name(seed)["China"]
    occurrences = [m.start() for m in re.finditer(r"\bChina\b", seed.text)]
    assert sorted(m.start for m in china.mentions) == occurrences
    heading = next(s for s in seed.sections if s.heading and "US-China" in s.heading)
    assert any(m.section_id == heading.id for m in china.mentions)


def test_aliases_leave_out_job_titles(seed: ArticleDocument, articles) -> None:
    for document in [seed, *articles.values()]:
        for entity in document.entities:
            for alias in entity.aliases:
                first = alias.split()[0].lower()
                assert first not in {"president", "secretary", "minister", "premier", "the"}, alias
                assert alias.lower() not in {"he", "she", "it", "they"}


def test_standard_expansions_and_acronyms(articles: dict[str, ArticleDocument]) -> None:
    got = by_name(articles["plastic-talks"])
    assert got["United Kingdom"].type == "GPE"
    assert {"UK", "Britain"} <= set(got["United Kingdom"].aliases)
    assert "U.S." in got["United States"].aliases
    assert got["Ocean Protection Forum"].aliases == ["OPF"]
    assert got["Ocean Protection Forum"].type == "ORG"
    assert "Tories" in got["Conservative Party"].aliases
    assert got["Labour Party"].type == "ORG"


def test_family_name_first_and_honorific_forms(articles: dict[str, ArticleDocument]) -> None:
    got = by_name(articles["plastic-talks"])
    assert got["Li Qiang"].aliases == ["Li"]
    assert {"Caldwell", "Ms Caldwell"} <= set(got["Emma Caldwell"].aliases)
    assert "Emma Caldwell" not in by_name(articles["plastic-talks"])["Emma Caldwell"].aliases
    assert by_name(articles["rates-held"])["Jerome Powell"].aliases == ["Mr. Powell", "Powell"]


def test_no_merge_when_two_full_names_share_a_word() -> None:
    text = (
        "Anna Berg met John Berg in Oslo. Berg said the talks went well. Later Anna Berg flew home."
    )
    document = parse_article(text, file_name="two-bergs.txt")
    names = {e.name for e in document.entities if e.type == "PERSON"}
    assert {"Anna Berg", "John Berg"} <= names
    for entity in document.entities:
        if entity.name in ("Anna Berg", "John Berg"):
            assert "Berg" not in entity.aliases


def test_leading_the_and_possessive_are_stripped(seed: ArticleDocument) -> None:
    names = {e.name for e in seed.entities}
    assert "White House" in names
    assert not any(n.lower().startswith("the ") or n.endswith(("'s", "’s")) for n in names)


def test_numbers_and_dates_are_dropped(seed: ArticleDocument, articles) -> None:
    dropped = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
    assert not dropped & KEPT_TYPES
    for document in [seed, *articles.values()]:
        types = {e.type for e in document.entities}
        assert types <= KEPT_TYPES
        assert not types & dropped


def test_ids_salience_and_offsets(seed: ArticleDocument, articles) -> None:
    for document in [seed, *articles.values()]:
        ids = [e.id for e in document.entities]
        assert len(ids) == len(set(ids))
        sections = {s.id for s in document.sections}
        for entity in document.entities:
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entity.id)
            assert 0.0 <= entity.salience <= 1.0
            assert entity.mention_count == len(entity.mentions) >= 1
            for m in entity.mentions:
                assert document.text[m.start : m.end] == m.text
                assert m.section_id in sections
            starts = [m.start for m in entity.mentions]
            assert starts == sorted(starts)
        if document.entities:
            assert max(e.salience for e in document.entities) == 1.0


def test_mentions_in_a_section_carry_its_id(seed: ArticleDocument) -> None:
    for entity in seed.entities:
        for m in entity.mentions:
            section = next(s for s in seed.sections if s.id == m.section_id)
            assert section.start <= m.start < section.end or m.start < seed.sections[0].start


def test_missing_model_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTICLE_API_SPACY_MODEL", "no_such_spacy_model_package")
    with pytest.raises(nlp.ModelMissingError) as info:
        nlp.load_model()
    message = str(info.value)
    assert "pip install --require-hashes -r requirements.lock" in message
    assert "ARTICLE_API_SPACY_MODEL" in message
    assert isinstance(info.value, RuntimeError)


def test_model_is_loaded_once() -> None:
    assert nlp.load_model() is nlp.load_model()


def test_a_name_ending_in_an_acronym_is_no_person() -> None:
    from api.parser.entities import ends_in_acronym

    assert ends_in_acronym("Harbour City PD")
    assert ends_in_acronym("Northfield FC")
    assert not ends_in_acronym("Henry Ford III")
    assert not ends_in_acronym("Ana Ruiz")
    assert not ends_in_acronym("UN WFP")


def _types(text: str) -> dict[str, str]:
    return {e.name: e.type for e in parse_article(text, file_name="t.txt").entities}


def test_a_town_the_model_takes_for_a_person_is_a_place() -> None:
    # the gazetteer knows the town; the text uses it as a place ("in Penticton")
    types = _types(
        "Wildfire smoke closed two schools in Penticton on Tuesday, officials said.\n\n"
        "Penticton has had three such closures this year, said Dana Whitlock, a parent."
    )
    assert types.get("Penticton") == "GPE"
    assert types.get("Dana Whitlock") == "PERSON"


def test_a_surname_that_is_also_a_town_stays_a_person() -> None:
    # "Obama" is a town in Japan too, but "Mr Obama" and "Obama said" are a person
    types = _types(
        "Mr Obama spoke at a rally on Monday. Obama said the plan would cut costs.\n\n"
        "Obama later signed the bill, and his lead in the polls grew."
    )
    assert types.get("Obama") == "PERSON"


def test_a_town_that_plays_is_its_club_but_a_country_stays_a_place() -> None:
    types = _types(
        "Dorset beat Cornwall by six wickets on Friday, while Ireland named a new "
        "captain.\n\nCornwall captain Jo Hardy said the side would recover."
    )
    assert types.get("Cornwall") == "ORG"
    assert types.get("Ireland") == "GPE"


def test_photo_credits_and_bylines_are_no_entities() -> None:
    text = (
        "Harbour Trust backs new sea wall\n\n"
        "Priya Raman, The Coastal Press\n\n"
        "The trust voted on Monday to fund the wall, its chair Tomas Reyes said. "
        "(Ola Brandt/Coastal Press)\n\n"
        "Reyes said work would start in spring."
    )
    names = {e.name for e in parse_article(text, file_name="t.txt").entities}
    assert "Tomas Reyes" in names
    assert not names & {"Priya Raman", "Ola Brandt"}


def test_lower_case_words_in_front_of_a_name_are_a_role() -> None:
    text = "The ministry's spokesperson Lu Wen said talks would resume. Lu Wen gave no date."
    document = parse_article(text, file_name="t.txt")
    person = next(e for e in document.entities if e.type == "PERSON")
    assert person.name == "Lu Wen"


def test_a_country_the_model_takes_for_an_organisation_is_a_place() -> None:
    # NER types "Moldova" ORG in front of "parliament"; the gazetteer knows the country
    types = _types("The speaker of the Moldova parliament said on Friday that talks would resume.")
    assert types.get("Moldova") == "GPE"


def test_a_town_right_after_in_is_a_place_whatever_the_parse() -> None:
    # the parser reads "Penticton change" as a compound noun and NER types Penticton ORG
    types = _types("Bus services in Penticton change on Monday, when the new timetable starts.")
    assert types.get("Penticton") == "GPE"


def test_a_web_address_is_no_entity() -> None:
    from spacy.tokens import Span

    text = "Storm warning for the coast tonight pic.twitter.com/Ab12Cd34 said Dana Whitlock."
    document = parse_article(text, file_name="t.txt", with_language=False)
    doc = nlp.load_model()(document.text)
    url = next(t.i for t in doc if t.like_url)
    # as the model sometimes tags it: the address a PERSON
    doc.ents = [Span(doc, url, url + 1, label="PERSON"), *(e for e in doc.ents if e.start > url)]
    nlp.annotate(document, doc)
    names = {e.name for e in document.entities}
    assert "Dana Whitlock" in names
    assert not any("twitter" in n.lower() for n in names)


def test_towns_set_among_places_are_places() -> None:
    # small towns the gazetteer does not list: beside a province's abbreviation, among known
    # places, before a place noun; and the abbreviation itself is a place
    text = (
        "Storm cuts power\n\n"
        "The storm hit Edmonton, Calgary and Olverton on Monday. The games will be held "
        "in the Kessick and Holloway area next year.\n\n"
        "A town hall was held at a Dunmarrow, Ont., high school on Thursday."
    )
    types = _types(text)
    for name in ("Olverton", "Kessick", "Holloway", "Dunmarrow", "Ont"):
        assert types.get(name) == "GPE", (name, types)


def test_a_province_is_a_place() -> None:
    text = "Ferry fares have risen in Nova Scotia, where the province's drivers complained of it."
    assert _types(text).get("Nova Scotia") == "GPE"


def test_an_abbreviation_starting_a_phrase_is_no_province() -> None:
    # "NL" is an abbreviation of Newfoundland and Labrador, but here heads "NL MVP"
    types = _types("The crowd included Dolph Lindqvist, Dara Spade, NL MVP Chris Yell and others.")
    assert types.get("Dara Spade") == "PERSON"


def test_words_that_are_no_one_are_no_person() -> None:
    # a job title left alone, a common word opening a line, an author's note, a contact label
    text = (
        "Budget row deepens\n\n"
        "Article continues after this message\n\n"
        "She spoke of her years as an MLA in the provincial house.\n\n"
        "Article continues after this message\n\n"
        "Email: jlee@example.com | Twitter: jolee_news\n\n"
        "Jo Lee is a Halifax-based freelance writer.\n\n"
        "With files from Sam Okafor"
    )
    people = {e.name for e in parse_article(text, file_name="t.txt").entities if e.type == "PERSON"}
    assert not people & {"Article", "MLA", "Twitter", "Jo Lee", "Sam Okafor"}, people


def test_a_title_before_a_name_is_the_role_not_a_body() -> None:
    text = "“We are ready,” said Army Capt. Noor Haddad, who leads the unit."
    document = parse_article(text, file_name="t.txt")
    assert not any("Capt" in e.name for e in document.entities)
    assert document.quotes[0].speaker.name == "Noor Haddad"


def test_names_of_bodies_that_the_model_types_person() -> None:
    # a national body named after its country; a team written as a plural with "the"
    text = (
        "Quilting Canada said on Monday that it would review the rules. The Otters won again, "
        "and the Otters coach praised the defence."
    )
    types = _types(text)
    assert types.get("Quilting Canada") != "PERSON"
    assert types.get("Otters") != "PERSON"


def test_a_hyphenated_given_name_is_kept_whole() -> None:
    text = "The trade envoy Park Seo-yeon met the minister in Seoul on Tuesday."
    assert _types(text).get("Park Seo-yeon") == "PERSON"


def test_an_office_named_after_its_holder_is_one_name() -> None:
    text = "The talks went well, said a statement released by the Premier’s Office on Friday."
    assert "Premier’s Office" in _types(text)


def test_a_person_span_run_on_over_a_verb_is_cut_before_it() -> None:
    """NER may run a name on over the verb after it ("Ruiz assured Okafor" as one PERSON),
    the verb tagged as a participle: the name is "Ruiz"."""
    import spacy
    from spacy.tokens import Doc

    from api.parser.entities import _clean

    words = ['"', "Fine", ",", '"', "Ruiz", "assured", "Okafor", "."]
    doc = Doc(
        spacy.blank("en").vocab,
        words=words,
        spaces=[False, False, False, True, True, True, False, False],
        tags=["``", "JJ", ",", "''", "NNP", "VBN", "NNP", "."],
        ents=["O", "O", "O", "O", "B-PERSON", "I-PERSON", "I-PERSON", "O"],
    )
    (mention,) = _clean(doc.ents[0], doc, doc.text)
    assert mention is not None
    assert doc.text[mention.start : mention.end] == "Ruiz"


def test_a_short_title_with_its_stop_ends_no_name_but_a_surname_like_it_may() -> None:
    ents = {
        e.name: e.type
        for e in parse_article(
            "Debate night\n\n"
            "“It was fine,” said Navy Lt. Cmdr. Tomas Reyes.\n\n"
            "Regional leader Ravi Sen said the vote was “free and fair for every citizen.”",
            file_name="titles.txt",
        ).entities
    }
    assert "Navy Lt" not in ents and "Navy" not in [n for n, t in ents.items() if t == "PERSON"]
    assert ents.get("Tomas Reyes") == "PERSON"
    assert ents.get("Ravi Sen") == "PERSON"
