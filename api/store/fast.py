"""The request path's one-statement reads: :class:`FastReader`.

A few fixed statements, built with SQLAlchemy Core and compiled once for the engine's dialect,
executed on a DBAPI connection held per thread. Each is one statement, so it reads one snapshot
(and a version's rows never change, so reads of one version agree whenever they are made).

On a SQLite file each reader also remembers what its statements returned while the database is
unchanged. Every commit, by any connection of any process, rewrites the WAL-index header at the
start of the ``-shm`` file (:class:`_WalIndex`), which a reader maps and compares without a
system call (a SQLite call releases the GIL, and under load the request thread then waits for
the worker's event loop to give it back); where that header cannot be read, SQLite's
``PRAGMA data_version``, which moves on the same commits. PostgreSQL has neither; there every
read goes to the server.
"""

from __future__ import annotations

import mmap
import os
import sys
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import Engine, bindparam, func, select

from .reads import Slice, Window
from .tables import (
    ENTITY_COUNTER,
    article_versions,
    articles,
    changes,
    corpus_entities,
    encoded_bodies,
    entity_counter,
    latest_version_of_article,
    live,
    part_lists,
    parts,
    totals,
)


class PartRow(NamedTuple):
    position: int
    body: bytes


class CorpusEntityRow(NamedTuple):
    """One ``corpus_entities`` row, as :func:`~api.store.reads.corpus_entities` reads it."""

    key: str
    name: str | None
    type: str | None
    article_count: int
    mention_count: int | None


class _WalIndex:
    """SQLite's WAL-index header (https://www.sqlite.org/walformat.html, "the wal-index
    header"): two copies of 48 bytes at the start of the ``-shm`` file, rewritten by every
    commit (its change counter, last frame and checksums move) and by nothing a read does.
    SQLite's own readers compare it with their copy to learn of commits; so does this one, by
    memory, while its connection holds the file open (SQLite truncates it only when no
    connection does)."""

    SIZE = 96
    VERSION = 3007000  # iVersion, in the machine's byte order

    def __init__(self, database: str) -> None:
        fd = os.open(database + "-shm", os.O_RDONLY)
        try:
            if os.fstat(fd).st_size < mmap.PAGESIZE:
                raise OSError("no WAL index yet")
            self.map = mmap.mmap(fd, self.SIZE, access=mmap.ACCESS_READ)
        finally:
            os.close(fd)
        if self.state() is None:
            self.map.close()
            raise OSError("not a WAL index this reader knows")

    def state(self) -> bytes | None:
        """The header, or None while a commit is rewriting it (its copies differ)."""
        head = self.map[: self.SIZE]
        first = head[:48]
        if first != head[48:] or int.from_bytes(first[:4], sys.byteorder) != self.VERSION:
            return None
        return first

    def close(self) -> None:
        self.map.close()


class BudgetMemo:
    """Values by key, up to ``budget`` bytes (their sizes as the caller counts them); full,
    emptied (the hot entries come back at once). A value larger than the budget is never kept:
    a budget of 0 keeps nothing. The reader's rows between commits and the fast path's pages
    (:mod:`api.fastpath`)."""

    def __init__(self, budget: int) -> None:
        self._items: dict = {}
        self._size = 0
        self.budget = budget

    def get(self, key):
        return self._items.get(key)

    def put(self, key, value, size: int) -> None:
        if size > self.budget:
            return
        if self._size + size > self.budget:
            self.clear()
        self._items[key] = value
        self._size += size

    def clear(self) -> None:
        self._items = {}
        self._size = 0

    def __len__(self) -> int:
        return len(self._items)


#: What one reader remembers between writes, in bytes of the rows' values (read when a reader
#: is made: 0 remembers nothing).
MEMO_BYTES = 4 * 1024 * 1024


