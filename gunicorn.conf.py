"""gunicorn settings for `article-api serve` (and the benchmarks).

Requests are short and CPU-light (an indexed read and a copy of stored bytes), so a few
processes with a few threads each keep both cores busy and keep HTTP keep-alive working.
"""

import os
import shutil
import tempfile

wsgi_app = "api.wsgi:app"
host = os.environ.get("ARTICLE_API_HOST", "127.0.0.1")
bind = f"{host}:{os.environ.get('ARTICLE_API_PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 4
keepalive = 5
graceful_timeout = 20
timeout = 30
# The app writes one JSON access line per request (with the request id); gunicorn's would repeat it.
accesslog = None
errorlog = "-"
# Longest request line gunicorn itself accepts; the app answers a 414 problem document for paths
# over 1 KiB and query strings over 2 KiB, so only absurd lines meet gunicorn's plain 400.
limit_request_line = 8190

# Prometheus: each worker writes its samples under this folder and /metrics adds them up.
_own_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _own_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="article-api-metrics-")


def on_starting(server):
    """Create the store's tables once, in the master, before workers race to do it."""
    from api.settings import Settings
    from api.store import ArticleStore

    store = ArticleStore(Settings.from_env().database_url)
    store.create_schema()
    store.dispose()


def child_exit(server, worker):
    """Drop a finished worker's live samples (its counters stay counted)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics folder this server made."""
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
