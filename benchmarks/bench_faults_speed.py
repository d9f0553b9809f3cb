"""Speed of a fault-free year at 1 h and 1 min, this tree against a baseline tree.

Issue 18 (events at their exact time, shedding by priority, anti-islanding) must keep a
year with no faults within 10 % of the tree before it. Each run is a fresh interpreter
(``twin run --json``) with its own warm numba cache (one run first to compile);
``sim_wall_s`` is the simulation's own time (``meta.wall_s``: weather, SimPy, kernels and
results). The baseline tree (an export of the commit before, e.g.
``git archive <commit> | tar -x -C DIR``) is measured in the same invocation, interleaved
run by run with this tree, so a busy shared machine affects both alike; medians of
``--repeat`` runs are reported with their ratio.

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
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, cwd=tree)
    out = json.loads(proc.stdout)
    return {"sim_wall_s": out["meta"]["wall_s"], "pue": out["pue"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-tree", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default="benchmarks/results/bench_faults_speed.json")
    args = ap.parse_args()
    here = str(Path(__file__).resolve().parents[1])
    trees = {"this": here, "baseline": str(Path(args.baseline_tree).resolve())}
    times = {(t, s): [] for t in trees for s in STEPS}
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
            "pue_this": pue[("this", step)],
            "pue_baseline": pue[("baseline", step)],
        }
    record = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "repeat": args.repeat,
        "cases": cases,
    }
    print(json.dumps(record, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
