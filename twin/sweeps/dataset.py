"""A sweep's KPIs as an :class:`xarray.Dataset` along one ``scenario`` dimension.

Variables and coordinates carry a short ``long_name``, their ``units`` and a
``description`` (the KPI's definition, the scenario field's text):
:mod:`twin.results.labels`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr

from twin.results.kpis import KPI_NAMES
from twin.results.labels import key_attrs, kpi_attrs
from twin.sweeps.batch import Outcome


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
