"""Speed of a fault-free year at 1 h and 1 min, this tree against a baseline tree.

Issue 18 (events at their exact time, shedding by priority, anti-islanding) must keep a
year with no faults within 10 % of the tree before it. Each run is a fresh interpreter
(``twin run --json``) with its own warm numba cache (one run first to compile);
``sim_wall_s`` is the simulation's own time (``meta.wall_s``: weather, SimPy, kernels and
results). The baseline tree (an export of the commit before, e.g.
``git archive <commit> | tar -x -C DIR``) is measured in the same invocation, interleaved
run by run with this tree, so a busy shared machine affects both alike; medians of
``--repeat`` runs are reported with their ratio.

A fresh process also pays start-up costs that move between trees (the baseline computes
its weather and PV inputs there, this tree reads them from its input cache and pays
numba's start-up instead), so each tree is also timed warm: one interpreter simulates
the year ``WARM_RUNS`` times after a first run, and the median of ``twin.simulate``'s own
``meta.wall_s`` is the year's cost once everything is loaded (``warm_*`` in the record);
``process_*`` is the whole ``twin run --json`` process, what a user waits for.

Run:  python benchmarks/bench_faults_speed.py --baseline-tree DIR [--repeat 5]
      [--out benchmarks/results/bench_faults_speed.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ("1h", "1min")
QUIET = ("faults.grid_outages_per_year=0", "faults.chiller_failures_per_year=0")


def _run(step: str, cache_dir: str, tree: str) -> dict:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir, "ATLAS_TWIN_CACHE": cache_dir}
    env["PYTHONPATH"] = tree
    cmd = [sys.executable, "-m", "twin.cli", "run", "--step", step, "--json"]
    for kv in QUIET:
        cmd += ["--set", kv]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, cwd=tree)
    process_s = time.perf_counter() - t0
    out = json.loads(proc.stdout)
    return {"sim_wall_s": out["meta"]["wall_s"], "process_s": process_s, "pue": out["pue"]}


WARM_RUNS = 15
_WARM = """
import json, statistics, twin
sc = twin.Scenario(simulation={{"step": "{step}"}}, faults={{
    "grid_outages_per_year": 0, "chiller_failures_per_year": 0}})
twin.simulate(sc)
walls = [twin.simulate(sc).meta["wall_s"] for _ in range({n})]
print(json.dumps(statistics.median(walls)))
"""


def _run_warm(step: str, cache_dir: str, tree: str) -> float:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir, "ATLAS_TWIN_CACHE": cache_dir}
    env["PYTHONPATH"] = tree
    code = _WARM.format(step=step, n=WARM_RUNS)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=tree
    )
    return float(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-tree", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default="benchmarks/results/bench_faults_speed.json")
    args = ap.parse_args()
    here = str(Path(__file__).resolve().parents[1])
    trees = {"this": here, "baseline": str(Path(args.baseline_tree).resolve())}
    times = {(t, s): [] for t in trees for s in STEPS}
    warm = {(t, s): [] for t in trees for s in STEPS}
    proc = {(t, s): [] for t in trees for s in STEPS}
    pue = {}
    with tempfile.TemporaryDirectory() as c_this, tempfile.TemporaryDirectory() as c_base:
        caches = {"this": c_this, "baseline": c_base}
        for name, tree in trees.items():
            for step in STEPS:
                _run(step, caches[name], tree)  # compile once per tree
        for _ in range(args.repeat):
            for step in STEPS:
                for name, tree in trees.items():
                    r = _run(step, caches[name], tree)
                    times[(name, step)].append(r["sim_wall_s"])
                    pue[(name, step)] = r["pue"]
                    proc[(name, step)].append(r["process_s"])
                    warm[(name, step)].append(_run_warm(step, caches[name], tree))
    cases = {}
    for step in STEPS:
        this = statistics.median(times[("this", step)])
        base = statistics.median(times[("baseline", step)])
        cases[step] = {
            "this_sim_wall_s_median": round(this, 3),
            "baseline_sim_wall_s_median": round(base, 3),
            "ratio": round(this / base, 3),
            "this_runs": times[("this", step)],
            "baseline_runs": times[("baseline", step)],
            "process_this_s_median": round(statistics.median(proc[("this", step)]), 3),
            "process_baseline_s_median": round(statistics.median(proc[("baseline", step)]), 3),
            "process_ratio": round(
                statistics.median(proc[("this", step)])
                / statistics.median(proc[("baseline", step)]),
                3,
            ),
            "warm_this_s_median": round(statistics.median(warm[("this", step)]), 4),
            "warm_baseline_s_median": round(statistics.median(warm[("baseline", step)]), 4),
            "warm_ratio": round(
                statistics.median(warm[("this", step)])
                / statistics.median(warm[("baseline", step)]),
                3,
            ),
            "pue_this": pue[("this", step)],
            "pue_baseline": pue[("baseline", step)],
        }
    record = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "repeat": args.repeat,
        "warm_runs": WARM_RUNS,
        "cases": cases,
    }
    print(json.dumps(record, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
