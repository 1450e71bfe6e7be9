"""The docs page works offline, in a real browser, against the real server.

Headless Chromium (Debian's, driven by playwright-core pinned in contract/package.json) loads
/docs from the live gunicorn server: every request stays on that server (no CDN), none fails,
no script error, every path of the spec is listed. It saves a screenshot (the README's is
docs/docs-page.png, made by this test with ARTICLE_API_UPDATE_SCREENSHOT=1).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import yaml

from .conftest import ROOT
from .live import CONTRACT, chromium_or_skip, live_server, node_tool_or_skip  # noqa: F401


def test_docs_page_loads_offline_and_lists_every_operation(live_server, tmp_path):  # noqa: F811
    node = shutil.which("node") or ""
    node_tool_or_skip("playwright-core")
    chromium = chromium_or_skip()
    screenshot = tmp_path / "docs-page.png"
    run = subprocess.run(
        [node, "docs_check.mjs", live_server.url, str(screenshot), chromium],
        cwd=CONTRACT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["failed"] == [], report["failed"]
    assert report["consoleErrors"] == [], report["consoleErrors"]
    assert report["requests"], "the page made no request"
    offsite = [url for url in report["requests"] if not url.startswith(live_server.url)]
    assert offsite == [], f"requests left the server (a CDN?): {offsite}"
    assert any(url.endswith("/v1/openapi.json") for url in report["requests"])
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    listed = {path.replace("\u200b", "") for path in report["operations"]}
    assert listed == set(spec["paths"]), report["operations"]
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("ARTICLE_API_UPDATE_SCREENSHOT") == "1":
        shutil.copy(screenshot, ROOT / "docs" / "docs-page.png")
