"""KPIs of a run from its per-step outputs (names, units and definitions:
:data:`twin.results.result.KPI_UNITS` and ``docs/kpis.md``).

The time integrals come from one compiled pass over the rows
(:func:`kernels.kpisums.run_totals`); the ride-through KPIs from
:mod:`twin.results.ridethrough`, the hall dew point from :mod:`twin.results.moisture`,
battery wear from :mod:`twin.results.components`, the cost KPIs
from :mod:`twin.results.economics`. :func:`compute_kpis` serves a single run;
:func:`kpis_from_totals` also serves the batches of a sweep, whose totals are
computed in parallel (:func:`kernels.batch.post_batch`).
"""

from __future__ import annotations

import numpy as np

from kernels import kpisums
from kernels import layout as L
from kernels.kpisums import (
    T_CFE_MATCHED_W,
    T_EXCURSION_STEPS,
    T_FACILITY_NO_XFMR_W,
    T_FUEL_L,
    T_IMPORT_COST_MAD,
    T_LOAD_HOURLY_W,
    T_MAX_ABS_BALANCE_W,
    T_MAX_IMPORT_W,
    T_MAX_T_AIR_C,
    T_MAX_T_TCS_C,
    T_PPA_KWH,
    T_PPA_MATCHED_KWH,
    T_PPA_MATCHED_MAD,
    T_PV_CURTAILED_W,
    T_VIOLATING_STEPS,
    T_WIND_DELIVERED_W,
)
from twin.results.capex import cooling_sizes
from twin.results.carbon import KPI_UNITS_CARBON, carbon_kpis, genset_co2_kg
from twin.results.components import battery_wear
from twin.results.economics import KPI_UNITS_ECONOMICS, economics_kpis
from twin.results.envelope import air_envelope
from twin.results.moisture import moisture_kpis
from twin.results.ridethrough import ride_through_kpis
from twin.results.tariff import grid_bill
from twin.scenario.ashrae import ASHRAE_AIR_RECOMMENDED_C
from twin.sim.inputs import carbon_free_frac, carbon_marginal, tariff_slot

