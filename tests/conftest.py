"""Fixtures: ``app``, ``client`` and ``runner`` on a temporary SQLite store (flaskr style)."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from api import create_app
from api.ingest import parse_bytes
from api.representation import Representation

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).parent / "articles"
SEED = ROOT / "seeds" / "000_8cbe90a26df69869.txt"
SEED_ID = "000-8cbe90a26df69869"
LAYOUT_ARTICLES = sorted(p for p in ARTICLES.iterdir() if p.is_file())


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


@pytest.fixture
def app(db_url: str):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True})
    yield app
    app.extensions["article_store"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app):
    return app.extensions["article_store"]


@pytest.fixture
def runner(db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return CliRunner()


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A seeds folder holding the user's seed and our own test articles."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED, folder)
    for path in LAYOUT_ARTICLES:
        shutil.copy(path, folder)
    return folder


@functools.cache
def _parsed(raw: bytes, file_name: str, with_language: bool):
    return parse_bytes(raw, file_name=file_name, with_language=with_language)


def store_article(store, raw: bytes, file_name: str, *, with_language: bool = False):
    """Store a document, by default without the language stages (fast, for HTTP tests).

    Parsed documents are cached for the session: many tests store the same few articles.
    """
    representation = Representation(_parsed(raw, file_name, with_language))
    document = representation.document
    return store.save(document.id, representation.output_hash, representation.render)


@pytest.fixture
def loaded(store):
    """The seed (fully parsed) and our test articles (layout only), stored."""
    store_article(store, SEED.read_bytes(), SEED.name, with_language=True)
    for path in LAYOUT_ARTICLES:
        store_article(store, path.read_bytes(), path.name)
    return store


_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """In CI (ARTICLE_API_FAIL_ON_SKIP=1) a skipped test fails the run: CI must prove it all."""
    if os.environ.get("ARTICLE_API_FAIL_ON_SKIP") == "1" and _skipped and exitstatus == 0:
        print(f"\n{len(_skipped)} tests skipped, and CI requires every test to run:")
        for nodeid in _skipped:
            print(f"  {nodeid}")
        session.exitstatus = 1
