"""Semantic diff of two versions of an article: what an editor changed, not which bytes.

From two versions' stored article dicts and part lists (pure Python, free of Flask and SQL):
title and summary changes; sections added, removed, renamed and edited; quotes added, removed,
edited and re-attributed; entities gained and lost. Every entry carries the thing as it is in each
version (``from`` in the first, ``to`` in the second, null where it does not exist), with its
offsets into that version's ``text``, so a client can highlight both sides.

Matching, in order, each step on what the steps before left unmatched:

* sections: the same id (the heading's slug) — renamed when the heading's text differs; then
  the same paragraphs under another heading (renamed); then the same position with
  paragraphs at least :data:`SECTION_SIMILARITY` alike, word by word (renamed); the rest
  added or removed. A matched section whose words (paragraphs and bullets) changed is edited;
* quotes: the same words (in document order); then the most similar pairs whose ``difflib``
  ratio (character by character) is at least :data:`QUOTE_SIMILARITY` (edited); the rest
  added or removed.
  A matched pair whose speaker differs (by entity key, else by name) is re-attributed — a
  quote both edited and re-attributed is in both lists;
* entities: by corpus ``key`` (type and name): gained or lost.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from .ids import entity_key, speaker_key

#: Quotes whose words are at least this alike (``difflib.SequenceMatcher.ratio``) are one quote
#: edited rather than one removed and another added.
QUOTE_SIMILARITY = 0.6
#: Sections at the same position whose paragraphs are at least this alike are one section
#: renamed rather than one removed and another added.
SECTION_SIMILARITY = 0.5


def diff(a_article: dict, a_parts: dict, b_article: dict, b_parts: dict) -> dict:
    """The changes from version ``a`` to version ``b`` (either order): ``ArticleDiffSchema``'s
    ``changes`` members and ``identical``."""
    sections = diff_sections(
        a_parts.get("sections", []),
        b_parts.get("sections", []),
        a_parts.get("bullets", []),
        b_parts.get("bullets", []),
    )
    quotes = diff_quotes(
        a_parts.get("quotes", []),
        b_parts.get("quotes", []),
        _keys_by_id(a_parts.get("entities", [])),
        _keys_by_id(b_parts.get("entities", [])),
    )
    entities = diff_entities(a_parts.get("entities", []), b_parts.get("entities", []))
    changes = {
        "title": _text_change(a_article, b_article, "title"),
        "summary": _text_change(a_article, b_article, "summary"),
        "sections": sections,
        "quotes": quotes,
        "entities": entities,
    }
    listed = [*sections.values(), *quotes.values(), *entities.values()]
    identical = changes["title"] is None and changes["summary"] is None and not any(listed)
    text_changed = a_article["content_hash"] != b_article["content_hash"]
    return {"identical": identical, "text_changed": text_changed, **changes}


# -- title and summary ---------------------------------------------------------------------


def _text_change(a_article: dict, b_article: dict, field: str) -> dict | None:
    before, after = a_article[field], b_article[field]
    if before == after:
        return None
    return {"from": _located(a_article, before), "to": _located(b_article, after)}


def _located(article: dict, value: str) -> dict:
    """The value and where it first is in the version's text (null offsets when it is not
    there as written, as a title derived from the lede and shortened)."""
    at = article["text"].find(value) if value else -1
    if at == -1:
        return {"text": value, "start": None, "end": None}
    return {"text": value, "start": at, "end": at + len(value)}


# -- sections ------------------------------------------------------------------------------


def _section_side(section: dict) -> dict:
    return {
        "id": section["id"],
        "heading": section["heading"],
        "position": section["position"],
        "start": section["start"],
        "end": section["end"],
    }


def _paragraph_text(section: dict) -> str:
    return "\n\n".join(paragraph["text"] for paragraph in section["paragraphs"])


def _content(section: dict, bullets: dict[str, list[str]]) -> list[str]:
    """A section's words: its paragraphs', then its bullets' (labels included)."""
    return [*_paragraph_text(section).split(), *" ".join(bullets.get(section["id"], ())).split()]


