"""The architecture of ``docs/architecture.md``, checked on the source.

* no import circle between the modules of ``twin/``, counting every import: at module
  level, inside functions and under ``TYPE_CHECKING`` (the layers contract of
  import-linter, ``test_quality_gates.test_import_contracts``, checks the direction
  between subpackages; this checks the modules inside them too);
* ``kernels`` imports no twin, weather, pandas, xarray, pvlib, SimPy, matplotlib or
  pydantic, and ``weather`` no twin, in every module of every subfolder;
* no relative imports;
* no function longer than ``MAX_FUNCTION_LINES`` in ``twin/``, ``kernels/``, ``weather/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("twin", "kernels", "weather")
FORBIDDEN = {
    "kernels": {"twin", "weather", "pandas", "xarray", "pvlib", "simpy", "matplotlib", "pydantic"},
    "weather": {"twin"},
}
#: A function past this is probably two (docstring and signature included).
MAX_FUNCTION_LINES = 120


def _modules(package: str) -> dict[str, Path]:
    out = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def import_graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of *package* it imports, anywhere in its source."""
    modules = _modules(package)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps = set()
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    deps.add(sub if sub in modules else node.module)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_circle(package):
    graph = import_graph(package)
    assert len(graph) > 5, f"too few modules found under {package}/"
    assert cycles(graph) == [], f"import circles in {package}/"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_respect_the_layers(package):
    for name, path in _modules(package).items():
        tops = set()
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Import):
                tops.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                tops.add(node.module.split(".")[0])
        bad = tops & FORBIDDEN[package]
        assert not bad, f"{name} imports {sorted(bad)}"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_relative_imports(package):
    for name, path in _modules(package).items():
        rel = [n for n in ast.walk(_tree(path)) if isinstance(n, ast.ImportFrom) and n.level > 0]
        assert not rel, f"{name} uses a relative import"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_function_is_too_long(package):
    long = []
    for name, path in _modules(package).items():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name}: {n} lines")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"
