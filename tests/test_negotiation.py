"""Content negotiation per RFC 9110 §12.5.1: what each route produces against the ``Accept``
media ranges, with their quality values; parameters on a JSON range do not rule JSON out.

``Accept: application/json; charset=utf-8`` (Spring's default, many fetch wrappers) was a 406,
and so was ``/metrics`` for Prometheus' ``Accept: text/plain``.
"""

from __future__ import annotations

import pytest

from .conftest import SEED_ID

A = f"/v1/articles/{SEED_ID}"

JSON_ACCEPTED = [
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    "Application/JSON",
    "application/json; q=0.5",
    "application/json; indent=2",
    "application/*; charset=utf-8",
    "*/*; q=0.1",
    "text/html, application/json; charset=utf-8; q=0.9",
    "application/xml;q=0.9, */*;q=0.8",
    "text/html;q=1, application/json;q=0.001",
]
JSON_REFUSED = [
    "text/html",
    "application/xml; charset=utf-8",
    "application/json; q=0",
    "application/json;q=0, */*",
    "*/*; q=0",
    "text/*",
    "application/json-patch+json",
    "application/problem+json",
]


@pytest.mark.parametrize("accept", JSON_ACCEPTED)
@pytest.mark.parametrize("url", [A, "/v1/articles", "/v1/openapi.json", "/healthz"])
def test_json_ranges_with_parameters_are_acceptable(client, loaded, url, accept):
    response = client.get(url, headers={"Accept": accept})
    assert response.status_code == 200, (accept, response.get_data()[:200])
    assert response.mimetype == "application/json"


@pytest.mark.parametrize("accept", JSON_REFUSED)
def test_ranges_that_rule_json_out_are_a_406(client, loaded, accept):
    response = client.get(A, headers={"Accept": accept})
    assert response.status_code == 406, accept
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize(
    "accept",
    [
        "text/plain",
        "text/plain; version=0.0.4",
        "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
        "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5",
        "*/*",
    ],
)
def test_metrics_answers_what_prometheus_asks_for(client, accept):
    response = client.get("/metrics", headers={"Accept": accept})
    assert response.status_code == 200, accept
    assert response.mimetype == "text/plain"


def test_metrics_is_not_json(client):
    assert client.get("/metrics", headers={"Accept": "application/json"}).status_code == 406


def test_docs_page_takes_a_browser_accept(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/docs", headers={"Accept": accept}).status_code == 200
