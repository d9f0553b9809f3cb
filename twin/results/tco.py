"""Net present value and payback of a design against its grid-only baseline.

The grid-only baseline of a scenario is the same campus (IT, cooling plant, gensets,
grid connection, tariff and subscription rule, weather, faults and seed) with no on-site
renewables, no storage and no off-site contract: ``pv.capacity_mwp = 0``,
``wind.capacity_mw = 0``, ``battery.energy_mwh = battery.power_mw = 0``,
``ppa.capacity_mw = 0``, ``ppa.certificates_mwh_per_yr = 0`` (:func:`grid_only`). It
is what the campus would be if it bought all its energy from ONEE.

Cash flows of the design against the baseline (both from
:func:`twin.results.economics.cost_breakdown`), at the cost of capital i over the
analysis period N (``[finance]``):

* year 0: −(capex_design − capex_base);
* a replacement of a component of life R at R, 2R, ... < N, in the year it falls in;
* each year t: the saving in O&M, fuel, grid bill and water, escalating at g, less the
  energy the degrading PV no longer delivers, bought at the design's energy price;
* year N: + the difference in salvage value.

NPV = Σ_t CF_t / (1 + i)^t; by construction it equals (total_base − total_design) /
CRF(i, N), the difference of the two net present costs. The (discounted) payback is the
first time the cumulative discounted cash flow reaches zero, interpolated within the
year; ``inf`` if it does not within N.
"""

from __future__ import annotations

import math

import numpy as np

from twin.sim.costdata import replacement_years, salvage_frac


def grid_only(sc):
    """The grid-only baseline of a scenario (module docstring)."""
    return sc.model_copy(
        update={
            "name": f"{sc.name}_grid_only",
            "pv": sc.pv.model_copy(update={"capacity_mwp": 0.0}),
            "wind": sc.wind.model_copy(update={"capacity_mw": 0.0}),
            "battery": sc.battery.model_copy(update={"energy_mwh": 0.0, "power_mw": 0.0}),
            "ppa": sc.ppa.model_copy(update={"capacity_mw": 0.0, "certificates_mwh_per_yr": 0.0}),
        }
    )


def _capital_flows(b: dict, n: int) -> np.ndarray:
    """Capital cash outflows by year 0..N (positive = spent), salvage as a negative."""
    out = np.zeros(n + 1)
    for k, c in b["capex"].items():
        out[0] += c
        for t in replacement_years(b["life"][k], n):
            out[math.ceil(t - 1e-9)] += c
        out[n] -= c * salvage_frac(b["life"][k], n)
    return out


def _discount(b: dict, n: int, rate: float) -> np.ndarray:
    """Present value of each year's capital outflow, replacements at their exact time."""
    out = np.zeros(n + 1)
    for k, c in b["capex"].items():
        out[0] += c
        for t in replacement_years(b["life"][k], n):
            out[math.ceil(t - 1e-9)] += c / (1.0 + rate) ** t
        out[n] -= c * salvage_frac(b["life"][k], n) / (1.0 + rate) ** n
    return out


def cash_flows(sc, design: dict, base: dict) -> dict:
    """Yearly cash flows of *design* against *base* (cost breakdowns) and their NPV,
    payback and the present value of each year (module docstring)."""
    fin = sc.finance
    i, g, n = fin.wacc, fin.escalation_frac_per_yr, fin.analysis_years
    years = np.arange(n + 1)
    esc = np.where(years > 0, (1.0 + g) ** np.maximum(years - 1, 0), 0.0)

    def running(b: dict) -> float:
        return sum(b["om"].values()) + b["fuel"] + b["bill"] + b["water"]

    saving = (running(base) - running(design)) * esc
    lost = (
        design["pv_mwh"] * design["price_mad_per_mwh"] * design["d_rel"] * (years - 1) * esc
    ) - (base["pv_mwh"] * base["price_mad_per_mwh"] * base["d_rel"] * (years - 1) * esc)
    lost[0] = 0.0
    capital = _capital_flows(base, n) - _capital_flows(design, n)
    cf = capital + saving - lost
    disc = (1.0 + i) ** -years.astype(float)
    pv_capital = _discount(base, n, i) - _discount(design, n, i)
    pv = pv_capital + (saving - lost) * disc
    npv = float(pv.sum())
    cum = np.cumsum(pv)
    payback = math.inf
    for t in range(1, n + 1):
        if cum[t] >= 0.0 > cum[t - 1]:
            payback = float(t - 1 + (-cum[t - 1]) / (cum[t] - cum[t - 1]))
            break
    if cum[0] >= 0.0:
        payback = 0.0
    return {"cash_flow": cf, "present_value": pv, "npv": npv, "payback_yr": payback}
