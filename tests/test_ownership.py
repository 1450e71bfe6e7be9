"""An article id belongs to the source that first stored it.

A new file whose front-matter ``id`` equalled an existing article's became that article's
latest version, and the article's own file was then reported as the failure. Now the store
records the owning source and refuses another source's document for the id, with the reason;
``article-api ingest --reassign ID`` hands the id over on purpose.
"""

from __future__ import annotations

import json
import shutil

import pytest

from api.cli import main
from api.ids import file_source
from api.store import SourceConflict

from .conftest import SEED, SEED_ID, store_article

pytestmark = pytest.mark.nlp

TAKEOVER = (
    f"---\nid: {SEED_ID}\ntitle: Not the article you stored\n---\n"
    "A different story arrives under an id another file already owns.\n"
    "It must not replace that article's text.\n"
).encode()


def test_the_store_refuses_another_source_for_an_owned_id(store):
    first = store_article(store, SEED.read_bytes(), SEED.name)
    assert first.created and first.version == 1
    with pytest.raises(SourceConflict) as refused:
        store_article(store, TAKEOVER, "0-takeover.md")
    assert refused.value.owner == file_source(SEED.name)
    assert refused.value.claimant == file_source("0-takeover.md")
    assert store.latest_article(SEED_ID)[0] == 1  # nothing written


def test_a_reassigned_id_moves_with_a_new_version(store):
    from api.parser import parse_bytes
    from api.representation import Representation

    store_article(store, SEED.read_bytes(), SEED.name)
    representation = Representation(
        parse_bytes(TAKEOVER, file_name="0-takeover.md", with_language=False)
    )
    saved = store.save(
        SEED_ID,
        representation.output_hash,
        representation.render,
        source=representation.source,
        reassign=True,
    )
    assert saved.created and saved.version == 2
    with pytest.raises(SourceConflict):  # now the old file is the stranger
        store_article(store, SEED.read_bytes(), SEED.name)


def ingest(runner, folder, *args):
    result = runner.invoke(main, ["ingest", "--json", *args, str(folder)])
    lines = {line["file"]: line for line in map(json.loads, result.stdout.splitlines())}
    return result, lines


def test_ingest_reports_the_newcomer_not_the_owner(runner, tmp_path, db_url):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    first, _ = ingest(runner, seeds)
    assert first.exit_code == 0, first.output
    (seeds / "0-takeover.md").write_bytes(TAKEOVER)  # sorts before the owner's file

    result, lines = ingest(runner, seeds)
    assert result.exit_code == 1
    refused = lines["0-takeover.md"]
    assert refused["status"] == "failed"
    assert SEED.name in refused["reason"] and "--reassign" in refused["reason"]
    assert lines[SEED.name]["status"] == "unchanged"

    from api.app import create_app

    client = create_app({"DATABASE_URL": db_url}).test_client()
    article = client.get(f"/v1/articles/{SEED_ID}").get_json()["data"]
    assert article["version"] == 1 and article["source"]["file"] == SEED.name

    moved, lines = ingest(runner, seeds, "--reassign", SEED_ID)
    assert lines["0-takeover.md"]["status"] == "created"
    assert lines["0-takeover.md"]["version"] == 2
    assert lines[SEED.name]["status"] == "failed"  # the id is the other file's now
    assert "0-takeover.md" in lines[SEED.name]["reason"]
    assert moved.exit_code == 1
    article = client.get(f"/v1/articles/{SEED_ID}").get_json()["data"]
    assert article["source"]["file"] == "0-takeover.md"
