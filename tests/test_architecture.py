"""The architecture is checked: import-linter's contracts in pyproject.toml hold.

The contracts say that dependencies point one way (scenario -> games -> protocol -> sim ->
ensemble -> analysis -> forecasting -> plot -> cli), that games and forecasting stay apart,
that the protocol never imports Mesa or matplotlib, and that no two sibling modules or
packages import each other, directly or through others (function-level and TYPE_CHECKING
imports count). A new upward import or cycle fails this test.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "negsim"


def test_import_linter_contracts_are_kept():
    exe = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([str(exe), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_no_private_names_are_imported_across_modules():
    """``from negsim.x import _name`` across modules means a public name is missing."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("negsim"):
                found += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}"
                          for a in node.names if a.name.startswith("_")
                          and not a.name.startswith("__")]
    assert not found, found


def test_no_module_is_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, long


def test_every_subpackage_says_what_it_holds_and_may_import():
    lacking = []
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        if "import" not in doc.lower():
            lacking.append(str(init.relative_to(ROOT)))
    assert not lacking, lacking


def test_nothing_inside_negsim_imports_the_package_itself():
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import) and any(a.name == "negsim" for a in node.names):
                found.append(str(path.relative_to(ROOT)))
            if isinstance(node, ast.ImportFrom) and node.module == "negsim":
                found.append(str(path.relative_to(ROOT)))
    assert not found, found
