"""What the spec says, held against what the server does, the way a generated client uses it.

* A documented ``default`` means the same as leaving the parameter out, whatever else the
  request has (openapi-python-client sends every default: ``sort=id`` with ``q`` was a 400).
* Every example in the spec works: replayed against a store holding the seed, each parameter
  example gets a 200, and each example cursor is the one a real response links to.
* Response objects are open: a response with members the spec does not name yet (an additive
  v1 change) still validates against the spec; request parameters stay strict.
* Enums are named components with readable member names; timestamps are ``date-time``.
"""

from __future__ import annotations

import copy
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .conftest import ROOT

SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
#: (path, operation with the path's own parameters too): the public reads (a keyed read's
#: examples name a job or a webhook of someone's: tests/test_integration.py covers those).
OPERATIONS = [
    (path, {**item["get"], "parameters": item.get("parameters", []) + item["get"]["parameters"]})
    for path, item in SPEC["paths"].items()
    if "get" in item and {} in item["get"].get("security", [{}])
]
REGISTRY = Registry().with_resource("urn:spec", Resource.from_contents(SPEC, DRAFT202012))


def resolve(node: dict) -> dict:
    while "$ref" in node and node["$ref"].startswith("#/"):
        target = SPEC
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = {**{k: v for k, v in node.items() if k != "$ref"}, **target}
    return node


def parameters(operation: dict) -> list[dict]:
    return [resolve(p) for p in operation.get("parameters", [])]


def example_path(path: str, operation: dict) -> str:
    for parameter in parameters(operation):
        if parameter["in"] == "path":
            value = parameter["schema"]["examples"][0]
            path = path.replace("{" + parameter["name"] + "}", str(value))
    return path


def query_examples(operation: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each query parameter's example, as the query items a client sends for it."""
    found = []
    for parameter in parameters(operation):
        if parameter["in"] != "query":
            continue
        schema = resolve(parameter["schema"])
        for example in schema.get("examples", []):
            values = example if isinstance(example, list) else [example]
            found.append((parameter["name"], [(parameter["name"], str(v)) for v in values]))
    return found


def without_self(body: dict) -> dict:
    body = copy.deepcopy(body)
    body.pop("request_id", None)
    body.get("links", {}).pop("self", None)
    for rel, href in list(body.get("links", {}).items()):
        if href:
            body["links"][rel] = sorted(parse_qs(urlsplit(href).query).items())
    return body


DEFAULTS = [
    (path, operation, parameter)
    for path, operation in OPERATIONS
    for parameter in parameters(operation)
    if parameter["in"] == "query" and "default" in resolve(parameter["schema"])
]


def test_the_spec_documents_defaults():
    assert DEFAULTS, "no parameter documents a default: the next test would test nothing"


@pytest.mark.parametrize(
    ("path", "operation", "parameter"),
    DEFAULTS,
    ids=[f"{op['operationId']}-{p['name']}" for _, op, p in DEFAULTS],
)
def test_a_documented_default_means_the_same_as_leaving_it_out(
    client, loaded, path, operation, parameter
):
    default = resolve(parameter["schema"])["default"]
    url = example_path(path, operation)
    others = [[]] + [
        items for name, items in query_examples(operation) if name != parameter["name"]
    ]
    for items in others:
        if any(name == "cursor" for name, _ in items):
            continue  # a cursor fixes the page size it was made with
        left_out = client.get(f"{url}?{urlencode(items)}")
        sent = client.get(f"{url}?{urlencode([*items, (parameter['name'], str(default))])}")
        assert sent.status_code == left_out.status_code, (items, sent.get_json())
        assert without_self(sent.get_json()) == without_self(left_out.get_json()), items


@pytest.mark.parametrize(
    ("path", "operation"), OPERATIONS, ids=[op["operationId"] for _, op in OPERATIONS]
)
def test_every_example_in_the_spec_works(client, loaded, path, operation):
    url = example_path(path, operation)
    assert client.get(url).status_code == 200, url
    for name, items in query_examples(operation):
        response = client.get(f"{url}?{urlencode(items)}")
        assert response.status_code == 200, (url, items, response.get_json())
        if name != "cursor":
            continue
        first = client.get(f"{url}?page_size=1").get_json()
        if first["links"]["next"] is not None:  # the example is what a real response gives
            real = parse_qs(urlsplit(first["links"]["next"]).query)["cursor"][0]
            assert items == [("cursor", real)], operation["operationId"]


def open_everywhere(value):
    """The body with a member the spec does not know in every object: an additive change."""
    if isinstance(value, dict):
        return {**{k: open_everywhere(v) for k, v in value.items()}, "added_in_v1_9": {"n": 1}}
    if isinstance(value, list):
        return [open_everywhere(v) for v in value]
    return value


RESPONSES = [
    "/v1/articles",
    "/v1/articles?q=trade",
    "/v1/articles/000-8cbe90a26df69869?include=sections,bullets,quotes,entities",
    "/v1/articles/000-8cbe90a26df69869/versions",
    "/v1/quotes?q=trade",
    "/v1/entities/person:donald-trump",
    "/v1/articles/nope",
    "/v1/articles?page=0",
    "/healthz",
]


def operation_for(url: str):
    path = urlsplit(url).path
    for template, operation in OPERATIONS:
        if re.fullmatch(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)), path):
            return operation
    raise AssertionError(url)


