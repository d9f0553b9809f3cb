"""What-if sweeps: many scenarios around a base, on this machine, a Dask cluster or a GPU.

>>> import twin
>>> ds = twin.sweeps.front(twin.Scenario(), vary={"pv.capacity_mwp": [0, 20, 40]})  # doctest: +SKIP
>>> ds["pue"].values  # doctest: +SKIP

The result is an :class:`xarray.Dataset` shaped like the question: a ``grid``
design has one dimension per varied key (its values the coordinate, e.g.
``ds["pue"].sel({"pv.capacity_mwp": 20})``) and a ``scenario`` variable numbering
the cells; a ``latin_hypercube`` or ``random`` design has one dimension, ``scenario``,
with each varied key a coordinate along it. Each KPI of
:data:`twin.results.result.KPI_UNITS` is a variable with ``units`` and ``long_name``,
and ``error`` holds the reason a scenario failed (empty when it ran). With
``out=DIR`` the sweep is written chunk by chunk (:mod:`twin.sweeps.store`), so
an interrupted sweep loses at most the chunks in flight and ``resume=True``
skips the finished ones.

Backends run the same kernel code on the same inputs, so a scenario gives the
same KPIs, bit for bit, in ``twin run``, in a local sweep and on a Dask
cluster (the CUDA simulator too; on a real GPU, device math libraries may
differ in the last bits).
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Any

import xarray as xr

from twin.errors import ScenarioError
from twin.provenance import stamp
from twin.scenario.model import Scenario
from twin.sweeps.backends import get_backend
from twin.sweeps.batch import Outcome
from twin.sweeps.chunks import split
from twin.sweeps.dataset import to_dataset, to_grid
from twin.sweeps.design import plan
from twin.sweeps.store import SweepStore

logger = logging.getLogger(__name__)


def _check_keys(base: Scenario, vary: dict[str, list[Any]]) -> None:
    """An unknown key stops the sweep before it starts (a bad *value* fails one scenario)."""
    from twin.scenario.overrides import apply_assignment

    data = base.to_dict()
    for k in vary:
        apply_assignment(data, f"{k}=0")


class Progress:
    """One status line on stderr: scenarios done, rate, ETA (redrawn at most 5 times a second)."""

    def __init__(self, total: int, done: int = 0, enabled: bool = True) -> None:
        self.total, self.done, self.enabled = total, done, enabled
        self._start_done = done
        self._t0 = time.perf_counter()
        self._last = 0.0
        self._draw(force=True)

    def update(self, n: int) -> None:
        self.done += n
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._last < 0.2 and self.done < self.total:
            return
        self._last = now
        elapsed = now - self._t0
        rate = (self.done - self._start_done) / elapsed if elapsed > 0 else 0.0
        left = self.total - self.done
        eta = f"{left / rate:,.0f} s" if rate > 0 else "?"
        pct = 100.0 * self.done / self.total if self.total else 100.0
        sys.stderr.write(
            f"\rsweep {self.done:,}/{self.total:,} scenarios ({pct:5.1f} %)  "
            f"{rate:,.1f} scn/s  ETA {eta}   "
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(force=True)
            sys.stderr.write("\n")
            sys.stderr.flush()


def sweep(
    base: Scenario | None = None,
    vary: dict[str, list[Any]] | None = None,
    design: str = "grid",
    n: int | None = None,
    backend: str = "local",
    seed: int = 0,
    *,
    out: str | Path | None = None,
    resume: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    progress: bool | None = None,
    timeseries: bool = False,
) -> xr.Dataset:
    """Run every scenario of a sweep and return their KPIs (see module docstring).

    Parameters
    ----------
    base : Scenario
        The scenario every run starts from (default: the embedded default).
    vary : dict
        Scenario key -> values; see :mod:`twin.sweeps.design` for ``design``,
        ``n`` and ``seed``.
    backend : {"local", "dask", "cuda"}
        ``local``: all cores of this machine; ``dask``: a Dask distributed
        ``LocalCluster`` on 127.0.0.1 (``workers`` processes) or the cluster at
        ``scheduler``; ``cuda``: one GPU thread per scenario (numba-cuda).
    workers : int, optional
        ``local``: worker processes (default 1: this process, the kernel
        threaded over all cores; ``twin sweep`` uses one per core). Like any
        ``multiprocessing`` use, a script passing ``workers > 1`` needs the
        ``if __name__ == "__main__":`` guard. ``dask``: LocalCluster workers.
    out : path, optional
        Write ``kpis.csv``, ``sweep.nc`` and the chunks there.
    resume : bool
        Skip the scenarios already finished in ``out``.
    progress : bool, optional
        Progress line on stderr; default: only when stderr is a terminal.
    timeseries : bool
        Also write each scenario's per-step series to
        ``out/timeseries/scenario_NNNNNNNN.parquet`` (off by default: 2 MB a
        scenario-year at 1 h, 120 MB at 1 min).
    """
    base = base if base is not None else Scenario()
    vary = dict(vary or {})
    runner = get_backend(backend)
    runner.check_available()
    rows = plan(vary, design, n, seed)
    if timeseries and out is None:
        msg = "timeseries = True needs an output folder (out=DIR, --out DIR)"
        raise ScenarioError(msg)
    _check_keys(base, vary)
    size = chunk_size or runner.chunk_size(base.n_steps)
    store = SweepStore(out, base, vary, design, n, seed, rows) if out is not None else None
    done: dict[int, Outcome] = store.open(resume) if store is not None else {}
    todo = [i for i in range(len(rows)) if i not in done]
    show = sys.stderr.isatty() if progress is None else progress
    bar = Progress(len(rows), len(rows) - len(todo), enabled=show)
    try:
        chunks = list(split(todo, size))
        for ids, outcomes in runner.execute(
            base, rows, chunks, scheduler=scheduler, workers=workers, timeseries=timeseries
        ):
            for i, o in zip(ids, outcomes):
                done[i] = o
            if store is not None:
                store.write_chunk(ids, [rows[i] for i in ids], outcomes)
            bar.update(len(ids))
    finally:
        bar.close()
    ids = sorted(done)
    ds = to_dataset(ids, [rows[i] for i in ids], [done[i] for i in ids])
    ds.attrs.update(design=design, backend=backend, seed=seed, n_scenarios=len(rows), **stamp())
    if store is not None:
        store.finish(ds)
    return to_grid(ds, vary) if design == "grid" else ds
