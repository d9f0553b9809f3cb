"""The distribution ships every package and data file of the source tree.

Tests import the checkout, notebooks and users import the installed package:
a subpackage missing from ``[tool.setuptools] packages`` passes the former and
breaks the latter (``pip install . && twin run``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_of_the_tree_is_distributed():
    found = {
        ".".join(p.parent.relative_to(REPO).parts)
        for top in ("twin", "kernels", "weather")
        for p in (REPO / top).rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found == set(CONFIG["packages"])


def test_every_data_file_is_matched_by_package_data():
    for top in ("twin", "kernels", "weather"):
        patterns = CONFIG["package-data"].get(top, [])
        for f in (REPO / top / "data").glob("*"):
            rel = f.relative_to(REPO / top)
            assert any(rel.match(pat) for pat in patterns), f"{f} is not shipped"
