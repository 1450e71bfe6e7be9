"""Entities: per article, across the corpus, and one entity with the articles mentioning it."""

from __future__ import annotations

import orjson
from flask.views import MethodView
from flask_smorest import abort

from schemas.common import PageQuerySchema
from schemas.entity import (
    CorpusEntityListResponseSchema,
    CorpusEntityQuerySchema,
    EntityDetailResponseSchema,
    EntityListResponseSchema,
    EntityQuerySchema,
)

from ..http import envelope, json_array, json_response, store
from ..pagination import paginate
from ..spec import Blueprint, read_operation
from .common import part_page

blp = Blueprint(
    "entities",
    __name__,
    url_prefix="/v1",
    description="Named entities. In an article, each entity merges its surface forms (`Trump`, "
    "`President Donald Trump`) under its fullest name with every mention's offsets. Across "
    "articles, entities are grouped by `key` (type and name slug).",
)


def corpus_entity(row) -> dict:
    return {
        "key": row.key,
        "name": row.name,
        "type": row.type,
        "article_count": row.article_count,
        "mention_count": int(row.mention_count or 0),
        "url": f"/v1/entities/{row.key}",
    }


def entity_article(row) -> dict:
    """One article mentioning an entity: how it names it, how often, how salient it is."""
    entity = orjson.loads(row.body)
    return {
        "article_id": row.article_id,
        "title": row.title,
        "entity_id": entity["id"],
        "name": entity["name"],
        "aliases": entity["aliases"],
        "mention_count": entity["mention_count"],
        "salience": entity["salience"],
        "url": f"/v1/articles/{row.article_id}",
    }


@blp.route("/articles/<article_id>/entities")
class ArticleEntities(MethodView):
    @blp.arguments(EntityQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listArticleEntities", EntityListResponseSchema, collection=True)
    def get(self, article_id: str, **args):
        """List an article's entities

        In order of first mention, from the latest version. Filter by `type`.
        """
        return part_page(article_id, "entities", args, **entity_filters(args))


def entity_filters(args: dict) -> dict:
    """The store's filters from a request for an article's entities."""
    return {"entity_type": args["type"]} if "type" in args else {}


@blp.route("/entities")
class Entities(MethodView):
    @blp.arguments(CorpusEntityQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listEntities", CorpusEntityListResponseSchema, collection=True)
    def get(self, **args):
        """List entities across articles

        Grouped by `key`, ordered by key, with how many articles mention each and how often.
        Filter by `type` and by `q` (text contained in the name).
        """
        body, link = corpus_entity_list_body(store(), args)
        return json_response(body, link=link)


def corpus_entity_list_body(
    article_store,
    args: dict,
    *,
    path: str | None = None,
    params: list[tuple[str, str]] | None = None,
) -> tuple[bytes, str]:
    """The body and ``Link`` of one page of ``/v1/entities``; also :mod:`api.fastpath`'s,
    which passes the request's ``path`` and ``params``."""
    page = paginate(
        args,
        lambda window: article_store.corpus_entity_page(
            window, entity_type=args.get("type"), name_contains=args.get("q")
        ),
        scope="entities",
        key_of=lambda row: row.key,
        item=lambda row: orjson.dumps(corpus_entity(row)),
        path=path,
        params=params,
    )
    items = (orjson.dumps(corpus_entity(row)) for row in page.rows)
    return envelope(json_array(items), page.links, page.meta), page.link_header


@blp.route("/entities/<entity_key>")
class EntityItem(MethodView):
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "getEntity", EntityDetailResponseSchema, collection=True)
    def get(self, entity_key: str, **args):
        """Get one entity across articles

        The entity's name, type and counts, with one page of the articles that mention it
        (how they name it, how often, how salient it is there). Page through the articles
        with `links`.
        """
        with store().reading() as conn:
            summary = store().entity_summary(conn, entity_key)
            if summary is None:
                abort(404, message=f"No entity with key {entity_key!r}.")
            page = paginate(
                args,
                lambda window: store().entity_mentions(conn, entity_key, window),
                scope=f"entity:{entity_key}",
                key_of=lambda row: row.article_id,
                item=lambda row: orjson.dumps(entity_article(row)),
            )
        articles = [entity_article(row) for row in page.rows]
        data = corpus_entity(summary) | {"articles": articles}
        return json_response(
            envelope(orjson.dumps(data), page.links, page.meta), link=page.link_header
        )
