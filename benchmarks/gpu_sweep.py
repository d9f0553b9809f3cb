"""GPU sweep benchmark: hourly site-years per second on one CUDA GPU (numba-cuda).

Prepared for a GPU runner; one short call. For each batch size it times

* ``kernel_s``: the batched kernels alone (host->device copies, the integration
  and the post pass on the device: invariant scan, KPI totals, ride-through; copy
  of those and of the state-of-charge series back), one thread per scenario, on
  a batch stacked once;
* ``sweep_s``: the whole ``twin.sweeps.front(..., backend="cuda")`` (SimPy timelines,
  stacking, kernel, KPIs on the CPU), for sizes up to ``--sweep-max``.

The scenarios vary PV and battery size (shared weather and timeline). The
per-step output of a scenario-year at 1 h is 2.1 MB, so one launch holds at
most ``twin.sweeps.batch.CUDA_BATCH_OUT_BYTES`` worth (about 4,000 scenarios); larger
batches run as several launches. It first checks that the GPU's KPIs agree
with the CPU backend for a few scenarios and records the largest relative
difference.

Run:  python benchmarks/gpu_sweep.py [--sizes 1000,10000,100000] [--sweep-max 10000]
      [--out benchmarks/results/gpu_sweep.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--sweep-max", type=int, default=10000)
    ap.add_argument("--out", default="benchmarks/results/gpu_sweep.json")
    args = ap.parse_args()

    import twin
    from twin.sweeps.arrays import post_arrays, stack
    from twin.sweeps.backends.cuda import check_available, cuda_runner
    from twin.sweeps.batch import CUDA_BATCH_OUT_BYTES, max_batch
    from twin.sweeps.chunks import make_scenario
    from twin.sweeps.design import plan
    from twin.sweeps.front import sweep
    from twin.sweeps.prepare import InputCache, prepare

    check_available()
    from numba import cuda

    base = twin.Scenario()
    vary = {"pv.capacity_mwp": [0.0, 80.0], "battery.energy_mwh": [0.0, 200.0]}
    record: dict = {
        "machine": {
            "platform": platform.platform(),
            "cores": os.cpu_count(),
            "gpu": str(getattr(cuda.get_current_device(), "name", "CUDA simulator")),
        },
        "versions": {p: version(p) for p in ("atlas-twin", "numba", "numba-cuda", "numpy")},
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cases": [],
    }
    # agreement with the CPU backend
    t0 = time.perf_counter()
    gpu = sweep(base, vary, design="random", n=8, seed=3, backend="cuda", progress=False)
    record["first_cuda_sweep_s_with_compile"] = round(time.perf_counter() - t0, 2)
    cpu = sweep(base, vary, design="random", n=8, seed=3, backend="local", progress=False)
    rel = 0.0
    for name in twin.KPI_NAMES:
        a, b = gpu[name].values, cpu[name].values
        scale = np.maximum(np.abs(b), 1e-12)
        rel = max(rel, float(np.nanmax(np.abs(a - b) / scale)))
    record["max_rel_diff_gpu_vs_cpu"] = rel
    print("GPU vs CPU max relative KPI difference:", rel, flush=True)

    per_launch = max_batch(base.n_steps, CUDA_BATCH_OUT_BYTES)
    cache = InputCache()
    for n in (int(s) for s in args.sizes.split(",")):
        rows = plan(vary, "random", n, seed=4)
        m = min(n, per_launch)
        prepared = [prepare(make_scenario(base, r), cache) for r in rows[:m]]
        arrays = stack(prepared)
        post = post_arrays(prepared, True)
        cuda_runner(arrays, post, False)  # warm
        launches = (n + m - 1) // m
        t0 = time.perf_counter()
        for _ in range(launches):
            cuda_runner(arrays, post, False)
        kernel_s = time.perf_counter() - t0
        case = {
            "scenarios": n,
            "per_launch": m,
            "launches": launches,
            "kernel_s": round(kernel_s, 3),
            "kernel_scenarios_per_s": round(n / kernel_s, 1),
        }
        if n <= args.sweep_max:
            t0 = time.perf_counter()
            sweep(base, vary, design="random", n=n, seed=4, backend="cuda", progress=False)
            case["sweep_s"] = round(time.perf_counter() - t0, 2)
            case["sweep_scenarios_per_s"] = round(n / case["sweep_s"], 1)
        record["cases"].append(case)
        print(case, flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
