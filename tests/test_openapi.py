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
    for name in ("BAD_REQUEST", "NOT_FOUND", "DEFAULT_ERROR"):
        content = spec["components"]["responses"][name]["content"]
        assert list(content) == ["application/problem+json"]
