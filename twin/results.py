"""Run results: time series, KPIs, events and files.

Conversion from the kernels' SI step averages to reporting units happens here
and only here. KPI names are the contract of ``DESIGN.md``; :data:`KPI_UNITS`
documents each one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kernels import kpisums
from kernels import layout as L
from kernels.columns import gather_scaled
from kernels.kpisums import (
    T_CFE_MATCHED_W,
    T_EXCURSION_STEPS,
    T_FACILITY_NO_XFMR_W,
    T_FUEL_L,
    T_IMPORT_CARBON_G,
    T_IMPORT_COST_MAD,
    T_LOAD_HOURLY_W,
    T_MAX_ABS_BALANCE_W,
    T_MAX_IMPORT_W,
    T_MAX_T_AIR_C,
    T_PPA_KWH,
    T_PPA_MATCHED_KWH,
    T_PPA_MATCHED_MAD,
    T_PV_CURTAILED_W,
    T_VIOLATING_STEPS,
    T_WIND_DELIVERED_W,
)
from twin.ashrae import air_envelope
from twin.components import battery_wear
from twin.economics import KPI_UNITS_ECONOMICS, economics_kpis
from twin.invariants import check_run
from twin.ridethrough import ride_through_kpis
from twin.scenario import ASHRAE_AIR_RECOMMENDED_C

logger = logging.getLogger(__name__)

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
    "co2_t": ("t", "grid import x carbon intensity + genset x emission factor"),
    "energy_cost_mad": (
        "MAD",
        (
            "import x time-of-use price - export x export price + "
            "fixed premium x import capacity (pro rata)"
        ),
    ),
    "unmet_energy_mwh": ("MWh", "IT energy that no supply could serve"),
    "max_inlet_c": ("degC", "highest IT air inlet temperature"),
    "thermal_violation_h": (
        "h",
        (
            "hours with an inlet (air) or facility-water supply (liquid) "
            "outside the group's ASHRAE allowable range"
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
            "shortest time over the run until an inlet or facility-water supply crosses its "
            "ASHRAE allowable limit after all chillers trip (capped at 1 day)"
        ),
    ),
    "ride_through_power_loss_min": (
        "min",
        "as ride_through_min after a loss of power to the whole cooling plant",
    ),
    "wind_energy_mwh": ("MWh", "wind AC energy delivered (generation - curtailment)"),
    "ppa_energy_mwh": ("MWh", "off-site PPA energy wheeled over the grid"),
    "genset_fuel_l": ("L", "diesel burnt (HOMER linear fuel curve, minimum load)"),
    "bess_grid_charge_mwh": ("MWh", "battery charging drawn from the grid"),
    "peak_import_mw": ("MW", "highest step-average grid import"),
    "battery_cycles_efc": ("-", "equivalent full cycles: discharged energy / usable energy"),
    "battery_fade_frac": ("-", "capacity fade over the run: rainflow cycles + calendar"),
    "battery_life_yr": ("yr", "years to end-of-life fade at this run's rate"),
    **KPI_UNITS_ECONOMICS,
}
KPI_NAMES = tuple(KPI_UNITS)
J_PER_MWH = 3.6e9

_COLUMNS = {
    "p_it_mw": L.O_P_IT_W,
    "p_ups_loss_mw": L.O_P_UPS_LOSS_W,
    "p_cooling_mw": L.O_P_COOLING_W,
    "p_chiller_mw": L.O_P_CHILLER_W,
    "p_tower_fan_mw": L.O_P_TOWER_FAN_W,
    "p_pumps_mw": L.O_P_PUMPS_W,
    "p_air_fans_mw": L.O_P_AIR_FANS_W,
    "q_air_mw": L.O_Q_AIR_W,
    "q_liquid_mw": L.O_Q_LIQ_W,
    "q_free_mw": L.O_Q_FREE_W,
    "p_pv_mw": L.O_P_PV_W,
    "p_pv_to_load_mw": L.O_P_PV_TO_LOAD_W,
    "p_pv_curtailed_mw": L.O_P_PV_CURTAILED_W,
    "p_bess_charge_mw": L.O_P_BESS_CHARGE_W,
    "p_bess_discharge_mw": L.O_P_BESS_DISCHARGE_W,
    "p_grid_import_mw": L.O_P_GRID_IMPORT_W,
    "p_grid_export_mw": L.O_P_GRID_EXPORT_W,
    "p_genset_mw": L.O_P_GENSET_W,
    "p_ups_discharge_mw": L.O_P_UPS_DISCHARGE_W,
    "p_ups_charge_mw": L.O_P_UPS_CHARGE_W,
    "p_unmet_mw": L.O_P_UNMET_W,
    "p_wind_mw": L.O_P_WIND_W,
    "p_xfmr_loss_mw": L.O_P_XFMR_LOSS_W,
}


#: float columns taken from the kernel outputs: name -> (output column, factor to the unit)
_GATHER = {
    **{name: (col, 1e-6) for name, col in _COLUMNS.items()},
    "t_inlet_c": (L.O_T_AIR_C, 1.0),
    "t_liquid_supply_c": (L.O_T_LIQ_C, 1.0),
    "soc_bess_frac": (L.O_SOC_BESS, 1.0),
    "water_m3_h": (L.O_VDOT_WATER_M3_S, 3600.0),
}
#: the state columns, gathered as floats then typed
_STATE = {"econ_mode": L.O_ECON_MODE, "grid_up": L.O_GRID_UP, "cooling_on": L.O_COOLING_ON}
_GATHER_COLS = np.array([c for c, _ in _GATHER.values()] + list(_STATE.values()), dtype=np.intp)
_GATHER_SCALE = np.array([f for _, f in _GATHER.values()] + [1.0] * len(_STATE))


def _timeseries(raw) -> pd.DataFrame:
    """The step table of a run: every float column in one block, gathered in one pass."""
    out, inp, design = raw.out, raw.inputs, raw.design
    n, n_gather = len(out), len(_GATHER)
    inputs = {
        "t_db_c": inp.t_db_c,
        "t_wb_c": inp.t_wb_c,
        "ghi_w_m2": inp.ghi_w_m2,
        "price_mad_per_kwh": inp.price_mad_per_kwh,
        "carbon_g_per_kwh": inp.carbon_g_per_kwh,
        **{f"u_{name}_frac": raw.u_steps[i] for i, name in enumerate(design.group_names)},
        "n_chillers_air": raw.n_chillers_steps[0],
        "n_chillers_liquid": raw.n_chillers_steps[1],
    }
    # rows: gathered floats, then the inputs, then the three state columns
    n_float = n_gather + len(inputs)
    block = np.empty((n_float + len(_STATE), n))
    rows = np.r_[0:n_gather, n_float : n_float + len(_STATE)].astype(np.intp)
    out_c = np.ascontiguousarray(out, dtype=np.float64)
    gather_scaled(out_c, _GATHER_COLS, _GATHER_SCALE, rows, block)
    for j, values in enumerate(inputs.values()):
        block[n_gather + j] = values[:n]
    names = list(_GATHER) + list(inputs)
    ts = pd.DataFrame(block[:n_float].T, index=inp.index, columns=names, copy=False)
    state = block[n_float:]
    ts.insert(n_gather, "econ_mode", state[0].astype(np.int8))
    ts.insert(n_gather + 1, "grid_up", state[1] > 0.5)
    ts.insert(n_gather + 2, "cooling_on", state[2] > 0.5)
    ts.index.name = "time"
    return ts


def _version() -> str:
    try:
        return version("atlas-twin")
    except PackageNotFoundError:
        return "0+unknown"


@dataclass
class Result:
    """The outcome of :func:`twin.simulate`.

    Attributes
    ----------
    timeseries : pandas.DataFrame
        Step averages, index tz-aware (Africa/Casablanca, start of each step),
        columns with units in their names (``p_it_mw``, ``t_inlet_c`` ...).
    kpis : dict
        Every KPI of :data:`KPI_NAMES`, as plain floats.
    meta : dict
        Run facts: ``simpy_events``, ``kernel_calls``, ``steps``, ``seed``,
        ``wall_s``, ``version``, design sizes.
    events : pandas.DataFrame
        The exogenous and threshold events, time-stamped.
    scenario : twin.Scenario
    """

    timeseries: pd.DataFrame
    kpis: dict[str, float]
    meta: dict[str, Any]
    events: pd.DataFrame
    scenario: Any = None
    _plot: Any = field(default=None, repr=False)
    #: one row per job of the job model (``it.workload = "jobs"``), else ``None``
    jobs: pd.DataFrame | None = None

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_raw(cls, raw) -> Result:
        sc, out, inp, design = raw.scenario, raw.out, raw.inputs, raw.design
        check_invariants(out, design.plant)
        ts = _timeseries(raw)
        kpis = compute_kpis(sc, out, inp, design)
        events = pd.DataFrame(raw.events, columns=["time_s", "kind", "detail"])
        events = events.sort_values("time_s", kind="stable").reset_index(drop=True)
        events.insert(0, "time", inp.index[0] + pd.to_timedelta(events["time_s"], unit="s"))
        meta = {
            "simpy_events": int(raw.stats["simpy_events"]),
            "kernel_calls": int(raw.stats["kernel_calls"]),
            "steps": int(raw.stats["steps"]),
            "step": sc.simulation.step,
            "seed": sc.simulation.seed,
            "version": _version(),
            "site": sc.site.id,
            "site_name": inp.site_name,
            "weather": inp.weather_source,
            "n_chillers": {"air": design.n_chillers[0], "liquid": design.n_chillers[1]},
            "q_design_mw": {
                "air": design.q_design_w[0] / 1e6,
                "liquid": design.q_design_w[1] / 1e6,
            },
            "p_it_peak_mw": design.p_it_peak_w / 1e6,
            "events": {k: int(v) for k, v in events["kind"].value_counts().items()},
            "workload": sc.it.workload,
        }
        jobs = None
        if getattr(raw, "workload", None) is not None:
            from twin.workload.run import summarise

            jobs, job_meta = summarise(raw.workload, inp.index[0], len(out) * float(sc.dt_s))
            meta.update(job_meta)
        return cls(timeseries=ts, kpis=kpis, meta=meta, events=events, scenario=sc, jobs=jobs)

    # -- output -------------------------------------------------------------------
    @property
    def plot(self):
        """Plot accessor: ``result.plot.energy_flows()``, ``.temperatures()``, ``.supply_mix()``."""
        from twin.plot import ResultPlotter

        return ResultPlotter(self)

    def to_parquet(self, path: str | Path) -> Path:
        path = Path(path)
        self.timeseries.to_parquet(path)
        return path

    def to_json(self) -> str:
        return json.dumps({**self.kpis, "meta": self.meta}, indent=2)

    def __repr__(self) -> str:
        k = self.kpis
        return (
            f"<twin.Result {self.meta.get('site')} {self.meta.get('steps')} steps of "
            f"{self.meta.get('step')}: PUE {k['pue']:.3f}, IT {k['it_energy_mwh']:.0f} MWh, "
            f"water {k['water_m3']:.0f} m3, RE {k['renewable_fraction']:.1%}, "
            f"CFE {k['cfe_score']:.1%}>"
        )


def check_invariants(out: np.ndarray, plant: np.ndarray | None = None) -> None:
    """Raise :class:`EnergyBalanceError` if a physical invariant is broken.

    See :func:`twin.invariants.check_run` for the list.
    """
    check_run(out, plant)


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


def compute_kpis(sc, out: np.ndarray, inp, design) -> dict[str, float]:
    """Every KPI of :data:`KPI_NAMES` from the per-step outputs.

    The time integrals come from one compiled pass over the rows
    (:func:`kernels.kpisums.run_totals`); definitions in ``docs/kpis.md``.
    """
    n = len(out)
    cf = getattr(inp, "carbon_free_frac", None)
    if cf is None or len(cf) != n:
        cf = np.full(n, sc.grid.carbon_free_frac)
    out = np.ascontiguousarray(out, dtype=np.float64)
    tot = kpisums.run_totals(
        out,
        np.ascontiguousarray(cf, dtype=np.float64),
        np.ascontiguousarray(inp.carbon_g_per_kwh[:n], dtype=np.float64),
        np.ascontiguousarray(inp.price_mad_per_kwh[:n], dtype=np.float64),
        ppa_w(inp, n),
        kpi_params(sc, design),
    )
    rt = ride_through_kpis(sc, out, inp, design)
    return kpis_from_totals(sc, tot, n, rt, out[:, L.O_SOC_BESS])


def kpis_from_totals(
    sc, tot: np.ndarray, n: int, ride_through: dict[str, float], soc: np.ndarray
) -> dict[str, float]:
    """The KPIs from the totals of :func:`kernels.kpisums.run_totals`, the ride-through
    KPIs and the state-of-charge series (battery wear)."""
    dt_s = float(sc.dt_s)
    g = sc.genset
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
    gen_kwh = tot[L.O_P_GENSET_W] * dt_s / 3.6e6
    genset_co2_kg = fuel_l * g.co2_kg_per_l if g.fuel_curve else gen_kwh * g.co2_kg_per_kwh
    co2_t = float(tot[T_IMPORT_CARBON_G] / 1e6 + genset_co2_kg / 1e3)
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
    cost = float(
        tot[T_IMPORT_COST_MAD]
        - tot[L.O_P_GRID_EXPORT_W] * dt_s / 3.6e6 * tariff.export_mad_per_kwh
        + tariff.premium_mad_per_kva_yr * sc.grid.import_limit_mw * 1e3 * horizon_yr
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
        "co2_t": co2_t,
        "energy_cost_mad": cost,
        "unmet_energy_mwh": e(L.O_P_UNMET_W),
        "max_inlet_c": float(tot[T_MAX_T_AIR_C]),
        "thermal_violation_h": float(tot[T_VIOLATING_STEPS] * dt_s / 3600.0),
        "energy_balance_error": float(tot[T_MAX_ABS_BALANCE_W] / mean_facility_w),
        "wind_energy_mwh": float(tot[T_WIND_DELIVERED_W] * to_mwh),
        "ppa_energy_mwh": ppa_mwh,
        "genset_fuel_l": fuel_l,
        "bess_grid_charge_mwh": e(L.O_P_BESS_CHARGE_GRID_W),
        "peak_import_mw": float(tot[T_MAX_IMPORT_W] / 1e6) if n else 0.0,
        "recommended_excursion_h": float(tot[T_EXCURSION_STEPS] * dt_s / 3600.0),
    }
    kpis.update(ride_through)
    kpis.update(battery_wear(sc, soc, tot[L.O_P_BESS_DISCHARGE_W] * dt_s, dt_s))
    kpis.update(economics_kpis(sc, kpis, horizon_yr))
    return kpis
