"""Wall time of the whole embedded portfolio (four campuses, a year each) at 1 h and 15 min.

Each step runs ``twin portfolio --json --step STEP`` in a fresh interpreter with the numba
cache warm (one untimed run first fills it), three times; reported: the process wall
time, the portfolio's own ``meta.wall_s`` (campus batch + national view; interpreter
start and imports excluded) and ``meta.wall_campuses_s`` (the batch alone), best of three.
The machine is shared: compare figures of one run of this script, not across runs.

Run:  python benchmarks/bench_portfolio.py [--out benchmarks/results/bench_portfolio.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time


def _run(step: str) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "twin.cli", "portfolio", "--json", "--step", step],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    meta = json.loads(proc.stdout)["meta"]
    return {
        "process_s": round(wall, 2),
        "portfolio_wall_s": round(meta["wall_s"], 2),
        "campuses_wall_s": round(meta["wall_campuses_s"], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="benchmarks/results/bench_portfolio.json")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = {}
    for step in ("1h", "15min"):
        _run(step)  # fill the numba cache and the OS file cache
        runs = [_run(step) for _ in range(args.repeat)]
        rows[step] = {"best": min(runs, key=lambda r: r["portfolio_wall_s"]), "runs": runs}
        print(step, rows[step]["best"], flush=True)
    record = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cases": rows,
    }
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(record, fh, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    main()
