"""Run a batch of scenarios through one batched kernel call.

For each scenario: compile it (:mod:`twin.sim.compile`), sample its exogenous
timeline with SimPy (:mod:`twin.sim.timeline`), and look up its exogenous input
series, computed once per distinct site/weather/PV/tariff combination and
shared by every scenario that uses it (:class:`InputCache`). :func:`stack`
then packs everything into the arrays of :mod:`kernels.batch` (the one place
that knows that layout), one kernel call integrates all scenarios, and the
KPIs of each come from the same compiled passes and the same
:func:`twin.results.kpis.kpis_from_totals` as a single ``twin run`` (run in
parallel over the batch by :func:`kernels.batch.post_batch`). A scenario that fails (bad value, broken invariant) is
reported with its error; the others carry on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kernels import layout as L
from kernels.batch import I_STATUS
from kernels.crossings import ST_NONFINITE
from twin.errors import EnergyBalanceError, TwinError
from twin.results.invariants import raise_if_broken
from twin.results.kpis import kpis_from_totals
from twin.results.moisture import hall_dew_point_c, moisture_kpis_from_res
from twin.results.result import add_dew_point, step_table
from twin.results.ridethrough import ride_through_minutes
from twin.scenario.model import Scenario
from twin.sim.engine import run_raw
from twin.sim.timeline import timeline_steps
from twin.sweeps.arrays import (
    A_INFO,
    A_OUT,
    A_SIG,
    BufferPool,
    post_args,
    post_arrays,
    stack,
)
from twin.sweeps.prepare import InputCache, Prepared, prepare

#: Bytes of per-step output and signals a batch may hold (sets the batch size, so
#: memory stays flat in the number of scenarios; a local sweep has two batches in
#: flight). Assumed: 128 MiB, 44 hourly site-years.
BATCH_OUT_BYTES = 128 * 2**20


#: The same for a GPU batch (device and host copies of ``out``). Assumed: 8 GiB,
#: a tenth of an 80 GB H100; a GPU needs thousands of threads per launch.
CUDA_BATCH_OUT_BYTES = 8 * 2**30


def max_batch(n_steps: int, out_bytes: int = BATCH_OUT_BYTES) -> int:
    """Largest batch whose per-step outputs fit *out_bytes*."""
    return max(1, out_bytes // (n_steps * (L.N_OUT + L.N_SIG) * 8))


#: A kernel runner: ``runner(arrays, post, keep_out)`` integrates the arrays of
#: :func:`stack` and runs the post pass (:func:`kernels.batch.post_batch`) with the
#: arrays of :func:`post_arrays`; on return ``info`` and the post outputs hold their
#: values, and ``out`` too when *keep_out* (or when the runner computes on this host).
Runner = Callable[..., None]


def cpu_runner(arrays: Sequence[np.ndarray], post: Sequence[np.ndarray], keep_out: bool) -> None:
    """All cores of this machine: the ``prange`` kernels."""
    from kernels.batch import integrate_batch, post_batch

    integrate_batch(*arrays)
    post_batch(*post_args(arrays, post))


@dataclass
class Outcome:
    """KPIs of one scenario, or the error that stopped it."""

    kpis: dict[str, float] | None
    error: str = ""
    simpy_events: int = 0
    kernel_calls: int = 0
    #: per-step series (only with ``run_batch(..., timeseries=True)``)
    series: Any = None


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@dataclass
class Staged:
    """A batch after its Python stage: outcomes known so far and the kernel arguments.

    ``parts`` holds, per kernel call, the (index, prepared scenario) pairs, the
    arrays of :func:`stack` and those of the post pass (:func:`post_arrays`).
    """

    outcomes: list[Outcome | None]
    parts: list[tuple[list[tuple[int, Prepared]], tuple[np.ndarray, ...], tuple[np.ndarray, ...]]]
    timeseries: bool
    pool: BufferPool | None = None


def stage(
    scenarios: Sequence[Scenario | BaseException],
    cache: InputCache | None = None,
    out_bytes: int = BATCH_OUT_BYTES,
    timeseries: bool = False,
    pool: BufferPool | None = None,
    soc_series: bool = False,
) -> Staged:
    """The Python side before the kernels: compile, sample timelines, pack arrays.

    Scenarios of the job or trace workloads run alone here, through the
    event-driven engine (they react to the plant); an exception in the list is
    that scenario's error.
    """
    cache = cache if cache is not None else InputCache()
    outcomes: list[Outcome | None] = [None] * len(scenarios)
    batched = [sc for sc in scenarios if not isinstance(sc, BaseException)]
    # with a pool, each grid's signals are written straight into its batches' array
    sig = _sig_arrays(batched, pool) if pool is not None else {}
    # one kernel call per time grid (a sweep may vary simulation.step)
    by_grid: dict[int, list[tuple[int, Prepared]]] = {}
    for i, sc in enumerate(scenarios):
        if isinstance(sc, BaseException):
            outcomes[i] = Outcome(None, _error_text(sc))
            continue
        if sc.it.workload != "profile":
            # jobs and traces react to the plant (caps, throttling): run alone
            outcomes[i] = _run_alone(sc, timeseries)
            continue
        items = by_grid.setdefault(sc.n_steps, [])
        # the next free row (a scenario that fails leaves it to the next one)
        row = sig[sc.n_steps][len(items)] if pool is not None else None
        try:
            items.append((i, prepare(sc, cache, row)))
        except TwinError as exc:
            outcomes[i] = Outcome(None, _error_text(exc))
    parts = []
    for n_steps, items in by_grid.items():
        size = max_batch(n_steps, out_bytes)
        for start in range(0, len(items), size):
            part = items[start : start + size]
            preps = [p for _, p in part]
            rows = sig[n_steps][start : start + len(part)] if pool is not None else None
            parts.append((part, stack(preps, pool, rows), post_arrays(preps, soc_series)))
    return Staged(outcomes, parts, timeseries, pool)


def _sig_arrays(scenarios: Sequence[Scenario], pool: BufferPool) -> dict[int, np.ndarray]:
    """One ``(n, n_steps, N_SIG)`` array from *pool* per time grid, a row for each of the
    *n* batched scenarios on it (rows of scenarios that fail stay unused at the end)."""
    counts: dict[int, int] = {}
    for sc in scenarios:
        if sc.it.workload == "profile":
            counts[sc.n_steps] = counts.get(sc.n_steps, 0) + 1
    return {n_steps: pool.take("sig", n, n_steps, L.N_SIG) for n_steps, n in counts.items()}


def compute(staged: Staged, runner: Runner = cpu_runner) -> None:
    """The kernels of a staged batch: integrate, then scan and total every scenario.

    Compiled code only (it releases the GIL), so a sweep can stage the next
    batch in Python meanwhile.
    """
    import numba

    # scenarios handed out one at a time: a thread that loses its core to the Python
    # stage of the next batch delays one scenario, not a static share of the batch
    numba.set_parallel_chunksize(1)
    for _, arrays, post in staged.parts:
        runner(arrays, post, staged.timeseries)


def complete(staged: Staged) -> list[Outcome]:
    """KPIs (or errors) of every scenario of a computed batch."""
    outcomes = staged.outcomes
    for part, arrays, post in staged.parts:
        out, info = arrays[A_OUT], arrays[A_INFO]
        scan, totals, ride_s, moist, soc = post[-5:]
        for j, (i, p) in enumerate(part):
            soc_j = soc[j] if soc.shape[1] else out[j][:, L.O_SOC_BESS]
            done = _finish(p, info[j], scan[j], totals[j], (ride_s[j], moist[j]), soc_j)
            if staged.timeseries and done.kpis is not None:
                done.series = step_series(p, out[j])
            outcomes[i] = done
        if staged.pool is not None:
            staged.pool.give("sig", arrays[A_SIG])
            staged.pool.give("out", out)
    staged.parts = []
    return [o if o is not None else Outcome(None, "not run") for o in outcomes]


def run_batch(
    scenarios: Sequence[Scenario | BaseException],
    runner: Runner = cpu_runner,
    cache: InputCache | None = None,
    out_bytes: int = BATCH_OUT_BYTES,
    timeseries: bool = False,
) -> list[Outcome]:
    """KPIs of every scenario; an exception in the list is reported as that scenario's error."""
    staged = stage(scenarios, cache, out_bytes, timeseries, soc_series=runner is not cpu_runner)
    compute(staged, runner)
    return complete(staged)


