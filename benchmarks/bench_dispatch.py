"""The five dispatch policies on one site-year: cost, carbon, CFE, wall time.

Ouarzazate typical year, default 40 MW hall, 60 MWp PV, 40 MWh / 10 MW
battery, no outages or chiller failures. ``optimal`` is the perfect-foresight
LP (its wall time includes the self-consumption pre-run and the HiGHS solve).

Run::

    python benchmarks/bench_dispatch.py   # writes benchmarks/results/bench_dispatch.json
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import twin
from twin import Scenario

OUT = Path(__file__).parent / "results" / "bench_dispatch.json"
POLICIES = ("self_consumption", "tou_arbitrage", "peak_shaving", "carbon_aware", "optimal")
KEYS = (
    "energy_cost_mad",
    "co2_t",
    "cfe_score",
    "renewable_fraction",
    "peak_import_mw",
    "battery_cycles_efc",
    "bess_grid_charge_mwh",
    "pv_curtailed_mwh",
)


def main() -> int:
    twin.simulate(Scenario(simulation={"days": 2}))  # warm the numba cache
    rows = {}
    for pol in POLICIES:
        sc = Scenario(
            site={"id": "ouarzazate"},
            pv={"capacity_mwp": 60.0},
            battery={"energy_mwh": 40.0, "power_mw": 10.0},
            power={"dispatch": pol},
            faults={"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0},
        )
        t0 = time.perf_counter()
        k = twin.simulate(sc).kpis
        rows[pol] = {"wall_s": round(time.perf_counter() - t0, 2), **{x: k[x] for x in KEYS}}
        print(pol, rows[pol])
    best = rows["optimal"]["energy_cost_mad"]
    for r in rows.values():
        r["cost_above_optimum_frac"] = (r["energy_cost_mad"] - best) / best
    OUT.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
