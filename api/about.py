"""Which entities each quote is about: decided once, at ingest, from the dumped parts.

A quote is about an entity the text mentions inside the quotation marks (``where``: ``quote``),
or inside the quote's sentence outside the marks (``sentence``: "… said Ms Lee of the Bank of
England"). The speaker is who said it, not what it is about: the speaker's entity never counts
(its mention in the sentence is the attribution), nor, for a speaker no entity matched, an
entity known by the speaker's name. An entity mentioned in both places is ``quote``.

The quote's sentence is found by a small splitter bounded by the quote's paragraph (or bullet):
a sentence ends after ``.``, ``!`` or ``?`` (and any closing marks) followed by a space and a
character that is not lower case, unless the word before is a known abbreviation or an initial
(``Mr.``, ``U.S.``); the inside of a quote never ends the sentence around it, but a quote whose
words end in terminal punctuation ends its sentence when what follows starts a new one. The
spaCy stages are not involved: this reads only ``text`` and the dumped parts.

Pure: the standard library only (no Flask, no SQL, no parser), so ``api.representation`` and
the tests share it. Migration ``0008`` keeps a frozen copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: ``where`` values: the mention is inside the quote's marks, or elsewhere in its sentence.
PLACES = ("quote", "sentence")

_TERMINAL = ".!?"
_CLOSERS = "\"'”’»)]"
#: Words that end with a full stop without ending a sentence.
_ABBREVIATION_WORDS = (
    "mr mrs ms dr prof st sen rep gov gen lt col sgt capt vs no "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())


@dataclass(slots=True, frozen=True)
class About:
    """One entity a quote is about."""

    position: int  # the quote's 0-based position in the article
    entity_key: str
    entity_id: str
    where: str  # one of PLACES


def quote_about(
    text: str,
    quotes: Sequence[dict[str, Any]],
    entities: Sequence[dict[str, Any]],
    blocks: Sequence[tuple[int, int]],
) -> list[About]:
    """What each quote is about, by quote position then first mention.

    ``quotes`` and ``entities`` are the dumped parts (``start``/``end``, ``speaker``;
    ``id``, ``key``, ``mentions``); ``blocks`` the ``(start, end)`` of the paragraphs and bullets
    that bound a sentence.
    """
    marks = [(q["start"] - 1, q["end"] + 1) for q in quotes]
    found: list[About] = []
    for position, quote in enumerate(quotes):
        speaker = quote.get("speaker") or {}
        start, end = quote["start"], quote["end"]
        first, last = _sentence(text, start, end, _block(text, blocks, start, end), marks)
        hits: dict[str, tuple[int, str, str]] = {}  # key -> (first offset, id, where)
        for entity in entities:
            if _is_speaker(entity, speaker):
                continue
            for mention in entity["mentions"]:
                if mention["start"] >= start and mention["end"] <= end:
                    where = "quote"
                elif mention["start"] >= first and mention["end"] <= last:
                    where = "sentence"
                else:
                    continue
                known = hits.get(entity["key"])
                if known is None or (known[2] == "sentence" and where == "quote"):
                    offset = mention["start"] if known is None else min(known[0], mention["start"])
                    hits[entity["key"]] = (offset, entity["id"], where)
        for key, (_, entity_id, where) in sorted(hits.items(), key=lambda item: item[1][0]):
            found.append(About(position, key, entity_id, where))
    return found


def _is_speaker(entity: dict[str, Any], speaker: dict[str, Any]) -> bool:
    """The entity is the quote's speaker: its id, or (a speaker no entity matched) its name is
    one of the entity's names or mentions."""
    if speaker.get("entity_id") is not None:
        return entity["id"] == speaker["entity_id"]
    name = (speaker.get("name") or "").casefold()
    if not name:
        return False
    names = [entity.get("name") or "", *entity.get("aliases", ())]
    names += [m.get("text") or "" for m in entity["mentions"]]
    return name in {each.casefold() for each in names}


def blocks_of(sections: Sequence[dict[str, Any]], bullets: Sequence[dict[str, Any]]):
    """The ``(start, end)`` of every paragraph and bullet, from the dumped parts."""
    spans = [(p["start"], p["end"]) for s in sections for p in s["paragraphs"]]
    return spans + [(b["start"], b["end"]) for b in bullets]


def _block(text: str, blocks: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The paragraph or bullet holding the quote; else the lines around it."""
    for first, last in blocks:
        if first <= start and end <= last:
            return first, last
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return first, len(text) if last < 0 else last


def _sentence(
    text: str, start: int, end: int, block: tuple[int, int], marks: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """``(first, last)`` offsets of the sentence around the quote ``[start, end)``."""
    low, high = block
    breaks = [b for b in _breaks(text, low, high, marks) if b <= start - 1 or b >= end + 1]
    first = max([low, *(b for b in breaks if b <= start - 1)])
    last = min([high, *(b for b in breaks if b >= end + 1)])
    return first, last


def _breaks(text: str, low: int, high: int, marks: Sequence[tuple[int, int]]) -> list[int]:
    """Offsets in ``[low, high]`` where a sentence ends (just after its punctuation)."""
    inside = [(a, b) for a, b in marks if a < high and b > low]
    found = []
    i = low
    while i < high:
        if text[i] not in _TERMINAL or _within_words(text, i, inside):
            i += 1
            continue
        j = i + 1
        while j < high and text[j] in _CLOSERS:
            j += 1
        if _starts_sentence(text, j, high) and not _abbreviation(text, low, i):
            found.append(j)
        i = j
    return found


def _within_words(text: str, at: int, marks: Sequence[tuple[int, int]]) -> bool:
    """The punctuation at ``at`` is inside a quote's words and not at their end (the end of a
    quote's words may end the sentence around it)."""
    for first, last in marks:  # the offsets of the opening mark and just past the closing one
        if first < at < last - 1:
            return bool(text[at + 1 : last - 1].strip(_CLOSERS + " "))
    return False


def _starts_sentence(text: str, at: int, high: int) -> bool:
    """A space (or the block's end) and then a character that is not lower case."""
    if at >= high:
        return True
    if not text[at].isspace():
        return False
    rest = text[at:high].lstrip()
    return not rest or not rest[0].islower()


def _abbreviation(text: str, low: int, stop: int) -> bool:
    """The word before the full stop at ``stop`` is an abbreviation or an initial."""
    if text[stop] != ".":
        return False
    begin = stop
    while begin > low and (text[begin - 1].isalpha() or text[begin - 1] == "."):
        begin -= 1
    word = text[begin:stop].rstrip(".")
    return word.lower() in _ABBREVIATIONS or (len(word.replace(".", "")) <= 2 and word.isupper())
