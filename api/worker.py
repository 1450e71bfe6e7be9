"""The worker: ``article-api worker`` runs write jobs and webhook deliveries from the queue.

Three things run in a worker process:

* huey's consumer, taking task ids from the queue (:mod:`api.queue`) to :meth:`Worker.run_job`
  and :meth:`Worker.deliver` on its threads;
* the pump, a thread that every :data:`PUMP_SECONDS` moves new change-feed events into webhook
  deliveries (:func:`api.store.webhooks.dispatch`) and queues them, and queues again the jobs and
  deliveries that are due but held by no live worker (their worker died: its lease ran out);
* nothing else: all state is in the store, so any number of workers, on any machines sharing the
  store and the queue, can run side by side, and a worker killed at any moment loses nothing.

A job is parsed here (the API never imports the parser) and saved with its outcome in the same
transaction (``save(after=…)``), so a job that says ``succeeded`` made its version, and one that
died half-way runs again from the start.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time

import orjson

from schemas.change import change_document

from . import webhooks
from .parser import ParseError, annotate_language, parse_bytes
from .queue import JobQueue, queue
from .representation import Representation
from .settings import Settings
from .store import ArticleStore, SourceConflict
from .store import jobs as job_rows

log = logging.getLogger(__name__)

#: How often the pump looks for new events and for work nobody holds.
PUMP_SECONDS = 0.5
#: A queued job this old that no worker has claimed is queued again (lost on its way).
STALE_QUEUED_SECONDS = 30.0

_current: Worker | None = None


def current() -> Worker:
    if _current is None:
        raise RuntimeError("no worker is running in this process")
    return _current


def _problem(status: int, title: str, detail: str) -> bytes:
    return orjson.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})


class Worker:
    def __init__(self, settings: Settings, store: ArticleStore, job_queue: JobQueue) -> None:
        self.settings = settings
        self.store = store
        self.queue = job_queue
        self.lease = float(settings.job_lease_seconds)
        self._handed: dict[tuple[str, object], float] = {}
        self._stop = threading.Event()

    # -- jobs --------------------------------------------------------------------------------

    def run_job(self, job_id: str) -> None:
        job = self.store.claim_job(job_id, self.lease)
        if job is None:
            return  # done, or a live worker holds it
        if job.attempts > job_rows.MAX_ATTEMPTS:
            self.store.fail_job(
                job_id,
                _problem(
                    500,
                    "Internal Server Error",
                    f"The job was started {job.attempts - 1} times and never finished.",
                ),
            )
            return
        log.info("job %s: attempt %d", job_id, job.attempts)
        beating = threading.Event()
        heartbeat = threading.Thread(
            target=self._heartbeat, args=(job_id, job.attempts, beating), daemon=True
        )
        heartbeat.start()
        try:
            self._run(job)
        except job_rows.JobLost:
            log.warning(
                "job %s: attempt %d was taken over; its work is dropped", job_id, job.attempts
            )
        finally:
            beating.set()

    def _heartbeat(self, job_id: str, attempt: int, done: threading.Event) -> None:
        """Keep the lease of a running attempt fresh, so a long parse is not taken for dead."""
        while not done.wait(self.lease / 3):
            try:
                if not self.store.renew_job(job_id, attempt, self.lease):
                    return
            except Exception:  # a missed beat is retried; the lease has room for two
                log.exception("job %s: lease renewal failed", job_id)

    def _run(self, job) -> None:
        job_id = job.id
        fields = orjson.loads(job.fields_json)
        if job.article_id:
            fields["id"] = job.article_id
        suffix = ".md" if job.media_type == "text/markdown" else ".txt"
        try:
            document = parse_bytes(
                job.body,
                file_name=f"{job.article_id or 'article'}{suffix}",
                with_language=False,
                fields=fields,
                id_from_title=not job.article_id,
            )
            # ``source.file`` names the id, however it was found, so that the same text sent
            # by POST or by PUT is the same output (and no new version).
            document = dataclasses.replace(document, source_file=f"{document.id}{suffix}")
            annotate_language([document])
        except ParseError as error:
            self.store.fail_job(job_id, _problem(422, "Unprocessable Content", str(error)))
            return
        representation = Representation(document)
        try:
            self.store.save(
                document.id,
                representation.output_hash,
                representation.render,
                source=job.owner,
                restore=True,
                after=lambda conn, saved: self.store.succeed_job(
                    conn, job_id, job.attempts, saved.article_id, saved.version, saved.created
                ),
            )
        except SourceConflict as conflict:
            self.store.fail_job(
                job_id,
                _problem(
                    409,
                    "Conflict",
                    f"Article {conflict.article_id!r} belongs to {conflict.owner}, not "
                    f"{conflict.claimant}; another source cannot take it over.",
                ),
            )
            return
        log.info("job %s: stored %s", job_id, document.id)

    # -- deliveries --------------------------------------------------------------------------

    def deliver(self, delivery_id: int) -> None:
        claimed = self.store.claim_delivery(delivery_id, self.lease)
        if claimed is None:
            return
        delivery, hook, event = claimed
        document = change_document(event)
        payload = orjson.dumps({"type": event.type, "timestamp": event.at, "data": document})
        outcome = webhooks.send(
            hook.url,
            hook.secret,
            delivery.message_id,
            payload,
            allow_private=self.settings.webhook_allow_private,
            timeout=self.settings.webhook_timeout,
        )
        attempt = delivery.attempts
        refused = outcome.error is not None and outcome.error.startswith("refused:")
        if outcome.ok:
            state, retry_in = "succeeded", None
        elif refused or attempt >= webhooks.MAX_ATTEMPTS:
            state, retry_in = "failed", None
        else:
            state, retry_in = "pending", webhooks.backoff(attempt)
        self.store.record_attempt(
            delivery_id,
            attempt,
            status_code=outcome.status_code,
            error=outcome.error,
            excerpt=outcome.excerpt,
            duration_ms=outcome.duration_ms,
            outcome=state,
            retry_in=retry_in,
        )
        # Its next attempt, if any, is the pump's to queue when it is due.
        self._handed.pop(("deliver", delivery_id), None)
        log.info(
            "delivery %s (%s) attempt %d: %s",
            delivery_id,
            delivery.message_id,
            attempt,
            outcome.status_code or outcome.error,
        )

    # -- the pump ----------------------------------------------------------------------------

    def pump_once(self) -> None:
        """Events into deliveries; due work nobody holds back into the queue."""
        for delivery_id in self.store.dispatch_events():
            self._hand("deliver", delivery_id)
        for delivery_id in self.store.due_deliveries():
            self._hand("deliver", delivery_id)
        for job_id in self.store.due_jobs(STALE_QUEUED_SECONDS):
            self._hand("job", job_id)

    def _hand(self, kind: str, item) -> None:
        """Queue ``item`` unless this worker queued it less than a lease ago (it is waiting in
        the queue, or running)."""
        key = (kind, item)
        now = time.monotonic()
        if now - self._handed.get(key, -1e9) < min(self.lease, 10.0):
            return
        self._handed[key] = now
        if kind == "job":
            self.queue.run_job(item)
        else:
            self.queue.deliver(item)
        if len(self._handed) > 10_000:
            cutoff = now - self.lease
            self._handed = {k: t for k, t in self._handed.items() if t > cutoff}

    def _pump(self) -> None:
        while not self._stop.wait(PUMP_SECONDS):
            try:
                self.pump_once()
            except Exception:  # a store or queue hiccup: log it and try again next round
                log.exception("worker pump failed; retrying")

    # -- running -----------------------------------------------------------------------------

    def run(self, threads: int) -> None:
        global _current
        _current = self
        consumer = self.queue.huey.create_consumer(
            workers=threads,
            worker_type="thread",
            periodic=False,
            initial_delay=0.05,
            backoff=1.5,
            max_delay=0.5,
        )
        pump = threading.Thread(target=self._pump, name="article-api-pump", daemon=True)
        pump.start()
        try:
            consumer.run()
        finally:
            self._stop.set()


def run(threads: int = 2) -> None:
    """``article-api worker``: load the model, then take jobs until stopped (SIGINT, SIGTERM)."""
    from .observability import configure_logging
    from .parser.nlp import load_model

    settings = Settings.from_env()
    configure_logging(settings.log_format)
    load_model()  # fail at start, not on the first job, if the model is missing
    store = ArticleStore(settings.database_url)
    store.create_schema()
    job_queue = queue(settings.queue_url)
    log.info("worker ready: %d threads on %s", threads, job_queue.huey.storage.__class__.__name__)
    Worker(settings, store, job_queue).run(threads)
