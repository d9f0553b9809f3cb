"""The garbage collector's share of a ``twin run --json`` process, against a baseline tree.

A 1-h ``twin run`` imports NumPy, pandas, numba, pydantic and the twin: a few hundred
thousand long-lived objects, which the cyclic garbage collector walks again and again
while they are being made. :mod:`twin.cli.process` now imports them with the collector
paused and then freezes them. Each worker here runs the command's own entry
(:func:`twin.cli.process.entry`, as ``twin run --json`` does) with a
:data:`gc.callbacks` hook that sums the time of every collection, and reports, just
before the process ends: the collections, their seconds (all, and the full ones), and
the wall and CPU seconds from the start of the worker's own code. Whole-process wall
times on a shared virtual machine swing by ±0.3 s from run to run; these in-process
figures are steadier. The trees alternate ``--repeat`` times (fresh interpreters, each
tree with its own caches, one warm-up run each) and the medians are compared.

Run:  python benchmarks/bench_command_gc.py --baseline-tree DIR [--repeat 10]
      [--out benchmarks/results/bench_command_gc.json]
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from treeruns import comparison_args, interleaved, tree_parser, write_record

FIELDS = ("collections", "gc_s", "gc_full_s", "wall_s", "cpu_s")


def worker() -> None:
    """``twin run --json`` through the command's entry; the last stdout line is the JSON
    of :data:`FIELDS`."""
    t0, c0 = time.perf_counter(), time.process_time()
    acc = {"collections": 0, "gc_s": 0.0, "gc_full_s": 0.0}
    started = [0.0]

    def hook(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        dt = time.perf_counter() - started[0]
        acc["collections"] += 1
        acc["gc_s"] += dt
        if info["generation"] == 2:
            acc["gc_full_s"] += dt

    gc.callbacks.append(hook)
    sys.argv = ["twin", "run", "--json"]
    import twin.cli.process as process

    real_exit = process.fast_exit

    def report(status: int) -> None:
        rec = {**acc, "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0}
        sys.stdout.write("\n" + json.dumps(rec) + "\n")
        real_exit(status)

    process.fast_exit = report
    process.entry()


def main() -> None:
    ap = tree_parser("benchmarks/results/bench_command_gc.json", repeat=10)
    args = comparison_args(ap, lambda a: worker())
    if args is None:
        return
    runs = interleaved(Path(__file__).resolve(), args.baseline_tree, args.repeat, [], [])
    med = {t: {f: statistics.median(r[f] for r in runs[t]) for f in FIELDS} for t in runs}
    cases = {
        "median": {t: {f: round(v, 4) for f, v in m.items()} for t, m in med.items()},
        "saved_s": {f: round(med["baseline"][f] - med["this"][f], 4) for f in FIELDS[1:]},
        "runs": runs,
    }
    for f in FIELDS:
        print(f"{f:12s} baseline {med['baseline'][f]:9.3f}  this {med['this'][f]:9.3f}")
    what = "twin run --json (1 h) through twin.cli.process.entry: garbage collections, in process"
    write_record(args.out, what, args.baseline_tree, {"repeat": args.repeat}, cases)


if __name__ == "__main__":
    main()
