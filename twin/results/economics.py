"""Total cost of ownership: capital, replacements, salvage, O&M, energy, water.

Unit costs come from the editable table ``twin/results/data/costs.toml`` (sources
inside); the cost of capital, escalation and the water price from the scenario's
``[finance]`` table (``twin/scenario/finance.py``, sources there); the components and
their sizes from :mod:`twin.results.capex`. Discounting (:mod:`twin.sim.costdata`):
the net present cost of each component's capital over the analysis period N, initial +
replacements − salvage (HOMER Pro's net present cost), is annualised with CRF(i, N); a
first-year operating cost C₁ escalating at g is levelised as ``C₁ × LF``,
``LF = CRF(i, N) Σ_{t=1..N} (1 + g)^(t−1) / (1 + i)^t`` (NREL, Short et al. 1995, §4).

PV degradation (``pv.degradation_frac_per_year``, linear, relative to the simulated
year's output d / (1 − d × age)) enters twice: the on-site LCOE divides by the
discounted delivered energy, which falls each year; the PV energy lost is bought from
the grid at the run's mean energy price (energy charge / import; assumed: the lost
energy is spread like the PV output), a levelised cost in the total.

KPIs
----
``capex_mad``
    Up-front cost of every component: PV, wind, battery, gensets, chillers, heat
    rejection, CDUs and grid connection; ``capex_cooling_mad`` and
    ``capex_grid_connection_mad`` are parts of it.
``replacement_mad``, ``salvage_mad``
    Present value of the replacements within N (the battery at the end of the life its
    wear model gives) and of the salvage at N.
``opex_mad_per_yr``
    Fixed O&M of every component plus genset fuel, first year.
``lcoe_onsite_mad_per_mwh``
    Annualised net present cost of PV, wind and battery (capital and O&M) / levelised
    on-site renewable energy delivered (PV, degrading, and wind, less curtailment).
``water_cost_mad``
    Make-up water × ``finance.water_mad_per_m3`` over the run.
``total_cost_mad_per_yr``
    CRF(i, N) × Σ capital net present cost + LF × (O&M + fuel + grid bill + water) + the
    levelised cost of the PV energy lost to degradation; the grid bill is
    ``energy_cost_mad`` (excl. VAT, with the PPA and export credit).
``cost_per_it_mwh_mad``
    ``total_cost_mad_per_yr`` per MWh of IT energy per year: what serving the IT load
    costs, so that an efficient plant (lower PUE) shows lower, not higher.
``cost_per_mwh_mad``
    ``total_cost_mad_per_yr`` per MWh of facility energy (kept for comparison; it
    rewards inefficiency, use ``cost_per_it_mwh_mad``).
"""

from __future__ import annotations

from twin.results.capex import (
    ONSITE,
    capex_by_component,
    component_life_yr,
    fixed_om_by_component,
)
from twin.sim.costdata import (
    COSTS_FILE,
    capital_present_cost,
    cost_table,
    crf,
    degradation_factors,
    levelisation_factor,
)

__all__ = [
    "COSTS_FILE",
    "KPI_UNITS_ECONOMICS",
    "cost_breakdown",
    "cost_table",
    "crf",
    "economics_kpis",
    "levelisation_factor",
]

KPI_UNITS_ECONOMICS: dict[str, tuple[str, str]] = {
    "capex_mad": (
        "MAD",
        "capital cost of PV, wind, battery, gensets, cooling plant and grid connection",
    ),
    "capex_cooling_mad": ("MAD", "capital cost of chillers, towers or coolers, and CDUs"),
    "capex_grid_connection_mad": ("MAD", "capital cost of the grid connection (substation)"),
    "replacement_mad": ("MAD", "present value of replacements within the analysis period"),
    "salvage_mad": ("MAD", "present value of the salvage at the end of the analysis period"),
    "opex_mad_per_yr": ("MAD/yr", "fixed O&M + genset fuel, per year"),
    "lcoe_onsite_mad_per_mwh": (
        "MAD/MWh",
        "levelised cost of on-site renewables + storage per MWh they deliver",
    ),
    "cost_per_mwh_mad": (
        "MAD/MWh",
        "total annual cost per MWh of facility energy (rewards inefficiency; see per IT MWh)",
    ),
    "water_cost_mad": ("MAD", "make-up water x water price over the run"),
    "total_cost_mad_per_yr": (
        "MAD/yr",
        (
            "annualised capital (with replacements and salvage) + levelised O&M, fuel, grid "
            "bill (excl. VAT), water and PV degradation"
        ),
    ),
    "cost_per_it_mwh_mad": ("MAD/MWh", "total annual cost per MWh of IT energy"),
}


