"""Wall time of one site-year of the default scenario at 1 h, 15 min and 1 min.

Each case runs in a fresh interpreter, twice: first with an empty numba cache
(``NUMBA_CACHE_DIR`` pointed at a new temporary folder: includes compilation),
then again with that cache warm. Reported: the process wall time, the
simulation's own ``meta.wall_s`` (interpreter start and imports excluded), and
``simpy_events`` / ``kernel_calls`` / ``steps``.

Run:  python benchmarks/bench_year.py [--out benchmarks/results/bench_year.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(step: str, cache_dir: str) -> dict:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "twin.cli", "run", "--step", step, "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    wall = time.perf_counter() - t0
    meta = json.loads(proc.stdout)["meta"]
    return {
        "process_s": round(wall, 2),
        "sim_wall_s": meta["wall_s"],
        "simpy_events": meta["simpy_events"],
        "kernel_calls": meta["kernel_calls"],
        "steps": meta["steps"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="benchmarks/results/bench_year.json")
    args = ap.parse_args()
    rows = {}
    for step in ("1h", "15min", "1min"):
        with tempfile.TemporaryDirectory() as cache:
            first = _run(step, cache)
            cached = _run(step, cache)
        rows[step] = {"first": first, "cached": cached}
        print(step, "first", first, "cached", cached, flush=True)
    record = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "cases": rows,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
