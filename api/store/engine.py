"""The database connection: URL, engine, per-backend set-up, and the two kinds of transaction.

SQLAlchemy Core over SQLite (default, a file under ``instance/``) or PostgreSQL (psycopg 3), the
same statements on both.

SQLite runs in WAL mode, so readers keep reading during an ingest. Every transaction the engine
opens starts with ``BEGIN`` (deferred: a read transaction's snapshot is taken at its first read)
except those opened by :func:`write_transaction`, which start with ``BEGIN IMMEDIATE``: the write
lock is taken first, so concurrent writers queue on ``busy_timeout`` instead of failing when one
upgrades a read snapshot another has written past. That choice is made here and nowhere else.

PostgreSQL: pooled connections are pinged on checkout (a connection the server closed is
replaced, not a failed request); :func:`snapshot` reads in ``REPEATABLE READ``; a string holding
NUL is sent with U+FFFD in its place (see :func:`_configure_postgresql`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

#: The execution option :func:`write_transaction` sets on its connection and the SQLite
#: ``begin`` listener reads: which statement opens the transaction. Private to this module.
_BEGIN = "article_store_begin"


def database_url(url: str | URL) -> URL:
    """The URL as the store uses it: plain ``postgresql://`` means psycopg 3, the one we ship."""
    url = make_url(url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def create(url: URL) -> Engine:
    """An engine for ``url`` with the backend's set-up (SQLite: its folder is made)."""
    backend = url.get_backend_name()
    if backend == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # PostgreSQL: a pooled connection the server closed (restart, failover, idle timeout)
    # is replaced on checkout rather than failing a request. (FastReader reconnects itself.)
    engine = create_engine(url, pool_pre_ping=backend == "postgresql")
    if backend == "sqlite":
        _configure_sqlite(engine)
    if backend == "postgresql":
        _configure_postgresql(engine)
    return engine


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one snapshot (PostgreSQL: ``REPEATABLE READ``; SQLite:
    the deferred transaction every connection opens)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        yield conn


class HeldReads:
    """Read connections kept past their ``with store.reading()`` block, for a streamed answer
    (a bulk export) that reads on after its view has returned.

    Each read still sees one snapshot: :meth:`end_snapshots` ends every held connection's
    transaction after each chunk, and the next statement begins a new one, so a long stream
    holds a connection but never a transaction (no PostgreSQL snapshot, no SQLite read mark
    held back from a WAL checkpoint). :meth:`close` gives them back to the pool.
    """

    def __init__(self) -> None:
        self.connections: list[Connection] = []

    def end_snapshots(self) -> None:
        for conn in self.connections:
            conn.rollback()

    def close(self) -> None:
        while self.connections:
            conn = self.connections.pop()
            # A connection the server dropped: nothing left to give back.
            with suppress(Exception):
                conn.close()


#: The held reads of this request, when it asked for them (:meth:`ArticleStore.hold_reads`).
HELD: ContextVar[HeldReads | None] = ContextVar("article_store_held_reads", default=None)


@contextmanager
def held_snapshot(engine: Engine, held: HeldReads) -> Iterator[Connection]:
    """:func:`snapshot`, but the connection outlives the block: its transaction ends there and
    the connection joins ``held``, which closes it."""
    conn = engine.connect()
    held.connections.append(conn)
    if engine.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    try:
        yield conn
    finally:
        conn.rollback()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction, committed when the block ends (rolled back on an exception).

    SQLite: it opens with ``BEGIN IMMEDIATE``, so it holds the write lock from its first
    statement and writers queue. PostgreSQL: a plain transaction; callers that must queue take
    an advisory lock in it (``save`` per article, the migrations globally).
    """
    with engine.connect() as conn:
        conn.execution_options(**{_BEGIN: "BEGIN IMMEDIATE"})
        with conn.begin():
            yield conn


def close(readers: list, engine: Engine) -> None:
    """Close the readers' held connections and the engine's pool."""
    while readers:
        readers.pop().close()
    engine.dispose()


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
    def _on_begin(conn: Connection):
        conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN, "BEGIN"))


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
