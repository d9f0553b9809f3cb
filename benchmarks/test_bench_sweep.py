"""Scenarios per second for batch sizes 1 … 10,000, local backend, 1 h site-years.

Two kinds of sweep around the default scenario:

* ``design``: PV size and battery size vary (Latin hypercube). Scenarios share
  the site's weather and one SimPy timeline (nothing exogenous changes).
* ``faults``: the grid-outage rate varies, so every scenario samples its own
  SimPy timeline (the worst case for the Python side).

``test_one_by_one`` gives the baseline: ``twin.simulate`` in a loop.
``test_memory_flat`` records the peak traced allocation of sweeps of
increasing size (numpy reports its buffers to :mod:`tracemalloc`).
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

import twin
import twin.sweeps.chunks as sweep_chunks
from twin.sweeps.front import sweep

VARY = {
    "design": {"pv.capacity_mwp": [0.0, 80.0], "battery.energy_mwh": [0.0, 200.0]},
    "faults": {"faults.grid_outages_per_year": [0.5, 20.0]},
}
SIZES = [1, 10, 100, 1000, pytest.param(10_000, marks=pytest.mark.big)]


@pytest.fixture(scope="module")
def base() -> twin.Scenario:
    sc = twin.Scenario()
    sweep(sc, {"pv.capacity_mwp": [0.0, 10.0]}, progress=False)  # JIT cache, memo
    return sc


@pytest.mark.parametrize("kind", list(VARY))
@pytest.mark.parametrize("n", SIZES)
def test_sweep_throughput(benchmark, base, kind, n):
    if kind == "faults" and n > 1000:
        pytest.skip("one SimPy timeline per scenario: ~25 ms each, see docs/sweeps.md")

    def run():
        return sweep(base, VARY[kind], design="latin_hypercube", n=n, seed=1, progress=False)

    def fresh():
        # each round samples its timelines again (weather and PV stay memoised per site)
        sweep_chunks._CACHE = None

    rounds = 1 if n >= 1000 else 3
    t_cpu = time.process_time()
    ds = benchmark.pedantic(run, setup=fresh, rounds=rounds, warmup_rounds=0)
    cpu_s = (time.process_time() - t_cpu) / rounds
    wall = benchmark.stats.stats.min
    assert int((ds["error"] != "").sum()) == 0
    benchmark.extra_info.update(
        scenarios=n,
        scenarios_per_s=round(n / wall, 2),
        process_cpu_s_per_round=round(cpu_s, 3),
        step="1h",
    )


def test_one_by_one(benchmark, base):
    """Baseline: ``twin.simulate`` for each scenario (20 of the ``design`` sweep)."""
    from twin.sweeps.chunks import make_scenario
    from twin.sweeps.design import plan

    rows = plan(VARY["design"], "latin_hypercube", 20, 1)
    scenarios = [make_scenario(base, r) for r in rows]

    def run():
        for sc in scenarios:
            twin.simulate(sc)

    benchmark.pedantic(run, rounds=1, warmup_rounds=0)
    benchmark.extra_info.update(
        scenarios=len(scenarios),
        scenarios_per_s=round(len(scenarios) / benchmark.stats.stats.min, 2),
    )


def test_memory_flat(benchmark, base):
    """Peak traced memory for 100, 400 and 1,600 scenarios (default chunks)."""
    peaks = {}

    def run():
        for n in (100, 400, 1600):
            tracemalloc.start()
            sweep(base, VARY["design"], design="random", n=n, seed=2, progress=False)
            peaks[n] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()

    benchmark.pedantic(run, rounds=1, warmup_rounds=0)
    benchmark.extra_info.update({f"peak_mib_{n}": round(v, 1) for n, v in peaks.items()})
