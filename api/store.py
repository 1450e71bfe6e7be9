"""The store: the only module that knows SQL.

SQLAlchemy Core over SQLite (default, a file under ``instance/``) or PostgreSQL (psycopg 3), the
same statements on both; the schema is made and migrated by Alembic (``api/migrations``).
Every representation the API serves is stored as JSON bytes at ingest, so a read is an indexed
lookup and a copy of bytes.

Tables
    articles         one row per article: its latest version and its list-item bytes
    article_versions one row per (article, version): the article bytes without parts
    part_lists       (article, version, kind) -> the whole JSON array, for ``?include=``
    parts            (article, version, kind, position) -> one item's bytes, plus filter columns
    totals           stored counters (``articles``, ``quotes``), kept by ``save`` in the same
                     transaction, so a collection's ``total_items`` is a lookup, not a COUNT(*)
    search_docs      full-text search documents of latest versions (articles and quotes), indexed
                     by FTS5 (SQLite) or a generated tsvector with a GIN index (PostgreSQL)

Reads on the request path go through :class:`FastReader`: a few fixed statements, built with
SQLAlchemy Core and compiled once for the engine's dialect, executed on a DBAPI connection
held per thread. Each is one statement, so it reads one snapshot.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    tuple_,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

PART_KINDS = ("sections", "bullets", "quotes", "entities")

metadata = MetaData()


def _key(length: int):
    """A text key: ordered by code point on every backend (PostgreSQL: collation ``C``), so ids
    sort, and cursors compare, exactly as on SQLite whatever the database's default collation."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


articles = Table(
    "articles",
    metadata,
    Column("id", _key(128), primary_key=True),
    Column("latest_version", Integer, nullable=False),
    Column("first_ingested_at", String(40), nullable=False),
    Column("updated_at", _key(40), nullable=False),
    Column("source_file", String(255), nullable=False),
    Column("title", String(500), nullable=False),
    Column("summary_json", LargeBinary, nullable=False),
    Index("ix_articles_updated_at", "updated_at", "id"),
)

article_versions = Table(
    "article_versions",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("output_hash", String(64), nullable=False),
    Column("parser_version", String(32), nullable=False),
    Column("ingested_at", String(40), nullable=False),
    Column("article_json", LargeBinary, nullable=False),
    PrimaryKeyConstraint("article_id", "version"),
    ForeignKeyConstraint(["article_id"], ["articles.id"]),
)

part_lists = Table(
    "part_lists",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", _key(16), nullable=False),
    Column("body", LargeBinary, nullable=False),
    PrimaryKeyConstraint("article_id", "version", "kind"),
    ForeignKeyConstraint(
        ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
    ),
)

parts = Table(
    "parts",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", _key(16), nullable=False),
    Column("position", Integer, nullable=False),
    Column("part_id", _key(160), nullable=False),
    Column("body", LargeBinary, nullable=False),
    # Filter columns; which are set depends on the kind.
    Column("speaker_id", _key(160)),
    Column("quote_kind", String(16)),
    Column("entity_type", String(32)),
    Column("entity_key", _key(200)),
    Column("name", String(300)),  # entity name, or the quote's speaker name
    Column("weight", Integer),  # an entity's mention count in the article
    PrimaryKeyConstraint("article_id", "version", "kind", "position"),
    ForeignKeyConstraint(
        ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
    ),
    Index("ix_parts_part_id", "article_id", "version", "kind", "part_id", unique=True),
    Index("ix_parts_entity_key", "kind", "entity_key"),
    Index("ix_parts_speaker", "kind", "speaker_id"),
)


