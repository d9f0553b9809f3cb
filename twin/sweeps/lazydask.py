"""xarray without importing dask for Datasets of NumPy arrays (a sweep's KPIs).

Building a Variable, xarray asks whether its data is a dask array twice over:
``isinstance(data, array_type("dask"))`` (:mod:`xarray.namedarray.pycompat`), whose
first call imports ``dask.array``, and, for an index coordinate,
``is_dask_collection(data)`` (:mod:`xarray.namedarray.utils`), which imports
``dask.base``, whenever dask is installed (it is with the ``dask`` and ``test`` extras).
Measured on a 2-core machine: about 1 s of a 64-scenario ``twin sweep`` process of
8-10 s, to learn that NumPy arrays are not dask arrays. :func:`install` gives the
same answers without the imports:

* xarray's record of the dask module becomes a :class:`LazyDaskRecord`: its ``type``
  is ``()`` until ``dask.array.core`` (the module that defines ``dask.array.Array``)
  has been imported, and ``(dask.array.core.Array,)`` after, the class xarray itself
  records. No object can be an instance of a class that does not exist yet, so every
  ``isinstance`` answer is unchanged. Its other attributes (``module``, ``version``,
  ``available``) come from xarray's own record, made (and dask imported) on first use;
* ``is_dask_collection`` answers ``False`` without importing dask for a class or an
  object without a callable ``__dask_graph__``, which is the first test of dask's own
  ``dask.base.is_dask_collection`` (it returns ``False`` there too); anything else is
  asked of xarray's function, as before.

Both rely on private names of xarray (2024 and later: the ``_cached_duck_array_modules``
cache, the module global ``is_dask_collection`` that ``is_duck_dask_array`` calls); an
xarray without them is left as it is (and imports dask as usual).
"""

from __future__ import annotations

import sys
from typing import Any, cast


class LazyDaskRecord:
    """xarray's record of the ``dask`` duck-array module, without importing dask
    (module docstring)."""

    def __init__(self, make: Any) -> None:
        self._make = make
        self._record: Any = None

    @property
    def type(self) -> tuple[type, ...]:
        cls = getattr(sys.modules.get("dask.array.core"), "Array", None)
        return (cls,) if isinstance(cls, type) else ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._record is None:
            self._record = self._make("dask")
        return getattr(self._record, name)


def _lazy_is_dask_collection(original: Any) -> Any:
    def is_dask_collection(x: object) -> bool:
        if isinstance(x, type) or not callable(getattr(x, "__dask_graph__", None)):
            return False  # dask.base.is_dask_collection's first test: no import needed
        return original(x)

    is_dask_collection.__wrapped__ = original  # type: ignore[attr-defined]
    return is_dask_collection


def install() -> bool:
    """Install both (module docstring), once; True when both are in place."""
    try:
        from xarray.namedarray import pycompat
        from xarray.namedarray import utils as nutils

        cache = cast(dict[str, Any], pycompat._cached_duck_array_modules)
        make = pycompat.DuckArrayModule
        original = nutils.is_dask_collection
    except (ImportError, AttributeError):
        return False
    if not isinstance(cache, dict):
        return False
    if "dask" not in cache:
        cache["dask"] = LazyDaskRecord(make)
    if getattr(original, "__module__", "") == "xarray.namedarray.utils":
        nutils.is_dask_collection = _lazy_is_dask_collection(original)
    lazy_isinstance = isinstance(cache["dask"], LazyDaskRecord)
    return lazy_isinstance and hasattr(nutils.is_dask_collection, "__wrapped__")
