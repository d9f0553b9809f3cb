"""Clean-hour deferral on a site with PV surplus: the same work, cleaner energy.

The scenario of ``tests/test_workload_engine.py``: a 6 MW GPU hall (50 racks x
120 kW) with 12 MWp of PV, no battery, no export, 21 days at 1 h, one
deferrable batch class (72 GPUs, 3 h mean, 6 per hour, 16 h window). It is run
with ``it.scheduler.deferral = "none"`` and ``"clean"``; the figures go to
``benchmarks/results/bench_deferral.json``. Also runs the default 40 MW hall
for 30 days with the default job classes, where PV never exceeds the load.

Run:  python benchmarks/bench_deferral.py [--out benchmarks/results/bench_deferral.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from twin import Scenario, simulate

KPIS = ("it_energy_mwh", "cfe_score", "co2_t", "pv_curtailed_mwh", "grid_import_mwh", "pue")


def pv_site(deferral: str) -> Scenario:
    return Scenario(
        simulation={"days": 21, "step": "1h"},
        pv={"capacity_mwp": 12.0},
        battery={"energy_mwh": 0.0, "power_mw": 0.0, "soc_init": 0.0},
        faults={"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0},
        it={
            "workload": "jobs",
            "groups": [{"name": "gpu", "racks": 50, "p_rack_peak_kw": 120.0, "cooling": "liquid"}],
            "job_classes": [
                {
                    "name": "b",
                    "kind": "batch",
                    "group": "gpu",
                    "arrival_rate_per_h": 6.0,
                    "size_gpus": 72,
                    "duration_mean_h": 3.0,
                    "power_frac": 0.76,
                    "defer_window_h": 16.0,
                }
            ],
            "scheduler": {"deferral": deferral},
        },
    )


def default_site(deferral: str) -> Scenario:
    return Scenario().with_overrides(
        ["simulation.days=30", "it.workload=jobs", f"it.scheduler.deferral={deferral}"]
    )


def _row(sc: Scenario) -> dict:
    r = simulate(sc)
    m = r.meta
    return {
        **{k: round(r.kpis[k], 4) for k in KPIS},
        "gpu_h_done": m["gpu_h_done"],
        "jobs_completed": m["jobs_completed"],
        "jobs_deferred": sum(c["jobs_deferred"] for c in m["job_classes"].values()),
        "simpy_events": m["simpy_events"],
        "wall_s": m["wall_s"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="benchmarks/results/bench_deferral.json")
    args = ap.parse_args()
    record: dict = {"date": time.strftime("%Y-%m-%d")}
    for name, build in (("pv_surplus_site", pv_site), ("default_site_30d", default_site)):
        record[name] = {d: _row(build(d)) for d in ("none", "clean")}
        print(name, json.dumps(record[name], indent=1), flush=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
