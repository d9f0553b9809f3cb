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
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from twin.results.kpis import KPI_NAMES
from twin.results.labels import key_attrs, kpi_attrs
from twin.sweeps.batch import Outcome
from twin.sweeps.lazydask import install as _install_lazy_dask

#: Datasets of NumPy arrays built without importing dask (see :mod:`twin.sweeps.lazydask`)
LAZY_DASK = _install_lazy_dask()


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
