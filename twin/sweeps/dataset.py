"""A sweep's KPIs as an :class:`xarray.Dataset` along one ``scenario`` dimension."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr

from twin.results.kpis import KPI_NAMES, KPI_UNITS
from twin.sweeps.batch import Outcome


def to_dataset(
    ids: Sequence[int], rows: Sequence[dict[str, Any]], outcomes: Sequence[Outcome]
) -> xr.Dataset:
    """Scenario ids, varied values and outcomes as a Dataset (see module docstring)."""
    keys = list(rows[0]) if rows else []
    coords: dict[str, Any] = {"scenario": ("scenario", np.asarray(ids, dtype=np.int64))}
    for k in keys:
        coords[k] = ("scenario", np.asarray([r[k] for r in rows]), {"long_name": f"varied: {k}"})
    data: dict[str, Any] = {}
    for name in KPI_NAMES:
        unit, definition = KPI_UNITS[name]
        vals = np.array(
            [o.kpis[name] if o.kpis is not None else np.nan for o in outcomes], dtype=np.float64
        )
        data[name] = ("scenario", vals, {"units": unit, "long_name": definition})
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
