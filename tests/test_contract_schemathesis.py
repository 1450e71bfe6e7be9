"""schemathesis fuzzes every operation of openapi.yaml against the live gunicorn server.

Checks: no 5xx, every status documented, every content type documented, every body valid against
its schema, every documented header present and valid. Bounded: at most ``MAX_EXAMPLES`` generated
cases per operation and phase, so the run stays well under two minutes on two cores.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT
from .live import live_server  # noqa: F401  (the fixture)

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)
MAX_EXAMPLES = 40


def run_schemathesis(url: str, cwd, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            str(ROOT / "openapi.yaml"),
            "--url",
            url,
            "--checks",
            ",".join(CHECKS),
            "--max-examples",
            str(MAX_EXAMPLES),
            "--phases",
            "examples,coverage,fuzzing",
            "--seed",
            "20261127",
            "--workers",
            "2",
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
        timeout=900,
    )


def test_schemathesis_finds_no_failure(live_server, tmp_path):  # noqa: F811
    result = run_schemathesis(live_server.url, tmp_path)
    output = result.stdout + result.stderr
    print(output)
    assert result.returncode == 0, output
    operations = re.search(r"(\d+) tested", output) or re.search(r"(\d+) selected", output)
    assert operations and int(operations.group(1)) == 14, output
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases and int(cases.group(1)) >= 300, output
    assert cases.group(1) == cases.group(2), output  # every generated case passed every check
