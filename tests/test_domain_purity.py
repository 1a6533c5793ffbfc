"""domain/ is plain Python: importing every module must not pull in a chat or database framework."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import domain

FORBIDDEN = ("aiogram", "sqlalchemy", "alembic", "aiohttp", "asyncpg", "aiosqlite", "bot", "handlers", "storage")


def test_domain_sources_import_no_framework_or_outer_layer() -> None:
    offenders = []
    for path in Path(domain.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_all_of_domain_loads_no_framework() -> None:
    modules = [m.name for m in pkgutil.walk_packages(domain.__path__, "domain.")]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    for name in modules:
        importlib.import_module(name)
