"""Fixtures: ``app``, ``client`` and ``runner`` on a temporary store (flaskr style).

Every test using ``db_url`` (directly or through ``app``, ``client``, ``store``, ``runner``) runs
twice: on a SQLite file, and on PostgreSQL when ``ARTICLE_API_TEST_DATABASE_URL`` names a
database (``.ci/run`` sets it); without it the PostgreSQL runs are skipped, saying so. On
PostgreSQL each test gets a schema of its own (``search_path`` in the URL), dropped afterwards.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from api.app import create_app
from api.parser import parse_article, parse_bytes
from api.representation import Representation

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).parent / "articles"
SEED = ROOT / "seeds" / "000_8cbe90a26df69869.txt"
SEED_ID = "000-8cbe90a26df69869"
LAYOUT_ARTICLES = sorted(p for p in ARTICLES.iterdir() if p.is_file())
NLP_ARTICLES = ARTICLES / "nlp"


def parse_file(path: Path):
    """Parse one of our article files, every stage included."""
    return parse_article(path.read_text(encoding="utf-8"), file_name=path.name)


@pytest.fixture(scope="module")
def seed():
    """The user's seed, fully parsed (once per test module)."""
    return parse_file(SEED)


@pytest.fixture(scope="module")
def articles():
    """Our hard-case articles for the language stages, fully parsed, by file stem."""
    return {p.stem: parse_file(p) for p in sorted(NLP_ARTICLES.glob("*.txt"))}


PG_ENV = "ARTICLE_API_TEST_DATABASE_URL"
PG_SKIP = (
    f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test); "
    "unset here"
)


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@functools.cache
def _pg_admin():
    from sqlalchemy import create_engine

    return create_engine(pg_base_url(), isolation_level="AUTOCOMMIT", poolclass=_null_pool())


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def _pg_exec(sql: str) -> None:
    with _pg_admin().connect() as conn:
        conn.exec_driver_sql(sql)


@functools.cache
def _pg_reachable() -> str | None:
    """None when the test database answers, else why not."""
    try:
        _pg_exec("SELECT 1")
    except Exception as error:  # the reason goes into the failure
        return f"{PG_ENV} is set but the database does not answer: {error}"
    return None


@contextlib.contextmanager
def pg_schema_url() -> Iterator[str]:
    """A URL on a fresh, empty schema of the test database; the schema is dropped afterwards
    (with whatever connection still uses it)."""
    base = pg_base_url()
    problem = _pg_reachable()
    if problem:
        pytest.fail(problem)
    name = f"t_{uuid.uuid4().hex[:16]}"
    _pg_exec(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={name}')}&application_name={name}"
    try:
        yield url
    finally:
        _pg_exec(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE application_name = '{name}' AND pid <> pg_backend_pid()"
        )
        _pg_exec(f"DROP SCHEMA {name} CASCADE")


REDIS_ENV = "ARTICLE_API_TEST_REDIS_URL"
REDIS_SKIP = (
    f"the networked queue's tests need {REDIS_ENV} (e.g. redis://127.0.0.1:6379/15, a database "
    "they may empty); unset here"
)


def redis_test_url() -> str:
    """The test Redis database, emptied (skipped, saying why, when none is configured)."""
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(REDIS_SKIP)
    import redis

    try:
        redis.Redis.from_url(url).flushdb()
    except redis.RedisError as error:
        pytest.fail(f"{REDIS_ENV} is set but Redis does not answer: {error}")
    return url


BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgresql),
]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    if pg_base_url() is None:
        pytest.skip(PG_SKIP)
    with pg_schema_url() as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """PostgreSQL only: a fresh schema's URL (skipped, saying why, without a test database)."""
    if pg_base_url() is None:
        pytest.skip(PG_SKIP)
    with pg_schema_url() as url:
        yield url


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
    return store.save(
        document.id, representation.output_hash, representation.render, source=representation.source
    )


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


def assert_both_paths_agree(app, url: str) -> None:
    """``url`` answered by the WSGI fast path, then by the app alone (the fast path switched
    off): the same status (200), body and ETag."""
    fast = app.extensions["article_fastpath"]
    client = app.test_client()
    before = fast.answered
    via_fast = client.get(url)
    assert fast.answered == before + 1, f"the fast path did not answer {url}"
    fast.enabled = False
    try:
        via_app = client.get(url)
    finally:
        fast.enabled = True
    assert via_fast.status_code == via_app.status_code == 200, url
    assert via_fast.get_data() == via_app.get_data(), url
    assert via_fast.headers["ETag"] == via_app.headers["ETag"], url


def speakers_and_kinds(text: str, file_name: str = "speakers.txt") -> dict:
    """Quote text -> ``(speaker name, kind)`` of a text we wrote, parsed with the language
    stages (the speaker-rule tests' one view of a parse)."""
    document = parse_article(text, file_name=file_name)
    return {q.text: (q.speaker.name if q.speaker else None, q.kind) for q in document.quotes}
