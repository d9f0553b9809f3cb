"""One site-year at a 1-minute step driven by the job model (``it.workload = "jobs"``).

Runs the default scenario (40 MW hall, Casablanca, default job classes:
training, inference, batch) through ``twin run --json`` in a fresh
interpreter, once to fill the numba cache and once timed, for each
``it.scheduler.deferral`` policy. Records jobs, SimPy events, kernel calls,
steps and wall time, to show that events follow jobs and state changes, never
steps.

Run:  python benchmarks/bench_jobs_year.py [--out benchmarks/results/bench_jobs_year.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path


def _run(step: str, deferral: str) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "twin.cli",
        "run",
        "--step",
        step,
        "--json",
        "--set",
        "it.workload=jobs",
        "--set",
        f"it.scheduler.deferral={deferral}",
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    out = json.loads(proc.stdout)
    meta = out["meta"]
    return {
        "step": step,
        "deferral": deferral,
        "process_s": round(wall, 2),
        "sim_wall_s": meta["wall_s"],
        "steps": meta["steps"],
        "simpy_events": meta["simpy_events"],
        "kernel_calls": meta["kernel_calls"],
        "jobs_arrived": meta["jobs_arrived"],
        "jobs_completed": meta["jobs_completed"],
        "events_per_job": round(meta["simpy_events"] / max(meta["jobs_arrived"], 1), 2),
        "gpu_h_done": meta["gpu_h_done"],
        "cap_events": meta["cap_events"],
        "kpis": {k: out[k] for k in ("it_energy_mwh", "pue", "cfe_score", "co2_t")},
        "job_classes": meta["job_classes"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="benchmarks/results/bench_jobs_year.json")
    args = ap.parse_args()
    _run("1h", "none")  # warm the numba cache outside the timed runs
    rows = []
    for step, deferral in (("1min", "none"), ("1min", "clean"), ("1h", "none")):
        row = _run(step, deferral)
        rows.append(row)
        print({k: v for k, v in row.items() if k != "job_classes"}, flush=True)
    record = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "scenario": "default (40 MW, Casablanca), it.workload = jobs, default job classes",
        "runs": rows,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
