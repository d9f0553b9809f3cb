"""What-if sweeps: many scenarios around a base, on this machine, a Dask cluster or a GPU.

>>> import twin
>>> ds = twin.sweep(twin.Scenario(), vary={"pv.capacity_mwp": [0, 20, 40]})  # doctest: +SKIP
>>> ds["pue"].values  # doctest: +SKIP

The result is an :class:`xarray.Dataset` with one dimension, ``scenario``;
each varied key is a coordinate along it, each KPI of
:data:`twin.results.KPI_UNITS` a variable with ``units`` and ``long_name``,
and ``error`` holds the reason a scenario failed (empty when it ran). With
``out=DIR`` the sweep is written chunk by chunk (:mod:`twin.sweep_store`), so
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
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from twin.batch import (
    BATCH_OUT_BYTES,
    CUDA_BATCH_OUT_BYTES,
    BufferPool,
    InputCache,
    Outcome,
    Runner,
    Staged,
    complete,
    compute,
    cpu_runner,
    max_batch,
    run_batch,
    stage,
)
from twin.errors import ScenarioError, TwinError
from twin.results import KPI_NAMES, KPI_UNITS
from twin.scenario import Scenario
from twin.sweep_design import plan

logger = logging.getLogger(__name__)

BACKENDS = ("local", "dask", "cuda")
#: Scenarios per chunk (one task, one file) unless the step grid forces fewer.
DEFAULT_CHUNK = 256


def make_scenario(base: Scenario, values: dict[str, Any]) -> Scenario:
    """*base* with the varied *values* applied (``--set`` rules and checks)."""
    if not values:
        return base
    sets = []
    for k, v in values.items():
        if isinstance(v, np.generic):
            v = v.item()
        text = ("true" if v else "false") if isinstance(v, bool) else repr(v)
        if isinstance(v, str):
            text = '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        sets.append(f"{k}={text}")
    return base.with_overrides(sets)


def _check_keys(base: Scenario, vary: dict[str, list[Any]]) -> None:
    """An unknown key stops the sweep before it starts (a bad *value* fails one scenario)."""
    from twin.scenario import apply_assignment

    data = base.to_dict()
    for k in vary:
        apply_assignment(data, f"{k}=0")


def run_chunk(
    base: Scenario,
    rows: Sequence[dict[str, Any]],
    backend: str = "local",
    timeseries: bool = False,
) -> list[Outcome]:
    """KPIs of the scenarios *rows* describe; a failing one is an error, not an exception.

    Top level (and picklable arguments) so a Dask worker can run it.
    """
    runner: Runner = cpu_runner
    out_bytes = BATCH_OUT_BYTES
    if backend == "cuda":
        from twin.cuda_backend import cuda_runner

        runner = cuda_runner
        out_bytes = CUDA_BATCH_OUT_BYTES
    return run_batch(
        _scenarios(base, rows),
        runner=runner,
        cache=_worker_cache(),
        out_bytes=out_bytes,
        timeseries=timeseries,
    )


def _scenarios(base: Scenario, rows: Sequence[dict[str, Any]]) -> list[Scenario | BaseException]:
    """The scenario of each row, or the error that its values raise."""
    scenarios: list[Scenario | BaseException] = []
    for values in rows:
        try:
            scenarios.append(make_scenario(base, values))
        except TwinError as exc:
            scenarios.append(exc)
    return scenarios


_CACHE: InputCache | None = None


def _worker_cache() -> InputCache:
    """One input cache per process, so a worker computes each site's series once."""
    global _CACHE
    if _CACHE is None:
        _CACHE = InputCache()
    return _CACHE


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