class FastReader:
    """The request path's reads: fixed Core statements compiled once, run on a raw connection.

    SQLAlchemy's per-execute work (cache keys, result proxies) costs more than the SQLite
    lookup itself; here a read is ``cursor.execute(sql, params)`` and a ``fetchall``. One per
    thread: DBAPI connections are not shared between threads.
    """

    def __init__(self, engine: Engine) -> None:
        self.dialect = engine.dialect
        self._engine = engine
        self._compiled: dict = {}
        self._memo = BudgetMemo(MEMO_BYTES)
        self._seen = None  # the database's state the memo was filled at
        self._wal: _WalIndex | None = None
        self._wal_missed = None  # the data_version at which no WAL index could be mapped
        self._connect()

    def _connect(self) -> None:
        self._pooled = self._engine.raw_connection()  # held for the thread's life
        self.connection = self._pooled.driver_connection
        if self.dialect.name == "postgresql":
            # Each read is one statement and its own snapshot; no transaction is left open
            # (an idle one would hold locks and old row versions on the server).
            self.connection.autocommit = True
        # Remembering needs a database file: an in-memory one is one connection per thread,
        # written on this very connection, which its data_version does not count.
        self._database = None
        if self.dialect.name == "sqlite":
            found = "SELECT file FROM pragma_database_list WHERE name = 'main'"
            self._database = self._run(found, ())[0][0] or None
        self._remembers = self._database is not None

    def close(self) -> None:
        wal, self._wal = self._wal, None
        if wal is not None:  # before the connection that keeps its file open
            wal.close()
        pooled, self._pooled = self._pooled, None
        if pooled is not None:
            pooled.close()

    def rows(self, key, build: Callable[[], object], params: dict) -> list:
        compiled = self._compiled.get(key)
        if compiled is None:
            stmt = build().compile(dialect=self.dialect)
            names = stmt.positiontup if self.dialect.positional else None
            compiled = self._compiled[key] = (str(stmt), names, stmt.params)
        sql, names, defaults = compiled
        params = {**defaults, **params}
        values = tuple(params[n] for n in names) if names else params
        if self._remembers:
            return self._remembered(key, sql, values)
        try:
            return self._run(sql, values)
        except self.dialect.loaded_dbapi.OperationalError:
            # The server closed the connection (a restart, a failover, an idle timeout): one
            # fresh connection and one retry; a second failure is the caller's 500/503.
            if self.dialect.name != "postgresql" or not self.connection.closed:
                raise
            self._pooled.invalidate()
            self._connect()
            return self._run(sql, values)

    def _remembered(self, key, sql: str, values: tuple) -> list:
        """The statement's rows as remembered since the last write anyone committed, else
        read (and remembered). A copy of the list: callers may reorder it."""
        changed = self._state()
        if changed is None:  # a commit under way: read
            return self._run(sql, values)
        if changed != self._seen:
            self._memo.clear()
            self._seen = changed
        found = self._memo.get((key, values))
        if found is None:
            found = self._run(sql, values)
            size = sum(len(cell) for row in found for cell in row if isinstance(cell, bytes | str))
            self._memo.put((key, values), found, size + 64 * (len(found) + 1))
        return list(found)

    def _state(self):
        """What every commit changes: the WAL-index header (no system call), else SQLite's
        data_version; None while a commit rewrites the header."""
        if self._wal is None:
            version = self._run("PRAGMA data_version", ())[0][0]
            if version == self._wal_missed:  # tried at this state already: not a WAL file
                return ("data_version", version)
            try:
                self._wal = _WalIndex(self._database)
            except (OSError, ValueError):
                self._wal_missed = version
                return ("data_version", version)
        return self._wal.state()

    def _run(self, sql: str, values) -> list:
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, values)
            return cursor.fetchall()
        finally:
            cursor.close()

    def latest_article(self, article_id: str):
        """``(version, ingested_at, output_hash, article_json)`` of the latest version, or None."""
        found = self.rows("latest_article", _latest_article_stmt, {"article_id": article_id})
        return found[0] if found else None

    def article_version(self, article_id: str, version: int):
        """``(version, ingested_at, output_hash, article_json)`` of one version, or None."""
        found = self.rows(
            "article_version", _article_version_stmt, {"article_id": article_id, "version": version}
        )
        return found[0] if found else None

    def encoded_body(self, article_id: str, version: int, url: str, coding: str):
        """``(identity hash, body)`` of a version's body at ``url`` (``latest``/``version``)
        compressed in ``coding`` at ingest, or None."""
        found = self.rows(
            "encoded_body",
            _encoded_body_stmt,
            {"article_id": article_id, "version": version, "url": url, "coding": coding},
        )
        return found[0] if found else None

    def part_lists(self, article_id: str, version: int) -> dict[str, bytes]:
        """Every part list of one version, by kind."""
        found = self.rows(
            "part_lists", _part_lists_stmt, {"article_id": article_id, "version": version}
        )
        return dict(found)

    def latest_parts(self, article_id: str, kind: str, window: Window) -> tuple[Slice, int] | None:
        """A window of one kind of part of an article's latest version, in position order, and
        how many there are; None when there is no such article. One statement: the article
        row, its parts in the window (outer-joined: an empty window is one row of nulls) and
        the count."""
        bound = (
            "after" if window.after is not None else "before" if window.before is not None else None
        )
        key = ("latest_parts", bound, bool(window.offset))
        params = {
            "article_id": article_id,
            "kind": kind,
            "key": window.after if bound == "after" else window.before,
            "limit": window.limit + 1,
            "offset": window.offset,
        }
        found = self.rows(key, lambda: _latest_parts_stmt(bound, bool(window.offset)), params)
        if not found:
            return None
        total = found[0][2]
        rows = [PartRow(position, body) for position, body, _ in found if position is not None]
        has_more = len(rows) > window.limit
        rows = rows[: window.limit]
        if bound == "before":
            rows.reverse()
        return Slice(rows, has_more), total

    def article_summaries(self, window: Window) -> tuple[Slice, int]:
        """A window of the unfiltered article list, by id, with the stored total.

        Keyset windows use the primary key's index, so a deep cursor costs what page one costs.
        The total comes from ``totals`` in the same statement (one snapshot); only an empty
        window needs a second read for it.
        """
        bound = (
            "after" if window.after is not None else "before" if window.before is not None else None
        )
        backward = bound == "before"
        key = ("summaries", bound, window.descending, bool(window.offset))
        params = {"key": window.after if bound == "after" else window.before}
        params |= {"limit": window.limit + 1, "offset": window.offset, "total_name": "articles"}
        found = self.rows(key, lambda: _summaries_stmt(bound, window, backward), params)
        if not found:
            count = self.rows("total", _total_stmt, {"name": "articles"})
            return Slice([], False), count[0][0] if count else 0
        has_more = len(found) > window.limit
        rows = found[: window.limit]
        if backward:
            rows.reverse()
        return Slice(rows, has_more), found[0][2]

    def corpus_entities(self, window: Window, entity_type: str | None) -> tuple[Slice, int]:
        """A window of ``corpus_entities`` by key (of one type, or all) with its stored total
        (:data:`~.tables.ENTITY_COUNTER`), in one statement: the cost of page one at any
        corpus size. An empty window reads the total on its own."""
        bound = (
            "after" if window.after is not None else "before" if window.before is not None else None
        )
        backward = bound == "before"
        typed = entity_type is not None
        key = ("corpus_entities", bound, window.descending, bool(window.offset), typed)
        counter = ENTITY_COUNTER if entity_type is None else entity_counter(entity_type)
        params = {"key": window.after if bound == "after" else window.before, "type": entity_type}
        params |= {"limit": window.limit + 1, "offset": window.offset, "total_name": counter}
        found = self.rows(key, lambda: _entities_stmt(bound, window, backward, typed), params)
        if not found:
            count = self.rows("total", _total_stmt, {"name": counter})
            return Slice([], False), count[0][0] if count else 0
        has_more = len(found) > window.limit
        rows = [CorpusEntityRow(*row[:5]) for row in found[: window.limit]]
        if backward:
            rows.reverse()
        return Slice(rows, has_more), found[0][5] or 0

    def change_state(self) -> tuple[int, int]:
        """``(newest event, stored article count)``: what every write that can change a page
        of a collection moves (a save or a retraction records an event; ``copy_article``, which
        records none, adds to the count)."""
        found = self.rows("change_state", _change_state_stmt, {"name": "articles"})[0]
        return found[0], found[1] or 0

    def last_change(self) -> int:
        """The newest event's number (0 before the first): what changes whenever any count
        may (``ArticleStore.facet_counts`` keys its answers by it)."""
        return self.rows("last_change", _last_change_stmt, {})[0][0]


