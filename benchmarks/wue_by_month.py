"""WUE of the water-cooled plant by site and month (the default 40 MW hall, a year at 1 h).

For each built-in site (Rabat, Marrakech, Ouarzazate, Dakhla; offline typical years) the
default scenario (``cooling.plant = "water_cooled_chillers"``: chillers, variable-speed
towers, water-side economizer) runs one year at 1 h; the tower make-up water (evaporation
+ drift + blowdown) is summed by calendar month and divided by the IT energy of the month
(WUE, The Green Grid WP#35: site water / IT energy) and by the heat the hall gives the
loops (litres per kWh of heat). The month's mean dry bulb and wet bulb and its mean
wet-bulb depression (t_db − t_wb, the dryness of the air) are printed next to it.

Run:  python benchmarks/wue_by_month.py [--out benchmarks/results/wue_by_month.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "validation"))

from wue_months import SITES, monthly  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/wue_by_month.json"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = [monthly(site) for site in SITES]
    print("| site | " + " | ".join(f"{m:d}" for m in range(1, 13)) + " | year |")
    print("|---|" + "---|" * 13)
    for r in rows:
        vals = " | ".join(f"{m['wue_l_per_kwh']:.2f}" for m in r["months"])
        print(f"| {r['site']} | {vals} | {r['wue_l_per_kwh']:.2f} |")
    print()
    print("wet-bulb depression t_db - t_wb, monthly mean [K]")
    for r in rows:
        print(f"| {r['site']} | " + " | ".join(f"{m['depression_k']:.1f}" for m in r["months"]))
    spread = [np.ptp([m["wue_l_per_kwh"] for m in r["months"]]) for r in rows]
    print(f"\nlargest month-to-month spread at one site: {max(spread):.2f} L/kWh")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "scenario": "default 40 MW AI hall (twin.Scenario(site=...)), water-cooled chillers, "
        "towers and water-side economizer, 1 h, one year, offline typical years",
        "wall_s": round(time.perf_counter() - t0, 1),
        "rows": rows,
    }
    args.out.write_text(json.dumps(record, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
