"""Time to build one site-year of exogenous inputs (weather, PV, price, carbon).

The solar-position cache is cleared before each repetition, so the figure is
that of a first run for the site-year; the best of five is reported.

Run:  python benchmarks/bench_inputs.py
"""

from __future__ import annotations

import time

import twin
from twin.sim.inputs import load_inputs
from weather.solar import _cached


def main() -> None:
    sc = twin.Scenario()
    load_inputs(sc)  # warm imports and compiled kernels
    times = []
    for _ in range(5):
        _cached.cache_clear()
        t0 = time.perf_counter()
        load_inputs(sc)
        times.append(time.perf_counter() - t0)
    print(f"load_inputs, default scenario, 1 h: best of 5 = {min(times):.3f} s")


if __name__ == "__main__":
    main()
