"""A sweep's KPIs as an :class:`xarray.Dataset`: along one ``scenario`` dimension
(:func:`to_dataset`, what the chunks and ``sweep.nc`` hold), and for a grid design
reshaped with one dimension per varied key (:func:`to_grid`, what ``twin.sweep``
returns).

Variables and coordinates carry a short ``long_name``, their ``units`` and a
``description`` (the KPI's definition, the scenario field's text):
:mod:`twin.results.labels`.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from twin.results.kpis import KPI_NAMES
from twin.results.labels import key_attrs, kpi_attrs
from twin.sweeps.batch import Outcome


class _LazyDaskRecord:
    """xarray's record of the ``dask`` duck-array module, without importing dask.

    Building a Variable, xarray asks ``isinstance(data, array_type("dask"))``, and the
    first such question imports ``dask.array`` whenever dask is installed (about 1-2 s,
    more than the rest of a 64-scenario sweep's Datasets and files together). No object
    can be a dask array before the module that defines the class,
    ``dask.array.core``, has run, so ``type`` is ``()`` until then and
    ``(dask.array.core.Array,)`` (the class xarray itself would record) after: the
    answer to every ``isinstance`` question is the same as with xarray's own record.
    Every other attribute (``module``, ``version``, ``available``) comes from xarray's
    own record, built (and dask imported) on first use.
    """

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


def _lazy_dask_in_xarray() -> bool:
    """Give xarray a :class:`_LazyDaskRecord` unless it already holds a dask record.

    Relies on xarray's private cache ``xarray.namedarray.pycompat._cached_duck_array_modules``
    (xarray 2023.12 and later); another xarray skips this and behaves as usual
    (slower: dask imported by the first Dataset). True when the record is in place.
    """
    try:
        from xarray.namedarray import pycompat

        cache = pycompat._cached_duck_array_modules
        make = pycompat.DuckArrayModule
    except (ImportError, AttributeError):
        return False
    if not isinstance(cache, dict):
        return False
    if "dask" not in cache:
        cache["dask"] = _LazyDaskRecord(make)
    return isinstance(cache["dask"], _LazyDaskRecord)


_lazy_dask_in_xarray()


def to_dataset(
    ids: Sequence[int], rows: Sequence[dict[str, Any]], outcomes: Sequence[Outcome]
) -> xr.Dataset:
    """Scenario ids, varied values and outcomes as a Dataset (see module docstring)."""
    keys = list(rows[0]) if rows else []
    coords: dict[str, Any] = {
        "scenario": ("scenario", np.asarray(ids, dtype=np.int64), {"long_name": "scenario number"})
    }
    for k in keys:
        values = [r[k] for r in rows]
        coords[k] = ("scenario", np.asarray(values), key_attrs(k, values))
    data: dict[str, Any] = {}
    for name in KPI_NAMES:
        vals = np.array(
            [o.kpis[name] if o.kpis is not None else np.nan for o in outcomes], dtype=np.float64
        )
        data[name] = ("scenario", vals, kpi_attrs(name))
    data["error"] = (
        "scenario",
        np.asarray([o.error for o in outcomes], dtype=str),
        {"long_name": "why the scenario failed (empty: it ran)"},
    )
    data["simpy_events"] = (
        "scenario",
        np.asarray([o.simpy_events for o in outcomes], dtype=np.int64),
        {"long_name": "SimPy events of the exogenous timeline"},
    )
    return xr.Dataset(data, coords=coords)


def _distinct(values: Sequence[Any]) -> bool:
    return len({repr(v) for v in values}) == len(values)


def to_grid(ds: xr.Dataset, vary: Mapping[str, Sequence[Any]]) -> xr.Dataset:
    """The flat Dataset *ds* of a complete grid sweep over *vary*, with one dimension per
    varied key (in *vary*'s order, the last varying fastest, as
    :func:`twin.sweeps.design.plan` lists them); each key is the coordinate of its
    dimension, and ``scenario`` becomes a variable (the scenario number of each cell).

    *ds* is returned unchanged when there is nothing to reshape: no varied key, a key
    listing a value twice, or scenarios missing.
    """
    keys = list(vary)
    shape = tuple(len(vary[k]) for k in keys)
    if not keys or not all(_distinct(list(vary[k])) for k in keys):
        return ds
    if ds.sizes.get("scenario", 0) != math.prod(shape):
        return ds
    order = np.argsort(ds["scenario"].values, kind="stable")
    # each key keeps the attributes of its flat coordinate (long_name, units, description)
    coords = {
        k: (k, np.asarray(list(vary[k])), dict(ds[k].attrs) if k in ds.coords else {}) for k in keys
    }
    data: dict[Hashable, Any] = {
        name: (keys, var.values[order].reshape(shape), var.attrs)
        for name, var in ds.data_vars.items()
    }
    data["scenario"] = (
        keys,
        ds["scenario"].values[order].reshape(shape),
        {"long_name": "scenario number (kpis.csv, chunks, time series)"},
    )
    return xr.Dataset(data, coords=coords, attrs=dict(ds.attrs))
