"""SIGKILL in the middle of an ingest: the store stays whole and a re-run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from sqlalchemy import create_engine, text

from api.app import create_app

from .conftest import ROOT
from .serving import CLI, cli

pytestmark = pytest.mark.nlp

FILES = 160
CLI_TIMEOUT = 600  # seconds: the re-run parses every file the killed ingest did not store


def stored_count(db_path) -> int:
    if not db_path.exists():
        return 0
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
    except Exception:
        return 0
    finally:
        engine.dispose()


def test_sigkill_mid_ingest_leaves_a_whole_store(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(FILES):
        (seeds / f"story-{n:03d}.txt").write_text(
            f"Council number {n} approves a new park\n\n"
            f"The council in district {n} voted to build a park next to the river. "
            f'"It will open in spring," said Mayor Jane Doe{n}.\n\n'
            "Residents had asked for more green space for years.\n"
        )
    db_path = tmp_path / "store.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"}
    process = subprocess.Popen(
        [*CLI, "ingest", str(seeds)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 240
    while stored_count(db_path) < 30 and time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("ingest finished before it could be killed")
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = stored_count(db_path)
    assert 30 <= killed_at < FILES

    check = cli("check", env=env, timeout=CLI_TIMEOUT)
    assert check.returncode == 0, check.stderr
    client = create_app({"DATABASE_URL": env["DATABASE_URL"]}).test_client()
    listed = client.get("/v1/articles?page=1&page_size=100").get_json()
    assert listed["meta"]["pagination"]["total_items"] == killed_at
    for item in listed["data"][:20]:
        article = client.get(f"/v1/articles/{item['id']}?include=sections,quotes")
        assert article.status_code == 200
        assert len(article.get_json()["data"]["sections"]) == 1

    rerun = cli("ingest", str(seeds), env=env, timeout=CLI_TIMEOUT)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{killed_at} unchanged" in rerun.stderr
    assert stored_count(db_path) == FILES
    assert cli("check", env=env, timeout=CLI_TIMEOUT).returncode == 0
