"""/metrics in Prometheus format and JSON log lines carrying the request id."""

from __future__ import annotations

import datetime as dt
import json
import logging

from hypothesis import given
from hypothesis import strategies as st

from api.observability import KNOWN_METHODS, RequestIdFilter, configure_logging, utc_millis

from .conftest import SEED_ID


def sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} {labels} not in metrics")


def test_metrics_count_requests_by_route_and_status(client, loaded):
    route = "/v1/articles/<article_id>"
    before = client.get("/metrics").get_data(as_text=True)
    start = 0.0
    if f'route="{route}",status="200"' in before:
        start = sample(before, "article_api_http_requests_total", route=route, status="200")
    client.get(f"/v1/articles/{SEED_ID}")
    client.get(f"/v1/articles/{SEED_ID}")
    client.get("/v1/articles/nope")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    text = response.get_data(as_text=True)
    assert sample(text, "article_api_http_requests_total", route=route, status="200") == start + 2
    assert sample(text, "article_api_http_requests_total", route=route, status="404") >= 1
    assert sample(text, "article_api_http_request_duration_seconds_count", route=route) >= 3
    assert sample(text, "article_api_store_articles") == 5
    assert sample(text, "article_api_store_versions") == 5
    assert sample(text, "article_api_store_last_ingest_timestamp_seconds") > 1.7e9


def test_access_log_is_json_with_the_request_id(client, loaded, caplog):
    configure_logging("json")
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_article_api", False))
    with caplog.at_level(logging.INFO, logger="api.access"):
        client.get(f"/v1/articles/{SEED_ID}", headers={"X-Request-ID": "trace-42"})
    record = next(r for r in caplog.records if r.name == "api.access")
    RequestIdFilter().filter(record)
    line = json.loads(handler.format(record))
    assert line["request_id"] == "trace-42"
    assert line["level"] == "INFO"
    assert line["logger"] == "api.access"
    assert line["status"] == 200
    assert line["path"] == f"/v1/articles/{SEED_ID}"
    assert line["route"] == "/v1/articles/<article_id>"
    assert isinstance(line["duration_ms"], float)


def method_labels(text: str) -> set[str]:
    return {
        line.split('method="', 1)[1].split('"', 1)[0]
        for line in text.splitlines()
        if line.startswith("article_api_http_requests_total{")
    }


def test_invented_methods_share_one_label(client, loaded):
    """A client can send any token as a method; each must not become a new series."""
    invented = [f"X{n}FOO" for n in range(30)] + ["PROPFIND", "BREW"]
    for method in invented:
        assert client.open(f"/v1/articles/{SEED_ID}", method=method).status_code == 405
    labels = method_labels(client.get("/metrics").get_data(as_text=True))
    assert not labels & set(invented)
    assert "other" in labels
    assert labels <= KNOWN_METHODS | {"other"}


def test_a_500_is_logged_once_with_its_traceback(app, client, loaded, monkeypatch, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*args, **kwargs):
        raise RuntimeError("store exploded")

    monkeypatch.setattr(app.extensions["article_store"], "latest_article", broken)
    with caplog.at_level(logging.INFO):
        response = client.get(f"/v1/articles/{SEED_ID}", headers={"X-Request-ID": "once-500"})
    assert response.status_code == 500
    with_traceback = [r for r in caplog.records if r.exc_info]
    assert len(with_traceback) == 1, [r.getMessage() for r in with_traceback]
    record = with_traceback[0]
    RequestIdFilter().filter(record)
    assert record.request_id == "once-500"
    assert record.exc_info[0] is RuntimeError


def test_the_access_line_written_directly_is_the_formatters_line(monkeypatch):
    """With our JSON handler alone on the root logger (as under gunicorn), the access line is
    written without a LogRecord: the same keys in the same order and the same values."""
    import io
    import json
    import logging

    from api import observability

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler._article_api = True
    handler.setFormatter(observability.JsonLineFormatter())
    handler.addFilter(observability.RequestIdFilter())
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [handler])
    monkeypatch.setattr(root, "level", logging.INFO)
    assert observability._sole_json_handler() is handler
    observability.record_request("GET", "/v1/x", "/v1/x", 200, 0.0012, "127.0.0.1", "rid-1")
    direct = json.loads(stream.getvalue())
    stream.seek(0)
    stream.truncate()
    monkeypatch.setattr(observability, "_sole_json_handler", lambda: None)
    observability.record_request("GET", "/v1/x", "/v1/x", 200, 0.0012, "127.0.0.1", "rid-1")
    logged = json.loads(stream.getvalue())
    assert direct.pop("time")[:4] == logged.pop("time")[:4]
    assert list(direct.items()) == list(logged.items())


@given(st.floats(min_value=0, max_value=4e9, allow_nan=False, allow_infinity=False))
def test_a_log_line_time_is_what_isoformat_writes(at):
    expected = dt.datetime.fromtimestamp(at, dt.UTC).isoformat(timespec="milliseconds")
    assert utc_millis(at) == expected
    assert utc_millis(at) == expected  # the second's text, remembered
