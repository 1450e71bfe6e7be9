"""Jobs: writes sent over HTTP, waiting for or done by a worker.

The job row is the truth; the queue (huey) only carries job ids to workers. A worker *claims* a
job before running it (``queued`` → ``running``, with a lease), and records the outcome in the
same transaction as the article it saved, so a job either made its version and says so, or
made nothing. A worker that dies mid-job leaves its lease to run out; the job is then claimable
again (:func:`due`), and runs again: at least once, and, as the save is idempotent by output
hash, to one effect.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, or_, select

from .tables import jobs, utc_now, utc_text

#: Job states, in the order a job goes through them.
JOB_STATES = ("queued", "running", "succeeded", "failed")
#: A job whose worker died this many times is failed rather than run again.
MAX_ATTEMPTS = 3


def later(seconds: float) -> str:
    return utc_text(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds))


def create(conn: Connection, values: dict) -> None:
    conn.execute(jobs.insert().values(state="queued", created_at=utc_now(), **values))


def get(conn: Connection, job_id: str):
    return conn.execute(select(jobs).where(jobs.c.id == job_id)).first()


def by_idempotency_key(conn: Connection, owner: str, idempotency_key: str):
    return conn.execute(
        select(jobs).where(jobs.c.owner == owner, jobs.c.idempotency_key == idempotency_key)
    ).first()


def claim(conn: Connection, job_id: str, lease_seconds: float):
    """Take a job to run: a queued one, or a running one whose worker's lease ran out. Returns
    the job row, or None if it is done, held by a live worker, or unknown."""
    now = utc_now()
    claimable = or_(
        jobs.c.state == "queued", (jobs.c.state == "running") & (jobs.c.lease_until < now)
    )
    result = conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id, claimable)
        .values(
            state="running",
            started_at=now,
            lease_until=later(lease_seconds),
            attempts=jobs.c.attempts + 1,
        )
    )
    return get(conn, job_id) if result.rowcount == 1 else None


class JobLost(Exception):
    """The job's lease passed to another attempt: this one's work must not count."""


def renew(conn: Connection, job_id: str, attempt: int, lease_seconds: float) -> bool:
    """Extend a running attempt's lease (its worker's heartbeat); False if it is no longer the
    job's current attempt."""
    result = conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id, jobs.c.state == "running", jobs.c.attempts == attempt)
        .values(lease_until=later(lease_seconds))
    )
    return result.rowcount == 1


def succeed(
    conn: Connection, job_id: str, attempt: int, article_id: str, version: int, created: bool
) -> None:
    """Record the outcome, in the save's transaction; :class:`JobLost` (rolling the save back)
    if another attempt took the job over meanwhile (fencing by attempt number)."""
    result = conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id, jobs.c.state == "running", jobs.c.attempts == attempt)
        .values(
            state="succeeded",
            finished_at=utc_now(),
            lease_until=None,
            result_article_id=article_id,
            result_version=version,
            result_created=created,
        )
    )
    if result.rowcount != 1:
        raise JobLost(job_id)


def fail(conn: Connection, job_id: str, problem_json: bytes) -> None:
    conn.execute(
        jobs.update()
        .where(jobs.c.id == job_id, jobs.c.state.in_(("queued", "running")))
        .values(state="failed", finished_at=utc_now(), lease_until=None, problem_json=problem_json)
    )


def due(conn: Connection, stale_seconds: float) -> list[str]:
    """Ids of jobs to hand to the queue again: running ones whose lease ran out (their worker
    died), and queued ones older than ``stale_seconds`` (lost between commit and queue)."""
    now = utc_now()
    stale = utc_text(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=stale_seconds))
    return list(
        conn.execute(
            select(jobs.c.id)
            .where(
                or_(
                    (jobs.c.state == "running") & (jobs.c.lease_until < now),
                    (jobs.c.state == "queued") & (jobs.c.created_at < stale),
                )
            )
            .order_by(jobs.c.created_at)
            .limit(100)
        ).scalars()
    )
