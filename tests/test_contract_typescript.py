"""TypeScript types generated from openapi.yaml compile, and type a small fetch-based client.

openapi-typescript (pinned) writes contract/build/api.d.ts; contract/usage.ts uses it and must
pass `tsc --noEmit --strict`.
"""

from __future__ import annotations

import subprocess

from .conftest import ROOT
from .live import CONTRACT, node_tool_or_skip


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
