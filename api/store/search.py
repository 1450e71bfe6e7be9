"""Full-text search over the latest versions: queries, ranking, snippets, and the documents.

``search_docs`` holds one document per article (title and text) and one per quote (speaker's
name and text) of each article's latest version; ``save`` replaces an article's documents with
:func:`index_for_search` in the transaction that stores its new version. SQLite searches them
with FTS5 (``bm25`` ranks, ``snippet()`` highlights), PostgreSQL with a generated ``tsvector``
(``ts_rank_cd`` ranks, ``ts_headline`` highlights); the same ``q`` grammar on both
(:func:`fts5_query`). Results are ranked and page by rank position.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import orjson
from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.exc import DBAPIError

from .reads import ArticleFilter, Slice, Window, article_filters, part_conditions
from .tables import articles, parts, search_docs

#: Private-use characters marking a match inside a snippet; the snippet is HTML-escaped and
#: these become ``<mark>``/``</mark>`` (so a snippet is safe to render as HTML).
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_HEADLINE = (
    f"StartSel={_MARK_OPEN}, StopSel={_MARK_CLOSE}, MaxWords=30, MinWords=12, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)
_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


class SearchQueryError(ValueError):
    """``q`` holds nothing to search for (no words, or only excluded ones)."""


@dataclass(slots=True, frozen=True)
class SearchRow:
    ordinal: int  # 1-based position in the ranked results: the cursor key
    row: tuple
    rank: float
    snippet: str


def fts5_query(q: str) -> str:
    """A web-search style ``q`` as a strictly quoted FTS5 query.

    Words and ``"quoted phrases"`` must all match; ``OR`` between two terms matches either;
    ``-word`` excludes. Every term is written as an FTS5 string (only word characters inside), so
    no user input is ever read as FTS5 syntax. PostgreSQL reads the same ``q`` with
    ``websearch_to_tsquery``, which has this grammar.
    """
    positive: list[list[str]] = []  # AND of OR-groups
    negative: list[str] = []
    join_next = False
    for match in _QUERY_TOKEN.finditer(q):
        minus, phrase, word = match.groups()
        if word is not None and word == "OR":
            join_next = bool(positive)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            minus, word = "-", word[1:]
        words = _WORD.findall(phrase if phrase is not None else word)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if minus:
            negative.append(term)
        elif join_next:
            positive[-1].append(term)
        else:
            positive.append([term])
        join_next = False
    if not positive:
        raise SearchQueryError("Give at least one word to search for.")
    query = " AND ".join(
        group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in positive
    )
    if negative:
        query = f"({query}) NOT ({' OR '.join(negative)})"
    return query


# -- the documents ------------------------------------------------------------------------------


def index_for_search(conn: Connection, article_id: str, article_json: bytes, parts_by_kind):
    """Replace an article's search documents with its new latest version's."""
    conn.execute(delete(search_docs).where(search_docs.c.article_id == article_id))
    docs = _search_documents(article_json, parts_by_kind)
    conn.execute(search_docs.insert(), [{"article_id": article_id, **doc} for doc in docs])


def _search_documents(article_json: bytes, parts_by_kind: dict) -> list[dict]:
    article = orjson.loads(article_json)
    docs = [
        {
            "kind": "articles",
            "position": 0,
            "title": article.get("title") or "",
            "body": article.get("text") or "",
        }
    ]
    for position, part in enumerate(parts_by_kind.get("quotes", ())):
        quote = orjson.loads(part.body)
        docs.append(
            {
                "kind": "quotes",
                "position": position,
                "title": part.name or "",
                "body": quote.get("text") or "",
            }
        )
    return docs


# -- the searches -------------------------------------------------------------------------------


def search_articles(
    conn: Connection,
    q: str,
    window: Window,
    *,
    where: ArticleFilter | None = None,
) -> tuple[Slice, int]:
    """Articles matching ``q`` in title or text that ``where`` keeps, best first:
    :class:`SearchRow` rows whose ``row`` is ``(id, summary_json)``. Raises
    :class:`SearchQueryError` for an empty ``q``."""
    return _search(
        conn,
        "articles",
        q,
        window,
        [articles.c.id, articles.c.summary_json],
        lambda source: source.join(articles, articles.c.id == search_docs.c.article_id),
        article_filters(where=where),
    )


def search_quotes(conn: Connection, q: str, window: Window, **filters) -> tuple[Slice, int]:
    """Quotes (of latest versions) matching ``q`` in their text or speaker's name, best
    first; ``row`` is ``(article_id, position, body, version)``."""

    def joins(source):
        return source.join(articles, articles.c.id == search_docs.c.article_id).join(
            parts,
            (parts.c.article_id == search_docs.c.article_id)
            & (parts.c.version == articles.c.latest_version)
            & (parts.c.kind == "quotes")
            & (parts.c.position == search_docs.c.position),
        )

    where = part_conditions(filters)
    return _search(
        conn,
        "quotes",
        q,
        window,
        [parts.c.article_id, parts.c.position, parts.c.body, parts.c.version],
        joins,
        where,
    )


def _snippet_html(snippet: str | None) -> str:
    escaped = html.escape(snippet or "", quote=False)
    return escaped.replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")


def _search_window(window: Window) -> tuple[int, int]:
    """Ranked results page by position: a cursor key is the rank position (1-based) of the
    item it continues from. Returns ``(offset, limit)`` of the rows to read."""
    if window.after is not None:
        return _clamp(window.after), window.limit + 1
    if window.before is not None:
        end = max(0, _clamp(window.before) - 1)
        start = max(0, end - window.limit)
        return start, end - start
    return window.offset, window.limit + 1


def _clamp(position) -> int:
    """A cursor's rank position as a sane SQL offset (cursors are opaque but not trusted)."""
    return min(max(0, int(position)), 1_000_000_000)


