"""gunicorn settings for `article-api serve` (and the benchmarks, which use this file as is).

Worker class and count, chosen by measurement (`python -m bench`, 2-core machine, see the
README's "Benchmarks"):

* A request is pure CPU under the GIL: an indexed SQLite read that the page cache answers and a
  copy of stored bytes. Threads in one process cannot run it in parallel, they only contend for
  the GIL: with `gthread` and 4 threads the bare-Flask floor fell from ~2,300 to ~1,400 req/s and
  its p99 at 32 connections rose from ~31 ms to ~94 ms. So: one request thread per process.
* One process per core (`WEB_CONCURRENCY`, default 2): a third process on 2 cores only adds
  context switches (the floor dropped to ~600-1,500 req/s with 3-4 workers, p99 >130 ms).
* `gthread` with 1 thread rather than `sync`: the same throughput within noise (sync ~2,500,
  gthread ~2,300 req/s on the floor) but it keeps HTTP keep-alive connections, which browsers
  and proxies reuse, and its p99 was the lower (31 vs 41 ms).
* Slow and idle clients: gthread as gunicorn ships it hands each new connection to the request
  thread, which waits up to 5 s for a first byte and then reads the head without a deadline;
  with one thread, one socket trickling its headers stalled a worker (7 of 10 `/healthz`
  probes timed out at 3 s) and 50 idle or 50 trickling sockets stalled both (0 of 10
  answered). More threads only move the threshold (and cost throughput, above); gevent would
  need monkey-patching under a per-thread store connection. `api.gunicorn_worker.ProblemWorker`
  instead reads each request in the worker's event loop, non-blocking, and hands the thread
  whole requests: with 50 idle and 50 trickling sockets held, 10 of 10 probes answered,
  slowest 5 ms (`python -m bench`'s slow-client scenario).
  Deadlines: `ARTICLE_API_REQUEST_READ_SECONDS`.
* No gunicorn access log: the app logs every request itself (`api.access`, with the request
  id), so a second line per request would only cost a write.
"""

import os
import shutil
import tempfile

from api.settings import env  # stdlib only: the master loads neither Flask nor SQLAlchemy

wsgi_app = "api.wsgi:app"
bind = f"{env('ARTICLE_API_HOST')}:{env('ARTICLE_API_PORT')}"
workers = int(env("WEB_CONCURRENCY"))
# gthread reading whole requests in its event loop before a thread takes them (slow clients hold
# no thread), answering what gunicorn refuses itself (a malformed request line, one too long, too
# many or too large headers; a request not in by its deadline: 408) as problem documents.
worker_class = "api.gunicorn_worker.ProblemWorker"
threads = 1
keepalive = 5
graceful_timeout = 20
timeout = 30
# The app writes one JSON access line per request (with the request id); gunicorn's would repeat it.
accesslog = None
errorlog = "-"
# Longest request line gunicorn itself accepts; the app answers a 414 problem document for paths
# over 1 KiB and query strings over 2 KiB, so only absurd lines meet gunicorn's plain 400.
limit_request_line = 8190
# No control socket: its default path is shared by every gunicorn on the machine, and several
# nodes (or tests) on one host would fight over it; nothing here uses it.
control_socket_disable = True

# Prometheus: each worker writes its samples under this folder and /metrics adds them up.
_own_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _own_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="article-api-metrics-")


def on_starting(server):
    """Create the store's tables once, in the master, before workers race to do it; make the
    rate-limit counters the workers will share (``local://``: one count per server)."""
    from api import shared_counts
    from api.settings import Settings
    from api.store import ArticleStore

    shared_counts.share_with_workers()

    store = ArticleStore(Settings.from_env().database_url)
    store.create_schema()
    store.dispose()


def child_exit(server, worker):
    """Drop a finished worker's live samples (its counters stay counted) and its connection
    count (the other workers stop leaving new connections to it)."""
    from prometheus_client import multiprocess

    from api.gunicorn_worker import LOADS

    multiprocess.mark_process_dead(worker.pid)
    LOADS.release(worker.age, worker.pid)


def on_exit(server):
    """Remove the metrics folder this server made."""
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
