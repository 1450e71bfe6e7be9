"""Writes: ``save`` stores an article's new version, and keeps the counters and search in step.

Ownership: an article id belongs to the source that first stored it (``articles.source``); a
save from another source is refused with :class:`SourceConflict` unless it reassigns the id
(an operator's explicit choice), so one file can never take over another file's article.

Versioning: a save whose ``output_hash`` equals the latest version's writes nothing (the output
is unchanged); otherwise it stores version ``latest + 1`` (1 for a new article) with all its
parts, adjusts the stored counters (``totals``), replaces the article's search documents, and
switches ``articles.latest_version`` last, all in one transaction, so a reader sees the old
version or the new one, never a mix. The event (``article.created`` / ``article.updated``) is
the transaction's last statement (:mod:`~api.store.changes`).

Retraction (:func:`retract`): the article answers 410 and leaves every list, search and
aggregate at once (its rows stay); the counters drop it and its search documents go, in one
transaction with the ``article.retracted`` event. A later save of a retracted article is
refused (:class:`ArticleRetracted`) unless it asks to ``restore`` it, which stores a new version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import orjson
from sqlalchemy import Connection, Engine, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from . import changes
from .engine import write_transaction
from .reads import grouped_entities
from .search import index_for_search
from .tables import (
    ENTITY_COUNTER,
    article_facets,
    article_versions,
    articles,
    corpus_entities,
    encoded_bodies,
    entity_counter,
    entity_names,
    facet_counts,
    latest_facet,
    latest_version_of_article,
    part_lists,
    parts,
    quote_about,
    search_docs,
    totals,
    utc_now,
)


@dataclass(slots=True)
class PartRow:
    """One stored part: its JSON bytes plus the columns the API filters on."""

    part_id: str
    body: bytes
    speaker_id: str | None = None
    speaker_key: str | None = None
    speaker_via: str | None = None
    quote_kind: str | None = None
    entity_type: str | None = None
    entity_key: str | None = None
    name: str | None = None
    weight: int | None = None


@dataclass(slots=True)
class RenderedVersion:
    """Everything stored for one version, rendered once its number and time are known."""

    article_json: bytes
    summary_json: bytes
    content_hash: str
    parser_version: str
    source_file: str
    title: str
    part_lists: dict[str, bytes] = field(default_factory=dict)
    parts: dict[str, list[PartRow]] = field(default_factory=dict)
    #: ``(entity_id, name_key)``: every name each entity is known by (``api.ids.entity_names``).
    entity_names: list[tuple[str, str]] = field(default_factory=list)
    #: The publication time ("" when none), for date filters and sorting.
    published_at: str = ""
    #: ``(facet, value, label)``: the version's facet values (:data:`~.tables.FACETS`).
    facets: list[tuple[str, str, str | None]] = field(default_factory=list)
    #: ``(quote position, entity key, entity id, place)``: what each quote is about
    #: (``api.about.quote_about``).
    quote_about: list[tuple[int, str, str, str]] = field(default_factory=list)
    #: ``(url, coding, identity hash, body)``: the version's compressed bodies
    #: (:data:`~.tables.ENCODED_URLS`), made by the caller, which knows the HTTP bodies.
    encoded: list[tuple[str, str, str, bytes]] = field(default_factory=list)


class SourceConflict(Exception):
    """The article id is owned by another source; nothing was written."""

    def __init__(self, article_id: str, owner: str, claimant: str) -> None:
        super().__init__(f"article {article_id!r} belongs to {owner}, not {claimant}")
        self.article_id = article_id
        self.owner = owner
        self.claimant = claimant


class ArticleRetracted(Exception):
    """The article was retracted; a save that does not restore it writes nothing."""

    def __init__(self, article_id: str, retracted_at: str, reason: str) -> None:
        super().__init__(f"article {article_id!r} was retracted at {retracted_at}: {reason}")
        self.article_id = article_id
        self.retracted_at = retracted_at
        self.reason = reason


@dataclass(slots=True, frozen=True)
class SaveResult:
    article_id: str
    version: int
    created: bool  # False: the output was unchanged, nothing was written


def save(
    engine: Engine,
    article_id: str,
    output_hash: str,
    render: Callable[[int, str], RenderedVersion],
    *,
    source: str,
    reassign: bool = False,
    restore: bool = False,
    after: Callable[[Connection, SaveResult], None] | None = None,
) -> SaveResult:
    """Store a new version unless the latest has the same ``output_hash``; one transaction.

    ``source`` is who sends the document (``file:<name>``, ``key:<key name>``): a new article is
    owned by it; an existing one owned by another source raises :class:`SourceConflict`, unless
    ``reassign`` moves the id to ``source`` (with a new version from it). A retracted article
    raises :class:`ArticleRetracted` unless ``restore``. ``after`` runs in the same transaction
    with the result (a job records its outcome with the save, or not at all).

    Concurrent saves of one article queue: SQLite's write lock (``BEGIN IMMEDIATE``, see
    :func:`~api.store.engine.write_transaction`) takes them one at a time; on PostgreSQL a
    transaction-scoped advisory lock on the article id does, so the second reads the version
    the first committed (no duplicate version, no lost update) while saves of other articles
    run in parallel.
    """
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(article_id, 0))))
        latest = conn.execute(
            select(
                articles.c.latest_version,
                articles.c.source,
                articles.c.retracted_at,
                articles.c.retraction_reason,
                article_versions.c.output_hash,
            )
            .join(article_versions, latest_version_of_article(retracted=True))
            .where(articles.c.id == article_id)
        ).first()
        if latest is not None and latest.source != source and not reassign:
            raise SourceConflict(article_id, latest.source, source)
        retracted = latest is not None and latest.retracted_at is not None
        if retracted and not restore:
            raise ArticleRetracted(article_id, latest.retracted_at, latest.retraction_reason or "")
        if (
            latest is not None
            and not retracted
            and latest.output_hash == output_hash
            and latest.source == source
        ):
            result = SaveResult(article_id, latest.latest_version, created=False)
            if after is not None:
                after(conn, result)
            return result
        live = latest is not None and not retracted
        version = 1 if latest is None else latest.latest_version + 1
        now = utc_now()
        rendered = render(version, now)
        if latest is None:
            conn.execute(
                articles.insert(),
                {
                    "id": article_id,
                    "latest_version": version,
                    "first_ingested_at": now,
                    "updated_at": now,
                    "source_file": rendered.source_file,
                    "title": rendered.title,
                    "summary_json": rendered.summary_json,
                    "source": source,
                    "published_at": rendered.published_at,
                },
            )
        conn.execute(
            article_versions.insert(),
            {
                "article_id": article_id,
                "version": version,
                "content_hash": rendered.content_hash,
                "output_hash": output_hash,
                "parser_version": rendered.parser_version,
                "ingested_at": now,
                "article_json": rendered.article_json,
            },
        )
        for kind, body in rendered.part_lists.items():
            conn.execute(
                part_lists.insert(),
                {"article_id": article_id, "version": version, "kind": kind, "body": body},
            )
        if rendered.encoded:
            conn.execute(
                encoded_bodies.insert(),
                [
                    {
                        "article_id": article_id,
                        "version": version,
                        "url": url,
                        "coding": coding,
                        "identity": identity,
                        "body": body,
                    }
                    for url, coding, identity, body in rendered.encoded
                ],
            )
        rows = [
            {
                "article_id": article_id,
                "version": version,
                "kind": kind,
                "position": position,
                "part_id": part.part_id,
                "body": part.body,
                "speaker_id": part.speaker_id,
                "speaker_key": part.speaker_key,
                "speaker_via": part.speaker_via,
                "quote_kind": part.quote_kind,
                "entity_type": part.entity_type,
                "entity_key": part.entity_key,
                "name": part.name,
                "weight": part.weight,
            }
            for kind, items in rendered.parts.items()
            for position, part in enumerate(items)
        ]
        if rows:
            conn.execute(parts.insert(), rows)
        names = [
            {"article_id": article_id, "version": version, "entity_id": e, "name_key": n}
            for e, n in dict.fromkeys(rendered.entity_names)
        ]
        if names:
            conn.execute(entity_names.insert(), names)
        facet_rows = {(facet, value): label for facet, value, label in rendered.facets if value}
        if facet_rows:
            conn.execute(
                article_facets.insert(),
                [
                    {
                        "article_id": article_id,
                        "version": version,
                        "facet": facet,
                        "value": value,
                        "label": label,
                    }
                    for (facet, value), label in facet_rows.items()
                ],
            )
        touched_facets = set(facet_rows)
        about = [
            {
                "article_id": article_id,
                "version": version,
                "position": position,
                "entity_key": key,
                "entity_id": entity_id,
                "place": place,
            }
            for position, key, entity_id, place in rendered.quote_about
        ]
        if about:
            conn.execute(quote_about.insert(), about)
        quotes_before = 0
        if live:
            quotes_before = conn.execute(
                select(func.count()).where(
                    parts.c.article_id == article_id,
                    parts.c.version == latest.latest_version,
                    parts.c.kind == "quotes",
                )
            ).scalar_one()
        _add(conn, "articles", 0 if live else 1)
        _add(conn, "quotes", len(rendered.parts.get("quotes", ())) - quotes_before)
        index_for_search(conn, article_id, rendered.article_json, rendered.parts)
        touched = {part.entity_key for part in rendered.parts.get("entities", ())}
        if latest is not None:
            touched |= set(
                conn.execute(
                    select(parts.c.entity_key).where(
                        parts.c.article_id == article_id,
                        parts.c.version == latest.latest_version,
                        parts.c.kind == "entities",
                    )
                ).scalars()
            )
            touched_facets |= _facet_values(conn, article_id, latest.latest_version)
            # Switch "latest" last: readers see the old version or the new one, never a mix.
            conn.execute(
                articles.update()
                .where(articles.c.id == article_id)
                .values(
                    latest_version=version,
                    updated_at=now,
                    source_file=rendered.source_file,
                    title=rendered.title,
                    summary_json=rendered.summary_json,
                    source=source,
                    retracted_at=None,
                    retraction_reason=None,
                    published_at=rendered.published_at,
                )
            )
        _refresh_entities(conn, touched)
        _refresh_facets(conn, touched_facets)
        result = SaveResult(article_id, version, created=True)
        if after is not None:
            after(conn, result)
        changes.record(
            conn, "article.created" if latest is None else "article.updated", article_id, version
        )
        return result


@dataclass(slots=True, frozen=True)
class Retraction:
    article_id: str
    version: int
    retracted_at: str
    reason: str
    new: bool  # False: it was already retracted (nothing changed)


def retract(engine: Engine, article_id: str, reason: str) -> Retraction | None:
    """Take an article down (one transaction); None if there is no such article. Retracting a
    retracted article changes nothing and answers the first retraction."""
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(article_id, 0))))
        row = conn.execute(
            select(
                articles.c.latest_version, articles.c.retracted_at, articles.c.retraction_reason
            ).where(articles.c.id == article_id)
        ).first()
        if row is None:
            return None
        if row.retracted_at is not None:
            return Retraction(
                article_id, row.latest_version, row.retracted_at, row.retraction_reason or "", False
            )
        now = utc_now()
        quotes = conn.execute(
            select(func.count()).where(
                parts.c.article_id == article_id,
                parts.c.version == row.latest_version,
                parts.c.kind == "quotes",
            )
        ).scalar_one()
        conn.execute(delete(search_docs).where(search_docs.c.article_id == article_id))
        _add(conn, "articles", -1)
        _add(conn, "quotes", -quotes)
        conn.execute(
            articles.update()
            .where(articles.c.id == article_id)
            .values(retracted_at=now, retraction_reason=reason, updated_at=now)
        )
        # The corpus-wide entity rows it counted in, recounted without it.
        touched = set(
            conn.execute(
                select(parts.c.entity_key).where(
                    parts.c.article_id == article_id,
                    parts.c.version == row.latest_version,
                    parts.c.kind == "entities",
                )
            ).scalars()
        )
        _refresh_entities(conn, touched)
        _refresh_facets(conn, _facet_values(conn, article_id, row.latest_version))
        changes.record(conn, "article.retracted", article_id, row.latest_version, reason=reason)
        return Retraction(article_id, row.latest_version, now, reason, True)


#: Keys recomputed per statement (bound parameters stay well under every backend's limit).
_KEY_BATCH = 500


def _refresh_entities(conn: Connection, keys: set) -> None:
    """Recompute the ``corpus_entities`` rows of ``keys`` from the latest versions, after the
    switch to the new one (in the save's transaction). On PostgreSQL each key is locked first
    (in one order, so two saves cannot deadlock): a save sharing a key with another waits for
    it, and its recount, a new statement, sees what the other committed."""
    ordered = sorted(k for k in keys if k)
    columns = ["key", "name", "type", "article_count", "mention_count"]
    delta: dict[str | None, int] = {}
    for start in range(0, len(ordered), _KEY_BATCH):
        batch = ordered[start : start + _KEY_BATCH]
        if conn.dialect.name == "postgresql":
            for key in batch:
                lock = func.pg_advisory_xact_lock(func.hashtextextended("entity:" + key, 0))
                conn.execute(select(lock))
        for entity_type, count in _entity_types(conn, batch):
            delta[entity_type] = delta.get(entity_type, 0) - count
        conn.execute(corpus_entities.delete().where(corpus_entities.c.key.in_(batch)))
        grouped = grouped_entities([parts.c.entity_key.in_(batch)])
        conn.execute(corpus_entities.insert().from_select(columns, select(grouped)))
        for entity_type, count in _entity_types(conn, batch):
            delta[entity_type] = delta.get(entity_type, 0) + count
    # The counters last, in one order (after every key's lock: see ``save``'s lock order).
    counted = {ENTITY_COUNTER: sum(delta.values())}
    counted |= {entity_counter(t): n for t, n in delta.items() if t is not None}
    for name in sorted(counted):
        _add(conn, name, counted[name])


def _entity_types(conn: Connection, keys: list[str]):
    """``(type, how many)`` of the ``corpus_entities`` rows of ``keys``."""
    table = corpus_entities
    return conn.execute(
        select(table.c.type, func.count()).where(table.c.key.in_(keys)).group_by(table.c.type)
    ).all()


def _facet_values(conn: Connection, article_id: str, version: int) -> set[tuple[str, str]]:
    """The ``(facet, value)`` pairs of one version."""
    rows = conn.execute(
        select(article_facets.c.facet, article_facets.c.value).where(
            article_facets.c.article_id == article_id, article_facets.c.version == version
        )
    )
    return {(facet, value) for facet, value in rows}


def _refresh_facets(conn: Connection, pairs: set[tuple[str, str]]) -> None:
    """Recount the ``facet_counts`` rows of ``pairs`` from the live latest versions (entity
    values excepted: ``corpus_entities`` counts those), locked in one order on PostgreSQL as
    :func:`_refresh_entities` locks its keys."""
    ordered = sorted(pair for pair in pairs if pair[0] != "entity")
    for facet, value in ordered:
        if conn.dialect.name == "postgresql":
            lock = func.pg_advisory_xact_lock(func.hashtextextended(f"facet:{facet}:{value}", 0))
            conn.execute(select(lock))
        conn.execute(
            facet_counts.delete().where(
                facet_counts.c.facet == facet, facet_counts.c.value == value
            )
        )
        counted = (
            select(
                article_facets.c.facet,
                article_facets.c.value,
                func.max(article_facets.c.label),
                func.count(),
            )
            .select_from(article_facets.join(articles, latest_facet()))
            .where(article_facets.c.facet == facet, article_facets.c.value == value)
            .group_by(article_facets.c.facet, article_facets.c.value)
        )
        conn.execute(
            facet_counts.insert().from_select(["facet", "value", "label", "article_count"], counted)
        )


def _add(conn: Connection, name: str, delta: int) -> None:
    """Adjust a stored counter by ``delta`` (in the save's transaction): one atomic upsert on
    either backend, so a counter with no row yet (one per entity type) starts at ``delta``."""
    if not delta:
        return
    insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(totals).values(name=name, value=delta)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[totals.c.name], set_={"value": totals.c.value + delta}
        )
    )


def copy_article(engine: Engine, article_id: str, new_ids: Sequence[str]) -> int:
    """Store copies of an article's latest version under each of ``new_ids`` (the article and
    version rows, with ``id`` rewritten in their JSON; no parts, search documents or entities),
    in one transaction: how load tests and benchmarks make 100,000 listed articles without
    100,000 parser runs. Returns how many were made."""
    with write_transaction(engine) as conn:
        head = conn.execute(select(articles).where(articles.c.id == article_id)).one()
        version = conn.execute(
            select(article_versions).where(
                article_versions.c.article_id == article_id,
                article_versions.c.version == head.latest_version,
            )
        ).one()
        summary, document = orjson.loads(head.summary_json), orjson.loads(version.article_json)
        for start in range(0, len(new_ids), _COPY_BATCH):
            batch = new_ids[start : start + _COPY_BATCH]
            conn.execute(
                articles.insert(),
                [
                    head._asdict()
                    | {
                        "id": new_id,
                        "latest_version": 1,
                        "summary_json": orjson.dumps(summary | {"id": new_id, "version": 1}),
                    }
                    for new_id in batch
                ],
            )
            conn.execute(
                article_versions.insert(),
                [
                    version._asdict()
                    | {
                        "article_id": new_id,
                        "version": 1,
                        "article_json": orjson.dumps(document | {"id": new_id, "version": 1}),
                    }
                    for new_id in batch
                ],
            )
        _add(conn, "articles", len(new_ids))
    return len(new_ids)


#: Rows per statement of :func:`copy_article`.
_COPY_BATCH = 2000
