"""Wall time of a 1-minute site-year with each heat-rejection plant.

Same method as ``bench_year.py`` (fresh interpreter, numba cache in a new
temporary folder, run once to compile, then timed with the cache warm); the
default scenario with ``cooling.plant`` set to each choice. The reference is
the end-to-end twin's recorded 1-minute cached time in
``benchmarks/results/bench_year.json`` (before the plant choices existed); the
target is to stay within 2x of it.

With ``--baseline-tree DIR`` (an export of the commit before the plant choices,
e.g. ``git archive fa6cfec | tar -x -C DIR``) the baseline is re-measured in the
same session, interleaved with the plant runs, so that a busy shared machine
affects both alike; medians of ``--repeat`` runs are reported.

With ``--per-plant`` as well, every plant is timed in both trees (before and after a
change to the plants, side by side) and each plant's ratio is to its own baseline.

Run:  python benchmarks/bench_plants.py [--baseline-tree DIR [--per-plant]] [--repeat 3]
      [--out benchmarks/results/bench_plants.json]
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

PLANTS = ("water_cooled_chillers", "air_cooled_chillers", "dry_coolers", "adiabatic_coolers")
BASELINE = Path("benchmarks/results/bench_year.json")


def _run(plant: str | None, cache_dir: str, tree: str | None = None) -> dict:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
    if tree:
        env["PYTHONPATH"] = tree
    cmd = [sys.executable, "-m", "twin.cli", "run", "--step", "1min", "--json"]
    if plant:
        cmd += ["--set", f"cooling.plant={plant}"]
    t0 = time.perf_counter()
    # run inside the tree: ``python -m`` puts the working folder ahead of PYTHONPATH, so a
    # baseline run from this checkout would otherwise import this checkout's code
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, cwd=tree)
    wall = time.perf_counter() - t0
    out = json.loads(proc.stdout)
    return {
        "process_s": round(wall, 2),
        "sim_wall_s": out["meta"]["wall_s"],
        "steps": out["meta"]["steps"],
        "pue": out["pue"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="benchmarks/results/bench_plants.json")
    ap.add_argument("--baseline-tree", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--per-plant",
        action="store_true",
        help="with --baseline-tree: time every plant in the baseline tree too (before/after "
        "per plant, interleaved) instead of its default scenario only",
    )
    args = ap.parse_args()
    recorded = json.loads(BASELINE.read_text())["cases"]["1min"]["cached"]["sim_wall_s"]
    times: dict[str, list[float]] = {p: [] for p in PLANTS}
    base_times: list[float] = []
    pue: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as cache_b:
        _run(PLANTS[0], cache)  # compile once; every plant shares the same kernels
        if args.baseline_tree:
            _run(None, cache_b, args.baseline_tree)
        per_plant = bool(args.baseline_tree and args.per_plant)
        base_plant: dict[str, list[float]] = {p: [] for p in PLANTS}
        base_pue: dict[str, float] = {}
        for _ in range(args.repeat):
            if args.baseline_tree and not per_plant:
                base_times.append(_run(None, cache_b, args.baseline_tree)["sim_wall_s"])
            for plant in PLANTS:
                if per_plant:
                    b = _run(plant, cache_b, args.baseline_tree)
                    base_plant[plant].append(b["sim_wall_s"])
                    base_pue[plant] = b["pue"]
                r = _run(plant, cache)
                times[plant].append(r["sim_wall_s"])
                pue[plant] = r["pue"]
    if per_plant:
        base_times = [t for p in PLANTS for t in base_plant[p]]
    base = statistics.median(base_times) if base_times else recorded
    rows = {
        p: {
            "sim_wall_s_median": round(statistics.median(t), 3),
            "sim_wall_s_runs": t,
            "pue": pue[p],
            "ratio_to_baseline": round(statistics.median(t) / base, 2),
        }
        for p, t in times.items()
    }
    if per_plant:
        for p, row in rows.items():
            b = statistics.median(base_plant[p])
            row["baseline_sim_wall_s_median"] = round(b, 3)
            row["baseline_sim_wall_s_runs"] = base_plant[p]
            row["baseline_pue"] = base_pue[p]
            row["ratio_to_baseline"] = round(statistics.median(row["sim_wall_s_runs"]) / b, 2)
    record = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "baseline": "re-measured, same session" if base_times else "recorded bench_year.json",
        "baseline_1min_cached_sim_wall_s": round(base, 3),
        "baseline_runs": base_times,
        "recorded_bench_year_1min_cached_sim_wall_s": recorded,
        "cases": rows,
    }
    print(json.dumps(record, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
