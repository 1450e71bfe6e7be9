"""The change feed: one ``changes`` row per event, numbered in commit order.

Every write that changes what is served records its event in its own transaction, last:
``article.created`` (version 1 of a new id), ``article.updated`` (a new version, or a retracted
article restored), ``article.retracted``. A consumer walking the feed by ``seq`` must never miss
an event, so numbers must be handed out in commit order:

* SQLite takes one writer at a time (``BEGIN IMMEDIATE``), so they are;
* on PostgreSQL two transactions could take numbers 7 and 8 and commit 8 first, and a reader
  between the two commits would walk past 7. So the event is recorded under a transaction-scoped
  advisory lock taken just before the insert: a second writer waits at that point until the
  first commits, and numbers are taken and made visible in the same order. Only the last
  statement of a save is serialised; the parsing and the rest of the transaction run in
  parallel.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, func, select

from .tables import changes, utc_now

#: Event types, in the order the README lists them.
EVENT_TYPES = ("article.created", "article.updated", "article.retracted")

#: The advisory lock key that orders the feed on PostgreSQL (any constant no other lock uses).
_FEED_LOCK = 0x61727469636C65  # "article"


def message_id(seq: int) -> str:
    """An event's id: the feed's ``id`` and the ``webhook-id`` of every delivery of it."""
    return f"msg_{seq}"


def record(
    conn: Connection, event: str, article_id: str, version: int | None, *, reason: str | None = None
) -> int:
    """Add an event in the caller's write transaction (its last statement); returns its seq."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_FEED_LOCK)))
    result = conn.execute(
        changes.insert().values(
            type=event, article_id=article_id, version=version, at=utc_now(), reason=reason
        )
    )
    return result.inserted_primary_key[0]


def read(
    conn: Connection,
    *,
    after: int = 0,
    since: str | None = None,
    types: Sequence[str] | None = None,
    article_id: str | None = None,
    limit: int = 100,
) -> list:
    """Events after ``seq`` ``after`` (and at or after the time ``since``), oldest first."""
    stmt = select(changes).where(changes.c.seq > after)
    if since is not None:
        stmt = stmt.where(changes.c.at >= since)
    if types:
        stmt = stmt.where(changes.c.type.in_(list(types)))
    if article_id is not None:
        stmt = stmt.where(changes.c.article_id == article_id)
    return conn.execute(stmt.order_by(changes.c.seq).limit(limit)).all()


def last_seq(conn: Connection) -> int:
    """The newest event's number (0 before the first)."""
    return conn.execute(select(func.coalesce(func.max(changes.c.seq), 0))).scalar_one()
