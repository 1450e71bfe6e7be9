"""The spec is a product: current, valid, with stable readable names."""

from __future__ import annotations

import re

import yaml
from openapi_spec_validator import validate

from api.spec import openapi_yaml

from .conftest import ROOT

OPERATION_IDS = {
    "listArticles",
    "getArticle",
    "listArticleVersions",
    "getArticleVersion",
    "listSections",
    "getSection",
    "listBullets",
    "listArticleQuotes",
    "listQuotes",
    "listArticleEntities",
    "listEntities",
    "getEntity",
    "getHealth",
    "getReadiness",
}


def test_committed_openapi_yaml_is_current(app):
    committed = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    assert committed == openapi_yaml(app.extensions["article_api"]), (
        "openapi.yaml is stale: run `article-api openapi -o openapi.yaml`"
    )


def test_served_spec_equals_committed(client):
    served = client.get("/v1/openapi.json").get_json()
    assert served == yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def test_spec_is_valid_openapi_3_1():
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_operation_ids_are_explicit_and_camel_case():
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    ids = [
        op["operationId"]
        for path in spec["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    ]
    assert len(ids) == len(set(ids))
    assert set(ids) >= OPERATION_IDS
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", i) for i in ids)


def test_component_names_are_clean():
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    names = list(spec["components"]["schemas"])
    assert "Article" in names and "Problem" in names
    assert all(re.fullmatch(r"[A-Z][A-Za-z]+", n) and not n.endswith("Schema") for n in names)


def test_error_responses_are_problem_json():
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    responses = spec["components"]["responses"]
    assert all(re.fullmatch(r"[A-Z][A-Za-z]+", name) for name in responses)
    for name in ("BadRequest", "NotFound", "MethodNotAllowed", "NotAcceptable"):
        assert list(responses[name]["content"]) == ["application/problem+json"]
    for name in ("UriTooLong", "TooManyRequests", "InternalServerError"):
        assert list(responses[name]["content"]) == ["application/problem+json"]


def test_every_operation_documents_every_answer_and_header():
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    for path, item in spec["paths"].items():
        operation = item["get"]
        codes = set(operation["responses"])
        expected = {"200", "304", "400", "405", "406", "414", "429", "500"}
        if "{" in path:
            expected.add("404")
        assert codes >= expected, (path, sorted(codes))
        assert "default" not in codes
        assert set(operation["responses"]["200"]["headers"]) >= {
            "ETag",
            "Cache-Control",
            "X-Request-ID",
        }
        assert set(operation["responses"]["304"]["headers"]) >= {"ETag", "X-Request-ID"}
        headers = {p.get("$ref", "").rsplit("/", 1)[-1] for p in operation["parameters"]}
        assert {"IfNoneMatch", "RequestId"} <= headers
        if path.endswith(("/articles", "/bullets", "/quotes", "/entities", "/sections")):
            assert "Link" in operation["responses"]["200"]["headers"], path
    for parameter in (p for item in spec["paths"].values() for p in item.get("parameters", [])):
        assert parameter.get("description") and parameter["schema"].get("examples")
