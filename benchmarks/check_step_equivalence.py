"""Every step-table column and KPI of this tree against a baseline tree, within 1e-9 relative.

Issue 23 item 1 restructures the step of the integrated plant for speed and must keep its
results: this check runs the same scenarios through ``twin.simulate`` in both trees (each in
its own interpreter, with its own numba cache) and compares every numeric column of
``Result.timeseries`` and every KPI, element by element:
``|a - b| <= rtol * max(|a|, |b|, floor)``, where ``floor`` is 1e-6 of the column's largest
magnitude (a value that is a rounding error of its column, e.g. 1e-12 W beside 1e7 W, is
compared at the column's scale).

Scenarios: the default; each example of ``examples/``; each cooling plant; each at 1 h and
the default and the plants at 1 min; the default with heavy faults (Poisson outages, chiller
failures, gensets failing to start half the time) and with a scheduled summer outage whose
gensets do not start plus a chiller trip, so that the shedding and the IT-trip paths run.

Run:  python benchmarks/check_step_equivalence.py --baseline-tree DIR [--quick]
Exit status 1 when a column differs; the worst relative difference per scenario is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PLANTS = ("water_cooled_chillers", "air_cooled_chillers", "dry_coolers", "adiabatic_coolers")
HEAVY = (
    "faults.grid_outages_per_year=12",
    "faults.chiller_failures_per_year=4",
    "genset.start_failure_prob=0.5",
)
EVENTS = [
    {"kind": "grid_outage", "start": "2023-07-15T20:10", "duration_min": 150.0,
     "genset_starts": False},
    {"kind": "chiller_trip", "start": "2023-08-02T14:00", "duration_min": 600.0,
     "loop": "liquid", "chillers": 2},
]  # fmt: skip


def cases(quick: bool) -> list[dict]:
    """Scenario specifications: name, example (or None), step, --set list, scheduled events."""
    out = [{"name": f"default@{s}", "example": None, "step": s, "sets": []} for s in ("1h", "1min")]
    if not quick:
        from twin import examples

        for name in examples.names():  # every example campus (a portfolio file is not one)
            if name != "default":
                out.append({"name": f"{name}@1h", "example": name, "step": "1h", "sets": []})
    for plant in PLANTS[1:]:
        for s in ("1h", "1min") if not quick else ("1h",):
            out.append({"name": f"{plant}@{s}", "example": None, "step": s,
                        "sets": [f"cooling.plant={plant}"]})  # fmt: skip
    for s in ("1h", "1min"):
        out.append({"name": f"heavy_faults@{s}", "example": None, "step": s, "sets": list(HEAVY)})
        out.append({"name": f"scheduled_outage@{s}", "example": None, "step": s, "sets": [],
                    "events": EVENTS})  # fmt: skip
    return out


def _scenario(case: dict):
    from twin import examples
    from twin.scenario.model import Scenario

    sc = examples.load(case["example"]) if case["example"] else Scenario()
    sc = sc.with_overrides([f"simulation.step={case['step']}", *case["sets"]])
    if case.get("events"):
        data = sc.model_dump()
        data["faults"]["events"] = case["events"]
        sc = Scenario.model_validate(data)
    return sc


def worker(case_file: str, out_dir: str) -> None:
    """Run each case of *case_file* in this interpreter's tree; save its table and KPIs."""
    import numpy as np

    import twin

    for case in json.loads(Path(case_file).read_text()):
        r = twin.simulate(_scenario(case))
        ts = r.timeseries
        cols = {c: ts[c].to_numpy(dtype=float) for c in ts.columns if ts[c].dtype.kind in "fiub"}
        kpis = {k: float(v) for k, v in r.kpis.items() if isinstance(v, (int, float))}
        np.savez(Path(out_dir) / f"{case['name']}.npz", **cols)
        (Path(out_dir) / f"{case['name']}.json").write_text(json.dumps(kpis))


def _run(tree: str, cache: str, case_file: str, out_dir: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(PYTHONPATH=tree, ATLAS_TWIN_CACHE=cache)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", case_file, out_dir]
    subprocess.run(cmd, env=env, check=True, cwd=tree)


def _rel(a, b):
    import numpy as np

    scale = max(float(np.nanmax(np.abs(a), initial=0.0)), float(np.nanmax(np.abs(b), initial=0.0)))
    den = np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-6 * scale)
    diff = np.abs(a - b)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(same, 0.0, diff / np.where(den > 0, den, 1.0))
    return float(np.max(rel, initial=0.0))


def compare(dir_a: str, dir_b: str, names: list[str], rtol: float) -> dict:
    import numpy as np

    report = {}
    for name in names:
        a, b = np.load(Path(dir_a) / f"{name}.npz"), np.load(Path(dir_b) / f"{name}.npz")
        worst, col = 0.0, ""
        for c in sorted(set(a.files) | set(b.files)):
            if c not in a.files or c not in b.files:
                worst, col = float("inf"), f"{c} (missing)"
                break
            r = _rel(a[c], b[c]) if a[c].shape == b[c].shape else float("inf")
            if r > worst:
                worst, col = r, c
        ka = json.loads((Path(dir_a) / f"{name}.json").read_text())
        kb = json.loads((Path(dir_b) / f"{name}.json").read_text())
        for k in sorted(set(ka) | set(kb)):
            x, y = ka.get(k), kb.get(k)
            r = float("inf") if x is None or y is None else _rel(np.array([x]), np.array([y]))
            if r > worst:
                worst, col = r, f"kpi {k}"
        report[name] = {"max_rel": worst, "where": col, "ok": worst <= rtol}
    return report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-tree")
    ap.add_argument("--quick", action="store_true", help="fewer scenarios")
    ap.add_argument("--rtol", type=float, default=1e-9)
    ap.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if not args.baseline_tree:
        ap.error("--baseline-tree is required")
    here = str(Path(__file__).resolve().parents[1])
    sys.path.insert(0, here)  # the example names of this tree
    todo = cases(args.quick)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        case_file = t / "cases.json"
        case_file.write_text(json.dumps(todo))
        dirs = {}
        for name, tree in (("this", here), ("baseline", args.baseline_tree)):
            (t / name).mkdir()
            (t / f"cache-{name}").mkdir()
            _run(tree, str(t / f"cache-{name}"), str(case_file), str(t / name))
            dirs[name] = str(t / name)
        report = compare(dirs["this"], dirs["baseline"], [c["name"] for c in todo], args.rtol)
    bad = 0
    for name, r in report.items():
        bad += not r["ok"]
        print(f"{name:36s} max rel {r['max_rel']:.2e}  {'ok' if r['ok'] else 'DIFFERS'}  "
              f"{r['where']}")  # fmt: skip
    print(f"{len(report) - bad}/{len(report)} scenarios within {args.rtol:g} relative")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