def cost_breakdown(sc, kpis: dict[str, float], horizon_yr: float, sizes=None) -> dict:
    """Every term of the total cost of ownership (module docstring), per year unless named.

    Returns ``capex``, ``life``, ``capital`` (per component: initial, replacements,
    salvage, total, present values), ``om`` (first-year O&M per component), and the
    first-year ``fuel``, ``bill``, ``water``, the levelised ``degradation`` cost, the
    factors ``crf`` and ``lf``, and ``total`` [MAD/yr].
    """
    t = cost_table()
    fin = sc.finance
    i, n = fin.wacc, fin.analysis_years
    lf = levelisation_factor(i, fin.escalation_frac_per_yr, n)
    capex = capex_by_component(sc, sizes)
    life = component_life_yr(kpis.get("battery_life_yr", 0.0))
    capital = {k: capital_present_cost(capex[k], life[k], i, n) for k in capex}
    om = fixed_om_by_component(sc, capex)
    per_yr = 1.0 / horizon_yr if horizon_yr > 0 else 0.0
    fuel = kpis.get("genset_fuel_l", 0.0) * t["genset"]["fuel_mad_per_l"] * per_yr
    bill = kpis.get("energy_cost_mad", 0.0) * per_yr
    water = kpis.get("water_m3", 0.0) * fin.water_mad_per_m3 * per_yr
    # PV delivered in the simulated year, and its linear fade relative to that year
    pv_mwh = (kpis.get("pv_energy_mwh", 0.0) - kpis.get("pv_curtailed_mwh", 0.0)) * per_yr
    d = sc.pv.degradation_frac_per_year
    d_rel = d / max(1e-9, 1.0 - d * sc.pv.age_years)
    e_factor, loss_factor = degradation_factors(i, fin.escalation_frac_per_yr, n, d_rel)
    imp = kpis.get("grid_import_mwh", 0.0)
    energy_term = kpis.get("energy_cost_mad", 0.0) - kpis.get("grid_premium_mad", 0.0)
    energy_term -= kpis.get("grid_overrun_mad", 0.0)
    price = energy_term / imp if imp > 0 else sc.grid.tariff.full_mad_per_kwh * 1e3
    degradation = pv_mwh * max(price, 0.0) * loss_factor
    c = crf(i, n)
    total = (
        c * sum(v["total"] for v in capital.values())
        + lf * (sum(om.values()) + fuel + bill + water)
        + degradation
    )
    onsite = c * sum(capital[k]["total"] for k in ONSITE) + lf * sum(om[k] for k in ONSITE)
    # levelised delivered energy: PV fading (e_factor), wind constant (its factor is 1)
    onsite_mwh = pv_mwh * e_factor + kpis.get("wind_energy_mwh", 0.0) * per_yr
    return {
        "capex": capex,
        "life": life,
        "capital": capital,
        "om": om,
        "fuel": fuel,
        "bill": bill,
        "water": water,
        "degradation": degradation,
        "crf": c,
        "lf": lf,
        "total": total,
        "onsite_annual": onsite,
        "onsite_mwh": onsite_mwh,
        "pv_mwh": pv_mwh,
        "price_mad_per_mwh": max(price, 0.0),
        "d_rel": d_rel,
    }


def economics_kpis(sc, kpis: dict[str, float], horizon_yr: float, sizes=None) -> dict[str, float]:
    """Cost KPIs from a scenario and its energy KPIs (see module docstring)."""
    b = cost_breakdown(sc, kpis, horizon_yr, sizes)
    per_yr = 1.0 / horizon_yr if horizon_yr > 0 else 0.0
    total_yr = b["total"]
    facility_mwh_yr = kpis.get("facility_energy_mwh", 0.0) * per_yr
    it_mwh_yr = kpis.get("it_energy_mwh", 0.0) * per_yr
    cap = b["capex"]
    onsite_mwh = b["onsite_mwh"]
    return {
        "capex_mad": float(sum(cap.values())),
        "capex_cooling_mad": float(cap["chillers"] + cap["heat_rejection"] + cap["cdus"]),
        "capex_grid_connection_mad": float(cap["grid_connection"]),
        "replacement_mad": float(sum(v["replacements"] for v in b["capital"].values())),
        "salvage_mad": float(sum(v["salvage"] for v in b["capital"].values())),
        "opex_mad_per_yr": float(sum(b["om"].values()) + b["fuel"]),
        "lcoe_onsite_mad_per_mwh": float(b["onsite_annual"] / onsite_mwh)
        if onsite_mwh > 0
        else 0.0,
        "cost_per_mwh_mad": float(total_yr / facility_mwh_yr) if facility_mwh_yr > 0 else 0.0,
        "water_cost_mad": float(kpis.get("water_m3", 0.0) * sc.finance.water_mad_per_m3),
        "total_cost_mad_per_yr": float(total_yr),
        "cost_per_it_mwh_mad": float(total_yr / it_mwh_yr) if it_mwh_yr > 0 else 0.0,
    }
