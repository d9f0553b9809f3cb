"""Compiler options for every kernel, decided in one place.

``njit`` is ``numba.njit`` with:

* ``cache=True``: compiled machine code is written to disk, so a second process
  starts in milliseconds instead of recompiling. The cache folder is keyed by the
  source of the whole ``kernels`` package (:func:`source_key`), see below.
* ``error_model="numpy"``: a division by zero yields ``inf``/``nan`` instead of
  raising; kernels guard their divisions and report non-finite states through
  status codes, never through exceptions (kernels never raise for a physical
  state).

Scalar physics functions are written CUDA-safe (only :mod:`math`, no numpy, no
default or keyword arguments, tuples instead of small arrays) so that a device
build can be made later from ``fn.py_func`` with ``numba.cuda.jit(device=True)``.

Why the cache is keyed by the whole package
-------------------------------------------
numba invalidates a cached kernel when the file that *defines* it changes, not when a
file it *imports* changes (numba developer documentation, "Notes on Caching", caching
limitations: cache invalidation does not recognise changes in symbols defined in another
file; global variables are frozen into the cache as constants). A kernel such as
``integrate_interval`` inlines the physics of a dozen modules, so an edited chiller
curve or an upgraded package would keep running the old machine code. Here every
kernel is cached under ``<cache>/numba/<key>``, where the key hashes the name and
bytes of every ``.py`` file of this package: any edit, anywhere in ``kernels/``,
selects a fresh folder and everything is compiled anew. ``<cache>`` is
``$NUMBA_CACHE_DIR/atlas-twin`` when the user set numba's own variable, else
``$ATLAS_TWIN_CACHE`` or ``~/.cache/atlas-twin`` (as the PVGIS cache of
:mod:`weather.pvgis_online`). Folders of other keys are pruned beyond the
:data:`KEEP_KEYS` most recently used, so several installed versions can coexist.
The folder is given to numba through a cache locator of this module's
(:func:`_keyed_cache`), which tests it for writing once per process instead of once
per kernel. Reading this package's own sources at import is the only I/O of
``kernels``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import numba

__all__ = ["cache_dir", "njit", "source_key"]

#: Cache folders of other source keys kept (most recently used first).
KEEP_KEYS = 4
_PACKAGE = Path(__file__).resolve().parent
#: numba's run-time configuration (attributes made from the environment at import)
_CONFIG: Any = numba.config


def source_key(package: Path = _PACKAGE) -> str:
    """Hash of the relative name and bytes of every ``.py`` file under *package* (16 hex)."""
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        h.update(path.relative_to(package).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _base() -> Path:
    if _CONFIG.CACHE_DIR:
        return Path(_CONFIG.CACHE_DIR) / "atlas-twin"
    root = os.environ.get("ATLAS_TWIN_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "atlas-twin") / "numba"


def cache_dir() -> Path:
    """The folder of this source key's compiled kernels (see module docstring)."""
    return _base() / source_key()


def _prepare(folder: Path) -> str | None:
    """Create *folder*, prune old keys beside it; None when it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)
        siblings = sorted(
            (p for p in folder.parent.iterdir() if p.is_dir() and p != folder),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in siblings[KEEP_KEYS:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return None
    return str(folder)


_CACHE_DIR = _prepare(cache_dir())


def _keyed_cache(folder: str | None) -> Any:
    """numba's per-function cache class, locating every kernel in *folder* (None: no
    writable folder, or a numba without these classes; numba's own locators decide).

    numba's own locator for ``NUMBA_CACHE_DIR`` reads the folder from its global
    configuration and, for every cached function as it is decorated, creates the
    folder and writes and deletes a probe file in it to test that it is writable: about
    350 kernels and helpers at import. This locator takes the folder as an argument and
    probes each folder once per process (a 1-h ``twin run --json`` 1.61 → 1.44 s with the
    other changes of its round, ``benchmarks/results/run_side_by_side_vs_107bf02.json``;
    how much is this locator's depends on what creating a file costs on the machine).
    Where it cannot serve, numba's own locators follow, as before.
    """
    if folder is None:
        return None
    root: str = folder
    try:
        from numba.core.caching import (
            CompileResultCacheImpl,
            FunctionCache,
            UserProvidedCacheLocator,
        )
    except ImportError:  # pragma: no cover - numba moved its internals
        return None
    probed: set[str] = set()

    class KeyedLocator(UserProvidedCacheLocator):
        def __init__(self, py_func: Any, py_file: str) -> None:
            self._py_file = py_file
            self._lineno = py_func.__code__.co_firstlineno
            self._cache_path = os.path.join(root, self.get_suitable_cache_subpath(py_file))

        @classmethod
        def from_function(cls, py_func: Any, py_file: str) -> Any:
            # UserProvidedCacheLocator's own checks numba's global folder first
            return super(UserProvidedCacheLocator, cls).from_function(py_func, py_file)

        def ensure_cache_path(self) -> None:
            path = self.get_cache_path()
            if path not in probed:
                super().ensure_cache_path()
                probed.add(path)

    class KeyedImpl(CompileResultCacheImpl):
        _locator_classes = [KeyedLocator, *CompileResultCacheImpl._locator_classes]  # noqa: RUF012

    class KeyedCache(FunctionCache):
        _impl_class = KeyedImpl

    return KeyedCache


_CACHE_CLASS = _keyed_cache(_CACHE_DIR)


def njit(fn=None, **overrides):
    """Decorate *fn* as a CPU kernel with the project's options."""
    options: dict = {"cache": True, "error_model": "numpy"}
    options.update(overrides)

    def decorate(f):
        if not options["cache"] or _CACHE_DIR is None:
            # no writable cache folder: numba's own locators decide (in-tree or none)
            return numba.njit(**options)(f)
        if _CACHE_CLASS is not None:
            # what numba's cache=True does (Dispatcher.enable_caching), with the keyed locator
            disp = numba.njit(**{**options, "cache": False})(f)
            disp._cache = _CACHE_CLASS(f)
            return disp
        saved = _CONFIG.CACHE_DIR
        _CONFIG.CACHE_DIR = _CACHE_DIR  # read once, when numba enables the cache
        try:
            return numba.njit(**options)(f)
        finally:
            _CONFIG.CACHE_DIR = saved

    if fn is None:
        return decorate
    return decorate(fn)
