"""The layout stage: title, sections, paragraphs and bullets, with exact offsets."""

from __future__ import annotations

import pytest

from api.parser import ParseError, parse_article, parse_bytes
from api.parser.blocks import derive_title

from .conftest import ARTICLES, SEED


def layout(path):
    return parse_bytes(path.read_bytes(), file_name=path.name, with_language=False)


def assert_offsets(document):
    text = document.text
    for section in document.sections:
        if section.heading:
            assert text[section.start : section.start + len(section.heading)] == section.heading
        for paragraph in section.paragraphs:
            assert text[paragraph.start : paragraph.end] == paragraph.text
            assert section.start <= paragraph.start < paragraph.end <= section.end
    for bullet in document.bullets:
        assert text[bullet.start : bullet.end] == bullet.text


def test_seed_structure():
    document = layout(SEED)
    assert document.id == "000-8cbe90a26df69869"
    assert document.title_source == "derived"
    assert document.title.startswith("Chinese President Xi Jinping spoke by phone")
    assert [s.heading for s in document.sections] == [
        None,
        "Call Comes Amid Complex US-China Relations",
        "Negotiations on Rare Earths and AI Chips",
    ]
    assert [s.id for s in document.sections] == [
        "opening",
        "call-comes-amid-complex-us-china-relations",
        "negotiations-on-rare-earths-and-ai-chips",
    ]
    assert [len(s.paragraphs) for s in document.sections] == [2, 1, 2]
    labels = [(b.label, b.section_id) for b in document.bullets]
    assert labels == [
        ("Trade Truce", "call-comes-amid-complex-us-china-relations"),
        ("Soybean Purchases", "call-comes-amid-complex-us-china-relations"),
        ("Regional Tensions", "call-comes-amid-complex-us-china-relations"),
        ("Rare Earths", "negotiations-on-rare-earths-and-ai-chips"),
        ("AI Chips", "negotiations-on-rare-earths-and-ai-chips"),
    ]
    assert document.bullets[0].text == (
        "The call follows a significant trade truce reached last month, which involved "
        "Washington lowering tariffs on Chinese goods and Beijing agreeing to remove certain "
        "restrictions on the export of rare earths."
    )
    assert document.bullets[2].text == (
        "Despite the trade truce, relations remain strained by fresh tensions between China "
        "and Japan, a top US regional ally."
    )
    assert document.bullets[4].text.endswith(
        "stating, “He will decide whether we go forward with that or not.”"
    )
    assert document.summary == document.sections[0].paragraphs[0].text
    assert_offsets(document)


EXPECTED = {
    "title-line.txt": {
        "id": "title-line",
        "title": ("Harbour town votes to keep its ferry", "explicit"),
        "sections": [(None, 3)],
        "bullets": [],
    },
    "seed-style.txt": {
        "id": "seed-style",
        "title": (
            "Engineers at a small robotics firm in Leeds have built a delivery robot that "
            "climbs stairs, the company said on Monday.",
            "derived",
        ),
        "sections": [(None, 2), ("What the Trial Showed", 2), ("Next Steps for the Firm", 1)],
        "bullets": [
            ("Speed", "Stepper delivered a parcel to a fifth-floor flat in under four minutes."),
            (
                "Reliability",
                "Only two of 1,400 deliveries failed, both because of blocked landings.",
            ),
            (
                "Cost",
                "The firm estimates a delivery costs 40p, against £1.10 for a courier on foot.",
            ),
        ],
    },
    "markdown-front-matter.md": {
        "id": "library-opening-2026",
        "title": ("City library reopens after repairs", "front_matter"),
        "sections": [(None, 1), ("What changed", 1), ("How to visit", 0)],
        "bullets": [
            (None, "a new reading room on the top floor"),
            (None, "step-free access from Mill Street"),
            (None, "longer opening hours: 8am to 9pm on weekdays"),
            (None, "Check the opening times online."),
            (None, "Bring a library card or proof of address."),
        ],
    },
    "hard-wrapped.txt": {
        "id": "hard-wrapped",
        "title": ("Night buses return to the valley", "explicit"),
        "sections": [(None, 2), ("Who pays for it", 1)],
        "bullets": [],
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_own_articles_structure(name):
    document = layout(ARTICLES / name)
    expected = EXPECTED[name]
    assert document.id == expected["id"]
    assert (document.title, document.title_source) == expected["title"]
    assert [(s.heading, len(s.paragraphs)) for s in document.sections] == expected["sections"]
    assert [(b.label, b.text) for b in document.bullets] == expected["bullets"]
    assert_offsets(document)


def test_hard_wrapped_lines_are_joined():
    document = layout(ARTICLES / "hard-wrapped.txt")
    first = document.sections[0].paragraphs[0].text
    assert first == (
        "Night buses will run again between Aberfeld and the valley villages from next month, "
        "the regional transport board announced, ending a two-year gap that residents said had "
        "cut them off from evening work."
    )


def test_front_matter_fields():
    document = layout(ARTICLES / "markdown-front-matter.md")
    assert document.published_at == "2026-03-14T08:30:00Z"
    assert document.language == "en-GB"
    assert document.source_url == "https://example.org/news/library"
    assert document.text.startswith("City library reopens after repairs\n\n")
    assert "---" not in document.text


def test_bom_and_crlf_are_accepted():
    raw = (ARTICLES / "seed-style.txt").read_bytes()
    converted = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    assert layout_text(converted) == layout_text(raw)


def layout_text(raw: bytes) -> str:
    return parse_bytes(raw, file_name="x.txt", with_language=False).text


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n\t \n", "empty"),
        (b"\xff\xfeH\x00i\x00", "UTF-16"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
        (b"text\x00with nul", "NUL"),
        (b"---\ntitle: [unclosed\n---\nBody text.", "YAML"),
        (b"---\ntitle: x\nBody text without a closing line.", "never closed"),
        (b"---\npublished_at: last tuesday\n---\nBody.", "published_at"),
    ],
)
def test_unparseable_input_is_a_parse_error(raw, reason):
    with pytest.raises(ParseError, match=reason):
        parse_bytes(raw, file_name="bad.txt", with_language=False)


def test_numbered_and_starred_bullets():
    document = parse_article(
        "Intro paragraph here.\n\n1. first item\n2) second item\n* third item\n• fourth item\n",
        file_name="lists.txt",
        with_language=False,
    )
    assert [b.text for b in document.bullets] == [
        "first item",
        "second item",
        "third item",
        "fourth item",
    ]
    assert_offsets(document)


def test_label_needs_a_short_capitalised_lead():
    document = parse_article(
        "Intro.\n\n- He said: the plan was late\n- Budget: Up 4%\n- a note: lower case lead\n",
        file_name="labels.txt",
        with_language=False,
    )
    assert [b.label for b in document.bullets] == [None, "Budget", None]


def test_line_ending_with_colon_is_not_a_heading():
    document = parse_article(
        "Opening paragraph.\nThe plan has three parts:\n- One\n- Two\n",
        file_name="colon.txt",
        with_language=False,
    )
    assert [s.heading for s in document.sections] == [None]


def test_derived_title_is_the_first_sentence_shortened():
    assert derive_title("Short lede. Second sentence.") == "Short lede."
    long = "word " * 60
    title = derive_title(long.strip() + ".")
    assert len(title) <= 120
    assert title.endswith("…")