def _run_alone(sc: Scenario, timeseries: bool) -> Outcome:
    """One scenario through the event-driven engine (same KPIs as ``twin run``)."""
    from twin.results.result import Result

    try:
        r = Result.from_raw(run_raw(sc))
    except TwinError as exc:
        return Outcome(None, _error_text(exc))
    series = r.timeseries if timeseries else None
    return Outcome(r.kpis, "", int(r.meta["simpy_events"]), int(r.meta["kernel_calls"]), series)


def _finish(
    p: Prepared,
    info: np.ndarray,
    scan: np.ndarray,
    totals: np.ndarray,
    post: tuple[np.ndarray, np.ndarray],
    soc: np.ndarray,
) -> Outcome:
    calls = int(info[0])
    events = p.timeline.simpy_events
    if info[I_STATUS] == ST_NONFINITE:
        err = EnergyBalanceError("non-finite state in the kernel: this is a bug, please report it")
        return Outcome(None, _error_text(err), events, calls)
    try:
        raise_if_broken(int(scan[0]), int(scan[1]), int(scan[2]), float(scan[3]), p.design.plant)
        ride_s, moist = post
        ride = {**ride_through_minutes(ride_s), **moisture_kpis_from_res(p.scenario, moist)}
        kpis = kpis_from_totals(p.scenario, totals, p.scenario.n_steps, ride, soc, p.design)
    except TwinError as exc:
        return Outcome(None, _error_text(exc), events, calls)
    return Outcome(kpis, "", events, calls)


def step_series(p: Prepared, out: np.ndarray):
    """The step table of one scenario of a batch: the columns of ``Result.timeseries``.

    The utilisation and the chillers in service come from the scenario's timeline,
    segment by segment, averaged over a step that segments share
    (:func:`twin.sim.timeline.timeline_steps`).
    """
    tl = p.timeline
    dt_s = float(p.scenario.dt_s)
    u_steps, n_chillers_steps = timeline_steps(tl.t0_s, tl.u_groups, tl.n_chillers, len(out), dt_s)
    ts = step_table(out, p.inputs, u_steps, n_chillers_steps, p.design.group_names)
    add_dew_point(ts, hall_dew_point_c(p.scenario, out, p.inputs, p.design))
    return ts


def scenario_kpis(sc: Scenario) -> dict[str, Any]:
    """KPIs of one scenario through the batched path (raises its error)."""
    o = run_batch([sc])[0]
    if o.kpis is None:
        raise TwinError(o.error)
    return o.kpis
