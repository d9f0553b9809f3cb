"""The architecture, checked: kernels are pure and stand alone, weather does not import twin."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "kernels": {"twin", "weather", "pandas", "xarray", "pvlib", "simpy", "matplotlib", "pydantic"},
    "weather": {"twin"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_respect_the_layers(package):
    files = sorted((ROOT / package).glob("*.py"))
    assert files, f"no modules found under {package}/"
    for path in files:
        bad = _imports(path) & FORBIDDEN[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_no_relative_imports():
    for package in ("twin", "kernels", "weather"):
        for path in (ROOT / package).glob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            rel = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level > 0]
            assert not rel, f"{path.relative_to(ROOT)} uses a relative import"