totals = Table(
    "totals",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

#: The full-text search documents: one per article (``kind`` ``articles``: title and text) and
#: one per quote (``quotes``: the speaker's name and the quote's text), of latest versions only;
#: ``save`` replaces an article's documents when it stores a new version. The index over them is
#: dialect-specific and lives outside ``metadata`` (see :data:`SEARCH_EXTRAS`): an FTS5 table
#: kept in step by triggers on SQLite, a generated ``tsvector`` column with a GIN index on
#: PostgreSQL. Both are made by the migrations.
search_docs = Table(
    "search_docs",
    metadata,
    Column("doc_id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", _key(128), nullable=False),
    Column("kind", _key(16), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    ForeignKeyConstraint(["article_id"], ["articles.id"]),
    Index("ix_search_docs_article", "article_id", "kind", "position", unique=True),
)

#: Database objects the migrations make beyond ``metadata``: the dialects' search indexes.
SEARCH_EXTRAS = {
    "sqlite": {"table": ("search_fts",)},  # and FTS5's shadow tables, search_fts_*
    "postgresql": {"column": ("tsv",), "index": ("ix_search_docs_tsv",)},
}


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's filter: the objects ``metadata`` describes, not the dialects' search extras."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("search_fts")
    if type_ == "column" and parent_names.get("table_name") == "search_docs":
        return name != "tsv"
    if type_ == "index":
        return name != "ix_search_docs_tsv"
    return True


#: Stored counters and how to recount each from the rows (done once, when the table is new).
COUNTED = {
    "articles": lambda: select(func.count()).select_from(articles),
    "quotes": lambda: (
        select(func.count())
        .select_from(parts.join(articles, parts.c.article_id == articles.c.id))
        .where(_latest_part(), parts.c.kind == "quotes")
    ),
}


@dataclass(slots=True)
class PartRow:
    """One stored part: its JSON bytes plus the columns the API filters on."""

    part_id: str
    body: bytes
    speaker_id: str | None = None
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


@dataclass(slots=True, frozen=True)
class SaveResult:
    article_id: str
    version: int
    created: bool  # False: the output was unchanged, nothing was written


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


@dataclass(slots=True, frozen=True)
class VersionRow:
    version: int
    content_hash: str
    parser_version: str
    ingested_at: str


def utc_text(moment: dt.datetime) -> str:
    """The one timestamp format stored: RFC 3339 in UTC with microseconds, so text order is time
    order."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def utc_now() -> str:
    return utc_text(dt.datetime.now(dt.UTC))


class ArticleStore:
    """Versioned article representations in a SQL database."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        if self.url.drivername in ("postgresql", "postgres"):
            self.url = self.url.set(drivername="postgresql+psycopg")  # psycopg 3, the one we ship
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.is_postgresql = self.url.get_backend_name() == "postgresql"
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        # PostgreSQL: a pooled connection the server closed (restart, failover, idle timeout)
        # is replaced on checkout rather than failing a request. (FastReader reconnects itself.)
        self.engine: Engine = create_engine(self.url, pool_pre_ping=self.is_postgresql)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        if self.is_postgresql:
            _configure_postgresql(self.engine)
        self._local = threading.local()
        self._readers: list[FastReader] = []
        # A store dropped without dispose() (an app a test made and forgot) still closes its
        # connections, rather than leaving them to the garbage collector.
        self._finalizer = weakref.finalize(self, _close, self._readers, self.engine)

    def create_schema(self) -> None:
        """Bring the database to the newest schema (Alembic migrations; a no-op when it is)."""
        from . import migrations

        if self.schema_version() != migrations.head():
            migrations.upgrade(self.engine)

    def schema_version(self) -> str | None:
        """The Alembic revision the database is at; None before the first migration."""
        with self.engine.connect() as conn:
            try:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except DBAPIError:
                conn.rollback()
                return None

    def fast(self) -> FastReader:
        """This thread's :class:`FastReader` (made on first use)."""
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._local.reader = FastReader(self.engine)
            self._readers.append(reader)
        return reader

    def dispose(self) -> None:
        """Close every connection (the store stays usable: connections reopen on demand)."""
        self._local = threading.local()
        _close(self._readers, self.engine)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection whose reads all see one snapshot (PostgreSQL: ``REPEATABLE READ``)."""
        with self.engine.connect() as conn:
            if self.is_postgresql:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            yield conn

    # -- writes ------------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite: the write lock is taken first)."""
        with self.engine.connect() as conn:
            conn.info["writing"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info["writing"] = False

    def save(
        self,
        article_id: str,
        output_hash: str,
        render: Callable[[int, str], RenderedVersion],
    ) -> SaveResult:
        """Store a new version unless the latest has the same ``output_hash``; one transaction.

        Concurrent saves of one article queue: SQLite's write lock (``BEGIN IMMEDIATE``) takes
        them one at a time; on PostgreSQL a transaction-scoped advisory lock on the article id
        does, so the second reads the version the first committed (no duplicate version, no
        lost update) while saves of other articles run in parallel.
        """
        with self._writing() as conn:
            if self.is_postgresql:
                conn.execute(
                    select(func.pg_advisory_xact_lock(func.hashtextextended(article_id, 0)))
                )
            latest = conn.execute(
                select(articles.c.latest_version, article_versions.c.output_hash)
                .join(
                    article_versions,
                    (article_versions.c.article_id == articles.c.id)
                    & (article_versions.c.version == articles.c.latest_version),
                )
                .where(articles.c.id == article_id)
            ).first()
            if latest is not None and latest.output_hash == output_hash:
                return SaveResult(article_id, latest.latest_version, created=False)
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
            rows = [
                {
                    "article_id": article_id,
                    "version": version,
                    "kind": kind,
                    "position": position,
                    "part_id": part.part_id,
                    "body": part.body,
                    "speaker_id": part.speaker_id,
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
            quotes_before = 0
            if latest is not None:
                quotes_before = conn.execute(
                    select(func.count()).where(
                        parts.c.article_id == article_id,
                        parts.c.version == latest.latest_version,
                        parts.c.kind == "quotes",
                    )
                ).scalar_one()
            _add(conn, "articles", 1 if latest is None else 0)
            _add(conn, "quotes", len(rendered.parts.get("quotes", ())) - quotes_before)
            _index_for_search(conn, article_id, rendered.article_json, rendered.parts)
            if latest is not None:
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
                    )
                )
            return SaveResult(article_id, version, created=True)

    # -- reads -------------------------------------------------------------------------------

    def latest_version(self, conn: Connection, article_id: str) -> int | None:
        return conn.execute(
            select(articles.c.latest_version).where(articles.c.id == article_id)
        ).scalar()

    def part(
        self, conn: Connection, article_id: str, version: int, kind: str, part_id: str
    ) -> bytes | None:
        return conn.execute(
            select(parts.c.body).where(
                (parts.c.article_id == article_id)
                & (parts.c.version == version)
                & (parts.c.kind == kind)
                & (parts.c.part_id == part_id)
            )
        ).scalar()

    def parts(
        self,
        conn: Connection,
        article_id: str,
        version: int,
        kind: str,
        window: Window,
        **filters: str,
    ) -> tuple[Slice, int]:
        """A window of one article's parts in position order, and how many match in all."""
        where = [
            parts.c.article_id == article_id,
            parts.c.version == version,
            parts.c.kind == kind,
        ]
        where += [parts.c[name] == value for name, value in filters.items()]
        total = conn.execute(select(func.count()).select_from(parts).where(*where)).scalar_one()
        stmt = select(parts.c.position, parts.c.body).where(*where)
        return _windowed(conn, stmt, [parts.c.position], window), total

    def versions(self, conn: Connection, article_id: str, window: Window) -> tuple[Slice, int]:
        where = article_versions.c.article_id == article_id
        total = self.latest_version(conn, article_id) or 0  # versions are 1..latest
        stmt = select(
            article_versions.c.version,
            article_versions.c.content_hash,
            article_versions.c.parser_version,
            article_versions.c.ingested_at,
        ).where(where)
        return _windowed(conn, stmt, [article_versions.c.version], window), total

    def article_summaries(
        self,
        conn: Connection,
        window: Window,
        *,
        since: str | None = None,
        entity_key: str | None = None,
    ) -> tuple[Slice, int]:
        where = [] if since is None else [articles.c.updated_at >= since]
        if entity_key is not None:
            where.append(
                select(parts.c.article_id)
                .where(
                    _latest_part(),
                    parts.c.kind == "entities",
                    parts.c.entity_key == entity_key,
                )
                .exists()
            )
        if where:
            total = conn.execute(
                select(func.count()).select_from(articles).where(*where)
            ).scalar_one()
        else:
            total = stored_total(conn, "articles")
        stmt = select(articles.c.id, articles.c.summary_json).where(*where)
        return _windowed(conn, stmt, [articles.c.id], window), total

    # -- across the corpus (latest versions only) ---------------------------------------------

    def corpus_parts(
        self, conn: Connection, kind: str, window: Window, **filters: str
    ) -> tuple[Slice, int]:
        """Parts of every article's latest version, by article id then position."""
        where = [_latest_part(), parts.c.kind == kind]
        where += [parts.c[name] == value for name, value in filters.items()]
        joined = parts.join(articles, parts.c.article_id == articles.c.id)
        if not filters and kind in COUNTED:
            total = stored_total(conn, kind)
        else:
            total = conn.execute(
                select(func.count()).select_from(joined).where(*where)
            ).scalar_one()
        stmt = select(parts.c.article_id, parts.c.position, parts.c.body).select_from(joined)
        stmt = stmt.where(*where)
        return _windowed(conn, stmt, [parts.c.article_id, parts.c.position], window), total

    def corpus_entities(
        self,
        conn: Connection,
        window: Window,
        *,
        entity_type: str | None = None,
        name_contains: str | None = None,
    ) -> tuple[Slice, int]:
        """Entities grouped across articles by key: name, type, article and mention counts."""
        where = []
        if entity_type is not None:
            where.append(parts.c.entity_type == entity_type)
        if name_contains is not None:
            where.append(func.lower(parts.c.name).like(_contains(name_contains), escape="\\"))
        grouped = _grouped_entities(where)
        total = conn.execute(select(func.count()).select_from(grouped)).scalar_one()
        return _windowed(conn, select(grouped), [grouped.c.key], window), total

    def entity_summary(self, conn: Connection, entity_key: str):
        """One entity's corpus-wide row (key, name, type, counts), or None."""
        grouped = _grouped_entities([parts.c.entity_key == entity_key])
        return conn.execute(select(grouped)).first()

    def entity_mentions(
        self, conn: Connection, entity_key: str, window: Window
    ) -> tuple[Slice, int]:
        """The latest-version articles mentioning one entity, with that article's entity bytes."""
        where = [_latest_part(), parts.c.kind == "entities", parts.c.entity_key == entity_key]
        joined = parts.join(articles, parts.c.article_id == articles.c.id)
        total = conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one()
        stmt = (
            select(parts.c.article_id, articles.c.title, parts.c.body)
            .select_from(joined)
            .where(*where)
        )
        return _windowed(conn, stmt, [parts.c.article_id], window), total

    # -- full-text search (latest versions only) ----------------------------------------------

    def search_articles(
        self,
        conn: Connection,
        q: str,
        window: Window,
        *,
        since: str | None = None,
        entity_key: str | None = None,
    ) -> tuple[Slice, int]:
        """Articles matching ``q`` in title or text, best first: :class:`SearchRow` rows whose
        ``row`` is ``(id, summary_json)``. Raises :class:`SearchQueryError` for an empty ``q``."""
        where = [] if since is None else [articles.c.updated_at >= since]
        if entity_key is not None:
            where.append(
                select(parts.c.article_id)
                .where(
                    _latest_part(),
                    parts.c.kind == "entities",
                    parts.c.entity_key == entity_key,
                )
                .exists()
            )
        return _search(
            conn,
            "articles",
            q,
            window,
            [articles.c.id, articles.c.summary_json],
            lambda source: source.join(articles, articles.c.id == search_docs.c.article_id),
            where,
        )

    def search_quotes(
        self, conn: Connection, q: str, window: Window, **filters: str
    ) -> tuple[Slice, int]:
        """Quotes (of latest versions) matching ``q`` in their text or speaker's name, best
        first; ``row`` is ``(article_id, position, body)``."""

        def joins(source):
            return source.join(articles, articles.c.id == search_docs.c.article_id).join(
                parts,
                (parts.c.article_id == search_docs.c.article_id)
                & (parts.c.version == articles.c.latest_version)
                & (parts.c.kind == "quotes")
                & (parts.c.position == search_docs.c.position),
            )

        where = [parts.c[name] == value for name, value in filters.items()]
        return _search(
            conn,
            "quotes",
            q,
            window,
            [parts.c.article_id, parts.c.position, parts.c.body],
            joins,
            where,
        )

    def stats(self) -> StoreStats:
        with self.engine.connect() as conn:
            articles_count = conn.execute(select(func.count()).select_from(articles)).scalar_one()
            versions_count, last = conn.execute(
                select(func.count(), func.max(article_versions.c.ingested_at))
            ).one()
        return StoreStats(articles_count, versions_count, last)

    def has_articles(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(articles.c.id).limit(1)).first() is not None

    def integrity_errors(self) -> Sequence[str]:
        """SQLite's own integrity check plus ours: every article's latest version is complete."""
        problems: list[str] = []
        with self.engine.connect() as conn:
            if self.is_sqlite:
                result = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
                problems += [line for line in result if line != "ok"]
            missing = conn.execute(
                select(articles.c.id)
                .outerjoin(
                    article_versions,
                    (article_versions.c.article_id == articles.c.id)
                    & (article_versions.c.version == articles.c.latest_version),
                )
                .where(article_versions.c.version.is_(None))
            ).scalars()
            problems += [f"article {article_id}: latest version missing" for article_id in missing]
            counts = (
                select(
                    part_lists.c.article_id,
                    part_lists.c.version,
                    func.count().label("kinds"),
                )
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


def _close(readers: list[FastReader], engine: Engine) -> None:
    while readers:
        readers.pop().close()
    engine.dispose()


def stored_total(conn: Connection, name: str) -> int:
    return conn.execute(select(totals.c.value).where(totals.c.name == name)).scalar() or 0


def _add(conn: Connection, name: str, delta: int) -> None:
    if delta:
        conn.execute(
            totals.update().where(totals.c.name == name).values(value=totals.c.value + delta)
        )


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
        self._connect()

    def _connect(self) -> None:
        self._pooled = self._engine.raw_connection()  # held for the thread's life
        self.connection = self._pooled.driver_connection
        if self.dialect.name == "postgresql":
            # Each read is one statement and its own snapshot; no transaction is left open
            # (an idle one would hold locks and old row versions on the server).
            self.connection.autocommit = True

    def close(self) -> None:
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

    def part_lists(self, article_id: str, version: int) -> dict[str, bytes]:
        """Every part list of one version, by kind."""
        found = self.rows(
            "part_lists", _part_lists_stmt, {"article_id": article_id, "version": version}
        )
        return dict(found)

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
            count = self.rows("articles_total", _total_stmt, {"name": "articles"})
            return Slice([], False), count[0][0] if count else 0
        has_more = len(found) > window.limit
        rows = found[: window.limit]
        if backward:
            rows.reverse()
        return Slice(rows, has_more), found[0][2]


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
        .select_from(
            articles.join(
                article_versions,
                (article_versions.c.article_id == articles.c.id)
                & (article_versions.c.version == articles.c.latest_version),
            )
        )
        .where(articles.c.id == bindparam("article_id"))
    )


def _article_version_stmt():
    return select(*_version_columns()).where(
        article_versions.c.article_id == bindparam("article_id"),
        article_versions.c.version == bindparam("version"),
    )


def _part_lists_stmt():
    return select(part_lists.c.kind, part_lists.c.body).where(
        part_lists.c.article_id == bindparam("article_id"),
        part_lists.c.version == bindparam("version"),
    )


def _total_stmt():
    return select(totals.c.value).where(totals.c.name == bindparam("name"))


def _summaries_stmt(bound: str | None, window: Window, backward: bool):
    stored_total = (
        select(totals.c.value).where(totals.c.name == bindparam("total_name")).scalar_subquery()
    )
    stmt = select(articles.c.id, articles.c.summary_json, stored_total)
    key = articles.c.id
    if bound is not None:
        after = (bound == "after") != window.descending
        stmt = stmt.where(key > bindparam("key") if after else key < bindparam("key"))
    order = key.desc() if window.descending != backward else key.asc()
    stmt = stmt.order_by(order).limit(bindparam("limit"))
    if window.offset:
        stmt = stmt.offset(bindparam("offset"))
    return stmt


# -- full-text search ---------------------------------------------------------------------------

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


def _snippet_html(snippet: str | None) -> str:
    escaped = html.escape(snippet or "", quote=False)
    return escaped.replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")


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


def _index_for_search(conn: Connection, article_id: str, article_json: bytes, parts_by_kind):
    """Replace an article's search documents with its new latest version's."""
    conn.execute(delete(search_docs).where(search_docs.c.article_id == article_id))
    docs = _search_documents(article_json, parts_by_kind)
    conn.execute(search_docs.insert(), [{"article_id": article_id, **doc} for doc in docs])


def rebuild_search(conn: Connection) -> None:
    """Index every article's latest version (the migration that adds search runs this)."""
    conn.execute(delete(search_docs))
    latest = conn.execute(
        select(articles.c.id, article_versions.c.article_json).join(
            article_versions,
            (article_versions.c.article_id == articles.c.id)
            & (article_versions.c.version == articles.c.latest_version),
        )
    ).all()
    for article_id, article_json in latest:
        quotes = conn.execute(
            select(parts.c.body, parts.c.name)
            .join(articles, _latest_part())
            .where(parts.c.article_id == article_id, parts.c.kind == "quotes")
            .order_by(parts.c.position)
        ).all()
        rows = [PartRow(part_id="", body=body, name=name) for body, name in quotes]
        _index_for_search(conn, article_id, article_json, {"quotes": rows})


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


@dataclass(slots=True, frozen=True)
class SearchRow:
    ordinal: int  # 1-based position in the ranked results: the cursor key
    row: tuple
    rank: float
    snippet: str


def _contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, case-insensitively, wildcards escaped."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _grouped_entities(where: list):
    """Latest-version entity rows grouped by key, as a subquery."""
    return (
        select(
            parts.c.entity_key.label("key"),
            func.max(parts.c.name).label("name"),
            func.max(parts.c.entity_type).label("type"),
            func.count().label("article_count"),
            func.sum(parts.c.weight).label("mention_count"),
        )
        .select_from(parts.join(articles, parts.c.article_id == articles.c.id))
        .where(_latest_part(), parts.c.kind == "entities", *where)
        .group_by(parts.c.entity_key)
        .subquery()
    )


def _latest_part():
    return (parts.c.article_id == articles.c.id) & (parts.c.version == articles.c.latest_version)


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


def _configure_sqlite(engine: Engine) -> None:
    """WAL so readers keep reading during an ingest; BEGIN IMMEDIATE so writers queue cleanly."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing(conn) else "BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    """PostgreSQL text cannot hold NUL, which a request can send (``/v1/articles/a%00b``,
    ``?q=%00``): such a parameter is sent with U+FFFD in its place, which no key holds, so the
    read finds nothing (a 404 or an empty list) instead of failing."""
    from psycopg.types.string import StrDumperUnknown

    class NulSafeStr(StrDumperUnknown):
        def dump(self, obj: str):
            return super().dump(obj.replace("\x00", "\ufffd") if "\x00" in obj else obj)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.adapters.register_dumper(str, NulSafeStr)


def _writing(conn: Connection) -> bool:
    return conn.info.get("writing", False)
