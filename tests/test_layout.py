"""The layout keeps its promises: the parser and the settings import alone, resources depend on
shared modules only, and docs/ARCHITECTURE.md names modules that exist."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "api" / "resources"
HEAVY = ("flask", "sqlalchemy", "spacy", "marshmallow", "werkzeug")


def _fresh(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_parser_imports_and_parses_without_flask_sql_or_spacy():
    out = _fresh(
        "import sys, api.parser\n"
        "doc = api.parser.parse_bytes(b'# A title\\n\\nOne paragraph.\\n', file_name='a.md',"
        " with_language=False)\n"
        f"print(doc.id, doc.title, sorted(set({HEAVY!r}) & set(sys.modules)))"
    )
    assert out == "a A title []"


@pytest.mark.parametrize("module", ["api", "api.settings", "api.contract", "api.ids"])
def test_light_modules_import_alone(module):
    out = _fresh(f"import sys, {module}\nprint(sorted(set({HEAVY!r}) & set(sys.modules)))")
    assert out == "[]"


def test_from_api_import_create_app_still_works():
    assert _fresh("from api import create_app\nprint(create_app.__module__)") == "api.app"


def _imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    package = "api.resources"
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


RESOURCE_MODULES = sorted(
    p for p in RESOURCES.glob("*.py") if p.name not in ("__init__.py", "common.py")
)


@pytest.mark.parametrize("path", RESOURCE_MODULES, ids=lambda p: p.stem)
def test_a_resource_imports_neither_the_parser_nor_a_sibling(path):
    imported = _imports(path)
    assert not {n for n in imported if n == "api.parser" or n.startswith("api.parser.")}
    siblings = {f"api.resources.{p.stem}" for p in RESOURCE_MODULES if p != path}
    assert not imported & siblings


def test_the_architecture_map_names_modules_that_exist():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:api|schemas|bench|tests|deploy|contract)/[\w./-]+)`", text))
    assert len(named) >= 25, named
    missing = sorted(name for name in named if not (ROOT / name.rstrip("/")).exists())
    assert not missing
    # and every module of the service is on the map
    modules = {
        str(p.relative_to(ROOT))
        for p in [*(ROOT / "api").rglob("*.py"), *(ROOT / "schemas").glob("*.py")]
        if p.name != "__init__.py" and "versions" not in p.parts
    }
    packages = {n.rstrip("/") for n in named}
    unlisted = sorted(m for m in modules if m not in packages)
    assert not unlisted
