"""A Python client generated from openapi.yaml works against the real server.

openapi-python-client runs in its own throwaway venv, installed from contract/python-client.lock
(exact versions, sha256-pinned): it needs typer<0.28, older than the typer our lock holds for
spaCy, so it cannot live in .venv. The generated client (httpx + attrs, both in that venv) then
runs contract/client_usage.py against the live gunicorn server: both pagination modes, an
article with `include`, search (`q`, with every default sent), every filter through the
generated enums (sort, since, entity, speaker by key, id, name and alias, kind, type, q), an
entity across articles, a 304, a 404 problem and a 429 problem from a rate-limited server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT
from .live import CONTRACT, LIMITED, limited_server, live_server, write_key  # noqa: F401

LOCK = CONTRACT / "python-client.lock"


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(python of the throwaway venv, folder holding the generated package)."""
    work = tmp_path_factory.mktemp("python-client")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--require-hashes", "--no-deps", "-r", str(LOCK)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if install.returncode != 0:
        if "Could not find a version" in install.stderr or "NewConnectionError" in install.stderr:
            pytest.skip(f"PyPI is not reachable to install openapi-python-client: {install.stderr}")
        pytest.fail(install.stdout + install.stderr)
    out = work / "generated"
    out.mkdir()
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    generate = subprocess.run(
        [str(venv / "bin" / "openapi-python-client"), "generate",
         "--path", str(ROOT / "openapi.yaml"), "--meta", "none",
         "--config", str(CONTRACT / "python-client.yaml"),
         "--output-path", str(out / "article_api_client")],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    output = generate.stdout + generate.stderr
    assert generate.returncode == 0, output
    assert "Warning" not in output, f"the generator skipped parts of the spec:\n{output}"
    return python, out


def test_generated_client_has_a_function_per_operation(generated_client):
    _, out = generated_client
    api = out / "article_api_client" / "api"
    modules = {p.stem for p in api.rglob("*.py") if p.stem != "__init__"}
    assert modules >= {
        "list_articles", "get_article", "list_article_versions", "get_article_version",
        "list_sections", "get_section", "list_bullets", "list_article_quotes", "list_quotes",
        "list_article_entities", "list_entities", "get_entity", "create_article", "put_article",
        "retract_article", "get_job", "list_changes", "create_webhook", "list_webhooks",
        "get_webhook", "delete_webhook", "list_webhook_deliveries", "get_article_diff",
    }  # fmt: skip
    models = {p.stem for p in (out / "article_api_client" / "models").glob("*.py")}
    assert {"article", "article_list", "problem", "quote", "entity"} <= models
    assert not any(name[-1].isdigit() or name.endswith("_schema") for name in models)


def test_generated_enums_are_one_class_per_concept_with_readable_members(generated_client):
    _, out = generated_client
    enums = {}
    for path in (out / "article_api_client" / "models").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = re.search(r"^class (\w+)\((?:str, Enum|StrEnum)\):\n((?:    .*\n)+)", text, re.M)
        if found:
            enums[found.group(1)] = re.findall(r"^    (\w+) = ", found.group(2), re.M)
    assert set(enums) == {
        "ArticlePart", "ArticleSort", "EntityType", "PaginationMode", "QuoteKind", "TitleSource",
        "SpeakerVia", "EventType", "JobState", "DeliveryState", "ArticleFacet", "AboutPlace",
        "AnnotationType",
    }  # fmt: skip
    assert enums["ArticleSort"] == [
        "ID_ASCENDING", "ID_DESCENDING", "PUBLISHED_ASCENDING", "PUBLISHED_DESCENDING"
    ]  # fmt: skip
    assert not [m for members in enums.values() for m in members if m.startswith("VALUE")]


def test_generated_client_works_against_the_live_server(
    generated_client,
    live_server,  # noqa: F811
    limited_server,  # noqa: F811
    write_key,  # noqa: F811
):
    python, out = generated_client
    env = {**os.environ, "PYTHONPATH": str(out)}
    run = subprocess.run(
        [str(python), str(CONTRACT / "client_usage.py"), live_server.url, limited_server,
         write_key],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["articles"] == sorted(live_server.article_ids)
    assert report["revalidated"] is True
    assert report["quotes_by"][1] >= 1
    assert report["search"]["articles"] >= 1 and report["search"]["quotes"] >= 1
    assert report["filters"]["speaker_names"] >= 3
    assert report["rate_limited"]["limit"] == LIMITED
    assert report["rate_limited"]["after"] <= LIMITED + 1
    assert report["write"] == {"job": "queued", "put": "queued"}
    annotated = report["diffs_and_annotations"]
    assert {"quote", "entity_mention", "paragraph", "heading"} <= set(annotated["annotation_types"])
    assert annotated["identical"] is True
    assert report["editorial"]["dated"] >= 1 and report["editorial"]["tags"] >= 1
    assert report["fields"]["items"] >= 1 and report["fields"]["quotes"] >= 1
    assert report["quotes_about"]["about"] >= 1
    assert report["export"]["articles"] == len(live_server.article_ids)
