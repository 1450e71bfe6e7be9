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

A rejection may also be a 414 or a 431 (a value so long the URL or a header is refused before
it is read): :data:`CONFIG` adds them to what ``negative_data_rejection`` takes as a rejection.
"""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT
from .live import live_server  # noqa: F401  (the fixture)

MAX_EXAMPLES = 40
MAX_SECONDS = 150
CONFIG = """\
[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 414, 415, 422, 428, 429, 431]
"""


def run_schemathesis(url: str, cwd, *extra: str) -> subprocess.CompletedProcess:
    (cwd / "schemathesis.toml").write_text(CONFIG)  # read from the working directory
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
        timeout=MAX_SECONDS + 120,
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
