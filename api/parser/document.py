"""The parser's result: plain dataclasses, free of Flask, SQL and spaCy.

Every ``start``/``end`` is a code-point offset into ``ArticleDocument.text``, end-exclusive.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Paragraph:
    position: int
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Bullet:
    id: str
    section_id: str
    position: int
    label: str | None
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Section:
    id: str
    position: int
    heading: str | None
    start: int
    end: int
    heading_span: Span | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    bullet_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    text: str
    start: int
    end: int
    section_id: str


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    salience: float = 0.0

    @property
    def mention_count(self) -> int:
        return len(self.mentions)


@dataclass(slots=True)
class Speaker:
    entity_id: str | None
    name: str
    #: how the text attributes the words: ``cue`` (a speech verb with the speaker named),
    #: ``according-to``, ``pronoun``, ``description`` (a role or spokesperson) or
    #: ``continuation`` (no attribution of its own: the speaker of the quote or paragraph before)
    via: str = "cue"


@dataclass(slots=True)
class Quote:
    id: str
    section_id: str
    text: str
    kind: str  # "speech" or "term"
    start: int
    end: int
    speaker: Speaker | None = None
    cue: Span | None = None


@dataclass(slots=True)
class ArticleDocument:
    """Everything the parser knows about one source document."""

    id: str
    title: str
    title_source: str  # "front_matter", "explicit" or "derived"
    summary: str
    text: str
    language: str
    published_at: str | None
    source_url: str | None
    source_file: str
    source_sha256: str
    #: Editorial metadata: front matter, else an unambiguous byline or date line.
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    image: str | None = None
    sections: list[Section] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    #: What the parser changed or doubted in the source, for the ingest report (not served).
    warnings: list[str] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def section_finder(self) -> Callable[[int], str]:
        """A function from a text offset to the id of the section holding it (``""`` when the
        document has no sections)."""
        starts = [section.start for section in self.sections]
        sections = self.sections

        def section_at(offset: int) -> str:
            if not sections:
                return ""
            return sections[max(bisect.bisect_right(starts, offset) - 1, 0)].id

        return section_at
