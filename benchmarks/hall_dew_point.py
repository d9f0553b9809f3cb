"""What-if: the hall dew point of the default 40 MW hall at coastal and inland sites.

The default scenario (``examples/default.toml``: air loop chilled water 18 °C, A1 air
groups) at Casablanca, Tangier, Agadir, Dakhla and Marrakech (the twin's offline typical
years), without and with a direct air-side economizer, and at Casablanca with chilled
water at 14 °C. One year at 1 h each. Columns: the dew-point KPIs of
:mod:`twin.results.moisture` and the PUE.

Run:  python benchmarks/hall_dew_point.py
"""

from __future__ import annotations

from twin import Scenario, simulate

SITES = ("casablanca", "tangier", "agadir", "dakhla", "marrakech")
KPIS = ("max_hall_dew_point_c", "dew_point_excursion_h", "dew_point_recommended_excursion_h")


def row(site: str, econ: str, sets: tuple[str, ...] = ()) -> str:
    """One markdown row: site, economizer, the three dew-point KPIs and the PUE."""
    base = Scenario.from_toml("examples/default.toml")
    sc = base.with_overrides([f"site.id={site}", f"cooling.air_economizer={econ}", *sets])
    k = simulate(sc).kpis
    dp, h_allow, h_rec = (k[n] for n in KPIS)
    label = econ + "".join(f", {s}" for s in sets)
    return f"| {site} | {label} | {dp:.2f} | {h_allow:.0f} | {h_rec:.0f} | {k['pue']:.3f} |"


def main() -> None:
    print("| site | air economizer | max hall dew point [°C] | h above A1 17 °C "
          "| h above 15 °C | PUE |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for site in SITES:
        for econ in ("none", "direct"):
            print(row(site, econ))
    print(row("casablanca", "none", ("cooling.air.t_supply_c=14",)))


if __name__ == "__main__":
    main()
