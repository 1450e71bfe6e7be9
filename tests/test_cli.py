"""The command line: ingest (versioning, failures), parse, openapi; and the API's isolation."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from api.app import create_app
from api.cli import main

from .conftest import ARTICLES, ROOT, SEED, SEED_ID

pytestmark = pytest.mark.nlp


def ingest(runner, folder):
    return runner.invoke(main, ["ingest", str(folder)])


def test_ingest_reports_each_file_and_is_idempotent(runner, seeds_dir):
    first = ingest(runner, seeds_dir)
    assert first.exit_code == 0, first.output
    assert f"000_8cbe90a26df69869.txt: new version 1 of {SEED_ID}" in first.output
    assert first.output.count("new version 1") == 5
    second = ingest(runner, seeds_dir)
    assert second.exit_code == 0
    assert second.output.count(": unchanged (") == 5
    assert "new version " not in second.output
    assert "0 new versions, 5 unchanged, 0 failed" in second.output


def test_edited_file_makes_version_2_and_version_1_stays(runner, seeds_dir, db_url):
    ingest(runner, seeds_dir)
    path = seeds_dir / "title-line.txt"
    path.write_text(path.read_text() + "\nA late paragraph about the vote count.\n")
    result = ingest(runner, seeds_dir)
    assert "title-line.txt: new version 2 of title-line" in result.output
    assert result.output.count(": unchanged (") == 4

    client = create_app({"DATABASE_URL": db_url}).test_client()
    latest = client.get("/v1/articles/title-line").get_json()["data"]
    assert latest["version"] == 2
    assert latest["text"].endswith("A late paragraph about the vote count.")
    old = client.get("/v1/articles/title-line/versions/1")
    assert old.status_code == 200
    assert old.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "late paragraph" not in old.get_json()["data"]["text"]
    versions = client.get("/v1/articles/title-line/versions").get_json()["data"]
    assert [v["version"] for v in versions] == [2, 1]


def test_failed_file_is_reported_and_changes_nothing(runner, seeds_dir, db_url):
    ingest(runner, seeds_dir)
    client = create_app({"DATABASE_URL": db_url}).test_client()
    before = client.get("/v1/articles/seed-style?include=sections,bullets").get_data()

    (seeds_dir / "seed-style.txt").write_bytes(b"\xff\xfe\x00binary\x00junk")
    (seeds_dir / "new-good.txt").write_text("A new story arrives.\nIt has a body line.\n")
    (seeds_dir / "empty.md").write_text("   \n")
    result = ingest(runner, seeds_dir)
    assert result.exit_code == 1
    assert "seed-style.txt: failed: file is UTF-16 encoded" in result.output
    assert "empty.md: failed: document is empty" in result.output
    assert "new-good.txt: new version 1 of new-good" in result.output
    assert client.get("/v1/articles/seed-style?include=sections,bullets").get_data() == before
    assert client.get("/v1/articles/new-good").status_code == 200


def test_two_files_claiming_one_id(runner, seeds_dir):
    (seeds_dir / "copy.md").write_text((ARTICLES / "markdown-front-matter.md").read_text())
    result = ingest(runner, seeds_dir)
    assert result.exit_code == 1
    assert "failed: id 'library-opening-2026' is already used by" in result.output


def test_ingest_json_output(runner, seeds_dir):
    result = runner.invoke(main, ["ingest", "--json", str(seeds_dir)])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {line["status"] for line in lines} == {"created"}
    assert {line["file"] for line in lines} >= {"000_8cbe90a26df69869.txt"}


def test_parse_prints_what_the_api_serves(runner, seeds_dir, db_url):
    parsed = runner.invoke(main, ["parse", str(SEED)])
    assert parsed.exit_code == 0, parsed.output
    resource = json.loads(parsed.stdout)
    ingest(runner, seeds_dir)
    client = create_app({"DATABASE_URL": db_url}).test_client()
    url = f"/v1/articles/{SEED_ID}?include=sections,bullets,quotes,entities"
    served = client.get(url).get_json()["data"]
    resource.pop("ingested_at")
    served.pop("ingested_at")
    assert resource == served


def test_parse_reports_a_bad_file(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01")
    result = runner.invoke(main, ["parse", str(bad)])
    assert result.exit_code == 1
    assert "NUL bytes" in result.output


def test_openapi_command_prints_the_committed_spec(runner):
    result = runner.invoke(main, ["openapi"])
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout) == yaml.safe_load((ROOT / "openapi.yaml").read_text())


def test_the_api_process_never_imports_spacy(tmp_path):
    script = f"""
import sys
from api.app import create_app
from api.parser import parse_bytes
from api.representation import Representation
app = create_app({{"DATABASE_URL": "sqlite:///{tmp_path / "s.sqlite3"}"}})
store = app.extensions["article_store"]
doc = parse_bytes(open({str(SEED)!r}, "rb").read(), file_name="seed.txt", with_language=False)
rep = Representation(doc)
store.save(doc.id, rep.output_hash, rep.render, source=rep.source)
client = app.test_client()
for url in ["/v1/articles", "/v1/articles/seed?include=sections,bullets,quotes,entities",
            "/v1/articles/seed/sections", "/v1/articles/seed/bullets", "/v1/openapi.json"]:
    assert client.get(url).status_code == 200, url
assert "spacy" not in sys.modules, "the API imported spaCy"
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