#: KPI name -> (unit, definition).
KPI_UNITS: dict[str, tuple[str, str]] = {
    "it_energy_mwh": ("MWh", "IT energy served"),
    "facility_energy_mwh": ("MWh", "IT + UPS losses + cooling (+ grid transformer losses)"),
    "cooling_energy_mwh": ("MWh", "chillers, tower fans, pumps, CRAH fans"),
    "pue": ("-", "facility energy / IT energy"),
    "water_m3": ("m3", "cooling-tower make-up: evaporation + drift + blowdown"),
    "wue_l_per_kwh": ("L/kWh", "site water / IT energy"),
    "pv_energy_mwh": ("MWh", "PV AC energy produced, before any curtailment"),
    "pv_curtailed_mwh": ("MWh", "PV energy curtailed"),
    "grid_import_mwh": ("MWh", "energy imported from the grid"),
    "grid_export_mwh": ("MWh", "energy exported to the grid"),
    "genset_energy_mwh": ("MWh", "energy from the gensets"),
    "renewable_fraction": (
        "-",
        (
            "on-site renewable energy (PV + wind, direct or through the battery's "
            "renewable share) / facility energy"
        ),
    ),
    "cfe_score": (
        "-",
        (
            "hourly-matched carbon-free share (24/7 CFE): sum over hours of "
            "min(load, on-site clean + battery clean share + grid-to-load x the hour's "
            "carbon-free share) / load"
        ),
    ),
    "co2_t": (
        "t",
        (
            "location-based CO2: grid import x the hour's average intensity + genset, "
            "on the carbon basis (grid.carbon_basis)"
        ),
    ),
    "energy_cost_mad": (
        "MAD",
        (
            "ONEE bill excl. VAT (import x time-of-use price + premium on the subscribed "
            "power + overrun + power-factor surcharge) - export x export price + PPA"
        ),
    ),
    "grid_premium_mad": ("MAD", "premium on the subscribed power (by twelfths, pro rata)"),
    "grid_overrun_mad": ("MAD", "overrun charges: monthly called power above the subscription"),
    "energy_vat_mad": ("MAD", "VAT on the ONEE bill, apart (deductible, in no cost KPI)"),
    "subscribed_kva": (
        "kVA",
        "subscribed power: the scenario's, or the run's peak apparent import",
    ),
    "unmet_energy_mwh": ("MWh", "IT energy that no supply could serve"),
    "max_inlet_c": ("degC", "highest IT air inlet temperature"),
    "max_tcs_supply_c": (
        "degC",
        (
            "highest rack-coolant (TCS) supply behind the CDUs: the facility water plus "
            "the CDU approach at the step's liquid heat (kernels.cdu); the ASHRAE W "
            "classes stay checked on the facility water"
        ),
    ),
    "thermal_violation_h": (
        "h",
        (
            "hours with an inlet (air) or facility-water supply (liquid) "
            "outside the group's ASHRAE allowable range, whether or not the IT runs "
            "(a hall hot enough to trip its IT counts while it is off)"
        ),
    ),
    "energy_balance_error": ("-", "max over steps of |supply - demand| / mean facility power"),
    "recommended_excursion_h": (
        "h",
        "hours with the IT air inlet outside the ASHRAE recommended 18-27 degC (air-cooled heat)",
    ),
    "ride_through_min": (
        "min",
        (
            "shortest time over the run until the hall inlet (two-node hall: air and IT "
            "mass) or the facility water (the liquid loop's water) crosses its ASHRAE "
            "allowable limit after all chillers trip (class excursion; capped at 1 day)"
        ),
    ),
    "ride_through_power_loss_min": (
        "min",
        "as ride_through_min after a loss of power to the whole cooling plant",
    ),
    "max_hall_dew_point_c": (
        "degC",
        "highest hall-air dew point at the end of a step (moisture balance, kernels.moisture)",
    ),
    "dew_point_excursion_h": (
        "h",
        (
            "hours with the hall dew point above the strictest ASHRAE allowable dew point "
            "of the air-cooled groups (A1 17, A2 21, A3/A4 24 degC)"
        ),
    ),
    "dew_point_recommended_excursion_h": (
        "h",
        "hours with the hall dew point above the ASHRAE recommended 15 degC",
    ),
    "ride_through_it_trip_min": (
        "min",
        (
            "as ride_through_min, until the hall inlet or the facility water reaches the IT "
            "protective shutdown temperature (45 degC): the IT trips"
        ),
    ),
    "ride_through_power_loss_it_trip_min": (
        "min",
        "as ride_through_it_trip_min after a loss of power to the whole cooling plant",
    ),
    "wind_energy_mwh": ("MWh", "wind AC energy delivered (generation - curtailment)"),
    "ppa_energy_mwh": ("MWh", "off-site PPA energy wheeled over the grid"),
    "genset_fuel_l": ("L", "diesel burnt (HOMER linear fuel curve, minimum load)"),
    "bess_grid_charge_mwh": ("MWh", "battery charging drawn from the grid"),
    "peak_import_mw": ("MW", "highest step-average grid import"),
    "battery_cycles_efc": ("-", "equivalent full cycles: discharged energy / usable energy"),
    "battery_fade_frac": ("-", "capacity fade over the run: rainflow cycles + calendar"),
    "battery_life_yr": ("yr", "years to end-of-life fade at this run's rate"),
    **KPI_UNITS_CARBON,
    **KPI_UNITS_ECONOMICS,
}
KPI_NAMES = tuple(KPI_UNITS)

__all__ = ["J_PER_MWH", "compute_kpis", "kpi_params", "kpis_from_totals", "ppa_w", "totals_args"]

J_PER_MWH = 3.6e9


