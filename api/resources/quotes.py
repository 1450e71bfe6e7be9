"""Quotes: per article, across the corpus (latest versions), and by or about one entity."""

from __future__ import annotations

import orjson
from flask.views import MethodView
from flask_smorest import abort

from schemas.quote import (
    CorpusQuoteListResponseSchema,
    CorpusQuoteQuerySchema,
    EntityQuoteQuerySchema,
    QuoteListResponseSchema,
    QuoteQuerySchema,
)

from ..http import envelope, json_array, json_response, splice, store
from ..ids import name_keys
from ..pagination import paginate
from ..spec import Blueprint, read_operation
from .common import part_key, part_page, search_page

blp = Blueprint(
    "quotes",
    __name__,
    url_prefix="/v1",
    description="Quotes: the words inside quotation marks, `speech` with the speaker the text "
    "attributes them to (an entity of the same article) and the cue verb, or a quoted `term`. "
    "Across articles each quote also says which entities it is about (named inside it or in "
    "its sentence): who said what about whom.",
)


def quote_filters(args: dict) -> dict:
    """``speaker``: the key, the id, or any name or alias of the entity the article says spoke
    (looked up among the names it is known by in that article); ``kind``: the quote's kind;
    ``via``: how the speaker was found; ``about``: each an entity the quote is about, known by
    that name (all must hold)."""
    filters: dict = {}
    if "speaker" in args:
        filters["speaker_known_as"] = name_keys(args["speaker"])
    if "kind" in args:
        filters["quote_kind"] = args["kind"]
    if "via" in args:
        filters["speaker_via"] = tuple(args["via"])
    if "about" in args:
        filters["about_known_as"] = tuple(name_keys(word) for word in args["about"])
    return filters


def corpus_items(conn, rows) -> list[bytes]:
    """Quotes of latest versions (rows ``(article_id, position, body, version)``) as listed
    across articles: each with its article, its fixed version and that version's URL, and
    what it is about (one more read for the page)."""
    about = store().quotes_about(conn, [(row[0], row[3], row[1]) for row in rows])
    return [
        splice(
            row[2],
            [
                ("article_id", orjson.dumps(row[0])),
                ("version", orjson.dumps(row[3])),
                ("version_url", orjson.dumps(f"/v1/articles/{row[0]}/versions/{row[3]}")),
                (
                    "about",
                    orjson.dumps(
                        [
                            {"key": key, "entity_id": entity_id, "where": place}
                            for key, entity_id, place in about[(row[0], row[3], row[1])]
                        ]
                    ),
                ),
            ],
        )
        for row in rows
    ]


def exported_items(rows) -> list[bytes]:
    """:func:`corpus_items` in a read of its own (an export's chunk, a search page): versions
    never change, so any snapshot agrees."""
    with store().reading() as conn:
        return corpus_items(conn, rows)


def corpus_quote_page(args: dict, scope: str, entity_key: str | None = None, **filters):
    """One page of quotes across articles, by article id then document order; with
    ``entity_key``, a 404 first when the corpus has no such entity (in the same snapshot)."""
    with store().reading() as conn:
        if entity_key is not None and store().entity_summary(conn, entity_key) is None:
            abort(404, message=f"No entity with key {entity_key!r}.")
        page = paginate(
            args,
            lambda window: store().corpus_parts(conn, "quotes", window, **filters),
            scope=scope,
            key_of=lambda row: (row.article_id, row.position),
            key_type=(str, int),
            items=exported_items,
            resume=lambda after: part_key(conn, "quotes", after),
        )
        items = corpus_items(conn, page.rows)
    body = envelope(json_array(items), page.links, page.meta)
    return json_response(body, link=page.link_header)


@blp.route("/articles/<article_id>/quotes")
class ArticleQuotes(MethodView):
    @blp.arguments(QuoteQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listArticleQuotes", QuoteListResponseSchema, collection=True)
    def get(self, article_id: str, **args):
        """List an article's quotes

        In document order, from the latest version. Filter by `speaker` (the entity's key, id,
        or any name or alias the article uses for it) and `kind`.
        """
        return part_page(article_id, "quotes", args, **quote_filters(args))


@blp.route("/quotes")
class Quotes(MethodView):
    @blp.arguments(CorpusQuoteQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listQuotes", CorpusQuoteListResponseSchema, collection=True)
    def get(self, **args):
        """List quotes across articles

        Every article's latest version, by article id then document order; each quote carries
        its `article_id`, the `version` its offsets are in (`version_url`: that immutable
        version) and the entities it is `about`. Filter by `speaker`, `kind`, `via` and
        `about` (who said what about whom: `speaker=…&about=org:bank-of-england`). `q` searches
        the quotes' text and speakers' names: results come best first, each with a highlighted
        snippet in `search`.
        """
        filters = quote_filters(args)
        if "q" in args:
            return search_page(
                args,
                lambda conn, window: store().search_quotes(conn, args["q"], window, **filters),
                "quotes",
                items=exported_items,
            )
        return corpus_quote_page(args, "quotes", **filters)


@blp.route("/entities/<entity_key>/quotes")
class EntityQuotes(MethodView):
    @blp.arguments(EntityQuoteQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listEntityQuotes", CorpusQuoteListResponseSchema, collection=True)
    def get(self, entity_key: str, **args):
        """List what an entity said

        The quotes whose speaker is this entity (by its corpus key), across every article's
        latest version, by article id then document order. Filter by `kind` and `via`.
        """
        filters = quote_filters(args) | {"speaker_known_as": (entity_key,)}
        return corpus_quote_page(args, f"entity-quotes:{entity_key}", entity_key, **filters)


@blp.route("/entities/<entity_key>/quoted-about")
class EntityQuotedAbout(MethodView):
    @blp.arguments(EntityQuoteQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listEntityQuotedAbout", CorpusQuoteListResponseSchema, collection=True)
    def get(self, entity_key: str, **args):
        """List what others said about an entity

        The quotes about this entity (named inside the quote or in its sentence; its own
        words never count), across every article's latest version, by article id then
        document order. Filter by `kind` and `via`.
        """
        filters = quote_filters(args) | {"about_known_as": ((entity_key,),)}
        return corpus_quote_page(args, f"quoted-about:{entity_key}", entity_key, **filters)
