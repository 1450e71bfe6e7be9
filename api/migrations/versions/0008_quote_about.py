"""What each quote is about, decided at ingest and stored per version.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

``quote_about`` holds one row per (version, quote, entity) the quote is about: an entity
mentioned inside the quote's marks (``place`` ``quote``) or in the quote's sentence outside them
(``sentence``), never the quote's own speaker. ``/v1/quotes?about=``,
``/v1/entities/{key}/quotes`` and ``/v1/entities/{key}/quoted-about`` read it. Filled here for
every stored version from its stored bytes: the text in ``article_versions.article_json``, the
quotes, entities, sections and bullets in ``part_lists``.

Frozen as written: the rule below is a copy of ``api.about`` as it was when this revision was
made; it uses no code of ``api``.
"""

from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def key(length: int):
    """Text keys order by code point on every backend (PostgreSQL: collation ``C``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    bind = op.get_bind()
    if "quote_about" in set(sa.inspect(bind).get_table_names()):
        return
    table = op.create_table(
        "quote_about",
        sa.Column("article_id", key(128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("entity_key", key(200), nullable=False),
        sa.Column("entity_id", key(160), nullable=False),
        sa.Column("place", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "version", "position", "entity_key"),
        sa.ForeignKeyConstraint(
            ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
        ),
    )
    op.create_index(
        "ix_quote_about_entity",
        "quote_about",
        ["entity_key", "article_id", "version", "position"],
    )
    stored = bind.execute(
        sa.text("SELECT article_id, version FROM article_versions ORDER BY article_id, version")
    ).all()
    lists = sa.text(
        "SELECT kind, body FROM part_lists WHERE article_id = :article_id AND version = :version"
    )
    article = sa.text(
        "SELECT article_json FROM article_versions "
        "WHERE article_id = :article_id AND version = :version"
    )
    for article_id, version in stored:
        where = {"article_id": article_id, "version": version}
        parts = {kind: orjson.loads(body) for kind, body in bind.execute(lists, where)}
        text = orjson.loads(bind.execute(article, where).scalar_one()).get("text") or ""
        rows = [
            {**where, "position": p, "entity_key": k, "entity_id": e, "place": w}
            for p, k, e, w in quote_about(
                text,
                parts.get("quotes", []),
                parts.get("entities", []),
                blocks_of(parts.get("sections", []), parts.get("bullets", [])),
            )
        ]
        if rows:
            bind.execute(table.insert(), rows)


def downgrade() -> None:
    op.drop_index("ix_quote_about_entity", "quote_about")
    op.drop_table("quote_about")


# -- the rule, as ``api.about`` had it ----------------------------------------------------------

_TERMINAL = ".!?"
_CLOSERS = "\"'”’»)]"
#: Words that end with a full stop without ending a sentence.
_ABBREVIATION_WORDS = (
    "mr mrs ms dr prof st sen rep gov gen lt col sgt capt vs no "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())


def quote_about(
    text: str,
    quotes: Sequence[dict[str, Any]],
    entities: Sequence[dict[str, Any]],
    blocks: Sequence[tuple[int, int]],
) -> list[tuple[int, str, str, str]]:
    """What each quote is about, by quote position then first mention.

    ``quotes`` and ``entities`` are the dumped parts (``start``/``end``, ``speaker``;
    ``id``, ``key``, ``mentions``); ``blocks`` the ``(start, end)`` of the paragraphs and bullets
    that bound a sentence.
    """
    marks = [(q["start"] - 1, q["end"] + 1) for q in quotes]
    found: list[tuple[int, str, str, str]] = []
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
            found.append((position, key, entity_id, where))
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