def kpi_params(sc, design) -> np.ndarray:
    """The parameter vector of :func:`kernels.kpisums.run_totals` for a scenario."""
    has_air, t_air_min_c = air_envelope(sc)
    g = sc.genset
    dt_s = float(sc.dt_s)
    par = np.zeros(kpisums.N_PAR)
    par[kpisums.P_DT_S] = dt_s
    par[kpisums.P_STEPS_PER_HOUR] = max(1, round(3600.0 / dt_s))
    par[kpisums.P_T_AIR_LIMIT_C] = design.t_air_limit_c
    par[kpisums.P_T_LIQ_LIMIT_C] = design.t_liq_limit_c
    par[kpisums.P_T_AIR_MIN_C] = t_air_min_c
    par[kpisums.P_HAS_AIR] = 1.0 if has_air else 0.0
    par[kpisums.P_T_REC_LO_C], par[kpisums.P_T_REC_HI_C] = ASHRAE_AIR_RECOMMENDED_C
    par[kpisums.P_GENSET_UNIT_KW] = g.unit_mw * 1e3
    par[kpisums.P_GENSET_MIN_LOAD] = g.min_load_frac
    par[kpisums.P_GENSET_F0] = g.fuel_intercept_l_per_h_per_kw
    par[kpisums.P_GENSET_F1] = g.fuel_slope_l_per_kwh
    return par


def ppa_w(inp, n: int) -> np.ndarray:
    """The PPA delivery series of *inp* [W], or an empty array when there is none."""
    p_ppa = np.asarray(getattr(inp, "p_ppa_w", np.zeros(0)), dtype=float)
    if p_ppa.size != n or not np.any(p_ppa > 0):
        return np.zeros(0)
    return p_ppa


def totals_args(sc, inp, design, n: int) -> tuple[np.ndarray, ...]:
    """The arguments of :func:`kernels.kpisums.run_totals` after the outputs, for *n*
    steps: carbon-free share, average and marginal carbon, price, tariff slot, PPA
    delivery and the KPI parameters."""
    return (
        carbon_free_frac(inp, n, sc.grid.carbon_free_frac),
        np.ascontiguousarray(inp.carbon_g_per_kwh[:n], dtype=np.float64),
        carbon_marginal(inp, n),
        np.ascontiguousarray(inp.price_mad_per_kwh[:n], dtype=np.float64),
        tariff_slot(inp, n),
        ppa_w(inp, n),
        kpi_params(sc, design),
    )


def compute_kpis(sc, out: np.ndarray, inp, design) -> dict[str, float]:
    """Every KPI of :data:`KPI_NAMES` from the per-step outputs.

    The time integrals come from one compiled pass over the rows
    (:func:`kernels.kpisums.run_totals`); definitions in ``docs/kpis.md``.
    """
    n = len(out)
    out = np.ascontiguousarray(out, dtype=np.float64)
    tot = kpisums.run_totals(out, *totals_args(sc, inp, design, n))
    rt = ride_through_kpis(sc, out, inp, design)
    rt.update(moisture_kpis(sc, out, inp, design))
    return kpis_from_totals(sc, tot, n, rt, out[:, L.O_SOC_BESS])


