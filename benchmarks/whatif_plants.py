"""What-if: the default 40 MW AI hall with four heat-rejection plants at four sites.

Plants (``cooling.plant``): water-cooled chillers + towers + water-side economizer;
air-cooled chillers; warm-water liquid cooling on dry coolers or adiabatic coolers
(air-cooled trim chillers). Sites: Rabat, Marrakech, Ouarzazate, Dakhla (the twin's built-in
offline typical years). One year at 1 h each. Columns: PUE, WUE, water, peak
cooling electric power, ride-through to the class limit after all chillers trip
(shorter of the hall air and the liquid loop, and each of them) and after a plant
power loss, and to the IT trip after each.

Run:  python benchmarks/whatif_plants.py [--out benchmarks/results/whatif_plants.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from twin import Scenario
from twin.results.result import Result
from twin.results.ridethrough import ride_through_series
from twin.sim.engine import run_raw

PLANTS = {
    "water_cooled_chillers": "water-cooled + towers + WSE",
    "air_cooled_chillers": "air-cooled chillers",
    "dry_coolers": "warm-water liquid, dry coolers",
    "adiabatic_coolers": "warm-water liquid, adiabatic coolers",
}
SITES = ("rabat", "marrakech", "ouarzazate", "dakhla")


def run_case(site: str, plant: str) -> dict:
    sc = Scenario(site={"id": site}, cooling={"plant": plant})
    raw = run_raw(sc)
    res = Result.from_raw(raw)
    k = res.kpis
    trip = ride_through_series(sc, raw.out, raw.inputs, raw.design, False)
    return {
        "site": site,
        "plant": plant,
        "pue": round(k["pue"], 4),
        "wue_l_per_kwh": round(k["wue_l_per_kwh"], 3),
        "water_m3": round(k["water_m3"]),
        "peak_cooling_mw": round(float(res.timeseries["p_cooling_mw"].max()), 2),
        "ride_through_min": round(k["ride_through_min"], 2),
        "ride_through_air_min": round(float(trip[:, 0].min()) / 60.0, 2),
        "ride_through_liquid_min": round(float(trip[:, 1].min()) / 60.0, 2),
        "ride_through_power_loss_min": round(k["ride_through_power_loss_min"], 2),
        "ride_through_it_trip_min": round(k["ride_through_it_trip_min"], 2),
        "ride_through_power_loss_it_trip_min": round(k["ride_through_power_loss_it_trip_min"], 2),
        "thermal_violation_h": k["thermal_violation_h"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/whatif_plants.json"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = [run_case(site, plant) for site in SITES for plant in PLANTS]
    head = "| site | plant | PUE | WUE L/kWh | peak cooling MW | ride-through trip min (air / liquid) |"
    print(head)
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['site']} | {PLANTS[r['plant']]} | {r['pue']:.3f} | {r['wue_l_per_kwh']:.2f} | "
            f"{r['peak_cooling_mw']:.1f} | {r['ride_through_min']:.2f} "
            f"({r['ride_through_air_min']:.2f} / {r['ride_through_liquid_min']:.2f}) |"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "scenario": "default 40 MW AI hall (twin.Scenario()), 1 h, one year, offline typical years",
        "wall_s": round(time.perf_counter() - t0, 1),
        "rows": rows,
    }
    args.out.write_text(json.dumps(record, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
