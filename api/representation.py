"""From a parsed :class:`ArticleDocument` to the JSON the API serves, through the schemas.

The marshmallow schemas in :mod:`schemas` are the one definition of each shape: everything stored
at ingest is their dump, serialised once with orjson. ``article-api parse`` prints the same dump.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from schemas.article import ArticleSchema, ArticleSummarySchema
from schemas.bullet import BulletSchema
from schemas.entity import EntitySchema
from schemas.quote import QuoteSchema
from schemas.section import SectionSchema

from .about import blocks_of, quote_about
from .http import encoded_article_bodies
from .ids import entity_key, entity_names, file_source, label_key, speaker_key
from .parser import PARSER_VERSION, ArticleDocument
from .store import PartRow, RenderedVersion

_article = ArticleSchema()
_summary = ArticleSummarySchema()
_part_schemas = {
    "sections": SectionSchema(),
    "bullets": BulletSchema(),
    "quotes": QuoteSchema(),
    "entities": EntitySchema(),
}


def dump_parts(document: ArticleDocument) -> dict[str, list[dict[str, Any]]]:
    entities = [
        {
            "id": e.id,
            "key": entity_key(e.type, e.id),
            "name": e.name,
            "type": e.type,
            "aliases": e.aliases,
            "mention_count": e.mention_count,
            "mentions": e.mentions,
            "salience": e.salience,
        }
        for e in document.entities
    ]
    return {
        "sections": _part_schemas["sections"].dump(document.sections, many=True),
        "bullets": _part_schemas["bullets"].dump(document.bullets, many=True),
        "quotes": _part_schemas["quotes"].dump(document.quotes, many=True),
        "entities": _part_schemas["entities"].dump(entities, many=True),
    }


def dump_article(document: ArticleDocument, version: int, ingested_at: str) -> dict[str, Any]:
    """The article without its parts."""
    paragraphs = sum(len(section.paragraphs) for section in document.sections)
    return _article.dump(
        {
            "id": document.id,
            "version": version,
            "title": document.title,
            "title_source": document.title_source,
            "summary": document.summary,
            "language": document.language,
            "published_at": document.published_at,
            "authors": document.authors,
            "section": document.section,
            "tags": document.tags,
            "image": document.image,
            "word_count": document.word_count,
            "counts": {
                "sections": len(document.sections),
                "paragraphs": paragraphs,
                "bullets": len(document.bullets),
                "quotes": len(document.quotes),
                "entities": len(document.entities),
            },
            "ingested_at": ingested_at,
            "content_hash": hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
            "parser_version": PARSER_VERSION,
            "source": {
                "file": document.source_file,
                "sha256": document.source_sha256,
                "url": document.source_url,
            },
            "text": document.text,
        }
    )


def full_resource(document: ArticleDocument, version: int, ingested_at: str) -> dict[str, Any]:
    """The article with every part embedded: ``GET /v1/articles/{id}?include=…all…``'s data."""
    return dump_article(document, version, ingested_at) | dump_parts(document)


class Representation:
    """The version-independent dump of a document and the hash that decides versioning."""

    def __init__(self, document: ArticleDocument) -> None:
        self.document = document
        #: The source that sends it, the owner of its id in the store.
        self.source = file_source(document.source_file)
        self.parts = dump_parts(document)
        unversioned = dump_article(document, 0, "")
        for volatile in ("version", "ingested_at", "parser_version"):
            unversioned.pop(volatile)
        self.output_hash = hashlib.sha256(
            orjson.dumps(unversioned | self.parts, option=orjson.OPT_SORT_KEYS)
        ).hexdigest()

    def render(self, version: int, ingested_at: str) -> RenderedVersion:
        article = dump_article(self.document, version, ingested_at)
        rows: dict[str, list[PartRow]] = {
            "sections": [PartRow(s["id"], orjson.dumps(s)) for s in self.parts["sections"]],
            "bullets": [PartRow(b["id"], orjson.dumps(b)) for b in self.parts["bullets"]],
            "quotes": [
                PartRow(
                    q["id"],
                    orjson.dumps(q),
                    speaker_id=(q["speaker"] or {}).get("entity_id"),
                    speaker_key=_speaker_key(q["speaker"]),
                    speaker_via=(q["speaker"] or {}).get("via"),
                    quote_kind=q["kind"],
                    name=(q["speaker"] or {}).get("name"),
                )
                for q in self.parts["quotes"]
            ],
            "entities": [
                PartRow(
                    e["id"],
                    orjson.dumps(e),
                    entity_type=e["type"],
                    entity_key=e["key"],
                    name=e["name"],
                    weight=e["mention_count"],
                )
                for e in self.parts["entities"]
            ],
        }
        article_json = orjson.dumps(article)
        return RenderedVersion(
            article_json=article_json,
            summary_json=orjson.dumps(_summary.dump(article)),
            content_hash=article["content_hash"],
            parser_version=PARSER_VERSION,
            source_file=self.document.source_file,
            title=self.document.title,
            part_lists={kind: orjson.dumps(items) for kind, items in self.parts.items()},
            parts=rows,
            entity_names=[
                (e["id"], name)
                for e in self.parts["entities"]
                for name in sorted(entity_names(e["key"], e["id"], e["name"], e["aliases"]))
            ],
            published_at=article["published_at"] or "",
            facets=facet_values(article, self.parts["entities"]),
            quote_about=[
                (a.position, a.entity_key, a.entity_id, a.where)
                for a in quote_about(
                    self.document.text,
                    self.parts["quotes"],
                    self.parts["entities"],
                    blocks_of(self.parts["sections"], self.parts["bullets"]),
                )
            ],
            encoded=encoded_article_bodies(article["id"], version, article_json),
        )


def facet_values(article: dict, entities: list[dict]) -> list[tuple[str, str, str | None]]:
    """``(facet, value, label)`` of one version (``api.store.FACETS``): its entity keys (label:
    the name) and types, tags, authors and section by slug (label: as written), and the month
    of publication."""
    values: list[tuple[str, str, str | None]] = []
    for entity in entities:
        values.append(("entity", entity["key"], entity["name"]))
        values.append(("type", entity["type"], None))
    for facet, names in (("tag", article["tags"]), ("author", article["authors"])):
        values += [(facet, label_key(name), name) for name in names]
    if article["section"]:
        values.append(("section", label_key(article["section"]), article["section"]))
    if article["published_at"]:
        values.append(("published_month", article["published_at"][:7], None))
    return values


def _speaker_key(speaker: dict | None) -> str | None:
    """A speaker no entity matches is found by its name's slug (one with an entity, through the
    entity's names)."""
    if not speaker or speaker.get("entity_id") is not None:
        return None
    return speaker_key(speaker["name"]) or None
