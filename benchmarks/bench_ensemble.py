"""An ensemble of weather years against one sweep chunk, side by side in one process.

Scenario: the embedded default at Ouarzazate with 100 MWp of PV, hourly, a whole year.

* ``chunk_s``: one local sweep chunk (``LocalBackend.chunk_size`` scenarios at 1 h, 44)
  varying the PV size on the typical year: one weather, one PV simulation, 44 kernel runs;
* ``ensemble_s``: ``twin.ensemble(..., years=100)``: 100 weather years, each with its own
  weather table, PV simulation and kernel run, through the same batched path;
* ``weather_year_s``: building one weather year alone (:func:`weather.ensemble.ensemble_year`).

The kernels are compiled (and the typical year built) by a warm-up chunk first, so
both timings are of warm code. Ratio ``ensemble_s / chunk_s`` is what the issue asks
for ("within a small multiple of one sweep chunk's time").

Run:  python benchmarks/bench_ensemble.py [--years 100] [--out benchmarks/results/bench_ensemble.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

import twin
from twin.sweeps.backends.local import LocalBackend
from twin.sweeps.front import sweep
from weather.ensemble import ensemble_year
from weather.sites import get_site


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=100)
    ap.add_argument("--out", default="benchmarks/results/bench_ensemble.json")
    args = ap.parse_args()
    sc = twin.Scenario(site={"id": "ouarzazate"}).with_overrides(["pv.capacity_mwp=100"])
    size = LocalBackend().chunk_size(sc.n_steps)
    sizes = [float(v) for v in np.linspace(50.0, 150.0, size)]
    sweep(sc, {"pv.capacity_mwp": sizes[:2]}, progress=False)  # warm-up: compile, typical year
    t0 = time.perf_counter()
    ds = sweep(sc, {"pv.capacity_mwp": sizes}, progress=False)
    chunk_s = time.perf_counter() - t0
    assert int((ds["error"] != "").sum()) == 0
    t0 = time.perf_counter()
    ens = twin.ensemble(sc, years=args.years, seed=0, progress=False)
    ensemble_s = time.perf_counter() - t0
    site = get_site("ouarzazate")
    t0 = time.perf_counter()
    ensemble_year(site, args.years + 1, seed=0)
    weather_year_s = time.perf_counter() - t0
    pv = ens["pv_energy_mwh"].values
    result = {
        "scenario": "default hall, site.id=ouarzazate, pv.capacity_mwp=100, 1 h, 365 days",
        "chunk_scenarios": size,
        "chunk_s": round(chunk_s, 3),
        "years": args.years,
        "ensemble_s": round(ensemble_s, 3),
        "ensemble_over_chunk": round(ensemble_s / chunk_s, 2),
        "per_year_s": round(ensemble_s / args.years, 4),
        "weather_year_s": round(weather_year_s, 4),
        "pv_energy_mwh_p10_p50_p90": [round(float(np.percentile(pv, p)), 1) for p in (10, 50, 90)],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