@pytest.mark.parametrize("url", RESPONSES)
def test_responses_with_members_added_later_still_validate(client, loaded, url):
    response = client.get(url)
    content = operation_for(url)["responses"][str(response.status_code)]
    content = resolve(content)["content"]
    pointer = content[response.mimetype]["schema"]["$ref"]
    validator = Draft202012Validator({"$ref": f"urn:spec{pointer}"}, registry=REGISTRY)
    body = response.get_json()
    validator.validate(body)
    errors = [e.message for e in validator.iter_errors(open_everywhere(body))]
    assert errors == [], errors[:3]


#: Request bodies: strict, like query parameters (an unknown member is a 400 naming it).
REQUEST_BODIES = {"ArticleWrite", "WebhookCreate"}


def test_no_object_in_the_spec_is_closed():
    closed = [
        name
        for name, schema in SPEC["components"]["schemas"].items()
        if schema.get("additionalProperties") is False
    ]
    assert sorted(closed) == sorted(REQUEST_BODIES)


def inline_enums(node, where="") -> list[str]:
    found = []
    if isinstance(node, dict):
        if "enum" in node:
            found.append(where)
        for key, value in node.items():
            found += inline_enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            found += inline_enums(value, f"{where}/{n}")
    return found


def test_enums_are_named_components_with_readable_members():
    assert [w for w in inline_enums(SPEC["paths"]) if "/headers/" not in w] == []
    schemas = SPEC["components"]["schemas"]
    nested = [
        where
        for name, schema in schemas.items()
        for where in inline_enums({k: v for k, v in schema.items() if k != "enum"}, f"/{name}")
    ]
    assert nested == []
    enums = {name: s for name, s in schemas.items() if "enum" in s}
    assert set(enums) == {
        "TitleSource", "PaginationMode", "ArticlePart", "ArticleSort", "QuoteKind", "EntityType",
        "SpeakerVia", "EventType", "JobState", "DeliveryState", "ArticleFacet", "AboutPlace",
        "AnnotationType",
    }  # fmt: skip
    for name, schema in enums.items():
        names = schema["x-enum-varnames"]
        assert len(names) == len(schema["enum"]) == len(set(names)), name
        assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", n) and not n.startswith("VALUE") for n in names)


def test_timestamps_are_date_time():
    def timestamps(node):
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                if key.endswith("_at"):
                    yield key, value
            for value in node.values():
                yield from timestamps(value)

    found = list(timestamps(SPEC["components"]["schemas"]))
    assert {key for key, _ in found} >= {"ingested_at", "published_at"}
    assert all(value.get("format") == "date-time" for _, value in found), found
