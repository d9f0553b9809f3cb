"""One site-year of the default scenario in process, warm JIT cache: 1 h, 15 min, 1 min.

``test_site_year`` times :func:`twin.simulate` (inputs, SimPy + kernels,
results). ``test_site_year_parts`` times the parts separately, with the
per-site input memo cleared (cold) and kept (warm), and the batched path
(SimPy timeline first, one kernel call) that sweeps use; the parts are stored
in ``extra_info`` of the JSON.
"""

from __future__ import annotations

import time

import pytest

import twin
from twin.results.kpis import compute_kpis
from twin.results.result import Result, check_invariants
from twin.sim import inputs as twin_inputs
from twin.sim.compile import compile_scenario
from twin.sim.engine import run_raw
from twin.sim.timeline import sample_timeline
from twin.sweeps.arrays import stack
from twin.sweeps.batch import run_batch
from twin.sweeps.prepare import InputCache, prepare

STEPS = ("1h", "15min", "1min")


def _scenario(step: str) -> twin.Scenario:
    return twin.Scenario(simulation={"step": step})


def _clear_memo() -> None:
    twin_inputs._WEATHER_MEMO.clear()
    twin_inputs._PV_MEMO.clear()
    twin_inputs._GRID_MEMO.clear()
    twin_inputs._COLUMN_MEMO.clear()


@pytest.mark.parametrize("step", STEPS)
def test_site_year(benchmark, step):
    sc = _scenario(step)
    twin.simulate(sc)  # JIT cache, imports, memo
    rounds = 3 if step == "1min" else 10
    result = benchmark.pedantic(twin.simulate, args=(sc,), rounds=rounds, warmup_rounds=1)
    benchmark.extra_info.update(
        steps=result.meta["steps"],
        simpy_events=result.meta["simpy_events"],
        kernel_calls=result.meta["kernel_calls"],
        inputs="memoised per site in process (see test_site_year_parts for cold inputs)",
    )


def _best(fn, n=3):
    best = float("inf")
    out = None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


@pytest.mark.parametrize("step", STEPS)
def test_site_year_parts(benchmark, step):
    sc = _scenario(step)
    twin.simulate(sc)
    run_batch([sc])

    def cold_inputs():
        _clear_memo()
        return twin_inputs.load_inputs(sc)

    parts = {}
    parts["inputs_cold_s"], inp = _best(cold_inputs)
    parts["inputs_memo_s"], _ = _best(lambda: twin_inputs.load_inputs(sc))
    design = compile_scenario(sc)
    parts["compile_s"], _ = _best(lambda: compile_scenario(sc))
    parts["simpy_timeline_s"], _ = _best(lambda: sample_timeline(sc, design))
    parts["engine_simpy_plus_kernels_s"], raw = _best(lambda: run_raw(sc))
    parts["engine_simpy_plus_kernels_s"] -= parts["inputs_memo_s"]
    parts["check_invariants_s"], _ = _best(lambda: check_invariants(raw.out))
    parts["compute_kpis_s"], _ = _best(lambda: compute_kpis(sc, raw.out, inp, design))
    parts["result_dataframe_s"], _ = _best(lambda: Result.from_raw(raw))
    cache = InputCache()
    p = prepare(sc, cache)
    from kernels.batch import integrate_batch

    def kernel_only():
        arrays = stack([p])
        t0 = time.perf_counter()
        integrate_batch(*arrays)
        return time.perf_counter() - t0

    parts["batched_kernel_s"] = min(kernel_only() for _ in range(3))
    parts["batched_path_s"], _ = _best(lambda: run_batch([sc], cache=InputCache()))
    benchmark.extra_info.update({k: round(v, 5) for k, v in parts.items()})
    # the timed figure: the batched path for one scenario, inputs memoised, timeline sampled
    benchmark.pedantic(lambda: run_batch([sc], cache=InputCache()), rounds=3, warmup_rounds=0)
