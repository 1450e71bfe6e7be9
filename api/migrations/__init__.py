"""Schema migrations (Alembic), configured in code: no ``alembic.ini``.

``upgrade(engine)`` brings a database to the newest revision. It runs in one transaction that
first takes a lock (SQLite: the write lock; PostgreSQL: an advisory lock), so API nodes starting
together, an ingest and ``article-api db upgrade`` never migrate the same database twice.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, select

from ..store.engine import write_transaction

HERE = Path(__file__).resolve().parent
#: Any fixed number: the advisory lock all migrating processes take on PostgreSQL.
_LOCK_KEY = 0x61727469636C65  # "article"


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def head() -> str:
    """The newest revision."""
    return ScriptDirectory.from_config(config()).get_current_head()


def upgrade(engine: Engine, revision: str = "head") -> None:
    with write_transaction(engine) as conn:  # SQLite: BEGIN IMMEDIATE, the write lock first
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))
        command.upgrade(config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))
        command.downgrade(config(conn), revision)
