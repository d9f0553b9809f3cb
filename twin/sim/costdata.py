"""The cost table and the discounting arithmetic every cost KPI uses.

* Capital recovery factor ``CRF(i, n) = i (1 + i)^n / ((1 + i)^n − 1)`` (NREL, "Simple
  Levelized Cost of Energy (LCOE) Calculator Documentation"; HOMER Pro manual, "Capital
  Recovery Factor").
* Levelisation factor of a cost escalating at g over N years, discounted at i:
  ``LF = CRF(i, N) Σ_{t=1..N} (1 + g)^(t−1) / (1 + i)^t`` (Short, Packey & Holt,
  "A Manual for the Economic Evaluation of Energy Efficiency and Renewable Energy
  Technologies", NREL/TP-462-5173, 1995, §4).
* Replacements and salvage of a component of life R over a project of N years (HOMER
  Pro manual, "Replacement Cost" and "Salvage Value"): replaced at R, 2R, ... < N at its
  initial cost (assumed: no price change); at N it keeps ``R_rem = R − (N − R ⌊N / R⌋)``
  of its life when N is not a multiple of R (else 0), worth ``C × R_rem / R``.
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

COSTS_FILE = Path(__file__).parents[1] / "results" / "data" / "costs.toml"

#: ONEE overrun charge per kVA above the subscription, as a multiple of the monthly
#: premium, and the weight of each period (peak, full, off-peak); sources in
#: :mod:`twin.results.tariff`, which bills them, and :mod:`twin.sim.optimum`, which plans
#: on them.
OVERRUN_FACTOR = 1.5
PERIOD_COEFFS = (1.0, 0.6, 0.4)


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
    """LF = CRF(i, N) Σ_{t=1..N} (1 + g)^(t−1) / (1 + i)^t [-]."""
    pv = sum((1.0 + escalation) ** (t - 1) / (1.0 + rate) ** t for t in range(1, years + 1))
    return crf(rate, years) * pv


def replacement_years(life_yr: float, years: int) -> list[float]:
    """Years at which a component of *life_yr* is replaced within *years* (< N)."""
    if life_yr <= 0 or not math.isfinite(life_yr):
        return []
    out = []
    t = life_yr
    while t < years - 1e-9:
        out.append(t)
        t += life_yr
    return out


def salvage_frac(life_yr: float, years: int) -> float:
    """Share of the last unit's cost left at the end of the project (HOMER) [-]."""
    if life_yr <= 0 or not math.isfinite(life_yr):
        return 0.0
    used = years - life_yr * math.floor(years / life_yr + 1e-12)
    return 0.0 if used <= 1e-9 else (life_yr - used) / life_yr


def capital_present_cost(capex: float, life_yr: float, rate: float, years: int) -> dict:
    """Present value of a component's capital: initial + replacements − salvage [MAD].

    Returns ``initial``, ``replacements`` and ``salvage`` (all present values at t = 0,
    salvage positive) and their net ``total``.
    """
    repl = sum(capex / (1.0 + rate) ** t for t in replacement_years(life_yr, years))
    salv = capex * salvage_frac(life_yr, years) / (1.0 + rate) ** years
    return {
        "initial": capex,
        "replacements": repl,
        "salvage": salv,
        "total": capex + repl - salv,
    }


@lru_cache(maxsize=1024, typed=True)  # pure; every scenario of a sweep asks the same few
def degradation_factors(rate: float, escalation: float, years: int, d_rel: float) -> tuple:
    """(energy factor, loss-cost factor) of an output falling linearly by *d_rel* of its
    first-year value each year [-]:

    * energy: ``CRF(i, N) Σ_t (1 − d (t−1)) / (1 + i)^t``, the levelised share of the
      first year's energy (NREL LCOE: discounted energy in the denominator);
    * loss cost: ``CRF(i, N) Σ_t d (t−1) (1 + g)^(t−1) / (1 + i)^t``, the levelised share
      of the first year's energy that must be bought instead, at a price escalating at g.
    """
    c = crf(rate, years)
    e = sum(max(0.0, 1.0 - d_rel * (t - 1)) / (1.0 + rate) ** t for t in range(1, years + 1))
    lost = sum(
        min(1.0, d_rel * (t - 1)) * (1.0 + escalation) ** (t - 1) / (1.0 + rate) ** t
        for t in range(1, years + 1)
    )
    return c * e, c * lost


def battery_wear_mad_per_mwh(battery) -> float:
    """Wear cost of the battery per MWh it discharges [MAD/MWh].

    A full cycle between ``soc_min`` and ``soc_max`` has depth D = soc_max − soc_min and
    uses up 1 / N(D) of the battery's life, N(D) = N80 (0.8 / D)^k (the wear model of
    :mod:`twin.results.components`, Xu et al. 2018); it discharges D × E. The energy part
    of the replacement cost (``battery.capex_usd_per_kwh`` of the cost table) spread over
    the life's throughput is ``C_kWh × 1000 / (N(D) D)`` per MWh. Shallower cycles wear
    less per MWh when k > 1; the full-depth figure is the one an arbitrage cycle pays.
    Zero without a battery.
    """
    d = battery.soc_max - battery.soc_min
    if battery.energy_mwh <= 0 or d <= 0:
        return 0.0
    t = cost_table()
    n_cycles = battery.cycle_life * (0.8 / d) ** battery.dod_exponent
    c_mad_per_kwh = t["battery"]["capex_usd_per_kwh"] * t["finance"]["usd_to_mad"]
    return c_mad_per_kwh * 1e3 / (n_cycles * d)
