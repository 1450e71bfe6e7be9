"""The real server for the contract tests: gunicorn on 127.0.0.1, on a temporary store.

``live_server`` (session-scoped) ingests the seed and our own test articles with the real
``article-api ingest`` (spaCy included) into a temporary SQLite file, starts
the real server on it (:func:`tests.serving.gunicorn_server`) and always stops it at the end of
the session.

``limited_server`` (session-scoped) is a second server on the same store with a rate limit of
:data:`LIMITED` a minute, for clients that must meet a 429.

Test modules use them with ``from .live import live_server  # noqa: F401`` (pytest finds the
fixture by name), and ``tool_or_skip`` to skip with a reason when a system tool is missing.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ARTICLES, ROOT, SEED, SEED_ID
from .serving import cli, gunicorn_server

CONTRACT = ROOT / "contract"
NODE_BIN = CONTRACT / "node_modules" / ".bin"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


#: Requests a minute the limited server admits per client.
LIMITED = 3


@dataclass(frozen=True)
class LiveServer:
    url: str
    seed_id: str
    article_ids: tuple[str, ...]
    log: Path
    database_url: str = ""
    work: Path | None = None


def tool_or_skip(name: str) -> str:
    """The path of an executable on PATH, or a skip naming what to install."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"`{name}` is not installed (CI installs it in .ci/run)")
    return path


def node_tool_or_skip(name: str) -> str:
    """A tool from contract/node_modules (run `npm ci` in contract/), or a skip."""
    tool_or_skip("node")
    path = NODE_BIN / name
    if not path.exists():
        pytest.skip(f"contract/node_modules has no `{name}`: run `npm ci` in contract/")
    return str(path)


def chromium_or_skip() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    pytest.skip("Chromium is not installed (`apt-get install chromium chromium-driver`)")


_RUNNING: list[LiveServer] = []


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the whole session, however many modules import this fixture.

    Each importing module holds its own copy of the fixture; the first one to run starts the
    server (and stops it when the session ends), the others reuse it.
    """
    if _RUNNING:
        yield _RUNNING[0]
        return
    yield from _serve(tmp_path_factory)


def _serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    work = tmp_path_factory.mktemp("live")
    seeds = work / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    for path in sorted(ARTICLES.iterdir()):
        if path.is_file() and path.suffix in (".txt", ".md"):
            shutil.copy(path, seeds)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'store.sqlite3'}",
        "WEB_CONCURRENCY": "2",
        "PYTHONUNBUFFERED": "1",
        # Fuzzers and clients send hundreds of requests a second from one address; the 429 is
        # met on `limited_server`.
        "ARTICLE_API_RATE_LIMIT": "off",
        # Fuzzers send `wait=30` to the change feed; held a second, not thirty.
        "ARTICLE_API_FEED_MAX_WAIT": "1",
    }
    env.pop("ARTICLE_API_PORT", None)
    ingest = cli("ingest", str(seeds), "--json", env=env)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    results = [json.loads(line) for line in ingest.stdout.splitlines() if line.strip()]
    ids = tuple(sorted(r["article_id"] for r in results if r.get("article_id")))
    assert SEED_ID in ids, ingest.stdout

    try:
        with gunicorn_server(env["DATABASE_URL"], work, extra_env=env) as server:
            _RUNNING.append(
                LiveServer(
                    url=server.url,
                    seed_id=SEED_ID,
                    article_ids=ids,
                    log=server.log,
                    database_url=env["DATABASE_URL"],
                    work=work,
                )
            )
            yield _RUNNING[0]
    finally:
        _RUNNING.clear()


_LIMITED: list[str] = []


@pytest.fixture(scope="session")
def limited_server(live_server: LiveServer) -> Iterator[str]:
    """The URL of a one-worker server on the live server's store, admitting :data:`LIMITED`
    requests a minute per client (shared by every module that uses it)."""
    if _LIMITED:
        yield _LIMITED[0]
        return
    env = {"ARTICLE_API_RATE_LIMIT": f"{LIMITED} per minute", "PYTHONUNBUFFERED": "1"}
    assert live_server.work is not None
    with gunicorn_server(live_server.database_url, live_server.work, extra_env=env, workers=1) as s:
        _LIMITED.append(s.url)
        try:
            yield s.url
        finally:
            _LIMITED.clear()


_WRITE_KEY: list[str] = []


@pytest.fixture(scope="session")
def write_key(live_server: LiveServer) -> str:
    """A write-scope API key's token on the live server's store (made with `keys create`)."""
    if not _WRITE_KEY:
        env = {**os.environ, "DATABASE_URL": live_server.database_url}
        made = cli("keys", "create", "--name", "contract-client", "--scope", "write", env=env)
        assert made.returncode == 0, made.stderr
        _WRITE_KEY.append(made.stdout.strip())
    return _WRITE_KEY[0]
