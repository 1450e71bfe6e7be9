"""TypeScript types generated from openapi.yaml compile, and type a small fetch-based client
that then runs against the live server.

openapi-typescript (pinned) writes contract/build/api.d.ts; contract/usage.ts uses it and must
pass `tsc --noEmit --strict`; compiled, it searches, uses every filter and meets a 429, each
answer read through the generated types.
"""

from __future__ import annotations

import json
import subprocess

from .conftest import ROOT
from .live import (  # noqa: F401  (fixtures)
    CONTRACT,
    limited_server,
    live_server,
    node_tool_or_skip,
    tool_or_skip,
    write_key,
)


def test_openapi_typescript_types_compile_with_strict_tsc():
    generator = node_tool_or_skip("openapi-typescript")
    tsc = node_tool_or_skip("tsc")
    (CONTRACT / "build").mkdir(exist_ok=True)
    generate = subprocess.run(
        [generator, str(ROOT / "openapi.yaml"), "-o", "build/api.d.ts"],
        cwd=CONTRACT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert generate.returncode == 0, generate.stdout + generate.stderr
    types = (CONTRACT / "build" / "api.d.ts").read_text(encoding="utf-8")
    for operation_id in ("listArticles", "getArticle", "listQuotes", "getEntity"):
        assert f"{operation_id}: {{" in types
    check = subprocess.run(
        [tsc, "--noEmit", "--strict", "-p", "tsconfig.json"],
        cwd=CONTRACT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_typed_client_runs_against_the_live_server(
    live_server,  # noqa: F811
    limited_server,  # noqa: F811
    write_key,  # noqa: F811
):
    tsc = node_tool_or_skip("tsc")
    node = tool_or_skip("node")
    if not (CONTRACT / "build" / "api.d.ts").exists():
        test_openapi_typescript_types_compile_with_strict_tsc()
    out = CONTRACT / "build" / "js"
    compile_ = subprocess.run(
        [tsc, "-p", "tsconfig.json", "--noEmit", "false", "--outDir", str(out)],
        cwd=CONTRACT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert compile_.returncode == 0, compile_.stdout + compile_.stderr
    (out / "package.json").write_text('{"type": "module"}\n')
    run = subprocess.run(
        [node, str(out / "usage.js"), live_server.url, limited_server, write_key],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["search"]["articles"] >= 1
    assert report["filters"]["speakerNames"] >= 3
    assert report["rateLimited"] >= 1
    assert report["write"] == "queued"
    assert "quote" in report["annotated"]["types"] and report["annotated"]["identical"] is True
    assert report["editorial"]["tags"] >= 1 and report["editorial"]["slim"] >= 1
    assert report["quotesAbout"]["about"] >= 1
    assert report["exported"]["articles"] == len(live_server.article_ids)
