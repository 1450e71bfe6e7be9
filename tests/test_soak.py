"""The soak script's short mode: mixed load with ingests going on, zero errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.nlp


def test_soak_short_mode_has_no_errors():
    result = subprocess.run(
        [sys.executable, "bench/soak.py", "--seconds", "10", "--threads", "4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors:          0" in result.stdout
    assert "requests served:" in result.stdout
