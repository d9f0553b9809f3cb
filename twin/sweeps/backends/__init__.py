"""Sweep backends, registered by name: where the chunks of a sweep run.

A backend is a class with

* ``name``: what ``twin.sweep(..., backend=NAME)`` and ``twin sweep --backend NAME`` take;
* ``check_available()``: raise :class:`~twin.errors.BackendUnavailableError` saying what to
  install when the backend cannot run here (called before any scenario runs);
* ``chunk_size(n_steps) -> int``: scenarios per chunk for that step grid;
* ``execute(base, rows, chunks, *, scheduler, workers, timeseries)``: yield
  ``(scenario ids, outcomes)`` for every chunk, in any order.

The built-in ones are ``local`` (:mod:`~twin.sweeps.backends.local`), ``dask``
(:mod:`~twin.sweeps.backends.dask`) and ``cuda`` (:mod:`~twin.sweeps.backends.cuda`),
imported only when asked for. Another package adds one, in the manner of xarray's
backends, through the entry-point group ``atlas_twin.sweep_backends`` (``NAME =
"package.module:Class"``), or at run time with :func:`register_backend`. Backends run
chunks through :mod:`twin.sweeps.chunks` and never import the sweep front door.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from twin.errors import ScenarioError

#: Built-in backends: name -> "module:Class", imported on first use.
BUILTIN = {
    "local": "twin.sweeps.backends.local:LocalBackend",
    "dask": "twin.sweeps.backends.dask:DaskBackend",
    "cuda": "twin.sweeps.backends.cuda:CudaBackend",
}
#: The entry-point group other packages register their backends under.
ENTRY_POINT_GROUP = "atlas_twin.sweep_backends"

_REGISTERED: dict[str, Any] = {}


def register_backend(name: str, cls: Any) -> None:
    """Make *cls* the backend called *name* (replacing any of that name) for this process."""
    _REGISTERED[name] = cls


def _plugins() -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def backend_names() -> list[str]:
    """Every backend name this process can use: built-in, installed and registered."""
    return list(dict.fromkeys([*BUILTIN, *_plugins(), *_REGISTERED]))


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def get_backend(name: str) -> Any:
    """An instance of the backend called *name*; a :class:`ScenarioError` names the others."""
    if name in _REGISTERED:
        return _REGISTERED[name]()
    target = BUILTIN.get(name) or _plugins().get(name)
    if target is None:
        msg = f"backend = {name!r}: allowed are {', '.join(backend_names())}"
        raise ScenarioError(msg)
    return _load(target)()
