"""The package layout: stages under pipeline/, engines under engines/, and no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import eventcoder

PKG = Path(eventcoder.__file__).resolve().parent


def _module(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """The package modules ``path`` imports, lazily inside functions too (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for b in node.body for n in ast.walk(b))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != name and t != "eventcoder":
                found.add(t)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in PKG.rglob("*.py")}
    return {name: _imports(path, name, set(files)) for name, path in files.items()}


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_stages_never_import_engines_store_or_cli() -> None:
    """A stage is called by the engines; it never reaches back into them, the store or the CLI."""
    graph = _graph()
    for name, deps in graph.items():
        if name.startswith("eventcoder.pipeline."):
            outward = ("eventcoder.engines", "eventcoder.cli", "eventcoder.store", "eventcoder.web")
            bad = {d for d in deps if d.startswith(outward)}
            assert not bad, f"{name} imports {sorted(bad)}"


def test_the_graph_sees_lazy_imports() -> None:
    """The checker itself: a lazy import inside a function counts (the local engine's pool)."""
    graph = _graph()
    assert "eventcoder.engines.workers" in graph["eventcoder.engines.local"]
    assert "eventcoder.engines.spark_executor" in graph["eventcoder.engines.spark_daemon"]
