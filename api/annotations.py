"""Annotated text: every typed span over an article version's ``text``, in one sorted list.

A frontend that highlights an article would otherwise join five lists (sections and their
paragraphs, bullets, quotes with their cues and speakers, entities with their mentions). This
derives that one list from what the store already holds for the version — its text and its part
lists, which never change — so nothing is parsed again per request: pure Python, free of Flask
and SQL, like the parser.

Every span is ``{type, start, end, id, …}`` with ``start``/``end`` code-point offsets into
``text`` (end-exclusive) and ``id`` the id of the resource it belongs to; spans are sorted by
``(start, -end)`` so an enclosing span comes before what it encloses, ties broken by
:data:`TYPES` order and then id. A span is only emitted when ``text[start:end]`` is what it
claims to be (a stored offset that does not check out is left out, never served wrong).
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator

#: Annotation types, outermost first: the order of spans that start and end at the same place.
TYPES = (
    "title",
    "heading",
    "paragraph",
    "bullet",
    "bullet_label",
    "quote",
    "cue",
    "speaker_mention",
    "entity_mention",
)
_RANK = {kind: rank for rank, kind in enumerate(TYPES)}

#: How a bullet's label is written before its text in ``text``: ``"Label: text"``.
LABEL_SEPARATOR = ": "
#: Speakers the text names next to their quote (the others are a pronoun, a role or the
#: speaker before, so no name of theirs is near the quote to mark).
NAMED_VIA = ("cue", "according-to")


def annotations(article: dict, parts: dict[str, list[dict]]) -> list[dict]:
    """The sorted spans of one version: ``article`` its stored dict (``id``, ``text``,
    ``title``, ``title_source``), ``parts`` its part lists by kind (sections, bullets, quotes,
    entities; a missing kind is empty)."""
    text = article["text"]
    spans = [
        span for span in _all_spans(article, parts) if 0 <= span["start"] < span["end"] <= len(text)
    ]
    spans.sort(key=lambda s: (s["start"], -s["end"], _RANK[s["type"]], s["id"]))
    return spans


def _all_spans(article: dict, parts: dict[str, list[dict]]) -> Iterator[dict]:
    text = article["text"]
    title = article.get("title") or ""
    if title and article.get("title_source") != "derived" and text.startswith(title):
        yield _span("title", 0, len(title), article["id"])
    sections = parts.get("sections", [])
    for section in sections:
        yield from _section_spans(text, section)
    for bullet in parts.get("bullets", []):
        yield from _bullet_spans(text, bullet)
    entities = parts.get("entities", [])
    for entity in entities:
        for mention in entity["mentions"]:
            yield _span(
                "entity_mention",
                mention["start"],
                mention["end"],
                entity["id"],
                entity_key=entity.get("key"),
                entity_type=entity.get("type"),
                section_id=mention.get("section_id"),
            )
    paragraph_at = _block_finder(sections, parts.get("bullets", []))
    mentions_of = {entity["id"]: entity["mentions"] for entity in entities}
    for quote in parts.get("quotes", []):
        yield from _quote_spans(text, quote, paragraph_at, mentions_of)


def _span(kind: str, start: int, end: int, owner: str, **extra) -> dict:
    """One span; an extra the stored part lacks is left out (``entity_id`` is kept: null says
    the speaker is a bare name)."""
    kept = {k: v for k, v in extra.items() if v is not None or k == "entity_id"}
    return {"type": kind, "start": start, "end": end, "id": owner, **kept}


def _section_spans(text: str, section: dict) -> Iterator[dict]:
    heading = section.get("heading")
    start = section["start"]
    if heading and text[start : start + len(heading)] == heading:
        yield _span("heading", start, start + len(heading), section["id"])
    for paragraph in section["paragraphs"]:
        yield _span(
            "paragraph",
            paragraph["start"],
            paragraph["end"],
            section["id"],
            position=paragraph["position"],
        )


def _bullet_spans(text: str, bullet: dict) -> Iterator[dict]:
    """The bullet's text and, before it, its label (``"- Label: text"`` in ``text``)."""
    yield _span(
        "bullet", bullet["start"], bullet["end"], bullet["id"], section_id=bullet["section_id"]
    )
    label = bullet.get("label")
    if label:
        end = bullet["start"] - len(LABEL_SEPARATOR)
        start = end - len(label)
        if start >= 0 and text[start:end] == label:
            yield _span("bullet_label", start, end, bullet["id"], section_id=bullet["section_id"])


def _quote_spans(
    text: str,
    quote: dict,
    paragraph_at: Callable[[int], tuple[int, int] | None],
    mentions_of: dict[str, list[dict]],
) -> Iterator[dict]:
    speaker = quote.get("speaker")
    entity_id = speaker["entity_id"] if speaker else None
    yield _span(
        "quote",
        quote["start"],
        quote["end"],
        quote["id"],
        quote_kind=quote.get("kind"),
        section_id=quote.get("section_id"),
        entity_id=entity_id,
    )
    cue = quote.get("cue")
    if cue:
        yield _span("cue", cue["start"], cue["end"], quote["id"])
    # Versions stored before ``via`` was kept had only cue attributions (its default).
    if speaker and speaker.get("via", "cue") in NAMED_VIA:
        found = _speaker_mention(text, quote, speaker, paragraph_at, mentions_of)
        if found is not None:
            yield _span("speaker_mention", *found, quote["id"], entity_id=entity_id)


def _speaker_mention(text, quote, speaker, paragraph_at, mentions_of) -> tuple[int, int] | None:
    """Where the paragraph of the quote names its speaker, nearest the cue (or the quote): a
    mention of the speaker's entity, else the speaker's name as written; None when it is not
    named there (outside the quote's own words)."""
    bounds = paragraph_at(quote["start"])
    if bounds is None:
        return None
    low, high = bounds
    if speaker["entity_id"] is not None:
        candidates = [(m["start"], m["end"]) for m in mentions_of.get(speaker["entity_id"], ())]
    else:
        candidates = list(_occurrences(text, speaker["name"], low, high))
    anchor = (quote.get("cue") or quote)["start"]
    inside = [
        (start, end)
        for start, end in candidates
        if low <= start and end <= high and not (quote["start"] <= start < quote["end"])
    ]
    if not inside:
        return None
    return min(inside, key=lambda span: (abs(span[0] - anchor), span[0]))


def _occurrences(text: str, name: str, low: int, high: int) -> Iterator[tuple[int, int]]:
    if not name:
        return
    at = text.find(name, low, high)
    while at != -1:
        yield at, at + len(name)
        at = text.find(name, at + 1, high)


def _block_finder(
    sections: list[dict], bullets: list[dict]
) -> Callable[[int], tuple[int, int] | None]:
    """A function from an offset to the ``(start, end)`` of the paragraph or bullet holding it."""
    blocks = [(p["start"], p["end"]) for section in sections for p in section["paragraphs"]]
    blocks += [(b["start"], b["end"]) for b in bullets]
    blocks.sort()
    starts = [start for start, _ in blocks]

    def paragraph_at(offset: int) -> tuple[int, int] | None:
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and offset < blocks[index][1]:
            return blocks[index]
        return None

    return paragraph_at


class Memo:
    """A small least-recently-used memo of serialised annotation lists, by the version's
    ``output_hash`` (which covers its text and every part list, so equal hashes mean equal
    annotations, whatever the article id or version number)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, build: Callable[[], bytes]) -> bytes:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        value = build()  # outside the lock: two threads may build the same value, alike
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


#: The process's memo (annotations of a version never change).
MEMO = Memo()