def _search(
    conn: Connection, kind: str, q: str, window: Window, columns: Sequence, joins, where: list
) -> tuple[Slice, int]:
    """Ranked matches of ``q`` among ``kind`` documents: rows ``(ordinal, *columns, rank,
    snippet)``, best first (ties by article id and position), and how many match."""
    d = search_docs
    if conn.dialect.name == "sqlite":
        fts = literal_column("search_fts")
        rank = (-func.bm25(fts, literal_column("4.0"), literal_column("1.0"))).label("rank")
        source = table("search_fts").join(d, d.c.doc_id == literal_column("search_fts.rowid"))
        matches = [fts.op("MATCH")(bindparam("q", fts5_query(q)))]
        snippet = func.snippet(
            fts, literal_column("1"), _MARK_OPEN, _MARK_CLOSE, "…", literal_column("24")
        )
    else:
        fts5_query(q)  # the same rule for what counts as something to search for
        tsquery = func.websearch_to_tsquery(literal_column("'english'::regconfig"), q)
        tsv = literal_column("search_docs.tsv")
        rank = func.ts_rank_cd(tsv, tsquery).label("rank")
        source = d
        matches = [tsv.op("@@")(tsquery)]
        snippet = None
    source = joins(source)
    where = [*matches, d.c.kind == kind, *where]
    offset, limit = _search_window(window)
    order = [d.c.article_id.label("_article"), d.c.position.label("_position")]
    if snippet is None:  # PostgreSQL: ts_headline for this page's rows only, in an outer query
        ranked = (
            select(*columns, d.c.body.label("_body"), rank, *order)
            .select_from(source)
            .where(*where)
            .order_by(rank.desc(), d.c.article_id, d.c.position)
            .limit(limit)
            .offset(offset)
            .subquery()
        )
        headline = func.ts_headline(
            literal_column("'english'::regconfig"),
            ranked.c._body,
            func.websearch_to_tsquery(literal_column("'english'::regconfig"), q),
            literal(_HEADLINE),
        )
        stmt = select(*list(ranked.c)[: len(columns)], headline, ranked.c.rank).order_by(
            ranked.c.rank.desc(), ranked.c._article, ranked.c._position
        )
    else:
        stmt = (
            select(*columns, snippet, rank)
            .select_from(source)
            .where(*where)
            .order_by(rank.desc(), d.c.article_id, d.c.position)
            .limit(limit)
            .offset(offset)
        )
    try:
        total = conn.execute(select(func.count()).select_from(source).where(*where)).scalar_one()
        found = conn.execute(stmt).all() if limit > 0 else []
    except DBAPIError as error:
        if conn.dialect.name == "sqlite" and "fts5" in str(error.orig).lower():
            raise SearchQueryError(str(error.orig)) from None
        raise
    if window.before is not None:
        has_more = offset > 0
    else:
        has_more = len(found) > window.limit
        found = found[: window.limit]
    rows = [
        SearchRow(offset + i + 1, tuple(row[:-2]), float(row[-1]), _snippet_html(row[-2]))
        for i, row in enumerate(found)
    ]
    return Slice(rows, has_more), total
