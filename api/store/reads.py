"""The reads that take more than one statement, and windowing.

Each function reads on a connection the caller holds open (``ArticleStore.reading()``: one
snapshot), so a window and its total, or an article's version and its parts, agree. The
one-statement reads of the request path are in :mod:`api.store.fast`; search is in
:mod:`api.store.search`.

A collection is read a window at a time (:class:`Window`): keyset bounds on its sort key (cursor
mode: a deep page costs what the first costs) or an offset (page mode); ``limit + 1`` rows are
read so the caller learns whether more follow (:class:`Slice`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, or_, select, text, tuple_
from sqlalchemy.exc import DBAPIError

from .tables import (
    COUNTERS,
    PART_KINDS,
    article_facets,
    article_versions,
    articles,
    entity_names,
    facet_counts,
    latest_part,
    latest_version_of_article,
    live,
    part_lists,
    parts,
    quote_about,
    totals,
)
from .tables import corpus_entities as corpus_entities_table

Key = str | int | tuple


@dataclass(slots=True, frozen=True)
class Window:
    """Which slice of an ordered collection to read.

    ``after``/``before`` are keyset bounds (cursor mode); ``offset`` is page mode. ``limit + 1``
    rows are read so the caller learns whether more follow.
    """

    limit: int
    offset: int = 0
    after: Key | None = None
    before: Key | None = None
    descending: bool = False


@dataclass(slots=True, frozen=True)
class Slice:
    rows: list
    has_more: bool


@dataclass(slots=True, frozen=True)
class StoreStats:
    articles: int
    versions: int
    last_ingested_at: str | None


def stored_total(conn: Connection, name: str) -> int:
    """A stored counter (``totals``): one of :data:`~api.store.tables.COUNTERS`, or
    :data:`~api.store.tables.ENTITY_COUNTER` and its per-type forms (0 before the first)."""
    return conn.execute(select(totals.c.value).where(totals.c.name == name)).scalar() or 0


def schema_version(conn: Connection) -> str | None:
    """The Alembic revision the database is at; None before the first migration."""
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        conn.rollback()
        return None


# -- one article --------------------------------------------------------------------------------


def latest_version(conn: Connection, article_id: str) -> int | None:
    """The latest version of a live article; None if there is none (or it is retracted)."""
    return conn.execute(
        select(articles.c.latest_version).where(articles.c.id == article_id, live())
    ).scalar()


def published_at_of(conn: Connection, article_id: str) -> str | None:
    """A live article's publication sort key (``articles.published_at``: "" when undated);
    None if there is no such article."""
    return conn.execute(
        select(articles.c.published_at).where(articles.c.id == article_id, live())
    ).scalar()


def retraction(conn: Connection, article_id: str) -> tuple[str, str] | None:
    """``(retracted_at, reason)`` of a retracted article; None for a live or unknown one."""
    row = conn.execute(
        select(articles.c.retracted_at, articles.c.retraction_reason).where(
            articles.c.id == article_id, articles.c.retracted_at.is_not(None)
        )
    ).first()
    return None if row is None else (row[0], row[1] or "")


def owner(conn: Connection, article_id: str) -> str | None:
    """The source that owns an article id (``file:…``, ``key:…``); None if it is unknown."""
    return conn.execute(select(articles.c.source).where(articles.c.id == article_id)).scalar()


def sources(conn: Connection, prefix: str) -> list[tuple[str, str]]:
    """``(id, source)`` of the live articles whose source starts with ``prefix``."""
    return [
        (row[0], row[1])
        for row in conn.execute(
            select(articles.c.id, articles.c.source)
            .where(articles.c.source.startswith(prefix, autoescape=True), live())
            .order_by(articles.c.id)
        )
    ]


def part(conn: Connection, article_id: str, version: int, kind: str, part_id: str) -> bytes | None:
    return conn.execute(
        select(parts.c.body).where(
            (parts.c.article_id == article_id)
            & (parts.c.version == version)
            & (parts.c.kind == kind)
            & (parts.c.part_id == part_id)
        )
    ).scalar()


def article_parts(
    conn: Connection, article_id: str, version: int, kind: str, window: Window, **filters
) -> tuple[Slice, int]:
    """A window of one article's parts in position order, and how many match in all."""
    where = [
        parts.c.article_id == article_id,
        parts.c.version == version,
        parts.c.kind == kind,
    ]
    where += part_conditions(filters)
    total = conn.execute(select(func.count()).select_from(parts).where(*where)).scalar_one()
    stmt = select(parts.c.position, parts.c.body).where(*where)
    return _windowed(conn, stmt, [parts.c.position], window), total


