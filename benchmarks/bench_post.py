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

import json
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from treeruns import comparison_args, interleaved, tree_parser, write_record

STEPS = ("1h", "1min")
PASSES = ("scan", "totals", "ride_through", "moisture")


def _passes(step: str):
    """The four passes as closures over one run of the default scenario at *step*, with
    the arguments that :func:`twin.results.kpis.compute_kpis` gives them."""
    import numpy as np

    from kernels import kpisums
    from kernels import layout as L
    from kernels.checks import scan_invariants
    from kernels.moisture import N_MOIST, hall_moisture_pass
    from kernels.ridethrough import ride_through_min_s
    from twin.results.invariants import ABS_TOL_W, BALANCE_TOL, soc_limits
    from twin.results.kpis import compute_kpis
    from twin.results.moisture import moisture_params
    from twin.results.ridethrough import _kernel_args
    from twin.scenario.model import Scenario
    from twin.sim.engine import run_raw

    sc = Scenario().with_overrides([f"simulation.step={step}"])
    raw = run_raw(sc)
    out, inp, d = np.ascontiguousarray(raw.out), raw.inputs, raw.design
    n = out.shape[0]
    lo, hi, check_soc = soc_limits(d.plant)
    # the totals' arguments as compute_kpis gives them (caught on one call, any tree)
    run_totals, caught = kpisums.run_totals, []
    kpisums.run_totals = lambda *a: caught.append(a) or run_totals(*a)
    try:
        compute_kpis(sc, out, inp, d)
    finally:
        kpisums.run_totals = run_totals
    totals = caught[0]
    ride = _kernel_args(sc, out, inp, d)
    t_db, t_wb = ride[3], ride[4]
    moist = (moisture_params(sc), np.ascontiguousarray(d.loops[L.AIR]), out, t_db, t_wb)
    res = np.zeros(N_MOIST)
    return n, {
        "scan": lambda: scan_invariants(out, BALANCE_TOL, ABS_TOL_W, lo, hi, check_soc, d.plant),
        "totals": lambda: run_totals(*totals),
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


def main() -> None:
    ap = tree_parser("benchmarks/results/bench_post.json", repeat=5, inner=5)
    args = comparison_args(ap, lambda a: worker(a.inner))
    if args is None:
        return
    inner = ["--inner", str(args.inner)]
    runs = interleaved(Path(__file__).resolve(), args.baseline_tree, args.repeat, inner,
                       ["--inner", "1"])  # fmt: skip
    trees = runs
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
    write_record(
        args.out,
        "the post passes of a run (kernels.batch.post_scenario's four), each alone "
        "over the default scenario's year, ns of thread CPU time per step (best of --inner "
        "passes per interpreter; median over --repeat interleaved runs)",
        args.baseline_tree,
        {"repeat": args.repeat, "inner": args.inner},
        cases,
    )


if __name__ == "__main__":
    main()