def _version_columns():
    return (
        article_versions.c.version,
        article_versions.c.ingested_at,
        article_versions.c.output_hash,
        article_versions.c.article_json,
    )


def _latest_article_stmt():
    return (
        select(*_version_columns())
        .select_from(articles.join(article_versions, latest_version_of_article()))
        .where(articles.c.id == bindparam("article_id"))
    )


def _article_version_stmt():
    return (
        select(*_version_columns())
        .select_from(
            article_versions.join(articles, article_versions.c.article_id == articles.c.id)
        )
        .where(
            article_versions.c.article_id == bindparam("article_id"),
            article_versions.c.version == bindparam("version"),
            live(),
        )
    )


def _encoded_body_stmt():
    table = encoded_bodies
    return select(table.c.identity, table.c.body).where(
        table.c.article_id == bindparam("article_id"),
        table.c.version == bindparam("version"),
        table.c.url == bindparam("url"),
        table.c.coding == bindparam("coding"),
    )


def _part_lists_stmt():
    return select(part_lists.c.kind, part_lists.c.body).where(
        part_lists.c.article_id == bindparam("article_id"),
        part_lists.c.version == bindparam("version"),
    )


def _latest_parts_stmt(bound: str | None, offset: bool):
    counted = parts.alias("counted")
    total = (
        select(func.count())
        .select_from(counted)
        .where(
            counted.c.article_id == articles.c.id,
            counted.c.version == articles.c.latest_version,
            counted.c.kind == bindparam("kind"),
        )
        .scalar_subquery()
    )
    on = (
        (parts.c.article_id == articles.c.id)
        & (parts.c.version == articles.c.latest_version)
        & (parts.c.kind == bindparam("kind"))
    )
    if bound == "after":
        on &= parts.c.position > bindparam("key")
    elif bound == "before":
        on &= parts.c.position < bindparam("key")
    stmt = (
        select(parts.c.position, parts.c.body, total)
        .select_from(articles.outerjoin(parts, on))
        .where(articles.c.id == bindparam("article_id"), live())
        .order_by(parts.c.position.desc() if bound == "before" else parts.c.position.asc())
        .limit(bindparam("limit"))
    )
    if offset:
        stmt = stmt.offset(bindparam("offset"))
    return stmt


