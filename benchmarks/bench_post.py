"""The post passes of a run alone, ns per step, against a baseline tree side by side.

After the plant kernel, every run and every scenario of a sweep goes over its steps
again (:func:`kernels.batch.post_scenario`): the invariant scan, the KPI totals, the
ride-through minima (:func:`kernels.ridethrough.ride_through_min_s`, a chiller trip and
a plant power loss from every step) and the hall's moisture
(:func:`kernels.moisture.hall_moisture_pass`). Each pass is timed alone here on the
default scenario's own year (faults on, as a user runs it), as thread CPU time per
step, the best of ``--inner`` passes in one interpreter; the trees are run alternately
``--repeat`` times (fresh interpreters, each tree with its own kernel cache) and the
medians are compared.

Run:  python benchmarks/bench_post.py --baseline-tree DIR [--repeat 5] [--inner 5]
      [--out benchmarks/results/bench_post.json]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ("1h", "1min")
PASSES = ("scan", "totals", "ride_through", "moisture")


def _passes(step: str):
    """The four passes as closures over one run of the default scenario at *step*, with
    the arguments that :func:`twin.results.kpis.compute_kpis` gives them."""
    import numpy as np

    from kernels import layout as L
    from kernels.checks import scan_invariants
    from kernels.kpisums import run_totals
    from kernels.moisture import N_MOIST, hall_moisture_pass
    from kernels.ridethrough import ride_through_min_s
    from twin.results.invariants import ABS_TOL_W, BALANCE_TOL, soc_limits
    from twin.results.kpis import kpi_params, ppa_w
    from twin.results.moisture import moisture_params
    from twin.results.ridethrough import _kernel_args
    from twin.scenario.model import Scenario
    from twin.sim.engine import run_raw
    from twin.sim.inputs import carbon_free_frac, carbon_marginal, tariff_slot

    sc = Scenario().with_overrides([f"simulation.step={step}"])
    raw = run_raw(sc)
    out, inp, d = np.ascontiguousarray(raw.out), raw.inputs, raw.design
    n = out.shape[0]
    lo, hi, check_soc = soc_limits(d.plant)
    totals = (
        carbon_free_frac(inp, n, sc.grid.carbon_free_frac),
        np.ascontiguousarray(inp.carbon_g_per_kwh[:n], dtype=np.float64),
        carbon_marginal(inp, n),
        np.ascontiguousarray(inp.price_mad_per_kwh[:n], dtype=np.float64),
        tariff_slot(inp, n),
        ppa_w(inp, n),
        kpi_params(sc, d),
    )
    ride = _kernel_args(sc, out, inp, d)
    t_db, t_wb = ride[3], ride[4]
    moist = (moisture_params(sc), np.ascontiguousarray(d.loops[L.AIR]), out, t_db, t_wb)
    res = np.zeros(N_MOIST)
    return n, {
        "scan": lambda: scan_invariants(out, BALANCE_TOL, ABS_TOL_W, lo, hi, check_soc, d.plant),
        "totals": lambda: run_totals(out, *totals),
        "ride_through": lambda: ride_through_min_s(*ride),
        "moisture": lambda: hall_moisture_pass(*moist, float(sc.dt_s), np.empty(0), res),
    }


def worker(inner: int) -> None:
    """Print {step: {pass: ns per step}} for this interpreter's tree (best of *inner*)."""
    res: dict[str, dict[str, float]] = {}
    for step in STEPS:
        n, fns = _passes(step)
        res[step] = {}
        for name, fn in fns.items():
            fn()  # load / warm
            best = math.inf
            for _ in range(inner):
                t0 = time.thread_time()
                fn()
                best = min(best, time.thread_time() - t0)
            res[step][name] = 1e9 * best / n
    print(json.dumps(res))


def _run_worker(tree: str, cache: str, inner: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(PYTHONPATH=tree, ATLAS_TWIN_CACHE=cache)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--inner", str(inner)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, cwd=tree)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-tree")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--inner", type=int, default=5)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", default="benchmarks/results/bench_post.json")
    args = ap.parse_args()
    if args.worker:
        worker(args.inner)
        return
    if not args.baseline_tree:
        ap.error("--baseline-tree is required")
    here = str(Path(__file__).resolve().parents[1])
    trees = {"this": here, "baseline": str(Path(args.baseline_tree).resolve())}
    runs: dict[str, list[dict]] = {t: [] for t in trees}
    with tempfile.TemporaryDirectory() as c_this, tempfile.TemporaryDirectory() as c_base:
        caches = {"this": c_this, "baseline": c_base}
        for name, tree in trees.items():
            _run_worker(tree, caches[name], 1)  # compile once per tree
        for _ in range(args.repeat):
            for name, tree in trees.items():
                runs[name].append(_run_worker(tree, caches[name], args.inner))
    cases = {}
    for step in STEPS:
        for name in (*PASSES, "all"):
            med = {}
            for t in trees:
                vals = [sum(r[step].values()) if name == "all" else r[step][name] for r in runs[t]]
                med[t] = statistics.median(vals)
            key = f"{name}@{step}"
            cases[key] = {
                "this_ns_per_step": round(med["this"], 1),
                "baseline_ns_per_step": round(med["baseline"], 1),
                "ratio_this_over_baseline": round(med["this"] / med["baseline"], 3),
            }
            print(f"{key:20s} this {med['this']:7.1f} ns  baseline {med['baseline']:7.1f} ns  "
                  f"ratio {med['this'] / med['baseline']:.3f}")  # fmt: skip
    record = {
        "what": "the post passes of a run (kernels.batch.post_scenario's four), each alone "
        "over the default scenario's year, ns of thread CPU time per step (best of --inner "
        "passes per interpreter; median over --repeat interleaved runs)",
        "baseline_tree": Path(args.baseline_tree).name,
        "repeat": args.repeat,
        "inner": args.inner,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}",
        "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cases": cases,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
