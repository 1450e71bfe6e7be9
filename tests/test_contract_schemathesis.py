"""schemathesis fuzzes every operation of openapi.yaml against the live gunicorn server.

Every check schemathesis has (``--checks all``): no 5xx, every status, content type, header and
body as documented, valid data accepted and invalid data (``--mode all``: negative cases too)
rejected with a 4xx, undocumented methods answered 405 with ``Allow``; phases: the spec's
examples, coverage, fuzzing, and stateful sequences that follow the spec's OpenAPI links (an
article from a listing, its versions, sections and entities). Bounded: at most ``MAX_EXAMPLES``
cases per operation and phase, and ``MAX_SECONDS`` for the run.

One check is left out: ``positive_data_acceptance``. OpenAPI cannot say that two parameters
exclude each other, and two pairs do here (``page`` with ``cursor``; ``q`` with ``sort``): the
examples phase sends every parameter's example at once, each valid alone, and the API rightly
answers the pair with a 400 naming the parameter. Every other check runs.

Two runs: the public reads on the live server, without a key; then every operation, writes
and admin ones included, with an admin key sent on every request (``-H Authorization``;
schemathesis's ``ignored_auth`` check also sends each without it and with a wrong one, and
expects the 401), on a server of its own over a copy of the live store, which it may write to
and retract from (a retracted article's URLs then answer 410) without disturbing the other
contract tests.

``fields`` (a sparse fieldset) is taken out of the spec schemathesis reads (:func:`fuzzed_spec`):
a response cut to some members is documented as a subset of the item, which OpenAPI cannot tie
to a parameter (its item schemas require every member, for the clients that never send
``fields``). ``tests/test_fields.py`` checks every cut item against its schema, members
present as documented, on every collection and item.

The bodies of documents sent as ``text/plain`` or ``text/markdown`` lose their schema there
too: any text is a document (one the parser cannot read fails its job, with a problem), so no
such body can be schema-violating, yet schemathesis's "invalid" bodies for ``type: string``
are objects it serializes into text, which the API rightly accepts.

One worker thread (``--workers 1``): hypothesis describes a strategy's lambdas by parsing their
source with :mod:`ast`, and CPython 3.11 keeps the AST constructor's recursion depth per
interpreter, not per thread (python/cpython#106905), so two workers parsing at once can fail the
run with "AST constructor recursion depth mismatch", a runtime error of the fuzzer's, not a
finding about the API. It did once in CI; one thread cannot interleave.

A rejection may also be a 414 or a 431 (a value so long the URL or a header is refused before
it is read): :data:`CONFIG` adds them to what ``negative_data_rejection`` takes as a rejection.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys

import yaml

from .conftest import ROOT
from .live import live_server  # noqa: F401  (the fixture)
from .serving import cli, gunicorn_server

MAX_EXAMPLES = 40
MAX_SECONDS = 110
CONFIG = """\
[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 410, 414, 415, 422, 428, 429, 431]
"""


#: Request bodies whose every byte sequence is a document (see the module's docstring).
TEXT_BODIES = ("text/plain", "text/markdown")


def fuzzed_spec(cwd):
    """openapi.yaml without its ``fields`` parameters and the schemas of its text bodies (see
    the module's docstring)."""
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    for item in spec["paths"].values():
        for operation in (v for k, v in item.items() if k != "parameters"):
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if p.get("name") != "fields"
            ]
            content = operation.get("requestBody", {}).get("content", {})
            for media_type in TEXT_BODIES:
                if media_type in content:
                    content[media_type] = {}
    path = cwd / "openapi-fuzzed.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run_schemathesis(url: str, cwd, *extra: str) -> subprocess.CompletedProcess:
    (cwd / "schemathesis.toml").write_text(CONFIG)  # read from the working directory
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            str(fuzzed_spec(cwd)),
            "--url",
            url,
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
            "--mode",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--max-time",
            str(MAX_SECONDS),
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--seed",
            "20261127",
            "--workers",
            "1",  # one thread: see the module's docstring (CPython 3.11's ast and threads)
            "--no-color",
            "--generation-database",
            "none",
            "--suppress-health-check",
            "all",
            *extra,
        ],
        cwd=cwd,  # schemathesis keeps a .schemathesis/ folder in its working directory
        capture_output=True,
        text=True,
        timeout=MAX_SECONDS + 120,
    )


def passed_everything(result: subprocess.CompletedProcess, operations: int) -> str:
    output = result.stdout + result.stderr
    print(output)
    assert result.returncode == 0, output
    tested = re.search(r"(\d+) tested", output) or re.search(r"(\d+) selected", output)
    assert tested and int(tested.group(1)) == operations, output
    assert "Authentication failed" not in output, output
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases and int(cases.group(1)) >= 300, output
    assert cases.group(1) == cases.group(2), output  # every generated case passed every check
    return output


def test_schemathesis_finds_no_failure_in_the_public_reads(live_server, tmp_path):  # noqa: F811
    result = run_schemathesis(
        live_server.url,
        tmp_path,
        "--include-method",
        "GET",
        "--exclude-path-regex",
        "^/v1/(jobs|webhooks)",
    )
    passed_everything(result, 18)


def test_schemathesis_finds_no_failure_with_an_admin_key(live_server, tmp_path):  # noqa: F811
    copy = tmp_path / "store.sqlite3"
    source = sqlite3.connect(live_server.database_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(copy)
    try:
        source.backup(target)  # a consistent copy, the WAL included
    finally:
        source.close()
        target.close()
    database_url = f"sqlite:///{copy}"
    made = cli("keys", "create", "--name", "fuzzer", "--scope", "admin",
               env={**os.environ, "DATABASE_URL": database_url})  # fmt: skip
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    env = {
        "ARTICLE_API_RATE_LIMIT": "off",
        "ARTICLE_API_FEED_MAX_WAIT": "1",
        "ARTICLE_API_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
    }
    with gunicorn_server(database_url, tmp_path, extra_env=env) as server:
        result = run_schemathesis(
            server.url, tmp_path, "--header", f"Authorization: Bearer {token}"
        )
    passed_everything(result, 27)
