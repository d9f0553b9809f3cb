"""A sweep's output folder, written chunk by chunk so long runs survive interruptions.

Layout of ``DIR``::

    plan.json        base scenario, vary, design, n, seed and every scenario's values
    chunks/*.nc      one NetCDF file per finished chunk (written to a temporary
                     name, then renamed: a file there is always complete)
    kpis.csv         one row per finished scenario: scenario id, varied keys, KPIs, error
                     (appended as chunks finish; sorted by scenario when the sweep ends)
    sweep.nc         the whole Dataset, written when the sweep ends
    timeseries/      with --timeseries only: scenario_NNNNNNNN.parquet, per-step series

``--resume`` reads ``plan.json`` (it must describe the same sweep) and the
chunk files, and runs only the scenarios not in them. NetCDF is written with
xarray's ``scipy`` engine (NetCDF-3), which needs no extra dependency.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from twin.errors import TwinError
from twin.results.kpis import KPI_NAMES
from twin.scenario.model import Scenario
from twin.sweeps.batch import Outcome


def _replace(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)


def write_netcdf(ds: xr.Dataset, path: Path) -> None:
    """*ds* to the NetCDF-3 file *path*: the file ``ds.to_netcdf(path, engine="scipy")``
    writes, byte for byte, through the same xarray store and encoder.

    ``to_netcdf`` first asks dask which scheduler is active (to decide whether to
    close the file between dask writes), which imports ``dask`` and
    ``dask.distributed`` whenever they are installed: about 1 s, once per process,
    for Datasets of NumPy arrays that dask never touches. Given a lock of its own,
    xarray's ``ScipyDataStore`` does not ask. An xarray without that store or
    argument falls back to ``to_netcdf``.
    """
    import threading

    try:
        from xarray.backends import ScipyDataStore

        store = ScipyDataStore(str(path), mode="w", lock=threading.Lock())
    except (ImportError, TypeError):
        ds.to_netcdf(path, engine="scipy")
        return
    try:
        ds.dump_to_store(store)
    finally:
        store.close()


def _outcomes(ds: xr.Dataset) -> list[Outcome]:
    """The KPIs (or error) of each scenario of a flat sweep Dataset, in its order
    (each variable's array read once: ``ds[name]`` builds a DataArray)."""
    errors = [str(e) for e in ds["error"].values]
    columns = [(k, ds[k].values.tolist()) for k in KPI_NAMES]
    return [
        Outcome(None if err else {k: col[j] for k, col in columns}, err)
        for j, err in enumerate(errors)
    ]


class SweepStore:
    """Reads and writes one sweep folder (see module docstring)."""

    def __init__(
        self,
        out: str | Path,
        base: Scenario,
        vary: dict[str, list[Any]],
        design: str,
        n: int | None,
        seed: int,
        rows: list[dict[str, Any]],
    ) -> None:
        self.dir = Path(out)
        self.keys = list(vary)
        self.rows = rows
        self.plan: dict[str, Any] = {
            "base": base.to_dict(),
            "vary": vary,
            "design": design,
            "n": n,
            "seed": seed,
            "rows": rows,
        }

    @property
    def chunk_dir(self) -> Path:
        return self.dir / "chunks"

    def open(self, resume: bool) -> dict[int, Outcome]:
        """Prepare the folder; return the outcomes already on disk (when resuming)."""
        plan_path = self.dir / "plan.json"
        if self.dir.exists() and any(self.dir.iterdir()):
            if not resume:
                msg = f"output directory {self.dir} is not empty (use --resume to continue it)"
                raise TwinError(msg)
            if not plan_path.is_file():
                msg = f"--resume: {plan_path} not found, {self.dir} is not a sweep folder"
                raise TwinError(msg)
            old = json.loads(plan_path.read_text())
            if old != json.loads(json.dumps(self.plan)):
                msg = (
                    f"--resume: {self.dir} holds a different sweep (base scenario, vary, "
                    "design, n or seed differ)"
                )
                raise TwinError(msg)
            done = self._read_chunks()
            self._write_csv(done)
            return done
        self.chunk_dir.mkdir(parents=True, exist_ok=True)
        tmp = plan_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.plan, indent=1) + "\n")
        _replace(tmp, plan_path)
        return {}

    def _read_chunks(self) -> dict[int, Outcome]:
        done: dict[int, Outcome] = {}
        self.chunk_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(self.chunk_dir.glob("chunk_*.nc")):
            with xr.open_dataset(path, engine="scipy") as ds:
                ds = ds.load()
            events = ds["simpy_events"].values
            for j, (sid, o) in enumerate(zip(ds["scenario"].values, _outcomes(ds))):
                done[int(sid)] = Outcome(o.kpis, o.error, int(events[j]))
        return done

    def write_chunk(
        self, ids: list[int], rows: list[dict[str, Any]], outcomes: list[Outcome]
    ) -> None:
        """Write one finished chunk: its NetCDF file, then its rows of ``kpis.csv``."""
        from twin.sweeps.dataset import to_dataset

        ds = to_dataset(ids, rows, outcomes)
        for sid, o in zip(ids, outcomes):
            if o.series is not None:
                ts_dir = self.dir / "timeseries"
                ts_dir.mkdir(exist_ok=True)
                path = ts_dir / f"scenario_{sid:08d}.parquet"
                tmp_ts = path.with_suffix(".parquet.tmp")
                o.series.to_parquet(tmp_ts)
                os.replace(tmp_ts, path)
        final = self.chunk_dir / f"chunk_{ids[0]:08d}.nc"
        tmp = final.with_suffix(".nc.tmp")
        write_netcdf(ds, tmp)
        _replace(tmp, final)
        frame = self._frame(ids, rows, outcomes)
        csv = self.dir / "kpis.csv"
        frame.to_csv(csv, mode="a", header=not csv.exists(), index=False)

    def _frame(
        self, ids: list[int], rows: list[dict[str, Any]], outcomes: list[Outcome]
    ) -> pd.DataFrame:
        cols: dict[str, Any] = {"scenario": ids}
        for k in self.keys:
            cols[k] = [r[k] for r in rows]
        for name in KPI_NAMES:
            cols[name] = [o.kpis[name] if o.kpis is not None else np.nan for o in outcomes]
        cols["error"] = [o.error for o in outcomes]
        return pd.DataFrame(cols)

    def _write_csv(self, done: dict[int, Outcome]) -> None:
        ids = sorted(done)
        rows = self.rows
        frame = self._frame(ids, [rows[i] for i in ids], [done[i] for i in ids])
        csv = self.dir / "kpis.csv"
        tmp = csv.with_suffix(".csv.tmp")
        frame.to_csv(tmp, index=False)
        _replace(tmp, csv)

    def finish(self, ds: xr.Dataset) -> None:
        """Write ``sweep.nc`` and the sorted ``kpis.csv``."""
        if ds.sizes.get("scenario", 0) != len(self.rows):
            return
        final = self.dir / "sweep.nc"
        tmp = final.with_suffix(".nc.tmp")
        write_netcdf(ds, tmp)
        _replace(tmp, final)
        ids = [int(i) for i in ds["scenario"].values]
        outcomes = _outcomes(ds)
        rows = self.rows
        frame = self._frame(ids, [rows[i] for i in ids], outcomes)
        csv = self.dir / "kpis.csv"
        tmp = csv.with_suffix(".csv.tmp")
        frame.to_csv(tmp, index=False)
        _replace(tmp, csv)
