"""Webhooks and their deliveries.

The dispatcher (the worker's pump) follows the change feed with a stored cursor
(``feed_cursors``): in one transaction it reads the events after the cursor, makes one delivery
per (subscribed webhook, event) and moves the cursor, so every event is handed to every webhook
exactly once whichever worker runs the step. A delivery is then sent by a worker that claims it
(a lease, as for jobs), each attempt recorded; a failed one is due again after a backoff.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from . import changes as _changes
from .jobs import later
from .tables import deliveries, delivery_attempts, feed_cursors, utc_now, webhooks

#: Delivery states.
DELIVERY_STATES = ("pending", "succeeded", "failed")
DISPATCHER = "webhooks"


def create(conn: Connection, values: dict) -> None:
    after = _changes.last_seq(conn)
    conn.execute(webhooks.insert().values(created_at=utc_now(), after_seq=after, **values))


def get(conn: Connection, webhook_id: str):
    return conn.execute(select(webhooks).where(webhooks.c.id == webhook_id)).first()


def listing(conn: Connection) -> list:
    return conn.execute(select(webhooks).order_by(webhooks.c.created_at, webhooks.c.id)).all()


def remove(conn: Connection, webhook_id: str) -> bool:
    pending = select(deliveries.c.id).where(deliveries.c.webhook_id == webhook_id)
    conn.execute(delete(delivery_attempts).where(delivery_attempts.c.delivery_id.in_(pending)))
    conn.execute(delete(deliveries).where(deliveries.c.webhook_id == webhook_id))
    return conn.execute(delete(webhooks).where(webhooks.c.id == webhook_id)).rowcount == 1


def dispatch(conn: Connection, limit: int = 200) -> list[int]:
    """One dispatcher step in the caller's write transaction: deliveries for the events after
    the cursor; returns the new deliveries' ids."""
    cursor = select(feed_cursors.c.seq).where(feed_cursors.c.name == DISPATCHER)
    if conn.dialect.name == "postgresql":
        cursor = cursor.with_for_update()
    position = conn.execute(cursor).scalar_one()
    events = _changes.read(conn, after=position, limit=limit)
    if not events:
        return []
    hooks = listing(conn)
    now = utc_now()
    made = []
    for event in events:
        for hook in hooks:
            if event.seq <= hook.after_seq or event.type not in hook.events.split(","):
                continue
            result = conn.execute(
                deliveries.insert().values(
                    webhook_id=hook.id,
                    change_seq=event.seq,
                    message_id=_changes.message_id(event.seq),
                    state="pending",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            made.append(result.inserted_primary_key[0])
    conn.execute(
        feed_cursors.update().where(feed_cursors.c.name == DISPATCHER).values(seq=events[-1].seq)
    )
    return made


def claim_delivery(conn: Connection, delivery_id: int, lease_seconds: float):
    """Take a due delivery to send: ``(delivery, webhook, event)`` or None (not due, held, done,
    or its webhook is gone)."""
    now = utc_now()
    claimed = conn.execute(
        deliveries.update()
        .where(
            deliveries.c.id == delivery_id,
            deliveries.c.state == "pending",
            deliveries.c.next_attempt_at <= now,
            (deliveries.c.lease_until.is_(None)) | (deliveries.c.lease_until < now),
        )
        .values(lease_until=later(lease_seconds), attempts=deliveries.c.attempts + 1)
    )
    if claimed.rowcount != 1:
        return None
    delivery = conn.execute(select(deliveries).where(deliveries.c.id == delivery_id)).first()
    hook = get(conn, delivery.webhook_id)
    event = _changes.read(conn, after=delivery.change_seq - 1, limit=1)
    if hook is None or not event:
        return None
    return delivery, hook, event[0]


def record_attempt(
    conn: Connection,
    delivery_id: int,
    attempt: int,
    *,
    status_code: int | None,
    error: str | None,
    excerpt: str,
    duration_ms: int,
    outcome: str,
    retry_in: float | None,
) -> None:
    """Record one attempt and its outcome: ``succeeded``, ``failed`` (no more attempts), or
    ``pending`` again, due in ``retry_in`` seconds."""
    now = utc_now()
    conn.execute(
        delivery_attempts.insert().values(
            delivery_id=delivery_id,
            attempt=attempt,
            at=now,
            status_code=status_code,
            error=error,
            response_excerpt=excerpt,
            duration_ms=duration_ms,
        )
    )
    values: dict = {"state": outcome, "lease_until": None}
    if outcome == "pending":
        values["next_attempt_at"] = later(retry_in or 0)
    else:
        values["finished_at"] = now
    conn.execute(deliveries.update().where(deliveries.c.id == delivery_id).values(**values))


def due_deliveries(conn: Connection) -> list[int]:
    """Ids of pending deliveries whose next attempt is due and that no live worker holds."""
    now = utc_now()
    return list(
        conn.execute(
            select(deliveries.c.id)
            .where(
                deliveries.c.state == "pending",
                deliveries.c.next_attempt_at <= now,
                (deliveries.c.lease_until.is_(None)) | (deliveries.c.lease_until < now),
            )
            .order_by(deliveries.c.next_attempt_at)
            .limit(500)
        ).scalars()
    )


def delivery_page(conn: Connection, webhook_id: str, after: int | None, limit: int) -> list:
    """A webhook's deliveries, newest first, each with its attempts."""
    stmt = select(deliveries).where(deliveries.c.webhook_id == webhook_id)
    if after is not None:
        stmt = stmt.where(deliveries.c.id < after)
    rows = conn.execute(stmt.order_by(deliveries.c.id.desc()).limit(limit)).all()
    ids = [row.id for row in rows]
    attempts: dict[int, list] = {i: [] for i in ids}
    if ids:
        for attempt in conn.execute(
            select(delivery_attempts)
            .where(delivery_attempts.c.delivery_id.in_(ids))
            .order_by(delivery_attempts.c.delivery_id, delivery_attempts.c.attempt)
        ):
            attempts[attempt.delivery_id].append(attempt)
    events = {
        e.seq: e
        for e in conn.execute(
            select(_changes.changes).where(
                _changes.changes.c.seq.in_([row.change_seq for row in rows])
            )
        )
    }
    return [(row, attempts[row.id], events.get(row.change_seq)) for row in rows]