def kpis_from_totals(
    sc, tot: np.ndarray, n: int, post: dict[str, float], soc: np.ndarray, design=None
) -> dict[str, float]:
    """The KPIs from the totals of :func:`kernels.kpisums.run_totals`, the KPIs of the
    other post passes (*post*: ride-through, :mod:`twin.results.ridethrough`; hall
    dew point, :mod:`twin.results.moisture`) and the state-of-charge series (battery
    wear). *design*: the scenario's compiled design, when the caller holds it (its
    cooling sizes price the plant; otherwise the scenario is compiled again)."""
    dt_s = float(sc.dt_s)
    p_ppa_any = tot[T_PPA_KWH] > 0.0
    to_mwh = dt_s / J_PER_MWH
    e = lambda col: float(tot[col] * to_mwh)  # noqa: E731
    it = e(L.O_P_IT_W)
    cooling = e(L.O_P_COOLING_W)
    facility = it + e(L.O_P_UPS_LOSS_W) + cooling + e(L.O_P_XFMR_LOSS_W)
    water_m3 = float(tot[L.O_VDOT_WATER_M3_S] * dt_s)
    # renewable: on-site PV + wind to the load, directly or through the battery
    # (only the battery's renewable share counts when it also charges from the grid)
    renewable = e(L.O_P_PV_TO_LOAD_W) + e(L.O_P_BESS_DIS_RE_W)
    load_h = tot[T_LOAD_HOURLY_W]
    cfe = float(tot[T_CFE_MATCHED_W] / load_h) if load_h > 0 else 0.0
    fuel_l = float(tot[T_FUEL_L])
    genset_kg = genset_co2_kg(sc, fuel_l, float(tot[L.O_P_GENSET_W] * dt_s / 3.6e6))
    horizon_yr = n * dt_s / (365.0 * 86400.0)
    tariff = sc.grid.tariff
    ppa_mwh, ppa_cost = 0.0, 0.0
    if p_ppa_any:
        ppa_kwh, matched_kwh = tot[T_PPA_KWH], tot[T_PPA_MATCHED_KWH]
        ppa_mwh = float(ppa_kwh / 1e3)
        ppa_cost = float(
            ppa_kwh * (sc.ppa.price_mad_per_kwh + sc.ppa.wheeling_mad_per_kwh)
            - tot[T_PPA_MATCHED_MAD]
            - (ppa_kwh - matched_kwh) * tariff.export_mad_per_kwh
        )
    bill = grid_bill(sc, tot, dt_s, float(tot[T_IMPORT_COST_MAD]))
    cost = float(
        bill["bill"]
        - tot[L.O_P_GRID_EXPORT_W] * dt_s / 3.6e6 * tariff.export_mad_per_kwh
        + ppa_cost
    )
    mean_facility_w = max(float(tot[T_FACILITY_NO_XFMR_W] / n), 1.0) if n else 1.0
    kpis = {
        "it_energy_mwh": it,
        "facility_energy_mwh": facility,
        "cooling_energy_mwh": cooling,
        "pue": facility / it if it > 0 else float("nan"),
        "water_m3": water_m3,
        "wue_l_per_kwh": water_m3 * 1e3 / (it * 1e3) if it > 0 else 0.0,
        "pv_energy_mwh": e(L.O_P_PV_W),  # AC energy before any curtailment
        "pv_curtailed_mwh": float(tot[T_PV_CURTAILED_W] * to_mwh),
        "grid_import_mwh": e(L.O_P_GRID_IMPORT_W),
        "grid_export_mwh": e(L.O_P_GRID_EXPORT_W),
        "genset_energy_mwh": e(L.O_P_GENSET_W),
        "renewable_fraction": min(renewable / facility, 1.0) if facility > 0 else 0.0,
        "cfe_score": cfe,
        "energy_cost_mad": cost,
        "grid_premium_mad": bill["premium"],
        "grid_overrun_mad": bill["overrun"],
        "energy_vat_mad": bill["vat"],
        "subscribed_kva": bill["subscribed_kva"],
        "unmet_energy_mwh": e(L.O_P_UNMET_W),
        "max_inlet_c": float(tot[T_MAX_T_AIR_C]),
        "max_tcs_supply_c": float(tot[T_MAX_T_TCS_C]),
        "thermal_violation_h": float(tot[T_VIOLATING_STEPS] * dt_s / 3600.0),
        "energy_balance_error": float(tot[T_MAX_ABS_BALANCE_W] / mean_facility_w),
        "wind_energy_mwh": float(tot[T_WIND_DELIVERED_W] * to_mwh),
        "ppa_energy_mwh": ppa_mwh,
        "genset_fuel_l": fuel_l,
        "bess_grid_charge_mwh": e(L.O_P_BESS_CHARGE_GRID_W),
        "peak_import_mw": float(tot[T_MAX_IMPORT_W] / 1e6) if n else 0.0,
        "recommended_excursion_h": float(tot[T_EXCURSION_STEPS] * dt_s / 3600.0),
    }
    kpis.update(
        carbon_kpis(
            sc,
            tot,
            dt_s,
            horizon_yr,
            genset_kg,
            {"it": it, "facility": facility, "renewable": renewable},
        )
    )
    kpis.update(post)
    kpis.update(battery_wear(sc, soc, tot[L.O_P_BESS_DISCHARGE_W] * dt_s, dt_s))
    sizes = cooling_sizes(sc, design) if design is not None else None
    kpis.update(economics_kpis(sc, kpis, horizon_yr, sizes))
    return kpis
