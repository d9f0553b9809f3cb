"""64 what-ifs of a 15-minute year by one ``twin sweep`` process, two source trees side by side.

The command of ``bench_speed_goals.py`` (``sweep_process_64``)::

    python -m twin.cli sweep --set simulation.step=15min \\
        --vary pv.capacity_mwp=0:80:8 --vary battery.energy_mwh=0:200:8 --out DIR

run as a whole process from each tree, alternately (``--repeats`` times each, so a
busy machine loads both alike), after one warm-up sweep per tree with ``:2`` (kernels
compiled into each tree's own numba cache, inputs cached). Wall and CPU (user +
system of the child) per run, the median of each, and the ratio baseline / this tree.
The two trees' ``sweep.nc`` are compared variable by variable: the KPIs must be
bit-identical (``identical_kpis``), and the two ``kpis.csv`` byte-identical
(``identical_kpis_csv``).

    python benchmarks/bench_sweep64.py --baseline DIR [--baseline-label main@abc1234]
        [--repeats 5] [--cache-dir DIR] [--out benchmarks/results/sweep64_process.json]

``DIR`` is an export of the baseline tree (``git archive main | tar -x -C DIR``).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VARY = ["--vary", "pv.capacity_mwp=0:80:8", "--vary", "battery.energy_mwh=0:200:8"]


def _cmd(out: Path, vary: list[str]) -> list[str]:
    return [sys.executable, "-m", "twin.cli", "sweep", "--set", "simulation.step=15min",
            *vary, "--out", str(out)]  # fmt: skip


def _env(tree: Path, cache: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), ATLAS_TWIN_CACHE=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    return env


def _timed(tree: Path, env: dict[str, str], out: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(_cmd(out, VARY), env=env, cwd=tree, capture_output=True, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}


def _identical(a: Path, b: Path) -> bool:
    import numpy as np
    import xarray as xr

    with xr.open_dataset(a, engine="scipy") as da, xr.open_dataset(b, engine="scipy") as db:
        da, db = da.load(), db.load()
        if set(da.data_vars) != set(db.data_vars):
            return False
        return all(np.array_equal(da[k].values, db[k].values) for k in da.data_vars)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, help="export of the baseline tree")
    ap.add_argument("--baseline-label", default="baseline")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument(
        "--cache-dir", help="keep each tree's numba cache here (default: a temporary one)"
    )
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "sweep64_process.json"))
    args = ap.parse_args(argv)
    trees = {"baseline": Path(args.baseline).resolve(), "this": REPO}
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    with tempfile.TemporaryDirectory() as tmp:
        caches = Path(args.cache_dir) if args.cache_dir else Path(tmp)
        envs = {k: _env(t, caches / f"cache_{k}") for k, t in trees.items()}
        warm = [v.replace(":8", ":2") for v in VARY]
        for k, t in trees.items():
            subprocess.run(_cmd(Path(tmp) / f"warm_{k}", warm), env=envs[k], cwd=t,
                           capture_output=True, check=True)  # fmt: skip
        load_start = os.getloadavg()[0]
        for r in range(args.repeats):
            for k, t in trees.items():
                out = Path(tmp) / f"{k}_{r}"
                runs[k].append(_timed(t, envs[k], out))
                if r > 0:
                    shutil.rmtree(out)
        same = _identical(Path(tmp) / "baseline_0" / "sweep.nc", Path(tmp) / "this_0" / "sweep.nc")
        same_csv = filecmp.cmp(
            Path(tmp) / "baseline_0" / "kpis.csv", Path(tmp) / "this_0" / "kpis.csv", shallow=False
        )
    med = {
        k: {m: round(statistics.median(x[m] for x in v), 3) for m in ("wall_s", "cpu_s")}
        for k, v in runs.items()
    }
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "command": " ".join(["twin sweep --set simulation.step=15min", *VARY, "--out DIR"]),
        "baseline": args.baseline_label,
        "repeats": args.repeats,
        "load_average_start": round(load_start, 2),
        "runs": runs,
        "median": med,
        "ratio_baseline_over_this": {
            m: round(med["baseline"][m] / med["this"][m], 2) for m in ("wall_s", "cpu_s")
        },
        "identical_kpis": same,
        "identical_kpis_csv": same_csv,
        "load_average_end": round(os.getloadavg()[0], 2),
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
