"""The example campuses, installed with the package and reachable by name.

>>> import twin.examples
>>> twin.examples.names()  # doctest: +SKIP
['benguerir', 'casablanca_nouaceur', 'dakhla', 'default', 'rabat_colo', 'tetouan']
>>> sc = twin.examples.load("dakhla")  # doctest: +SKIP

There is one copy of each file: ``examples/NAME.toml`` in the repository, where people
read and edit them; ``twin/examples/data/NAME.toml`` is a link to it, which the wheel
turns into the file itself (``tests/gates/test_packaging.py`` checks both). The command
line reaches them with ``twin run --example NAME`` and the HTTP API with
``{"example": "NAME"}``.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import TYPE_CHECKING, Any

from twin.errors import ScenarioError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from twin.scenario.model import Scenario

__all__ = ["load", "load_dict", "names", "text"]


def _folder() -> Traversable:
    return resources.files("twin.examples").joinpath("data")


def names() -> list[str]:
    """The example names, sorted (the file names without ``.toml``)."""
    return sorted(p.name[:-5] for p in _folder().iterdir() if p.name.endswith(".toml"))


def text(name: str) -> str:
    """The TOML text of example *name*; :class:`ScenarioError` for an unknown name."""
    if name not in names():
        msg = f"example = {name!r} is not one of {', '.join(names())}"
        raise ScenarioError(msg)
    return _folder().joinpath(f"{name}.toml").read_text(encoding="utf-8")


def load_dict(name: str) -> dict[str, Any]:
    """Example *name* as a scenario dict (not yet validated)."""
    return tomllib.loads(text(name))


def load(name: str) -> Scenario:
    """Example *name* as a validated :class:`~twin.scenario.model.Scenario`."""
    from twin.scenario.model import Scenario

    return Scenario.from_dict(load_dict(name))
