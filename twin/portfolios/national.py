"""The campuses on the national grid: added energy, peak, carbon and water.

Each campus's net grid energy (import - export - the off-site PPA farm's delivery, hour
by hour: the farm is built for the contract, assumed additional as in the campus's
``co2_marginal_t``, :mod:`twin.results.carbon`) is put on the
hours of the national year (:func:`weather.national_grid.align_hourly`, by local month,
day and hour), times the campus's share in service in the portfolio's year. On the
national year of :func:`weather.national_grid.national_grid`:

* ``average_co2_t``: Σ added x the hour's average factor (attributional, the same
  factors as each campus's ``co2_t``);
* ``marginal_co2_t``: the fossil fleet re-dispatched with the added load on top
  (:func:`weather.national_grid.redispatch`, coal, then gas, then fuel oil at fixed
  levels) minus the year without it (consequential: the added load climbs the merit
  order as it grows, where each campus's ``co2_marginal_t`` prices its own load at the
  margin of the year without the others);
* the renewable build that would make the added energy in a year: the added energy
  over the national wind or solar fleet's 2024 capacity factor (data file ``[fleet]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from twin.scenario.cooling import water_energy_kwh_per_m3
from weather.national_grid import (
    FOSSIL,
    NationalGrid,
    align_hourly,
    national_data,
    national_grid,
    redispatch,
)

__all__ = ["NationalView", "national_view"]


@dataclass
class NationalView:
    """The national figures (``kpis``) and the hourly arrays behind them [MW]."""

    kpis: dict[str, Any]
    grid: NationalGrid
    added_mw: np.ndarray
    by_campus_mw: dict[str, np.ndarray]
    gen_with_mw: dict[str, np.ndarray]


def _water(campuses, kpis_by, fracs) -> dict[str, Any]:
    by_source: dict[str, float] = {"grid": 0.0, "desalination": 0.0, "treated_wastewater": 0.0}
    energy_mwh = 0.0
    for c in campuses:
        m3 = kpis_by[c.name]["water_m3"] * fracs[c.name]
        by_source[c.scenario.cooling.water_source] += m3
        energy_mwh += m3 * water_energy_kwh_per_m3(c.scenario.cooling) / 1e3
    return {"water_m3_by_source": by_source, "water_treatment_energy_mwh": energy_mwh}


def national_view(campuses, kpis_by, series_by, year: int, basis: str = "lifecycle"):
    """The :class:`NationalView` of *campuses* (each with its KPIs in *kpis_by* and its
    step table in *series_by*) in the portfolio's *year*."""
    nat = national_grid(None, basis)
    fracs = {c.name: c.online_frac(year) for c in campuses}
    by_campus = {}
    for c in campuses:
        ts = series_by[c.name]
        net = (ts["p_grid_import_mw"] - ts["p_grid_export_mw"] - ts["p_ppa_mw"]).to_numpy()
        by_campus[c.name] = fracs[c.name] * align_hourly(ts.index, net, nat)
    added = np.sum(list(by_campus.values()), axis=0) if by_campus else np.zeros(len(nat.index))
    with_gen = redispatch(nat, added)
    ef = nat.factors_g_per_kwh
    marginal_kg = sum(((with_gen[k] - nat.gen_mw[k]) * ef[k]).sum() for k in FOSSIL)
    demand = nat.demand_mw
    i_peak = int(np.argmax(demand))
    total_with = demand + added
    added_mwh = float(added.sum())
    fleet = national_data()["fleet"]
    cf_wind = nat.gen_mw["wind"].sum() / (fleet["wind_mw"] * len(demand))
    cf_solar = nat.gen_mw["solar"].sum() / (fleet["solar_mw"] * len(demand))
    kpis: dict[str, Any] = {
        "year": year,
        "data_year": int(national_data()["meta"]["year"]),
        "consumption_twh": float(demand.sum() / 1e6),
        "peak_mw": float(demand[i_peak]),
        "peak_time": nat.index[i_peak].isoformat(),
        "added_energy_twh": added_mwh / 1e6,
        "added_share_of_consumption": added_mwh / float(demand.sum()),
        "added_peak_mw": float(added[i_peak]),
        "peak_with_campuses_mw": float(total_with.max()),
        "peak_increase_mw": float(total_with.max() - demand[i_peak]),
        "average_co2_t": float((added * nat.average_g_per_kwh).sum() / 1e3),
        "marginal_co2_t": float(marginal_kg / 1e3),
        # avoided CO2 per MWh when the campuses are net suppliers (added < 0)
        "marginal_factor_g_per_kwh": float(marginal_kg / added_mwh) if added_mwh else 0.0,
        "added_fossil_twh": {k: float((with_gen[k] - nat.gen_mw[k]).sum() / 1e6) for k in FOSSIL},
        "wind_build_mw": added_mwh / (cf_wind * len(demand)),
        "solar_build_mw": added_mwh / (cf_solar * len(demand)),
        "online_frac": fracs,
        **_water(campuses, kpis_by, fracs),
    }
    return NationalView(kpis, nat, added, by_campus, with_gen)
