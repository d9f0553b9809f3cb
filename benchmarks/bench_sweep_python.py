"""The Python of a local sweep per scenario, two source trees side by side.

An in-process hourly sweep of the default hall (``VARY`` of ``bench_speed_goals.py``,
``latin_hypercube``, seed 1, *n* scenarios, ``twin.sweeps.front.sweep`` with the local
backend: kernels in a thread, the next chunk staged in Python meanwhile) after a warm-up
sweep of 2 scenarios (seed 2: kernels loaded, SciPy's sampling imported) and with a fresh
input cache, as ``bench_speed_goals.py`` (``sweep_ratio``) runs it.
Each tree runs in its own process (``PYTHONPATH`` set to it, its own numba cache),
alternately, ``--repeats`` times each, so a busy machine loads both alike. Per run: wall,
CPU of the process (kernel threads included) and CPU of the main thread (the Python:
scenarios, compile, timelines, signals, packing, KPIs), each per scenario; the median of
each and the ratio baseline / this tree. The two trees' datasets must be identical
(``xarray.testing.assert_identical``, provenance attributes aside).

    python benchmarks/bench_sweep_python.py --baseline DIR [--baseline-label main@abc1234]
        [--n 256] [--repeats 3] [--cache-dir DIR] [--out benchmarks/results/sweep_python.json]

The first run of each tree compiles its kernels unless ``--cache-dir`` holds them.

``DIR`` is an export of the baseline tree (``git archive main | tar -x -C DIR``).
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VARY = {"pv.capacity_mwp": [0.0, 80.0], "battery.energy_mwh": [0.0, 200.0]}
#: attributes that name the code, not the results
PROVENANCE_ATTRS = ("git_revision", "twin_version", "created")


def child(n: int, nc_path: str) -> dict[str, float]:
    """One timed sweep in this process (the tree on ``PYTHONPATH``); the dataset to *nc_path*."""
    import time

    import twin
    import twin.sweeps.chunks as sweep_chunks
    from twin.sweeps.front import sweep

    base = twin.Scenario()
    # kernels loaded and the sampling design's SciPy imported (~1 s once per process, not
    # per scenario); the timed sweep's PV sizes are all new, as in a fresh process
    sweep(base, VARY, design="latin_hypercube", n=2, seed=2, progress=False)
    sweep_chunks._CACHE = None  # timelines and inputs sampled again, as a fresh sweep would
    t0, c0, m0 = time.perf_counter(), time.process_time(), time.thread_time()
    ds = sweep(base, VARY, design="latin_hypercube", n=n, seed=1, progress=False)
    wall, cpu, main = time.perf_counter() - t0, time.process_time() - c0, time.thread_time() - m0
    ds.to_netcdf(nc_path)
    return {"wall_ms_per_scenario": round(wall / n * 1e3, 3),
            "cpu_ms_per_scenario": round(cpu / n * 1e3, 3),
            "main_thread_cpu_ms_per_scenario": round(main / n * 1e3, 3),
            "errors": int((ds["error"] != "").sum())}  # fmt: skip


def _run(tree: Path, cache: Path, n: int, nc_path: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(tree), ATLAS_TWIN_CACHE=str(cache))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(n), str(nc_path)]
    done = subprocess.run(cmd, env=env, cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _identical(a: Path, b: Path) -> bool:
    import xarray as xr

    with xr.open_dataset(a) as da, xr.open_dataset(b) as db:
        da, db = da.load(), db.load()
    for ds in (da, db):
        for k in PROVENANCE_ATTRS:
            ds.attrs.pop(k, None)
    try:
        xr.testing.assert_identical(da, db)
    except AssertionError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", help="export of the baseline tree")
    ap.add_argument("--baseline-label", default="baseline")
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "sweep_python.json"))
    ap.add_argument(
        "--cache-dir", help="keep each tree's numba cache here (default: a temporary one)"
    )
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(int(args.child[0]), args.child[1])))
        return 0
    if not args.baseline:
        ap.error("--baseline is required")
    trees = {"baseline": Path(args.baseline).resolve(), "this": REPO}
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in trees}
    load_start = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        caches = Path(args.cache_dir) if args.cache_dir else tmp_path
        for _ in range(args.repeats):
            for label, tree in trees.items():
                nc = tmp_path / f"{label}.nc"
                runs[label].append(_run(tree, caches / f"cache-{label}", args.n, nc))
                print(label, runs[label][-1], file=sys.stderr)
        identical = _identical(tmp_path / "baseline.nc", tmp_path / "this.nc")
    keys = [k for k in runs["this"][0] if k.endswith("per_scenario")]
    median = {lab: {k: round(statistics.median(r[k] for r in rs), 3) for k in keys}
              for lab, rs in runs.items()}  # fmt: skip
    result = {
        "what": f"in-process hourly sweep of the default hall, {args.n} scenarios, "
        "latin_hypercube seed 1, after a 2-scenario warm-up sweep, fresh input cache",
        "command": "python benchmarks/bench_sweep_python.py --baseline DIR "
        f"--baseline-label {args.baseline_label} --n {args.n} --repeats {args.repeats}",
        "baseline": args.baseline_label,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_start_end": [load_start, round(os.getloadavg()[0], 2)],
        "runs": runs,
        "median": median,
        "ratio_baseline_over_this": {
            k: round(median["baseline"][k] / median["this"][k], 2) for k in keys
        },
        "identical_dataset": identical,
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["median"], indent=1), result["ratio_baseline_over_this"], identical)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
