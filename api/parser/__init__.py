"""The parser: a pure pipeline from a seed file's bytes to an :class:`ArticleDocument`.

No Flask and no SQL here. Stages, one module each: :mod:`.source` (decoding, front matter),
:mod:`.blocks` (title, headings, paragraphs, bullets), then the language stages (:mod:`.nlp`:
entities, quotes and speakers), which need spaCy and are imported only when they run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import PurePath

from .. import ids
from .blocks import derive_title, parse_blocks
from .document import ArticleDocument
from .errors import ParseError
from .source import checked_fields, decode, split_front_matter

__all__ = [
    "PARSER_VERSION",
    "ArticleDocument",
    "ParseError",
    "annotate_language",
    "check_language_length",
    "parse_article",
    "parse_bytes",
]

#: Bumped whenever the output for the same input may change; stored with every version.
PARSER_VERSION = "1.12.0"

#: The language stages hold the whole text in memory several times over; longer texts are refused
#: (this is also spaCy's own default ``max_length``).
MAX_LANGUAGE_CHARS = 1_000_000


def parse_bytes(
    raw: bytes,
    *,
    file_name: str,
    with_language: bool = True,
    fields: Mapping[str, object] | None = None,
    id_from_title: bool = False,
) -> ArticleDocument:
    """Parse a seed file's bytes. ``file_name`` gives the default id and the ``source.file``;
    ``fields`` are front-matter fields given beside the text (they win over the file's own);
    ``id_from_title``: without an ``id`` field, the id is the title's slug, not the file's."""
    return parse_article(
        decode(raw),
        file_name=file_name,
        with_language=with_language,
        sha256=hashlib.sha256(raw).hexdigest(),
        fields=fields,
        id_from_title=id_from_title,
    )


def parse_article(
    text: str,
    *,
    file_name: str,
    with_language: bool = True,
    sha256: str | None = None,
    fields: Mapping[str, object] | None = None,
    id_from_title: bool = False,
) -> ArticleDocument:
    """Parse an article's text. ``with_language=False`` skips the spaCy stages (no entities or
    quotes), for tools that need only the layout. ``fields`` and ``id_from_title``: see
    :func:`parse_bytes`."""
    source = split_front_matter(text)
    if not source.body.strip():
        raise ParseError("document is empty (no text after front matter and white space)")
    front = source.front_matter | (checked_fields(dict(fields)) if fields else {})
    article_id = front.get("id") or (
        "" if id_from_title else ids.article_id(PurePath(file_name).stem)
    )
    if not article_id and not id_from_title:
        raise ParseError(f"cannot derive an id from file name {file_name!r}; add front matter 'id'")
    layout = parse_blocks(source.body, title_override=front.get("title"))
    paragraphs = [p for s in layout.sections for p in s.paragraphs]
    headings = [s.heading for s in layout.sections if s.heading]
    candidates = [p.text for p in paragraphs] + [b.text for b in layout.bullets] + headings
    lede = candidates[0] if candidates else layout.text.split("\n", 1)[0]
    if front.get("title"):
        title, title_source = front["title"], "front_matter"
    elif layout.title:
        title, title_source = layout.title, "explicit"
    else:
        title, title_source = derive_title(lede), "derived"
    if not article_id:
        article_id = ids.article_id(title)
        if not article_id:
            raise ParseError("cannot derive an id from the title; give an 'id'")
    document = ArticleDocument(
        id=article_id,
        title=title,
        title_source=title_source,
        summary=lede,
        text=layout.text,
        language=front.get("language", "en"),
        published_at=front.get("published_at") or layout.editorial.published_at,
        source_url=front.get("source_url"),
        source_file=PurePath(file_name).name,
        source_sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        authors=list(front.get("authors") or layout.editorial.authors),
        tags=list(front.get("tags") or []),
        section=front.get("section") or None,
        image=front.get("image") or None,
        sections=layout.sections,
        bullets=layout.bullets,
        warnings=source.warnings,
    )
    if with_language:
        check_language_length(document)
        annotate_language([document])
    return document


def check_language_length(document: ArticleDocument) -> None:
    """Refuse, with a :class:`ParseError`, a text too long for the language stages."""
    if len(document.text) > MAX_LANGUAGE_CHARS:
        raise ParseError(
            f"text is too long: {len(document.text)} characters, the language stage takes "
            f"at most {MAX_LANGUAGE_CHARS}"
        )


def annotate_language(documents: list[ArticleDocument]) -> None:
    """Run the language stages (entities, quotes) over laid-out documents, batched through the
    model. Each must have passed :func:`check_language_length`."""
    from . import nlp  # imported here: the API process must never load spaCy

    if len(documents) == 1:
        nlp.annotate(documents[0])
    elif documents:
        nlp.annotate_many(documents)
