"""openapi.yaml lints clean under Redocly CLI and Spectral (both pinned in
contract/package.json).

contract/redocly.yaml extends `recommended-strict` (warnings are errors) and turns on more rules;
the two it switches off say why. contract/.spectral.yaml extends `spectral:oas` as it is. Zero
errors and zero warnings (Spectral: not even an info or a hint) are required.
"""

from __future__ import annotations

import os
import subprocess

from .conftest import ROOT
from .live import CONTRACT, node_tool_or_skip


def test_redocly_lint_is_clean():
    redocly = node_tool_or_skip("redocly")
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    result = subprocess.run(
        [redocly, "lint", str(ROOT / "openapi.yaml"), "--config", "redocly.yaml",
         "--format", "summary"],
        cwd=CONTRACT, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "error " not in output and "warning " not in output, output
    assert "Your API description is valid" in output, output


def test_spectral_lint_is_clean():
    spectral = node_tool_or_skip("spectral")
    result = subprocess.run(
        [spectral, "lint", str(ROOT / "openapi.yaml"), "--ruleset", ".spectral.yaml",
         "--fail-severity", "hint", "--format", "stylish"],
        cwd=CONTRACT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No results with a severity of 'hint' or higher found!" in output, output
