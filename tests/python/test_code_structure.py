"""The codebase's rules (ARCHITECTURE.md), kept by a test: no circular imports between
package modules, no private name of one module used in another, no tuple returned by
the binding layer, and every module named in ARCHITECTURE.md."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def metrics():
    spec = importlib.util.spec_from_file_location("code_metrics", ROOT / "tools" / "code_metrics.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["code_metrics"] = mod
    spec.loader.exec_module(mod)
    mods = mod.py_modules(ROOT)
    trees = {m: ast.parse(p.read_text()) for m, p in mods.items()}
    return mod, mods, trees


def test_no_circular_imports(metrics):
    mod, mods, trees = metrics
    assert mod.cycles(mod.py_imports(mods, trees)) == []


def test_the_metric_sees_a_cycle_and_a_private_access(metrics):
    mod, _, _ = metrics
    a = ast.parse("from framescope.b import _helper\n")
    b = ast.parse("def f():\n    from framescope import a\n    return a.x._secret\n")
    mods = {"framescope.a": Path("a.py"), "framescope.b": Path("b.py")}
    trees = {"framescope.a": a, "framescope.b": b}
    assert mod.cycles(mod.py_imports(mods, trees)) == [["framescope.a", "framescope.b"]]
    found = [what for _, _, what in mod.py_private_accesses(trees)]
    assert found == ["from framescope.b import _helper", "a.x._secret"]


def test_no_private_cross_module_access(metrics):
    mod, _, trees = metrics
    assert mod.py_private_accesses(trees) == []


def test_binding_layer_returns_no_tuples():
    text = {p: p.read_text() for p in (ROOT / "src" / "python").glob("*.rs")}
    spec = importlib.util.spec_from_file_location("code_metrics", ROOT / "tools" / "code_metrics.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    found = [p.name for p, t in text.items() for m in mod.TUPLE_RET.finditer(t)
             if "fn __reduce__" not in t[max(0, m.start() - 200):m.start()]
             and "fn shape" not in t[max(0, m.start() - 200):m.start()]]
    assert found == []


def test_architecture_names_every_module(metrics):
    _, mods, _ = metrics
    doc = (ROOT / "ARCHITECTURE.md").read_text()
    python = {p.name if p.name != "__init__.py" else p.parent.name + "/" for p in mods.values()}
    python -= {"framescope/", "__main__.py"}
    missing = sorted(name for name in python if f"`{name}`" not in doc)
    assert missing == []
    rust = {p.stem for p in (ROOT / "src").rglob("*.rs")} - {"mod", "lib"}
    missing = sorted(name for name in rust
                     if f"`{name}`" not in doc and f"`{name}.rs`" not in doc and f"{name}::" not in doc)
    assert missing == []