def _change_state_stmt():
    count = select(totals.c.value).where(totals.c.name == bindparam("name")).scalar_subquery()
    return select(func.coalesce(func.max(changes.c.seq), 0), count)


def _last_change_stmt():
    return select(func.coalesce(func.max(changes.c.seq), 0))


def _total_stmt():
    return select(totals.c.value).where(totals.c.name == bindparam("name"))


def _summaries_stmt(bound: str | None, window: Window, backward: bool):
    stored_total = (
        select(totals.c.value).where(totals.c.name == bindparam("total_name")).scalar_subquery()
    )
    stmt = select(articles.c.id, articles.c.summary_json, stored_total).where(live())
    key = articles.c.id
    if bound is not None:
        after = (bound == "after") != window.descending
        stmt = stmt.where(key > bindparam("key") if after else key < bindparam("key"))
    order = key.desc() if window.descending != backward else key.asc()
    stmt = stmt.order_by(order).limit(bindparam("limit"))
    if window.offset:
        stmt = stmt.offset(bindparam("offset"))
    return stmt


def _entities_stmt(bound: str | None, window: Window, backward: bool, typed: bool):
    table = corpus_entities
    stored_total = (
        select(totals.c.value).where(totals.c.name == bindparam("total_name")).scalar_subquery()
    )
    stmt = select(
        table.c.key,
        table.c.name,
        table.c.type,
        table.c.article_count,
        table.c.mention_count,
        stored_total,
    )
    if typed:
        stmt = stmt.where(table.c.type == bindparam("type"))
    if bound is not None:
        after = (bound == "after") != window.descending
        bound_key = bindparam("key")
        stmt = stmt.where(table.c.key > bound_key if after else table.c.key < bound_key)
    order = table.c.key.desc() if window.descending != backward else table.c.key.asc()
    stmt = stmt.order_by(order).limit(bindparam("limit"))
    if window.offset:
        stmt = stmt.offset(bindparam("offset"))
    return stmt
