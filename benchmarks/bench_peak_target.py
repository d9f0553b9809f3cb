"""The automatic target of ``peak_shaving`` alone, against a baseline tree side by side.

With ``power.dispatch = "peak_shaving"`` and ``power.peak_target_mw = 0`` a run first
finds the lowest grid import the battery can hold over the year
(:func:`twin.sim.signals.lowest_peak_target_w`): 30 bisections, each a walk over every
step. Timed here on the default scenario's own net load (facility load of its
self-consumption pre-run, less PV and wind) with a 100 MWh battery, at 1 h, 15 min and
1 min, as thread CPU time, the best of ``--inner`` calls in one interpreter (after one
call that loads the kernel); the trees run alternately ``--repeat`` times (fresh
interpreters, each tree with its own kernel cache) and the medians are compared. The
targets of both trees must be equal to the bit (``same_target``).

Run:  python benchmarks/bench_peak_target.py --baseline-tree DIR [--repeat 3] [--inner 3]
      [--out benchmarks/results/bench_peak_target.json]
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

STEPS = ("1h", "15min", "1min")
SETS = ("power.dispatch=peak_shaving", "battery.energy_mwh=100", "battery.power_mw=25")


def _net_w(step: str):
    """The scenario and the net load the automatic target is found on, as a run has it."""
    import numpy as np

    from kernels import layout as L
    from twin.scenario.model import Scenario
    from twin.sim.engine import run_raw
    from twin.sim.inputs import load_inputs

    sc = Scenario().with_overrides([*SETS, f"simulation.step={step}"])
    pre = run_raw(sc.with_overrides(["power.dispatch=self_consumption"]))
    out = pre.out
    load = out[:, L.O_P_IT_W] + out[:, L.O_P_UPS_LOSS_W] + out[:, L.O_P_COOLING_W]
    inp = load_inputs(sc)
    return sc, np.ascontiguousarray(load - inp.p_pv_w[: len(load)])


def worker(inner: int) -> None:
    """Print {step: {"ns_per_step": ..., "target_w": ...}} for this interpreter's tree."""
    from twin.sim.signals import lowest_peak_target_w

    res = {}
    for step in STEPS:
        sc, net = _net_w(step)
        target = lowest_peak_target_w(sc, net)  # loads the kernel (the first tree: Python)
        best = math.inf
        for _ in range(inner):
            t0 = time.thread_time()
            lowest_peak_target_w(sc, net)
            best = min(best, time.thread_time() - t0)
        res[step] = {"s": best, "ns_per_step": 1e9 * best / len(net), "target_w": target}
    print(json.dumps(res))


def main() -> None:
    ap = tree_parser("benchmarks/results/bench_peak_target.json", repeat=3, inner=3)
    args = comparison_args(ap, lambda a: worker(a.inner))
    if args is None:
        return
    runs = interleaved(
        Path(__file__).resolve(), args.baseline_tree, args.repeat,
        ["--inner", str(args.inner)], ["--inner", "1"],
    )  # fmt: skip
    cases = {}
    for step in STEPS:
        med = {t: statistics.median(r[step]["s"] for r in runs[t]) for t in runs}
        targets = {t: {r[step]["target_w"] for r in runs[t]} for t in runs}
        cases[step] = {
            "this_s": round(med["this"], 4),
            "baseline_s": round(med["baseline"], 4),
            "ratio_this_over_baseline": round(med["this"] / med["baseline"], 4),
            "same_target": len(targets["this"] | targets["baseline"]) == 1,
            "target_mw": round(next(iter(targets["this"])) / 1e6, 6),
        }
        print(f"{step:6s} this {med['this']:.4f} s  baseline {med['baseline']:.4f} s  "
              f"ratio {cases[step]['ratio_this_over_baseline']:.4f}  "
              f"same target {cases[step]['same_target']}")  # fmt: skip
    what = "lowest_peak_target_w (peak_shaving's automatic target), thread CPU seconds"
    options = {"repeat": args.repeat, "inner": args.inner, "sets": list(SETS)}
    write_record(args.out, what, args.baseline_tree, options, cases)


if __name__ == "__main__":
    main()
