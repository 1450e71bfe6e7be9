"""Quotes: per article, and across the corpus (latest versions)."""

from __future__ import annotations

import orjson
from flask.views import MethodView

from schemas.quote import (
    CorpusQuoteListResponseSchema,
    CorpusQuoteQuerySchema,
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
    "attributes them to (an entity of the same article) and the cue verb, or a quoted `term`.",
)


def quote_filters(args: dict) -> dict:
    """``speaker``: the key, the id, or any name or alias of the entity the article says spoke
    (looked up among the names it is known by in that article); ``kind``: the quote's kind."""
    filters: dict = {}
    if "speaker" in args:
        filters["speaker_known_as"] = name_keys(args["speaker"])
    if "kind" in args:
        filters["quote_kind"] = args["kind"]
    if "via" in args:
        filters["speaker_via"] = tuple(args["via"])
    return filters


def corpus_quote(row) -> bytes:
    """A quote across articles: its stored bytes and its ``article_id``."""
    return splice(row.body, [("article_id", orjson.dumps(row.article_id))])


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
        its `article_id`. Filter by `speaker` and `kind`. `q` searches the quotes' text and
        speakers' names: results come best first, each with a highlighted snippet in `search`.
        """
        filters = quote_filters(args)
        if "q" in args:
            return search_page(
                args,
                lambda conn, window: store().search_quotes(conn, args["q"], window, **filters),
                "quotes",
                item=lambda row: splice(row[2], [("article_id", orjson.dumps(row[0]))]),
            )
        with store().reading() as conn:
            page = paginate(
                args,
                lambda window: store().corpus_parts(conn, "quotes", window, **filters),
                scope="quotes",
                key_of=lambda row: (row.article_id, row.position),
                key_type=(str, int),
                item=corpus_quote,
                resume=lambda after: part_key(conn, "quotes", after),
            )
        items = (corpus_quote(row) for row in page.rows)
        body = envelope(json_array(items), page.links, page.meta)
        return json_response(body, link=page.link_header)
