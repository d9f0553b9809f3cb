"""A supply sweep with and without the shared demand half (``kernels.memo``), side by side.

One process runs the same sweep of the default hall (PV 0-80 MWp x battery 0-200 MWh,
an 8 x 8 grid: 64 scenarios, local backend, one worker) with
``twin.sweeps.sharing.SHARE`` off and on, alternately, ``--repeats`` times each, after a
2-scenario warm-up (kernels loaded). For each: wall and process CPU of ``twin.sweep``,
and the wall of the batched integration alone (``kernels.batch.integrate_batch``, timed
around its calls) and of the post pass; the medians and the ratios off / on; and whether
the two datasets hold the same KPIs bit for bit. Writes
``benchmarks/results/bench_sharing.json``.

    python benchmarks/bench_sharing.py [--steps 1h,15min] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this tree, not an installed copy
VARY = {
    "pv.capacity_mwp": [float(x) for x in np.linspace(0.0, 80.0, 8)],
    "battery.energy_mwh": [float(x) for x in np.linspace(0.0, 200.0, 8)],
}


def _timed(fn, acc: dict, key: str):
    def wrapper(*args):
        t = time.perf_counter()
        fn(*args)
        acc[key] = acc.get(key, 0.0) + time.perf_counter() - t

    return wrapper


def measure(step: str, repeats: int) -> dict:
    import kernels.batch as kb
    import twin
    from twin.scenario.model import Scenario
    from twin.sweeps import sharing

    base = Scenario().with_overrides([f"simulation.step={step}"])
    acc: dict[str, float] = {}
    integrate, post = kb.integrate_batch, kb.post_batch
    kb.integrate_batch = _timed(integrate, acc, "integrate_s")
    kb.post_batch = _timed(post, acc, "post_s")
    try:
        twin.sweep(base, {"pv.capacity_mwp": [1.0, 2.0]}, progress=False)
        runs: dict[str, list[dict]] = {"off": [], "on": []}
        last = {}
        for _ in range(repeats):
            for label, share in (("off", False), ("on", True)):
                sharing.SHARE = share
                acc.clear()
                t, c = time.perf_counter(), time.process_time()
                ds = twin.sweep(base, VARY, progress=False)
                wall, cpu = time.perf_counter() - t, time.process_time() - c
                runs[label].append(
                    {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}
                    | {k: round(v, 3) for k, v in acc.items()}
                )
                last[label] = ds
    finally:
        kb.integrate_batch, kb.post_batch = integrate, post
        sharing.SHARE = True
    names = [v for v in last["off"].data_vars if last["off"][v].dtype.kind == "f"]
    same = all(
        np.array_equal(last["off"][v].values, last["on"][v].values, equal_nan=True) for v in names
    )
    med = {
        label: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for label, rs in runs.items()
    }
    return {
        "scenarios": 64,
        "runs": runs,
        "median": med,
        "ratio_off_over_on": {
            k: round(med["off"][k] / med["on"][k], 2) for k in med["on"] if med["on"][k] > 0
        },
        "identical_kpis": same,
        "kpis_compared": len(names),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", default="1h,15min")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "bench_sharing.json"))
    args = ap.parse_args(argv)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_start": round(os.getloadavg()[0], 2),
        "sweep": "default hall, PV 0-80 MWp x battery 0-200 MWh, 8 x 8 grid, local backend",
    }
    for step in args.steps.split(","):
        result[step] = measure(step, args.repeats)
        print(step, json.dumps(result[step]["ratio_off_over_on"]), file=sys.stderr)
    result["load_average_end"] = round(os.getloadavg()[0], 2)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
