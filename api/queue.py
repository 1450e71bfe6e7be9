"""The job queue: huey, on an embedded SQLite file by default or on Redis for several machines.

huey is the queue, not the record: it carries job and delivery ids from the API to the workers.
The state of each job and delivery lives in the store (:mod:`api.store.jobs`,
:mod:`api.store.webhooks`), which is what makes the pair at-least-once: huey removes a task from
the queue when a worker takes it, so a worker killed mid-task would lose it; the store's lease
runs out instead, and the worker's pump (:mod:`api.worker`) hands the id to the queue again.

The task bodies live in :mod:`api.worker` (they need the parser) and are imported only when a
worker runs them: the API process enqueues by task name and never imports the parser.
"""

from __future__ import annotations

import functools
from pathlib import Path

from huey import RedisHuey, SqliteHuey
from huey.api import Huey

#: How long a SQLite-backed consumer sleeps at most between polls of an empty queue.
SQLITE_MAX_POLL_SECONDS = 0.5


class QueueUrlError(ValueError):
    pass


@functools.cache
def queue(url: str) -> JobQueue:
    """The queue at ``url`` (one per process and URL)."""
    return JobQueue(url)


class JobQueue:
    def __init__(self, url: str) -> None:
        self.url = url
        self.huey = _huey(url)
        self.polls = url.startswith("sqlite:")
        self._run_job = self.huey.task(name="run_job")(_run_job)
        self._deliver = self.huey.task(name="deliver")(_deliver)

    def run_job(self, job_id: str) -> None:
        self._run_job(job_id)

    def deliver(self, delivery_id: int) -> None:
        self._deliver(delivery_id)

    def pending(self) -> int:
        return self.huey.pending_count()


def _huey(url: str) -> Huey:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("article-api", filename=str(path), results=False, timeout=30)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("article-api", url=url, results=False)
    raise QueueUrlError(
        f"ARTICLE_API_QUEUE_URL must be sqlite:///PATH or redis://HOST:PORT/DB, not {url!r}"
    )


def _run_job(job_id: str) -> None:
    from . import worker

    worker.current().run_job(job_id)


def _deliver(delivery_id: int) -> None:
    from . import worker

    worker.current().deliver(delivery_id)
