"""Warm what-ifs in one Python session, against a baseline tree side by side.

A notebook, ``twin serve`` or a script that runs ``twin.simulate`` again and again pays,
per run, the compile of the scenario, its inputs (cached in the process), the SimPy
timeline, the kernel and the post-processing. Each worker interpreter runs the default
scenario with two cooling plants at 1 h and 15 min as what-ifs: the same hall with
``--inner`` PV sizes one after the other (a what-if changes a value and runs again),
after one run of each case (kernels loaded, inputs cached). It reports, per case, the
median wall of ``twin.simulate`` and, over the same what-ifs again, of the engine's
loop alone (``twin.sim.engine.run_raw``'s ``stats["loop_s"]``: the timeline and the
kernel). The trees run alternately in fresh interpreters, each with its
own kernel cache (:mod:`treeruns`), and the medians over ``--repeat`` runs are compared.

Run:  python benchmarks/bench_warm_runs.py --baseline-tree DIR [--repeat 5] [--inner 5]
      [--out benchmarks/results/bench_warm_runs.json]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from treeruns import comparison_args, interleaved, tree_parser, write_record

CASES = tuple(
    (plant, step)
    for step in ("1h", "15min")
    for plant in ("water_cooled_chillers", "air_cooled_chillers")
)


def worker(inner: int) -> None:
    """Print {case: {"simulate_ms", "loop_ms"}} for this interpreter's tree."""
    import twin
    from twin.sim.engine import run_raw

    res = {}
    for plant, step in CASES:
        base = twin.Scenario().with_overrides([f"simulation.step={step}", f"cooling.plant={plant}"])
        twin.simulate(base)  # kernels loaded, inputs cached
        walls, loops = [], []
        what_ifs = [
            base.with_overrides([f"pv.capacity_mwp={10.0 * (i + 1)}"]) for i in range(inner)
        ]
        for sc in what_ifs:
            t0 = time.perf_counter()
            twin.simulate(sc)
            walls.append(time.perf_counter() - t0)
        for sc in what_ifs:
            loops.append(float(run_raw(sc).stats["loop_s"]))
        res[f"{plant}@{step}"] = {
            "simulate_ms": 1e3 * statistics.median(walls),
            "loop_ms": 1e3 * statistics.median(loops),
        }
    print(json.dumps(res))


def main() -> None:
    ap = tree_parser("benchmarks/results/bench_warm_runs.json", repeat=5, inner=5)
    args = comparison_args(ap, lambda a: worker(a.inner))
    if args is None:
        return
    runs = interleaved(Path(__file__).resolve(), args.baseline_tree, args.repeat,
                       ["--inner", str(args.inner)], ["--inner", "1"])  # fmt: skip
    cases = {}
    for plant, step in CASES:
        key = f"{plant}@{step}"
        case = {}
        for part in ("simulate_ms", "loop_ms"):
            med = {t: statistics.median(r[key][part] for r in runs[t]) for t in runs}
            case[part] = {
                "this": round(med["this"], 2),
                "baseline": round(med["baseline"], 2),
                "ratio_baseline_over_this": round(med["baseline"] / med["this"], 2),
            }
            print(f"{key:32s} {part:12s} this {med['this']:7.2f}  baseline "
                  f"{med['baseline']:7.2f}  x{med['baseline'] / med['this']:.2f}")  # fmt: skip
        cases[key] = case
    write_record(
        args.out,
        "warm what-ifs in one session: twin.simulate of the default hall with a new PV size "
        "each run, wall per run and the engine's loop (SimPy timeline and kernel), ms; "
        "median of --inner runs per interpreter, median over --repeat interleaved interpreters",
        args.baseline_tree,
        {"repeat": args.repeat, "inner": args.inner},
        cases,
    )


if __name__ == "__main__":
    main()
