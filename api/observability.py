"""Operations: Prometheus metrics at ``/metrics`` and structured JSON logs with the request id.

Metrics
    ``article_api_http_requests_total{method,route,status}`` and
    ``article_api_http_request_duration_seconds{method,route}`` (histogram), per route template
    and known method (any other method is ``other``) so the label set stays small; and, read
    from the store at scrape time,
    ``article_api_store_articles``, ``article_api_store_versions`` and
    ``article_api_store_last_ingest_timestamp_seconds``.
    Under gunicorn every worker writes its samples to ``PROMETHEUS_MULTIPROC_DIR`` (set by
    gunicorn.conf.py) and ``/metrics`` adds them up, whichever worker answers.

Logs
    One JSON object per line (``ARTICLE_API_LOG_FORMAT=json``, the default) with ``time``,
    ``level``, ``logger``, ``message``, ``request_id``; every request logs an ``access`` line with
    method, path, route, status and duration.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import sys
import time
from functools import cache

import orjson
from flask import Flask, Response, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from .http import produces, store

REQUESTS = Counter(
    "article_api_http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "article_api_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)

access_log = logging.getLogger("api.access")

#: Methods counted under their own name; any other token a client sends as a method (HTTP
#: allows any) is counted as ``other``, so clients cannot mint label values.
KNOWN_METHODS = frozenset(
    ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE", "CONNECT")
)


@cache
def _requests(method: str, route: str, status: int):
    """The labelled counter child, looked up once per (method, route, status)."""
    return REQUESTS.labels(method, route, str(status))


@cache
def _latency(method: str, route: str):
    return LATENCY.labels(method, route)


def _sole_json_handler() -> logging.StreamHandler | None:
    """Our JSON handler, when an access line reaches it and nothing else (no test capture, no
    other handler, no filter on the way)."""
    root = logging.getLogger()
    if access_log.handlers or access_log.filters or not access_log.propagate:
        return None
    if len(root.handlers) != 1 or root.filters:
        return None
    handler = root.handlers[0]
    if not getattr(handler, "_article_api", False):
        return None
    if not isinstance(handler.formatter, JsonLineFormatter) or handler.level > logging.INFO:
        return None
    return handler


def _request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def record_request(
    method: str,
    path: str,
    route: str,
    status: int,
    elapsed: float,
    remote_addr: str | None,
    request_id: str | None = None,
) -> None:
    """Count and time one answered request, and write its access line (the Flask hook's and
    :mod:`api.fastpath`'s; ``request_id`` for a request outside Flask's context)."""
    label = method if method in KNOWN_METHODS else "other"
    _requests(label, route, status).inc()
    _latency(label, route).observe(elapsed)
    if access_log.isEnabledFor(logging.INFO):
        # makeRecord + handle: the same record as .info() without its stack walk
        # (findCaller), which cost more than the rest of the line.
        fields = {
            "method": method,
            "path": path,
            "route": route,
            "status": status,
            "duration_ms": round(elapsed * 1000, 3),
            "remote_addr": remote_addr,
        }
        handler = _sole_json_handler()
        if handler is not None:
            # The line JsonLineFormatter would write, without building a LogRecord for it.
            line = {
                "time": utc_millis(time.time()),
                "level": "INFO",
                "logger": access_log.name,
                "message": "access",
                "request_id": request_id if request_id is not None else _request_id(),
                **fields,
            }
            text = orjson.dumps(line, default=str).decode()
            with handler.lock:
                handler.stream.write(text + handler.terminator)
                handler.stream.flush()
            return
        extra: dict = {"fields": fields}
        if request_id is not None:
            extra["request_id"] = request_id
        access_log.handle(
            access_log.makeRecord(
                access_log.name, logging.INFO, __file__, 0, "access", None, None, extra=extra
            )
        )


class StoreCollector:
    """Gauges read from the store when Prometheus scrapes: what ingest has stored."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self):
        with self.app.app_context():
            stats = store().stats()
        yield GaugeMetricFamily(
            "article_api_store_articles", "Articles stored.", value=stats.articles
        )
        yield GaugeMetricFamily(
            "article_api_store_versions", "Article versions stored.", value=stats.versions
        )
        last = 0.0
        if stats.last_ingested_at:
            last = dt.datetime.fromisoformat(stats.last_ingested_at).timestamp()
        yield GaugeMetricFamily(
            "article_api_store_last_ingest_timestamp_seconds",
            "When the newest version was stored (Unix time; 0 when empty).",
            value=last,
        )


_second: tuple[float, str] = (-1.0, "")


def utc_millis(at: float) -> str:
    """``at`` (Unix time) as a log line's time: what ``datetime.fromtimestamp(at, UTC)
    .isoformat(timespec="milliseconds")`` writes (``2026-12-01T21:30:07.123+00:00``, the
    microseconds rounded as it rounds them), the second's text made once per second."""
    global _second
    fraction, whole = math.modf(at)
    micros = round(fraction * 1e6)
    if micros >= 1_000_000:
        whole, micros = whole + 1, micros - 1_000_000
    second, text = _second
    if second != whole:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
        _second = (whole, text)
    return f"{text}.{micros // 1000:03d}+00:00"


class JsonLineFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id, the record's
    ``fields`` (the access line's method, path, status, …) and any exception text."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": utc_millis(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


def configure_logging(log_format: str) -> None:
    """One handler on the root logger, set once per process."""
    root = logging.getLogger()
    if any(getattr(h, "_article_api", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler._article_api = True
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonLineFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    configure_logging(app.config["LOG_FORMAT"])
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    scrape = CollectorRegistry()
    scrape.register(StoreCollector(app))

    @app.before_request
    def _start_timer():
        g.started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.pop("started", None)
        if started is None:
            return response
        route = request.url_rule.rule if request.url_rule else "unmatched"
        record_request(
            request.method,
            request.path,
            route,
            response.status_code,
            time.perf_counter() - started,
            request.remote_addr,
        )
        return response

    @app.get("/metrics")
    @produces("text/plain")
    def metrics():
        body = generate_latest(registry) + generate_latest(scrape)
        return Response(body, mimetype=CONTENT_TYPE_LATEST)
