"""Structure metrics of the codebase (issue 16's table): run ``python tools/code_metrics.py [ROOT]``.

- lines per module (Python package and binding layer; the largest core files);
- functions over 80 lines (Python by ``ast``; Rust by matching braces of each ``fn``);
- circular imports between package modules, counting imports inside functions too;
- private cross-module accesses: a ``_name`` imported from, or read as an attribute of,
  something other than ``self``/``cls`` (``_core``, the extension module, excepted;
  dunders excepted; ``other._core`` of the same class counts);
- tuples returned by the binding layer: ``-> (..., ...)``, ``-> PyResult<(..., ...)>`` or
  a tuple type alias in ``src/python`` (pickle's ``__reduce__`` and a matrix's ``shape``,
  tuples by Python's own conventions, excepted).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

LONG = 80


def py_modules(root: Path) -> dict[str, Path]:
    pkg = root / "python" / "framescope"
    out = {}
    for p in sorted(pkg.rglob("*.py")):
        rel = p.relative_to(pkg).with_suffix("")
        parts = [x for x in rel.parts if x != "__init__"]
        out[".".join(["framescope", *parts])] = p
    return out


def py_long_functions(trees: dict[str, ast.AST]) -> list[tuple[str, str, int]]:
    out = []
    for mod, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > LONG:
                    out.append((mod, node.name, n))
    return out


def _resolve(mod: str, node: ast.ImportFrom, is_pkg: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = mod.split(".")
    base = base if is_pkg else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def py_imports(mods: dict[str, Path], trees: dict[str, ast.AST]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, tree in trees.items():
        is_pkg = mods[mod].name == "__init__.py"
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(mod, node, is_pkg)
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                if t in mods and t != mod and not mod.startswith(t + "."):
                    if mods[mod].name == "__init__.py" and t.startswith(mod + "."):
                        continue  # a package importing its own submodules is not a cycle
                    graph[mod].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _own_private_names(tree: ast.AST) -> set[str]:
    """Private names a module defines: functions, classes, assigned names and attributes."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
              and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            names.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)  # __slots__ entries, getattr/setattr names
    return {n for n in names if _private(n)}


def py_private_accesses(trees: dict[str, ast.AST]) -> list[tuple[str, int, str]]:
    """Private names of one module used in another (a module's own private attributes,
    read on another instance of its own class, are its own business)."""
    out = []
    for mod, tree in trees.items():
        own = _own_private_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for a in node.names:
                    if _private(a.name) and a.name != "_core":
                        out.append((mod, node.lineno, f"from {node.module} import {a.name}"))
            elif isinstance(node, ast.Attribute) and _private(node.attr):
                v = node.value
                if node.attr in own:
                    continue
                if node.attr == "_core" and isinstance(v, ast.Name) and v.id in ("fs", "framescope"):
                    continue
                out.append((mod, node.lineno, ast.unparse(node)))
    return out


FN = re.compile(r"^\s*(?:pub(?:\([a-z]+\))?\s+)?(?:const\s+)?(?:unsafe\s+)?fn\s+(\w+)")


def rust_functions(path: Path) -> list[tuple[str, int]]:
    """(name, lines) of each fn with a body, by brace matching outside strings and comments."""
    lines = path.read_text().splitlines()
    out = []
    i = 0
    while i < len(lines):
        m = FN.match(lines[i])
        if not m:
            i += 1
            continue
        depth, start, j, opened = 0, i, i, False
        while j < len(lines):
            code = re.sub(r'"(?:\\.|[^"\\])*"', '""', lines[j].split("//")[0])
            code = re.sub(r"'(?:\\.|[^'\\])'", "''", code)
            if not opened and ";" in code and "{" not in code:
                break  # a declaration without a body
            for ch in code:
                if ch == "{":
                    depth += 1
                    opened = True
                elif ch == "}":
                    depth -= 1
            if opened and depth <= 0:
                out.append((m.group(1), j - start + 1))
                break
            j += 1
        i += 1
    return out


# A tuple in a return type, or a tuple type alias (which return types then name);
# ``__reduce__`` is left out: Python's pickle protocol asks for a tuple.
TUPLE_RET = re.compile(r"(?:->\s*(?:PyResult<)?|\btype\s+\w+(?:<[^>]*>)?\s*=\s*)\((?=[^)]*,)", re.S)


def main(root: Path) -> None:
    mods = py_modules(root)
    trees = {m: ast.parse(p.read_text()) for m, p in mods.items()}
    print("## Python package: lines per module")
    for m, p in sorted(mods.items(), key=lambda kv: -len(kv[1].read_text().splitlines())):
        print(f"  {len(p.read_text().splitlines()):5d}  {m}")
    rust = sorted((root / "src").rglob("*.rs"))
    print("## Binding layer: lines per file")
    for p in rust:
        if "python" in p.parts:
            print(f"  {len(p.read_text().splitlines()):5d}  {p.relative_to(root)}")
    long_py = py_long_functions(trees)
    long_rs = [(str(p.relative_to(root)), n, k) for p in rust for n, k in rust_functions(p) if k > LONG]
    print(f"## Functions over {LONG} lines: Python {len(long_py)}, Rust {len(long_rs)}")
    for m, n, k in long_py:
        print(f"  {k:4d}  {m}.{n}")
    for f, n, k in long_rs:
        print(f"  {k:4d}  {f}::{n}")
    cyc = cycles(py_imports(mods, trees))
    print(f"## Circular imports: {len(cyc)}")
    for c in cyc:
        print("  " + " <-> ".join(c))
    priv = py_private_accesses(trees)
    print(f"## Private cross-module accesses: {len(priv)}")
    for m, line, what in priv:
        print(f"  {m}:{line}  {what}")
    tuples = []
    for p in rust:
        if "python" in p.parts:
            text = p.read_text()
            for m in TUPLE_RET.finditer(text):
                before = text[max(0, m.start() - 200):m.start()]
                if "fn __reduce__" in before or "fn shape" in before:  # Python's own pairs
                    continue
                tuples.append(f"{p.relative_to(root)}:{text.count(chr(10), 0, m.start()) + 1}")
    print(f"## Tuples returned by the binding layer: {len(tuples)}")
    for t in tuples:
        print("  " + t)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve())
