"""/metrics in Prometheus format and JSON log lines carrying the request id."""

from __future__ import annotations

import json
import logging

from api.observability import RequestIdFilter, configure_logging

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