def part_position(conn: Connection, article_id: str, kind: str, part_id: str) -> int | None:
    """The position of one part (by its id) in an article's latest version, or None."""
    return conn.execute(
        select(parts.c.position)
        .select_from(parts.join(articles, parts.c.article_id == articles.c.id))
        .where(
            parts.c.article_id == article_id,
            parts.c.version == articles.c.latest_version,
            parts.c.kind == kind,
            parts.c.part_id == part_id,
        )
    ).scalar()


def versions(conn: Connection, article_id: str, window: Window) -> tuple[Slice, int]:
    where = article_versions.c.article_id == article_id
    total = latest_version(conn, article_id) or 0  # versions are 1..latest
    stmt = select(
        article_versions.c.version,
        article_versions.c.content_hash,
        article_versions.c.parser_version,
        article_versions.c.ingested_at,
    ).where(where)
    return _windowed(conn, stmt, [article_versions.c.version], window), total


# -- across the corpus (latest versions only) ---------------------------------------------------


@dataclass(slots=True, frozen=True)
class ArticleFilter:
    """What an article list keeps (every condition must hold: AND).

    ``entities``: each item the name keys (``api.ids.name_keys``) of one entity the latest
    version must mention; ``tags``/``authors``: facet values (slugs) it must carry;
    ``published_after`` (inclusive) and ``published_before`` (exclusive): RFC 3339 UTC bounds
    on its publication time (an article without one matches neither).
    """

    since: str | None = None
    entities: tuple[tuple[str, ...], ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    section: str | None = None
    published_after: str | None = None
    published_before: str | None = None

    @property
    def empty(self) -> bool:
        return self == _NO_FILTER


_NO_FILTER = ArticleFilter()

#: Article list orders: their sort keys (``published_at`` ties broken by id).
ARTICLE_SORT_KEYS = {
    "id": (articles.c.id,),
    "published_at": (articles.c.published_at, articles.c.id),
}


def article_filters(where: ArticleFilter | None = None) -> list:
    """Conditions on ``articles``: live, and what ``where`` keeps (:class:`ArticleFilter`)."""
    where = where or _NO_FILTER
    conditions = [live()]
    if where.since is not None:
        conditions.append(articles.c.updated_at >= where.since)
    for names in where.entities:
        conditions.append(
            select(entity_names.c.article_id)
            .where(
                entity_names.c.article_id == articles.c.id,
                entity_names.c.version == articles.c.latest_version,
                entity_names.c.name_key.in_(list(names)),
            )
            .correlate(articles)
            .exists()
        )
    labelled = [("tag", tag) for tag in where.tags] + [("author", a) for a in where.authors]
    if where.section is not None:
        labelled.append(("section", where.section))
    for facet, value in labelled:
        conditions.append(
            select(article_facets.c.article_id)
            .where(
                article_facets.c.article_id == articles.c.id,
                article_facets.c.version == articles.c.latest_version,
                article_facets.c.facet == facet,
                article_facets.c.value == value,
            )
            .correlate(articles)
            .exists()
        )
    if where.published_after is not None:
        conditions.append(articles.c.published_at >= where.published_after)
    if where.published_before is not None:
        conditions += [articles.c.published_at < where.published_before]
        conditions += [articles.c.published_at != ""]
    return conditions


def part_conditions(filters: dict) -> list:
    """Conditions on ``parts`` rows: each filter a column's value, except ``speaker_known_as``
    (the quote's speaker is an entity of the same version known by one of those names, or a
    speaker no entity matches with that name), ``speaker_via`` (one of several values) and
    ``about_known_as`` (see :func:`about_conditions`)."""
    where = []
    for name, value in filters.items():
        if name == "about_known_as":
            where += about_conditions(value)
        elif name == "speaker_known_as":
            named = select(
                entity_names.c.article_id, entity_names.c.version, entity_names.c.entity_id
            ).where(entity_names.c.name_key.in_(list(value)))
            where.append(
                or_(
                    tuple_(parts.c.article_id, parts.c.version, parts.c.speaker_id).in_(named),
                    parts.c.speaker_key.in_(list(value)),
                )
            )
        elif name == "speaker_via":
            where.append(parts.c.speaker_via.in_(list(value)))
        else:
            where.append(parts.c[name] == value)
    return where


def about_conditions(known_as: Sequence[Sequence[str]]) -> list:
    """Conditions on quote ``parts`` rows: for each tuple of names, the quote is about
    (``quote_about``) an entity of the same version known by one of them; several tuples must
    all hold (AND)."""
    where = []
    for names in known_as:
        named = (
            select(quote_about.c.article_id, quote_about.c.version, quote_about.c.position)
            .select_from(
                quote_about.join(
                    entity_names,
                    (entity_names.c.article_id == quote_about.c.article_id)
                    & (entity_names.c.version == quote_about.c.version)
                    & (entity_names.c.entity_id == quote_about.c.entity_id),
                )
            )
            .where(entity_names.c.name_key.in_(list(names)))
        )
        where.append(tuple_(parts.c.article_id, parts.c.version, parts.c.position).in_(named))
    return where


def quotes_about(
    conn: Connection, keys: Sequence[tuple[str, int, int]]
) -> dict[tuple[str, int, int], list]:
    """What each of these quotes (``(article_id, version, position)``) is about: rows
    ``(entity_key, entity_id, place)``, inside the quote first, then by key."""
    found: dict[tuple[str, int, int], list] = {key: [] for key in keys}
    if not keys:
        return found
    qa = quote_about
    rows = conn.execute(
        select(qa.c.article_id, qa.c.version, qa.c.position, qa.c.entity_key, qa.c.entity_id)
        .add_columns(qa.c.place)
        .where(tuple_(qa.c.article_id, qa.c.version, qa.c.position).in_(list(keys)))
        .order_by(qa.c.article_id, qa.c.version, qa.c.position, qa.c.place, qa.c.entity_key)
    )
    for row in rows:
        found[(row.article_id, row.version, row.position)].append(
            (row.entity_key, row.entity_id, row.place)
        )
    return found


def filtered_article_summaries(
    conn: Connection,
    window: Window,
    where: ArticleFilter,
    *,
    sort: str = "id",
) -> tuple[Slice, int]:
    """A window of the article list filtered by ``where``, in ``sort`` order (a key of
    :data:`ARTICLE_SORT_KEYS`; ``window.descending`` reverses it), and how many match. Rows are
    ``(id, summary_json, published_at)``. (The unfiltered list by id is one compiled
    statement: ``FastReader.article_summaries``.)"""
    conditions = article_filters(where=where)
    if where.empty:
        total = stored_total(conn, "articles")
    else:
        total = conn.execute(
            select(func.count()).select_from(articles).where(*conditions)
        ).scalar_one()
    stmt = select(articles.c.id, articles.c.summary_json, articles.c.published_at)
    stmt = stmt.where(*conditions)
    return _windowed(conn, stmt, list(ARTICLE_SORT_KEYS[sort]), window), total


def article_facets_counts(
    conn: Connection, facets: Sequence[str], where: ArticleFilter, limit: int
) -> dict[str, list[tuple[str, str | None, int]]]:
    """For each facet, its ``limit`` most frequent values among the articles ``where`` keeps:
    ``(value, label, article count)``, most first (ties by value). Unfiltered, the counts kept
    at ingest (``facet_counts``; entities: ``corpus_entities``); filtered, the articles'
    ``article_facets`` rows counted in this snapshot."""
    found: dict[str, list[tuple[str, str | None, int]]] = {}
    for facet in facets:
        if where.empty and facet == "entity":
            table = corpus_entities_table
            stmt = select(table.c.key, table.c.name, table.c.article_count).order_by(
                table.c.article_count.desc(), table.c.key
            )
        elif where.empty:
            stmt = (
                select(facet_counts.c.value, facet_counts.c.label, facet_counts.c.article_count)
                .where(facet_counts.c.facet == facet)
                .order_by(facet_counts.c.article_count.desc(), facet_counts.c.value)
            )
        else:
            count = func.count().label("n")
            counted = article_facets.alias("counted")
            stmt = (
                select(counted.c.value, func.max(counted.c.label), count)
                .select_from(
                    counted.join(
                        articles,
                        (counted.c.article_id == articles.c.id)
                        & (counted.c.version == articles.c.latest_version),
                    )
                )
                .where(counted.c.facet == facet, *article_filters(where=where))
                .group_by(counted.c.value)
                .order_by(count.desc(), counted.c.value)
            )
        found[facet] = [(row[0], row[1], row[2]) for row in conn.execute(stmt.limit(limit))]
    return found


def corpus_parts(conn: Connection, kind: str, window: Window, **filters) -> tuple[Slice, int]:
    """Parts of every article's latest version, by article id then position: rows
    ``(article_id, position, body, version)``."""
    where = [latest_part(), parts.c.kind == kind, *part_conditions(filters)]
    joined = parts.join(articles, parts.c.article_id == articles.c.id)
    if not filters and kind in COUNTERS:
        total = stored_total(conn, kind)
    else:
        total = conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one()
    stmt = select(parts.c.article_id, parts.c.position, parts.c.body, parts.c.version)
    stmt = stmt.select_from(joined).where(*where)
    return _windowed(conn, stmt, [parts.c.article_id, parts.c.position], window), total


def corpus_entities(
    conn: Connection,
    window: Window,
    *,
    entity_type: str | None = None,
    name_contains: str | None = None,
) -> tuple[Slice, int]:
    """Entities across articles by key: name, type, article and mention counts, as ``save``
    keeps them (``corpus_entities``), and how many match, counted (the store reads pages
    without ``name_contains`` with their stored total: ``FastReader.corpus_entities``)."""
    table = corpus_entities_table
    where = []
    if entity_type is not None:
        where.append(table.c.type == entity_type)
    if name_contains is not None:
        where.append(func.lower(table.c.name).like(_contains(name_contains), escape="\\"))
    total = conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
    return _windowed(conn, select(table).where(*where), [table.c.key], window), total


def entity_summary(conn: Connection, entity_key: str):
    """One entity's corpus-wide row (key, name, type, counts), or None."""
    table = corpus_entities_table
    return conn.execute(select(table).where(table.c.key == entity_key)).first()


def entity_mentions(conn: Connection, entity_key: str, window: Window) -> tuple[Slice, int]:
    """The latest-version articles mentioning one entity, with that article's entity bytes."""
    where = [latest_part(), parts.c.kind == "entities", parts.c.entity_key == entity_key]
    joined = parts.join(articles, parts.c.article_id == articles.c.id)
    total = conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one()
    stmt = (
        select(parts.c.article_id, articles.c.title, parts.c.body).select_from(joined).where(*where)
    )
    return _windowed(conn, stmt, [parts.c.article_id], window), total


def _contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, case-insensitively, wildcards escaped."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def grouped_entities(where: list):
    """Latest-version entity rows grouped by key, as a subquery: what ``corpus_entities``
    holds (``save`` recomputes it for the keys a new version touches)."""
    return (
        select(
            parts.c.entity_key.label("key"),
            func.max(parts.c.name).label("name"),
            func.max(parts.c.entity_type).label("type"),
            func.count().label("article_count"),
            func.sum(parts.c.weight).label("mention_count"),
        )
        .select_from(parts.join(articles, parts.c.article_id == articles.c.id))
        .where(latest_part(), parts.c.kind == "entities", parts.c.entity_key.is_not(None), *where)
        .group_by(parts.c.entity_key)
        .subquery()
    )


# -- operations ---------------------------------------------------------------------------------


def stats(conn: Connection) -> StoreStats:
    articles_count = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    versions_count, last = conn.execute(
        select(func.count(), func.max(article_versions.c.ingested_at))
    ).one()
    return StoreStats(articles_count, versions_count, last)


def has_articles(conn: Connection) -> bool:
    return conn.execute(select(articles.c.id).limit(1)).first() is not None


def integrity_errors(conn: Connection) -> list[str]:
    """SQLite's own integrity check plus ours: every article's latest version is complete."""
    problems: list[str] = []
    if conn.dialect.name == "sqlite":
        result = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        problems += [line for line in result if line != "ok"]
    missing = conn.execute(
        select(articles.c.id)
        .outerjoin(article_versions, latest_version_of_article(retracted=True))
        .where(article_versions.c.version.is_(None))
    ).scalars()
    problems += [f"article {article_id}: latest version missing" for article_id in missing]
    counts = (
        select(part_lists.c.article_id, part_lists.c.version, func.count().label("kinds"))
        .group_by(part_lists.c.article_id, part_lists.c.version)
        .subquery()
    )
    incomplete = conn.execute(
        select(article_versions.c.article_id, article_versions.c.version)
        .outerjoin(
            counts,
            (counts.c.article_id == article_versions.c.article_id)
            & (counts.c.version == article_versions.c.version),
        )
        .where(func.coalesce(counts.c.kinds, 0) != len(PART_KINDS))
    ).all()
    problems += [f"article {a} version {v}: parts incomplete" for a, v in incomplete]
    return problems


# -- windowing ----------------------------------------------------------------------------------


def _windowed(conn: Connection, stmt, keys: Sequence, window: Window) -> Slice:
    """Order by ``keys`` and cut the window: keyset bounds (cursor) or an offset (page)."""
    key = keys[0] if len(keys) == 1 else tuple_(*keys)

    def bound(value):
        return value if len(keys) == 1 else tuple_(*value)

    forward = [k.desc() if window.descending else k.asc() for k in keys]
    backward = [k.asc() if window.descending else k.desc() for k in keys]
    if window.after is not None:
        after = bound(window.after)
        stmt = stmt.where(key < after if window.descending else key > after)
    if window.before is not None:
        before = bound(window.before)
        stmt = stmt.where(key > before if window.descending else key < before)
        rows = conn.execute(stmt.order_by(*backward).limit(window.limit + 1)).all()
        has_more = len(rows) > window.limit
        return Slice(list(reversed(rows[: window.limit])), has_more)
    rows = conn.execute(stmt.order_by(*forward).limit(window.limit + 1).offset(window.offset)).all()
    return Slice(rows[: window.limit], len(rows) > window.limit)