def _bullets_by_section(bullets: list[dict]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for bullet in bullets:
        line = f"{bullet['label']}: {bullet['text']}" if bullet.get("label") else bullet["text"]
        found.setdefault(bullet["section_id"], []).append(line)
    return found


def diff_sections(
    before: list[dict],
    after: list[dict],
    a_bullets: list[dict] = (),
    b_bullets: list[dict] = (),
) -> dict:
    by_id, left, right = _match(before, after, lambda a, b: a["id"] == b["id"])
    by_paragraphs, left, right = _match(
        left,
        right,
        lambda a, b: bool(a["paragraphs"]) and _paragraph_text(a) == _paragraph_text(b),
    )
    by_position, left, right = _match(
        left,
        right,
        lambda a, b: (
            a["position"] == b["position"]
            and _similarity(
                _paragraph_text(a).split(), _paragraph_text(b).split(), SECTION_SIMILARITY
            )
            >= SECTION_SIMILARITY
        ),
    )
    matched = sorted(by_id + by_paragraphs + by_position, key=lambda pair: pair[1]["position"])
    renamed = [(a, b) for a, b in matched if a["heading"] != b["heading"]]
    a_lines, b_lines = _bullets_by_section(a_bullets), _bullets_by_section(b_bullets)
    edited = []
    for a, b in matched:
        words_a, words_b = _content(a, a_lines), _content(b, b_lines)
        if words_a != words_b:
            edited.append((a, b, _similarity(words_a, words_b)))
    return {
        "added": [{"from": None, "to": _section_side(b)} for b in right],
        "removed": [{"from": _section_side(a), "to": None} for a in left],
        "renamed": [{"from": _section_side(a), "to": _section_side(b)} for a, b in renamed],
        "edited": [
            {"from": _section_side(a), "to": _section_side(b), "similarity": round(ratio, 3)}
            for a, b, ratio in edited
        ],
    }


# -- quotes --------------------------------------------------------------------------------


def _quote_side(quote: dict, keys: dict[str, str]) -> dict:
    speaker = quote["speaker"]
    return {
        "id": quote["id"],
        "text": quote["text"],
        "kind": quote["kind"],
        "section_id": quote["section_id"],
        "speaker": None if speaker is None else {**speaker, "key": _speaker_of(speaker, keys)},
        "start": quote["start"],
        "end": quote["end"],
    }


def _speaker_of(speaker: dict, keys: dict[str, str]) -> str | None:
    """The speaker's entity key, or (no entity) its name's slug."""
    if speaker["entity_id"] is not None and speaker["entity_id"] in keys:
        return keys[speaker["entity_id"]]
    return speaker_key(speaker["name"]) or None


def _same_speaker(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is b
    if a["entity_id"] is not None and b["entity_id"] is not None:
        return a["key"] == b["key"]
    # One side is a bare name: the same person if the names agree.
    return speaker_key(a["name"]) == speaker_key(b["name"])


def diff_quotes(
    before: list[dict], after: list[dict], a_keys: dict[str, str], b_keys: dict[str, str]
) -> dict:
    a_sides = [_quote_side(q, a_keys) for q in before]
    b_sides = [_quote_side(q, b_keys) for q in after]
    exact, left, right = _match(a_sides, b_sides, lambda a, b: a["text"] == b["text"])
    edited, left, right = _best_pairs(
        left, right, lambda a, b: _similarity(a["text"], b["text"], QUOTE_SIMILARITY)
    )
    matched = [(a, b, 1.0) for a, b in exact] + edited
    reattributed = [
        (a, b, ratio) for a, b, ratio in matched if not _same_speaker(a["speaker"], b["speaker"])
    ]
    by_position = sorted(edited, key=lambda pair: pair[1]["start"])
    return {
        "added": [{"from": None, "to": b} for b in right],
        "removed": [{"from": a, "to": None} for a in left],
        "edited": [
            {"from": a, "to": b, "similarity": round(ratio, 3)} for a, b, ratio in by_position
        ],
        "reattributed": [
            {"from": a, "to": b, "similarity": round(ratio, 3)}
            for a, b, ratio in sorted(reattributed, key=lambda pair: pair[1]["start"])
        ],
    }


# -- entities ------------------------------------------------------------------------------


def _key(entity: dict) -> str:
    """An entity's corpus key (made from its type and id for versions stored before keys)."""
    return entity.get("key") or entity_key(entity["type"], entity["id"])


def _keys_by_id(entities: list[dict]) -> dict[str, str]:
    return {entity["id"]: _key(entity) for entity in entities}


def _entity_side(entity: dict) -> dict:
    return {
        "id": entity["id"],
        "key": _key(entity),
        "name": entity["name"],
        "type": entity["type"],
        "mention_count": len(entity["mentions"]),
        "mentions": [
            {"text": m["text"], "start": m["start"], "end": m["end"]} for m in entity["mentions"]
        ],
    }


def diff_entities(before: list[dict], after: list[dict]) -> dict:
    keys_before = {_key(entity) for entity in before}
    keys_after = {_key(entity) for entity in after}
    return {
        "gained": [
            {"from": None, "to": _entity_side(e)} for e in after if _key(e) not in keys_before
        ],
        "lost": [
            {"from": _entity_side(e), "to": None} for e in before if _key(e) not in keys_after
        ],
    }


# -- matching ------------------------------------------------------------------------------


def _similarity(a: str | list[str], b: str | list[str], floor: float = 0.0) -> float:
    """``difflib``'s ratio of two texts (characters) or two word lists; 0 when it is surely
    below ``floor`` (its cheap upper bounds say so)."""
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def _match(
    before: list[dict], after: list[dict], same: Callable[[dict, dict], bool]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pairs in document order (each ``before`` item with the first unpaired ``after`` item
    it is the same as), and what is left unpaired on each side."""
    pairs, used = [], set()
    for a in before:
        for index, b in enumerate(after):
            if index not in used and same(a, b):
                pairs.append((a, b))
                used.add(index)
                break
    paired = {id(a) for a, _ in pairs}
    left = [a for a in before if id(a) not in paired]
    right = [b for index, b in enumerate(after) if index not in used]
    return pairs, left, right


def _best_pairs(
    before: list[dict], after: list[dict], score: Callable[[dict, dict], float]
) -> tuple[list[tuple[dict, dict, float]], list[dict], list[dict]]:
    """The most similar pairs first (at least :data:`QUOTE_SIMILARITY`), each item at most once."""
    scored = sorted(
        ((score(a, b), i, j) for i, a in enumerate(before) for j, b in enumerate(after)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    pairs, left_used, right_used = [], set(), set()
    for ratio, i, j in scored:
        if ratio < QUOTE_SIMILARITY:
            break
        if i in left_used or j in right_used:
            continue
        pairs.append((before[i], after[j], ratio))
        left_used.add(i)
        right_used.add(j)
    left = [a for i, a in enumerate(before) if i not in left_used]
    right = [b for j, b in enumerate(after) if j not in right_used]
    return pairs, left, right
