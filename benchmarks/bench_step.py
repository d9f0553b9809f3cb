"""Nanoseconds per step of the integrated plant's kernel, this tree against a baseline tree.

Issue 23 (a cheaper step) and issue 18's leftover (the 1-minute kernel loop after events
inside steps, shedding and anti-islanding). What is timed is the kernel alone:
:func:`kernels.integrate.integrate_interval` over every step of a site-year, on the arrays
that :mod:`twin.sim` compiles for the scenario (design, inputs, supply signals, initial
state), the grid up, the utilisation of the first interval and every chiller in service,
so SimPy, inputs and results are left out. A crossing (battery empty, unmet load) stops the
kernel as in a run; the loop calls it again from the step it returned.

Each tree runs in its own interpreter (the two trees share module names) with its own
numba cache, compiled once before timing. The trees alternate ``--repeat`` times, so a
busy shared machine affects both alike; each worker reports the best of ``--inner`` passes
over the year (at least two million steps in all, so many more passes at 1 h), in CPU time
of the thread (the kernel is single-threaded; a busy machine that takes the core away
between instructions does not count), and the figures are the medians over the repeats, with their ratio.

Cases: the default scenario and three other cooling plants, at 1 h and 1 min.

Run:  python benchmarks/bench_step.py --baseline-tree DIR [--repeat 5] [--inner 3]
      [--cases water_cooled_chillers@1min,...] [--out benchmarks/results/bench_step.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from treeruns import interleaved, write_record

try:  # the kernel's memo arguments (kernels.memo), off; a tree before them has none
    from kernels.memo import MEMO_OFF

    _NO_MEMO: tuple = (None, MEMO_OFF)
except ImportError:
    _NO_MEMO = ()

PLANTS = ("water_cooled_chillers", "air_cooled_chillers", "dry_coolers", "adiabatic_coolers")
CASES = tuple((plant, step) for step in ("1h", "1min") for plant in PLANTS)
QUIET = ("faults.grid_outages_per_year=0", "faults.chiller_failures_per_year=0")


def _arrays(plant: str, step: str):
    """The kernel's arguments for a year of the default scenario with *plant* at *step*."""
    import numpy as np

    from twin.scenario.model import Scenario
    from twin.sim.compile import compile_scenario, initial_state
    from twin.sim.inputs import load_inputs
    from twin.sim.signals import supply_signals

    sets = [*QUIET, f"simulation.step={step}", f"cooling.plant={plant}"]
    sc = Scenario().with_overrides(sets)
    design = compile_scenario(sc)
    inp = load_inputs(sc)
    sig = supply_signals(sc, inp, design.plant, None)
    u = np.array([g.utilisation_mean for g in sc.it.groups], dtype=float)
    n_air, n_liq = design.n_chillers
    return sc, design, inp, sig, u, float(n_air), float(n_liq), initial_state(sc)


def _year(args, state0, out) -> float:
    """One pass over the year: the thread's CPU time [s] (a busy shared machine takes the
    core away between passes, which wall time would count)."""
    from kernels.integrate import integrate_interval
    from kernels.layout import ST_DONE

    sc, design, inp, sig, u, n_air, n_liq, _ = args
    n = sc.n_steps
    state = state0.copy()
    t0 = time.thread_time()
    k = 0
    while k < n:
        k, status = integrate_interval(
            k, n, design.plant, design.loops, design.groups, u, True, 0.0, n_air, n_liq,
            inp.t_db_c, inp.t_wb_c, inp.p_pv_w, state, out, sig, *_NO_MEMO,
        )  # fmt: skip
        if status not in (ST_DONE, 1, 2, 3, 4):
            raise RuntimeError(f"kernel status {status} at step {k}")
    return time.thread_time() - t0


def _selected(names: str | None) -> tuple:
    """The cases named ``plant@step`` in *names* (comma-separated), or all."""
    if not names:
        return CASES
    keep = set(names.split(","))
    return tuple(c for c in CASES if f"{c[0]}@{c[1]}" in keep)


def worker(inner: int, names: str | None = None) -> None:
    """Print {case: ns per step} for this interpreter's tree (best of *inner* passes)."""
    import numpy as np

    res = {}
    for plant, step in _selected(names):
        args = _arrays(plant, step)
        n = args[0].n_steps
        out = np.zeros((n, _n_out()))
        _year(args, args[7], out)  # compile / warm
        passes = max(inner, 2_000_000 // n)  # short years: many passes, the best kept
        best = min(_year(args, args[7], out) for _ in range(passes))
        res[f"{plant}@{step}"] = 1e9 * best / n
    print(json.dumps(res))


def _n_out() -> int:
    from kernels.layout import N_OUT

    return N_OUT


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-tree")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--inner", type=int, default=3)
    ap.add_argument("--cases", help="plant@step,... (default: all eight)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", default="benchmarks/results/bench_step.json")
    args = ap.parse_args()
    if args.worker:
        worker(args.inner, args.cases)
        return
    if not args.baseline_tree:
        ap.error("--baseline-tree is required")
    cases_arg = ["--cases", args.cases] if args.cases else []
    runs = interleaved(Path(__file__).resolve(), args.baseline_tree, args.repeat,
                       ["--inner", str(args.inner), *cases_arg],
                       ["--inner", "1", *cases_arg])  # fmt: skip
    trees = runs
    cases = {}
    for plant, step in _selected(args.cases):
        key = f"{plant}@{step}"
        med = {t: statistics.median(r[key] for r in runs[t]) for t in trees}
        best = {t: min(r[key] for r in runs[t]) for t in trees}
        cases[key] = {
            "this_ns_per_step": round(med["this"], 1),
            "baseline_ns_per_step": round(med["baseline"], 1),
            "ratio_this_over_baseline": round(med["this"] / med["baseline"], 3),
            "this_best_ns_per_step": round(best["this"], 1),
            "baseline_best_ns_per_step": round(best["baseline"], 1),
            "ratio_of_bests": round(best["this"] / best["baseline"], 3),
        }
        print(f"{key:32s} this {med['this']:7.1f} ns  baseline {med['baseline']:7.1f} ns  "
              f"ratio {med['this'] / med['baseline']:.3f}")  # fmt: skip
    write_record(
        args.out,
        "kernels.integrate.integrate_interval alone over a year, ns of thread CPU "
        "time per step (best of --inner passes per interpreter; median and best over "
        "--repeat interleaved runs)",
        args.baseline_tree,
        {"repeat": args.repeat, "inner": args.inner},
        cases,
    )


if __name__ == "__main__":
    main()
