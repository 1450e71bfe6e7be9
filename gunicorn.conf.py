"""gunicorn settings for `article-api serve` (and the benchmarks).

Requests are short and CPU-light (an indexed read and a copy of stored bytes), so a few
processes with a few threads each keep both cores busy and keep HTTP keep-alive working.
"""

import os

wsgi_app = "api.wsgi:app"
host = os.environ.get("ARTICLE_API_HOST", "127.0.0.1")
bind = f"{host}:{os.environ.get('ARTICLE_API_PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 4
keepalive = 5
graceful_timeout = 20
timeout = 30
accesslog = "-"
errorlog = "-"


def on_starting(server):
    """Create the store's tables once, in the master, before workers race to do it."""
    from api.settings import Settings
    from api.store import ArticleStore

    store = ArticleStore(Settings.from_env().database_url)
    store.create_schema()
    store.dispose()
