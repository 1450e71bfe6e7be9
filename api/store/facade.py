"""``ArticleStore``: the store's one entry point; each read and write has one method here.

The methods are thin: they pick the connection and hand over to the module that owns the SQL.

* One-statement reads (:mod:`~api.store.fast`): compiled once, run on this thread's held DBAPI
  connection. Each is its own snapshot; they need no connection from the caller.
* Reads a caller combines into one snapshot (:mod:`~api.store.reads`,
  :mod:`~api.store.search`): they take the connection of ``with store.reading() as conn:``.
* ``article_summaries`` is either: the unfiltered list is one compiled statement, a filtered
  one a count and a window in one snapshot of its own.
* The write, ``save`` (:mod:`~api.store.writes`), opens its own write transaction.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from . import changes as _changes
from . import engine as _engine
from . import jobs, keys, reads, search, webhooks, writes
from .fast import FastReader
from .reads import ArticleFilter, Slice, StoreStats, Window
from .writes import RenderedVersion, Retraction, SaveResult

#: Facet answers remembered (then forgotten all at once).
FACET_CACHE_ENTRIES = 512
#: Search windows remembered (then forgotten all at once): each is one page of rows.
SEARCH_CACHE_ENTRIES = 32


def _remembered(memo: dict, limit: int, key, run: Callable[[], object]):
    """``memo[key]``, else ``run()``'s answer, kept (at most ``limit`` answers, then forgotten
    all at once; an answer that raises is not kept)."""
    found = memo.get(key)
    if found is None:
        found = run()
        if len(memo) >= limit:
            memo.clear()
        memo[key] = found
    return found


class ArticleStore:
    """Versioned article representations in a SQL database."""

    def __init__(self, url: str) -> None:
        self.url = _engine.database_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.is_postgresql = self.url.get_backend_name() == "postgresql"
        self.engine: Engine = _engine.create(self.url)
        self._local = threading.local()
        self._readers: list[FastReader] = []
        self._facets: dict = {}  # facet_counts, by (newest event, filter, facets, size)
        self._searches: dict = {}  # search windows, by (newest event, what was asked)
        # A store dropped without dispose() (an app a test made and forgot) still closes its
        # connections, rather than leaving them to the garbage collector.
        self._finalizer = weakref.finalize(self, _engine.close, self._readers, self.engine)

    # -- schema and connections --------------------------------------------------------------

    def create_schema(self) -> None:
        """Bring the database to the newest schema (Alembic migrations; a no-op when it is)."""
        from .. import migrations

        if self.schema_version() != migrations.head():
            migrations.upgrade(self.engine)

    def schema_version(self) -> str | None:
        """The Alembic revision the database is at; None before the first migration."""
        with self.engine.connect() as conn:
            return reads.schema_version(conn)

    def dispose(self) -> None:
        """Close every connection (the store stays usable: connections reopen on demand)."""
        self._local = threading.local()
        _engine.close(self._readers, self.engine)

    def reading(self) -> AbstractContextManager[Connection]:
        """A connection whose reads all see one snapshot, for the methods that take ``conn``.

        While this context holds reads (:meth:`hold_reads`), the connection stays open after
        the block (its transaction ended) for whoever took the :class:`~.engine.HeldReads`."""
        held = _engine.HELD.get()
        if held is None:
            return _engine.snapshot(self.engine)
        return _engine.held_snapshot(self.engine, held)

    def hold_reads(self):
        """From now on in this context, :meth:`reading` connections outlive their block, so a
        streamed answer can go on reading through them (a bulk export, ``api/export.py``).

        Returns the :class:`~.engine.HeldReads` and the token that :meth:`release_reads` takes.
        """
        held = _engine.HeldReads()
        return held, _engine.HELD.set(held)

    @staticmethod
    def release_reads(token) -> None:
        """Back to plain :meth:`reading` in this context (the held connections are whoever
        took them to close)."""
        _engine.HELD.reset(token)

    def _fast(self) -> FastReader:
        """This thread's :class:`FastReader` (made on first use)."""
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._local.reader = FastReader(self.engine)
            self._readers.append(reader)
        return reader

    # -- the write ---------------------------------------------------------------------------

    def save(
        self,
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
        ``source`` must own the id (or ``reassign`` it): see :func:`api.store.writes.save`."""
        return writes.save(
            self.engine,
            article_id,
            output_hash,
            render,
            source=source,
            reassign=reassign,
            restore=restore,
            after=after,
        )

    def copy_article(self, article_id: str, new_ids: Sequence[str]) -> int:
        """Copies of a stored article under new ids, for load tests and benchmarks (only the
        article list sees them: :func:`~api.store.writes.copy_article`)."""
        return writes.copy_article(self.engine, article_id, new_ids)

    def retract(self, article_id: str, reason: str) -> Retraction | None:
        """Take an article down: 410 from now on, out of every list and aggregate."""
        return writes.retract(self.engine, article_id, reason)

    def writing(self) -> AbstractContextManager[Connection]:
        """A write transaction, for the methods below that take ``conn`` and write."""
        return _engine.write_transaction(self.engine)

    # -- keys, jobs, webhooks (small tables; plain transactions) -----------------------------

    def create_key(self, key_id: str, name: str, scope: str, token_hash: str) -> keys.ApiKey:
        with self.writing() as conn:
            return keys.create(conn, key_id, name, scope, token_hash)

    def live_key(self, key_id: str):
        with self.reading() as conn:
            return keys.live_key(conn, key_id)

    def api_keys(self) -> list[keys.ApiKey]:
        with self.reading() as conn:
            return keys.listing(conn)

    def revoke_key(self, key_id: str) -> bool:
        with self.writing() as conn:
            return keys.revoke(conn, key_id)

    def create_job(self, values: dict):
        """Store a job; with an ``idempotency_key`` already used by the same owner, store
        nothing and answer ``(existing job, False)`` — also when another request races it."""
        owner, idem = values["owner"], values.get("idempotency_key")
        if idem is not None:
            with self.reading() as conn:
                existing = jobs.by_idempotency_key(conn, owner, idem)
            if existing is not None:
                return existing, False
        try:
            with self.writing() as conn:
                if idem is not None and (found := jobs.by_idempotency_key(conn, owner, idem)):
                    return found, False
                jobs.create(conn, values)
                return jobs.get(conn, values["id"]), True
        except IntegrityError:
            if idem is None:
                raise
            with self.reading() as conn:
                return jobs.by_idempotency_key(conn, owner, idem), False

    def job(self, job_id: str):
        with self.reading() as conn:
            return jobs.get(conn, job_id)

    def claim_job(self, job_id: str, lease_seconds: float):
        with self.writing() as conn:
            return jobs.claim(conn, job_id, lease_seconds)

    def fail_job(self, job_id: str, problem_json: bytes) -> None:
        with self.writing() as conn:
            jobs.fail(conn, job_id, problem_json)

    succeed_job = staticmethod(jobs.succeed)  # inside a save's transaction (``after=``)

    def renew_job(self, job_id: str, attempt: int, lease_seconds: float) -> bool:
        with self.writing() as conn:
            return jobs.renew(conn, job_id, attempt, lease_seconds)

    def due_jobs(self, stale_seconds: float) -> list[str]:
        with self.reading() as conn:
            return jobs.due(conn, stale_seconds)

    def create_webhook(self, values: dict):
        with self.writing() as conn:
            webhooks.create(conn, values)
            return webhooks.get(conn, values["id"])

    def webhook(self, webhook_id: str):
        with self.reading() as conn:
            return webhooks.get(conn, webhook_id)

    def list_webhooks(self) -> list:
        with self.reading() as conn:
            return webhooks.listing(conn)

    def remove_webhook(self, webhook_id: str) -> bool:
        with self.writing() as conn:
            return webhooks.remove(conn, webhook_id)

    def deliveries(self, webhook_id: str, after: int | None, limit: int) -> list:
        with self.reading() as conn:
            return webhooks.delivery_page(conn, webhook_id, after, limit)

    def dispatch_events(self) -> list[int]:
        with self.writing() as conn:
            return webhooks.dispatch(conn)

    def claim_delivery(self, delivery_id: int, lease_seconds: float):
        with self.writing() as conn:
            return webhooks.claim_delivery(conn, delivery_id, lease_seconds)

    def record_attempt(self, delivery_id: int, attempt: int, **outcome) -> None:
        with self.writing() as conn:
            webhooks.record_attempt(conn, delivery_id, attempt, **outcome)

    def due_deliveries(self) -> list[int]:
        with self.reading() as conn:
            return webhooks.due_deliveries(conn)

    # -- one-statement reads (compiled; each its own snapshot) -------------------------------

    def latest_article(self, article_id: str):
        """``(version, ingested_at, output_hash, article_json)`` of the latest version, or None."""
        return self._fast().latest_article(article_id)

    def article_version(self, article_id: str, version: int):
        """``(version, ingested_at, output_hash, article_json)`` of one version, or None."""
        return self._fast().article_version(article_id, version)

    def latest_parts(self, article_id: str, kind: str, window: Window):
        """A window of one kind of part of an article's latest version and their count (the
        unfiltered part lists: one statement), or None when there is no such article."""
        return self._fast().latest_parts(article_id, kind, window)

    def change_state(self) -> tuple[int, int]:
        """``(newest event, article count)``, one compiled statement: while it is the same,
        every collection reads the same (:meth:`FastReader.change_state`)."""
        return self._fast().change_state()

    def encoded_body(self, article_id: str, version: int, url: str, coding: str):
        """``(identity hash, body)``: a version's body at its ``latest`` or ``version`` URL
        (no parameters), compressed in ``coding`` at ingest; None when none was stored."""
        return self._fast().encoded_body(article_id, version, url, coding)

    def part_lists(self, article_id: str, version: int) -> dict[str, bytes]:
        """Every part list of one version, by kind."""
        return self._fast().part_lists(article_id, version)

    def article_summaries(
        self, window: Window, where: ArticleFilter | None = None, *, sort: str = "id"
    ) -> tuple[Slice, int]:
        """A window of the article list (rows ``(id, summary_json, ...)``) and the total: the
        articles ``where`` keeps, in ``sort`` order (``reads.ARTICLE_SORT_KEYS``). Unfiltered by
        id, one compiled statement with the stored total; else a count and a window in one
        snapshot."""
        where = where or ArticleFilter()
        if where.empty and sort == "id":
            return self._fast().article_summaries(window)
        with self.reading() as conn:
            return reads.filtered_article_summaries(conn, window, where, sort=sort)

    # -- reads in the caller's snapshot (``with store.reading() as conn``) --------------------
    # Each is the owning module's function itself: ``store.parts(conn, ...)`` is
    # ``reads.article_parts(conn, ...)``.

    latest_version = staticmethod(reads.latest_version)
    published_at_of = staticmethod(reads.published_at_of)
    retraction = staticmethod(reads.retraction)
    owner = staticmethod(reads.owner)
    sources = staticmethod(reads.sources)
    changes = staticmethod(_changes.read)
    last_change = staticmethod(_changes.last_seq)
    part = staticmethod(reads.part)
    parts = staticmethod(reads.article_parts)
    versions = staticmethod(reads.versions)
    corpus_parts = staticmethod(reads.corpus_parts)
    quotes_about = staticmethod(reads.quotes_about)
    entity_summary = staticmethod(reads.entity_summary)
    entity_mentions = staticmethod(reads.entity_mentions)

    def corpus_entity_page(
        self, window: Window, *, entity_type: str | None = None, name_contains: str | None = None
    ) -> tuple[Slice, int]:
        """A window of the entities across articles (rows with ``key``, ``name``, ``type``,
        ``article_count``, ``mention_count``) and their total: without ``name_contains``, one
        compiled statement with the stored total; with it, a count and a window in one
        snapshot."""
        if name_contains is None:
            return self._fast().corpus_entities(window, entity_type)
        with self.reading() as conn:
            return reads.corpus_entities(
                conn, window, entity_type=entity_type, name_contains=name_contains
            )

    def facet_counts(self, facets, where: ArticleFilter, limit: int):
        """:func:`reads.article_facets_counts`, remembered per feed position: every write that
        can change a count (a new version, a retraction) records an event, so while the newest
        event is the same, so are the counts. A remembered answer costs one compiled lookup of
        the newest event; each node keeps its own, all read the same store. (A page read beside
        it may be one concurrent write apart.)"""
        key = (self._fast().last_change(), where, tuple(facets), limit)

        def count():
            with self.reading() as conn:
                return reads.article_facets_counts(conn, facets, where, limit)

        return _remembered(self._facets, FACET_CACHE_ENTRIES, key, count)

    part_position = staticmethod(reads.part_position)

    def search_articles(
        self, conn: Connection, q: str, window: Window, *, where: ArticleFilter | None = None
    ) -> tuple[Slice, int]:
        """:func:`search.search_articles`, remembered per newest event (:meth:`_searched`)."""
        return self._searched(
            conn,
            ("articles", q, window, where),
            lambda: search.search_articles(conn, q, window, where=where),
        )

    def search_quotes(self, conn: Connection, q: str, window: Window, **filters):
        """:func:`search.search_quotes`, remembered per newest event (:meth:`_searched`)."""
        asked = ("quotes", q, window, tuple(sorted(filters.items())))
        return self._searched(conn, asked, lambda: search.search_quotes(conn, q, window, **filters))

    def _searched(self, conn: Connection, asked: tuple, run: Callable[[], tuple[Slice, int]]):
        """A ranked window, remembered by the newest event of ``conn``'s snapshot: only a new
        version or a retraction changes what a search finds, and each records an event in the
        transaction that makes the change, so a snapshot with the same newest event finds the
        same rows. A remembered answer costs one indexed ``max(seq)``; each process keeps its
        own."""
        key = (_changes.last_seq(conn), *asked)
        try:
            hash(key)
        except TypeError:  # a filter value that cannot be a key (a list): not remembered
            return run()
        return _remembered(self._searches, SEARCH_CACHE_ENTRIES, key, run)

    # -- operations --------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        with self.engine.connect() as conn:
            return reads.stats(conn)

    def has_articles(self) -> bool:
        with self.engine.connect() as conn:
            return reads.has_articles(conn)

    def integrity_errors(self) -> Sequence[str]:
        """SQLite's own integrity check plus ours: every article's latest version is complete."""
        with self.engine.connect() as conn:
            return reads.integrity_errors(conn)
