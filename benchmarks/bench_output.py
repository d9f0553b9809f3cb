"""The cost of writing a run: ``twin run --step 1min --out DIR --report`` against
``twin run --step 1min --json`` of the same scenario, side by side.

Both commands run as fresh processes, alternately, on the same warm numba cache (a
first ``--json`` run compiles the kernels and is not counted). For each, the wall time
and the peak resident memory of that process alone (``os.wait4``'s ``ru_maxrss``).
Reported: the medians and their ratios, out / json. The goal (issue "Speed II", item
4): the whole command within 3x the ``--json`` process, peak memory within 2x. The
machine is shared, so the ratios, measured alternately, are the figures to compare.

Run:  python benchmarks/bench_output.py [--repeats 3] [--step 1min] [--out benchmarks/results/bench_output.json]
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


def measure(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall time [s] and peak RSS [MB] of one child process running *args*."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{err}")
    return {"wall_s": round(wall, 3), "peak_rss_mb": round(usage.ru_maxrss / 1024.0, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--step", default="1min")
    ap.add_argument("--out", default="benchmarks/results/bench_output.json")
    args = ap.parse_args()
    twin = [sys.executable, "-m", "twin.cli", "run", "--step", args.step]
    env = dict(os.environ)
    rows: dict[str, list[dict[str, float]]] = {"json": [], "out_report": []}
    with tempfile.TemporaryDirectory() as tmp:
        env.setdefault("ATLAS_TWIN_CACHE", str(Path(tmp) / "cache"))
        measure([*twin, "--json"], env)  # compiles the kernels once, not counted
        for i in range(args.repeats):
            rows["json"].append(measure([*twin, "--json"], env))
            out = str(Path(tmp) / f"run{i}")
            rows["out_report"].append(measure([*twin, "--out", out, "--report"], env))
            print(i, rows["json"][-1], rows["out_report"][-1], flush=True)
    med = {
        k: {m: statistics.median(r[m] for r in v) for m in ("wall_s", "peak_rss_mb")}
        for k, v in rows.items()
    }
    record = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()} (shared machine: compare the ratios)",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "step": args.step,
        "runs": rows,
        "median": med,
        "ratio_wall": round(med["out_report"]["wall_s"] / med["json"]["wall_s"], 2),
        "ratio_peak_rss": round(med["out_report"]["peak_rss_mb"] / med["json"]["peak_rss_mb"], 2),
        "goal": {"ratio_wall": 3.0, "ratio_peak_rss": 2.0},
    }
    print(json.dumps({k: record[k] for k in ("median", "ratio_wall", "ratio_peak_rss")}))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
