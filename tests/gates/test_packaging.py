"""The distribution ships every package and data file of the source tree.

Tests import the checkout, notebooks and users import the installed package:
a subpackage or data file the packaging configuration misses passes the former and
breaks the latter (``pip install . && twin run``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

from twin.portfolios.spec import is_portfolio_file

REPO = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
TOPS = ("twin", "kernels", "weather")


def _tree_packages() -> set[str]:
    return {
        ".".join(p.parent.relative_to(REPO).parts)
        for top in TOPS
        for p in (REPO / top).rglob("__init__.py")
        if "__pycache__" not in p.parts
    }


def test_every_package_of_the_tree_is_distributed():
    shipped = set(find_packages(str(REPO), include=CONFIG["packages"]["find"]["include"]))
    assert len(_tree_packages()) > 10
    assert shipped == _tree_packages()


def test_every_data_file_is_matched_by_package_data():
    data_dirs = [d for top in TOPS for d in (REPO / top).rglob("data") if d.is_dir()]
    assert data_dirs, "no data folder found"
    for folder in data_dirs:
        package = ".".join(folder.parent.relative_to(REPO).parts)
        patterns = CONFIG["package-data"].get(package, [])
        for f in folder.glob("*"):
            rel = f.relative_to(folder.parent)
            assert any(rel.match(pat) for pat in patterns), f"{f} is not shipped with {package}"


def test_templates_static_files_and_example_links_are_shipped():
    folders = {"twin.report": "templates", "twin.serve": "static", "twin.examples": "data"}
    for package, folder in folders.items():
        root = REPO.joinpath(*package.split("."))
        files = [f for f in (root / folder).glob("*") if f.name != "__pycache__"]
        assert files, f"{package}/{folder} is empty"
        patterns = CONFIG["package-data"].get(package, [])
        for f in files:
            rel = f.relative_to(root)
            assert any(rel.match(pat) for pat in patterns), f"{f} is not shipped with {package}"


def test_every_example_is_installed_once_as_a_link_to_examples():
    """One copy of each example: ``twin/examples/data/NAME.toml`` is a relative link to
    ``examples/NAME.toml`` (the wheel stores the file it points to)."""
    links = {p.name: p for p in (REPO / "twin" / "examples" / "data").glob("*.toml")}
    files = {
        p.name
        for p in (REPO / "examples").glob("*.toml")
        if not is_portfolio_file(p)  # a portfolio: twin/portfolios/data
    }
    assert set(links) == files
    for name, link in links.items():
        assert link.is_symlink() and not Path(link.readlink()).is_absolute()
        assert link.resolve() == (REPO / "examples" / name).resolve()
