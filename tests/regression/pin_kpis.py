"""Regression pin of the KPIs of every example campus and a few variants.

The pinned values live in ``tests/regression/kpis.json``. They change only when the
physics or a KPI definition changes on purpose; then regenerate them with::

    python -m tests.regression.pin_kpis --write

which prints every KPI that moved (old -> new, relative change): paste that diff into
the commit message. ``python -m tests.regression.pin_kpis`` (no flag) prints the diff
against the pinned file and exits 1 if anything moved, without writing.

Each case is a scenario (an example file under ``examples/`` plus ``--set``
overrides) and runs through the public API only (``twin.Scenario``, ``twin.simulate``),
so the pin survives any rearrangement of the package.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from twin.portfolios.spec import is_portfolio_file

ROOT = Path(__file__).resolve().parents[2]
PIN_FILE = Path(__file__).with_name("kpis.json")
EXAMPLES = ROOT / "examples"

#: Whole-year example campuses at 1 h, then variants that reach the other plants, dispatch
#: policies, the job workload and sub-hourly steps on short horizons (the notebooks' paths).
VARIANTS: dict[str, tuple[str, list[str]]] = {
    "default_dry_coolers_28d": (
        "default.toml",
        ['cooling.plant="dry_coolers"', "simulation.days=28"],
    ),
    "default_adiabatic_28d": (
        "default.toml",
        ['cooling.plant="adiabatic_coolers"', "simulation.days=28"],
    ),
    "default_air_cooled_28d": (
        "default.toml",
        ['cooling.plant="air_cooled_chillers"', "simulation.days=28"],
    ),
    "default_tou_15min_14d": (
        "default.toml",
        [
            'power.dispatch="tou_arbitrage"',
            "battery.energy_mwh=80",
            'simulation.step="15min"',
            "simulation.days=14",
        ],
    ),
    "default_peak_shaving_14d": (
        "default.toml",
        ['power.dispatch="peak_shaving"', "battery.energy_mwh=80", "simulation.days=14"],
    ),
    "default_carbon_aware_wind_ppa_14d": (
        "default.toml",
        [
            'power.dispatch="carbon_aware"',
            "battery.energy_mwh=80",
            "wind.capacity_mw=40",
            "ppa.capacity_mw=20",
            "simulation.days=14",
        ],
    ),
    "default_optimal_7d": (
        "default.toml",
        ['power.dispatch="optimal"', "battery.energy_mwh=80", "simulation.days=7"],
    ),
    "default_jobs_1min_3d": (
        "default.toml",
        ['it.workload="jobs"', 'simulation.step="1min"', "simulation.days=3"],
    ),
    "ouarzazate_faults_14d": (
        "default.toml",
        [
            'site.id="ouarzazate"',
            "faults.grid_outages_per_year=50",
            "faults.chiller_failures_per_year=20",
            "simulation.days=14",
        ],
    ),
}


def cases() -> dict[str, tuple[str, list[str]]]:
    """Every pinned case: name -> (example file, overrides)."""
    out = {
        p.stem: (p.name, ['simulation.step="1h"', "simulation.days=365"])
        for p in sorted(EXAMPLES.glob("*.toml"))
        if not is_portfolio_file(p)  # a portfolio file, not a scenario
    }
    out.update(VARIANTS)
    return out


def run_case(name: str) -> dict[str, float]:
    import twin

    file, overrides = cases()[name]
    sc = twin.Scenario.from_toml(EXAMPLES / file).with_overrides(overrides)
    return {k: float(v) for k, v in twin.simulate(sc).kpis.items()}


def load_pins() -> dict[str, dict[str, float]]:
    return json.loads(PIN_FILE.read_text(encoding="utf-8"))


def diff(old: dict[str, float], new: dict[str, float]) -> list[str]:
    """One line per KPI that differs in any bit, added or removed."""
    lines = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            lines.append(f"  {key}: {a!r} -> {b!r}")
        elif not (a == b or (math.isnan(a) and math.isnan(b))):
            rel = abs(b - a) / abs(a) if a else math.inf
            lines.append(f"  {key}: {a!r} -> {b!r} (rel {rel:.3g})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write the new pins")
    parser.add_argument("cases", nargs="*", help="only these cases (default: all)")
    args = parser.parse_args(argv)
    pins = load_pins() if PIN_FILE.exists() else {}
    names = args.cases or list(cases())
    moved = False
    for name in names:
        new = run_case(name)
        lines = diff(pins.get(name, {}), new)
        if lines:
            moved = True
            print(f"{name}:")
            print("\n".join(lines))
        pins[name] = new
    if not moved:
        print("every pinned KPI is unchanged, bit for bit")
    if args.write:
        ordered = {k: pins[k] for k in cases() if k in pins}
        PIN_FILE.write_text(json.dumps(ordered, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        print(f"wrote {PIN_FILE.relative_to(ROOT)}")
        return 0
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main())
