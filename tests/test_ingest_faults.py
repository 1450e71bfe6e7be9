"""Bad seed files: each is reported with its reason, good files still go in, nothing is lost."""

from __future__ import annotations

import json
import os

import pytest

from api.app import create_app
from api.cli import main

from .conftest import SEED_ID

pytestmark = pytest.mark.nlp

GOOD = "A good story arrives.\nIt has a body line, which is long enough to count.\n"


def make_faults(folder, outside):
    """Write one file per fault; returns {file name: expected reason fragment}."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\t\n   \n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("Café au lait, says the owner.\n".encode("latin-1"))
    (folder / "utf16.txt").write_bytes("Hello in UTF-16.\n".encode("utf-16"))
    (folder / "nul.txt").write_bytes(b"Some text\x00with a NUL byte.\n")
    (folder / "one-long-line.txt").write_bytes(b"word " * (1024 * 1024 // 5 + 1))
    (folder / "too-big.txt").write_bytes(
        b"A sentence that repeats.\n" * (2 * 1024 * 1024 // 25 + 10)
    )
    secret = outside / "secret.txt"
    secret.write_text("Outside the seeds folder.\nShould never be read.\n")
    os.symlink(secret, folder / "escape.txt")
    (folder / "%%%.txt").write_text(GOOD)
    (folder / "dup-a.md").write_text("---\nid: same-id\n---\n" + GOOD)
    (folder / "dup-b.md").write_text("---\nid: same-id\n---\nAnother story.\nWith its body.\n")
    return {
        "empty.txt": "document is empty",
        "blank.txt": "document is empty",
        "binary.txt": "NUL bytes",
        "latin1.txt": "not valid UTF-8",
        "utf16.txt": "UTF-16",
        "nul.txt": "NUL bytes",
        "one-long-line.txt": "too long",
        "too-big.txt": "over the 2097152-byte limit",
        "escape.txt": "symlink points outside the seeds folder",
        "%%%.txt": "cannot derive an id",
        "dup-b.md": "already used by dup-a.md",
    }


def test_every_fault_is_reported_and_good_files_are_stored(runner, seeds_dir, tmp_path, db_url):
    first = runner.invoke(main, ["ingest", str(seeds_dir)])
    assert first.exit_code == 0, first.output
    client = create_app({"DATABASE_URL": db_url}).test_client()
    before = client.get(f"/v1/articles/{SEED_ID}?include=sections,bullets,quotes,entities")

    outside = tmp_path / "outside"
    outside.mkdir()
    expected = make_faults(seeds_dir, outside)
    (seeds_dir / "fresh story (1).txt").write_text(GOOD)
    (seeds_dir / "Ünïcødé name.txt").write_text("Unicode names are fine.\nThe id is a slug.\n")

    result = runner.invoke(main, ["ingest", "--json", str(seeds_dir)])
    assert result.exit_code == 1
    lines = {line["file"]: line for line in map(json.loads, result.stdout.splitlines())}
    for name, reason in expected.items():
        assert lines[name]["status"] == "failed", name
        assert reason in lines[name]["reason"], (name, lines[name]["reason"])
    assert lines["fresh story (1).txt"]["article_id"] == "fresh-story-1"
    assert lines["Ünïcødé name.txt"]["status"] == "created"
    assert lines["dup-a.md"]["status"] == "created"
    assert lines[f"{SEED_ID.replace('-', '_')}.txt"]["status"] == "unchanged"
    assert f"{len(expected)} failed" in result.stderr

    after = client.get(f"/v1/articles/{SEED_ID}?include=sections,bullets,quotes,entities")
    assert after.get_data() == before.get_data()
    assert client.get("/v1/articles/fresh-story-1").status_code == 200
    assert client.get("/v1/articles/secret").status_code == 404


def test_text_summary_names_file_and_reason(runner, seeds_dir):
    (seeds_dir / "utf16.txt").write_bytes("Hello.\n".encode("utf-16"))
    result = runner.invoke(main, ["ingest", str(seeds_dir)])
    assert result.exit_code == 1
    assert "utf16.txt: failed: file is UTF-16 encoded; save it as UTF-8" in result.stderr
    assert "1 failed" in result.stderr


def test_missing_folder_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["ingest", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "seeds folder not found" in result.output
