"""Capital and operating costs, and the levelised cost of the on-site supply.

Unit costs come from the editable table ``twin/results/data/costs.toml`` (sources
inside); the cost of capital, escalation and the water price from the scenario's
``[finance]`` table (``twin/scenario/finance.py``, sources there). Capital is
annualised with the capital recovery factor ``CRF(i, n) = i (1 + i)^n / ((1 + i)^n − 1)``
(NREL, "Simple Levelized Cost of Energy (LCOE) Calculator Documentation"; HOMER's
"total annualized cost"). An operating cost C₁ in the first year that escalates at g per
year is levelised over the analysis period N at the same rate i::

    C_lev = C₁ × LF,   LF = CRF(i, N) × Σ_{t=1..N} (1 + g)^(t−1) / (1 + i)^t

(the levelised-cost form of NREL's "Manual for the Economic Evaluation of Energy
Efficiency and Renewable Energy Technologies", Short et al. 1995, §4: the annuity
equivalent of an escalating series); LF = 1 when g = 0.

KPIs
----
``capex_mad``
    Up-front cost of PV, wind, battery and gensets.
``opex_mad_per_yr``
    Fixed O&M of the same plus genset fuel, per year (first year).
``lcoe_onsite_mad_per_mwh``
    (annualised capex + levelised O&M of PV, wind and battery) / on-site renewable
    energy delivered per year: PV and wind generation less curtailment (exported
    energy counts as delivered). Zero without on-site renewables.
``water_cost_mad``
    Make-up water × ``finance.water_mad_per_m3`` over the run.
``total_cost_mad_per_yr``
    Annualised capex + levelised (O&M + fuel + grid bill + water), per year; the grid
    bill is ``energy_cost_mad`` (excl. VAT, with the PPA and export credit).
``cost_per_it_mwh_mad``
    ``total_cost_mad_per_yr`` per MWh of IT energy per year: what serving the IT load
    costs, so that an efficient plant (lower PUE) shows lower, not higher.
``cost_per_mwh_mad``
    ``total_cost_mad_per_yr`` per MWh of facility energy (kept for comparison; it
    rewards inefficiency, use ``cost_per_it_mwh_mad``).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

COSTS_FILE = Path(__file__).parent / "data" / "costs.toml"

KPI_UNITS_ECONOMICS: dict[str, tuple[str, str]] = {
    "capex_mad": ("MAD", "capital cost of PV, wind, battery and gensets"),
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
        "annualised capex + levelised O&M, fuel, grid bill (excl. VAT) and water",
    ),
    "cost_per_it_mwh_mad": ("MAD/MWh", "total annual cost per MWh of IT energy"),
}


@lru_cache(maxsize=4)
def _read(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def cost_table(path: str | Path | None = None) -> dict[str, Any]:
    """The parsed cost table."""
    return _read(str(path or COSTS_FILE))


def crf(rate: float, years: float) -> float:
    """Capital recovery factor [1/yr]."""
    if years <= 0:
        return 0.0
    if rate <= 0:
        return 1.0 / years
    g = (1.0 + rate) ** years
    return rate * g / (g - 1.0)


def levelisation_factor(rate: float, escalation: float, years: int) -> float:
    """LF = CRF(i, N) Σ_{t=1..N} (1 + g)^(t−1) / (1 + i)^t [-] (module docstring)."""
    pv = sum((1.0 + escalation) ** (t - 1) / (1.0 + rate) ** t for t in range(1, years + 1))
    return crf(rate, years) * pv


def economics_kpis(sc, kpis: dict[str, float], horizon_yr: float) -> dict[str, float]:
    """Cost KPIs from a scenario and its energy KPIs (see module docstring)."""
    t = cost_table()
    fin = sc.finance
    fx = t["finance"]["usd_to_mad"]
    i = fin.wacc
    lev = levelisation_factor(i, fin.escalation_frac_per_yr, fin.analysis_years)
    pv_kw = sc.pv.capacity_mwp * 1e3
    wind_kw = sc.wind.capacity_mw * 1e3
    b_kwh = sc.battery.energy_mwh * 1e3
    b_kw = sc.battery.power_mw * 1e3 if b_kwh > 0 else 0.0
    gen_kw = sc.genset.capacity_mw * 1e3
    b_life = t["battery"]["life_yr"]
    if kpis.get("battery_life_yr", 0.0) > 0:
        b_life = min(b_life, kpis["battery_life_yr"])
    capex = {
        "pv": pv_kw * t["pv"]["capex_usd_per_kw"] * fx,
        "wind": wind_kw * t["wind"]["capex_usd_per_kw"] * fx,
        "battery": (
            b_kwh * t["battery"]["capex_usd_per_kwh"] + b_kw * t["battery"]["capex_usd_per_kw"]
        )
        * fx,
        "genset": gen_kw * t["genset"]["capex_usd_per_kw"] * fx,
    }
    life = {
        "pv": t["pv"]["life_yr"],
        "wind": t["wind"]["life_yr"],
        "battery": b_life,
        "genset": t["genset"]["life_yr"],
    }
    om = {
        "pv": pv_kw * t["pv"]["opex_usd_per_kw_yr"] * fx,
        "wind": wind_kw * t["wind"]["opex_usd_per_kw_yr"] * fx,
        "battery": capex["battery"] * t["battery"]["opex_frac_of_capex_yr"],
        "genset": gen_kw * t["genset"]["opex_usd_per_kw_yr"] * fx,
    }
    per_yr = 1.0 / horizon_yr if horizon_yr > 0 else 0.0
    fuel = kpis.get("genset_fuel_l", 0.0) * t["genset"]["fuel_mad_per_l"] * per_yr
    annual = {k: capex[k] * crf(i, life[k]) + om[k] * lev for k in capex}
    # delivered: generation less curtailment (wind_energy_mwh is already delivered)
    pv_mwh = kpis.get("pv_energy_mwh", 0.0) - kpis.get("pv_curtailed_mwh", 0.0)
    onsite_mwh_yr = (pv_mwh + kpis.get("wind_energy_mwh", 0.0)) * per_yr
    onsite_cost = annual["pv"] + annual["wind"] + annual["battery"]
    water_mad = kpis.get("water_m3", 0.0) * fin.water_mad_per_m3
    bill_yr = kpis.get("energy_cost_mad", 0.0) * per_yr
    total_yr = sum(annual.values()) + (fuel + bill_yr + water_mad * per_yr) * lev
    facility_mwh_yr = kpis.get("facility_energy_mwh", 0.0) * per_yr
    it_mwh_yr = kpis.get("it_energy_mwh", 0.0) * per_yr
    return {
        "capex_mad": float(sum(capex.values())),
        "opex_mad_per_yr": float(sum(om.values()) + fuel),
        "lcoe_onsite_mad_per_mwh": float(onsite_cost / onsite_mwh_yr) if onsite_mwh_yr > 0 else 0.0,
        "cost_per_mwh_mad": float(total_yr / facility_mwh_yr) if facility_mwh_yr > 0 else 0.0,
        "water_cost_mad": float(water_mad),
        "total_cost_mad_per_yr": float(total_yr),
        "cost_per_it_mwh_mad": float(total_yr / it_mwh_yr) if it_mwh_yr > 0 else 0.0,
    }