def _chunks(todo: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(todo), size):
        yield todo[i : i + size]


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
        Scenario key -> values; see :mod:`twin.sweep_design` for ``design``,
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
    from twin.sweep_store import SweepStore

    base = base if base is not None else Scenario()
    vary = dict(vary or {})
    if backend not in BACKENDS:
        msg = f"backend = {backend!r}: allowed are {', '.join(BACKENDS)}"
        raise ScenarioError(msg)
    if backend == "cuda":
        from twin.cuda_backend import check_available

        check_available()
    rows = plan(vary, design, n, seed)
    if timeseries and out is None:
        msg = "timeseries = True needs an output folder (out=DIR, --out DIR)"
        raise ScenarioError(msg)
    _check_keys(base, vary)
    if chunk_size:
        size = chunk_size
    elif backend == "cuda":
        size = max_batch(base.n_steps, CUDA_BATCH_OUT_BYTES)
    else:
        size = min(DEFAULT_CHUNK, max_batch(base.n_steps))
    store = SweepStore(out, base, vary, design, n, seed, rows) if out is not None else None
    done: dict[int, Outcome] = store.open(resume) if store is not None else {}
    todo = [i for i in range(len(rows)) if i not in done]
    show = sys.stderr.isatty() if progress is None else progress
    bar = Progress(len(rows), len(rows) - len(todo), enabled=show)
    try:
        for ids, outcomes in _execute(
            base, rows, todo, size, backend, scheduler, workers, timeseries
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
    ds.attrs.update(design=design, backend=backend, seed=seed, n_scenarios=len(rows))
    if store is not None:
        store.finish(ds)
    return ds


def _execute(
    base: Scenario,
    rows: list[dict[str, Any]],
    todo: list[int],
    size: int,
    backend: str,
    scheduler: str | None,
    workers: int | None,
    timeseries: bool = False,
) -> Iterator[tuple[list[int], list[Outcome]]]:
    chunks = list(_chunks(todo, size))
    n_proc = workers or 1
    if backend == "local" and n_proc > 1 and len(chunks) > 1:
        yield from _run_on_processes(base, rows, chunks, n_proc, timeseries)
        return
    if backend == "local":
        yield from _pipelined(base, rows, chunks, timeseries)
        return
    if backend != "dask":
        for ids in chunks:
            yield ids, run_chunk(base, [rows[i] for i in ids], backend, timeseries)
        return
    from twin.dask_backend import run_on_dask

    yield from run_on_dask(base, rows, chunks, scheduler, workers, timeseries)


def _pipelined(
    base: Scenario,
    rows: list[dict[str, Any]],
    chunks: list[list[int]],
    timeseries: bool = False,
) -> Iterator[tuple[list[int], list[Outcome]]]:
    """The local backend in one process: the kernels of one chunk run in a thread
    (compiled, without the GIL, on every core) while Python stages the next chunk
    and completes the previous one. Same outcomes as :func:`run_chunk` chunk by chunk.
    """
    from concurrent.futures import ThreadPoolExecutor

    buffers = BufferPool()

    def staged(ids: list[int]) -> Staged:
        return stage(_scenarios(base, [rows[i] for i in ids]), _worker_cache(), BATCH_OUT_BYTES,
                     timeseries, buffers)  # fmt: skip

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: tuple[list[int], Staged, Any] | None = None
        for ids in chunks:
            nxt = staged(ids)
            if pending is not None:
                p_ids, p_staged, fut = pending
                fut.result()
                fut = pool.submit(compute, nxt, cpu_runner)
                yield p_ids, complete(p_staged)
            else:
                fut = pool.submit(compute, nxt, cpu_runner)
            pending = (ids, nxt, fut)
        if pending is not None:
            p_ids, p_staged, fut = pending
            fut.result()
            yield p_ids, complete(p_staged)


def _single_threaded() -> None:
    """Worker start-up: one numba thread per process (the processes share the cores)."""
    import numba

    numba.set_num_threads(1)


def _run_on_processes(
    base: Scenario,
    rows: list[dict[str, Any]],
    chunks: list[list[int]],
    n_proc: int,
    timeseries: bool = False,
) -> Iterator[tuple[list[int], list[Outcome]]]:
    """The local backend on all cores: one process per core, chunks as they finish.

    SimPy sampling, stacking and KPIs are Python and would run on one core in
    a single process; worker processes (``spawn``: safe with numba's threads)
    spread them over the cores, each running the kernel single-threaded.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from multiprocessing import get_context

    pool = ProcessPoolExecutor(
        max_workers=min(n_proc, len(chunks)),
        mp_context=get_context("spawn"),
        initializer=_single_threaded,
    )
    try:
        futures = {
            pool.submit(run_chunk, base, [rows[i] for i in ids], "local", timeseries): ids
            for ids in chunks
        }
        for fut in as_completed(futures):
            yield futures[fut], fut.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _CallableModule(types.ModuleType):
    """``twin.sweep`` is this module *and* behaves as the :func:`sweep` function.

    Importing a submodule binds it on its package, so ``twin.sweep`` is the
    module whenever ``twin.sweep`` has been imported; making the module
    callable keeps ``twin.sweep(base, vary=...)`` working either way.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> xr.Dataset:
        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
