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

from kernels import layout as L
from twin.ashrae import below_allowable, recommended_excursion_h
from twin.components import battery_wear, genset_fuel_l, ppa_matching
from twin.components import grid_to_load_w as grid_to_load_w_of
from twin.economics import KPI_UNITS_ECONOMICS, economics_kpis
from twin.invariants import check_run
from twin.ridethrough import ride_through_kpis

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


_COLUMN_IDX = np.array(list(_COLUMNS.values()), dtype=np.intp)


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
        # one gather of the MW columns into one block (no per-column strided copies)
        ts = pd.DataFrame(
            out[:, _COLUMN_IDX] / 1e6, index=inp.index, columns=list(_COLUMNS), copy=False
        )
        ts["t_inlet_c"] = out[:, L.O_T_AIR_C]
        ts["t_liquid_supply_c"] = out[:, L.O_T_LIQ_C]
        ts["soc_bess_frac"] = out[:, L.O_SOC_BESS]
        ts["water_m3_h"] = out[:, L.O_VDOT_WATER_M3_S] * 3600.0
        ts["econ_mode"] = out[:, L.O_ECON_MODE].astype(np.int8)
        ts["grid_up"] = out[:, L.O_GRID_UP] > 0.5
        ts["cooling_on"] = out[:, L.O_COOLING_ON] > 0.5
        ts["t_db_c"] = inp.t_db_c
        ts["t_wb_c"] = inp.t_wb_c
        ts["ghi_w_m2"] = inp.ghi_w_m2
        ts["price_mad_per_kwh"] = inp.price_mad_per_kwh
        ts["carbon_g_per_kwh"] = inp.carbon_g_per_kwh
        for i, name in enumerate(design.group_names):
            ts[f"u_{name}_frac"] = raw.u_steps[i]
        ts["n_chillers_air"] = raw.n_chillers_steps[0]
        ts["n_chillers_liquid"] = raw.n_chillers_steps[1]
        ts.index.name = "time"
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


def balance_error(out: np.ndarray) -> float:
    """Max over steps of |supply − demand| / mean facility power [-]."""
    facility = out[:, L.O_P_IT_W] + out[:, L.O_P_UPS_LOSS_W] + out[:, L.O_P_COOLING_W]
    scale = max(float(facility.mean()), 1.0)
    return float(np.abs(out[:, L.O_BALANCE_W]).max() / scale)


def _hourly_sum(x: np.ndarray, steps_per_hour: int) -> np.ndarray:
    n = x.size // steps_per_hour * steps_per_hour
    head = x[:n].reshape(-1, steps_per_hour).sum(axis=1)
    if n < x.size:
        head = np.append(head, x[n:].sum())
    return head


def compute_kpis(sc, out: np.ndarray, inp, design) -> dict[str, float]:
    """Every KPI of :data:`KPI_NAMES` from the per-step outputs."""
    dt_s = float(sc.dt_s)
    e = lambda col: float(out[:, col].sum() * dt_s / J_PER_MWH)  # noqa: E731
    it = e(L.O_P_IT_W)
    cooling = e(L.O_P_COOLING_W)
    facility = it + e(L.O_P_UPS_LOSS_W) + cooling + e(L.O_P_XFMR_LOSS_W)
    water_m3 = float(out[:, L.O_VDOT_WATER_M3_S].sum() * dt_s)
    pv_produced = e(L.O_P_PV_W)  # AC energy before any curtailment
    pv_w, wind_w = out[:, L.O_P_PV_W], out[:, L.O_P_WIND_W]
    re_w = pv_w + wind_w
    pv_share = np.divide(pv_w, re_w, out=np.ones_like(re_w), where=re_w > 0)
    pv_curtailed_w = out[:, L.O_P_PV_CURTAILED_W] * pv_share
    # renewable: on-site PV + wind to the load, directly or through the battery
    # (only the battery's renewable share counts when it also charges from the grid)
    renewable = e(L.O_P_PV_TO_LOAD_W) + e(L.O_P_BESS_DIS_RE_W)
    load_w = (
        out[:, L.O_P_IT_W]
        + out[:, L.O_P_UPS_LOSS_W]
        + out[:, L.O_P_COOLING_W]
        + out[:, L.O_P_XFMR_LOSS_W]
    )
    cf = getattr(inp, "carbon_free_frac", None)
    if cf is None or len(cf) != len(out):
        cf = np.full(len(out), sc.grid.carbon_free_frac)
    # grid energy that reached the load (not the battery), at the hour's clean share
    grid_to_load_w = grid_to_load_w_of(out)
    p_ppa = getattr(inp, "p_ppa_w", np.zeros(0))
    ppa_matched_w, ppa_mwh, ppa_cost = ppa_matching(sc, out, p_ppa, inp.price_mad_per_kwh)
    clean_w = (
        out[:, L.O_P_PV_TO_LOAD_W]
        + out[:, L.O_P_BESS_DIS_CFE_W]
        + (grid_to_load_w - ppa_matched_w) * cf
        + ppa_matched_w
    )
    sph = max(1, round(3600.0 / dt_s))
    load_h = _hourly_sum(load_w, sph)
    clean_h = _hourly_sum(clean_w, sph)
    cfe = float(np.minimum(load_h, clean_h).sum() / load_h.sum()) if load_h.sum() > 0 else 0.0
    imp_kwh = out[:, L.O_P_GRID_IMPORT_W] * dt_s / 3.6e6
    exp_kwh = out[:, L.O_P_GRID_EXPORT_W] * dt_s / 3.6e6
    gen_kwh = out[:, L.O_P_GENSET_W] * dt_s / 3.6e6
    fuel_l = genset_fuel_l(sc, out[:, L.O_P_GENSET_W], dt_s)
    genset_co2_kg = (
        fuel_l * sc.genset.co2_kg_per_l
        if sc.genset.fuel_curve
        else gen_kwh.sum() * sc.genset.co2_kg_per_kwh
    )
    co2_t = float((imp_kwh * inp.carbon_g_per_kwh).sum() / 1e6 + genset_co2_kg / 1e3)
    horizon_yr = len(out) * dt_s / (365.0 * 86400.0)
    tariff = sc.grid.tariff
    cost = float(
        (imp_kwh * inp.price_mad_per_kwh).sum()
        - exp_kwh.sum() * tariff.export_mad_per_kwh
        + tariff.premium_mad_per_kva_yr * sc.grid.import_limit_mw * 1e3 * horizon_yr
        + ppa_cost
    )
    t_air = out[:, L.O_T_AIR_C]
    t_liq = out[:, L.O_T_LIQ_C]
    violating = (t_air > design.t_air_limit_c) | (t_liq > design.t_liq_limit_c)
    violating |= below_allowable(sc, out)
    kpis = {
        "it_energy_mwh": it,
        "facility_energy_mwh": facility,
        "cooling_energy_mwh": cooling,
        "pue": facility / it if it > 0 else float("nan"),
        "water_m3": water_m3,
        "wue_l_per_kwh": water_m3 * 1e3 / (it * 1e3) if it > 0 else 0.0,
        "pv_energy_mwh": pv_produced,
        "pv_curtailed_mwh": float(pv_curtailed_w.sum() * dt_s / J_PER_MWH),
        "grid_import_mwh": e(L.O_P_GRID_IMPORT_W),
        "grid_export_mwh": e(L.O_P_GRID_EXPORT_W),
        "genset_energy_mwh": e(L.O_P_GENSET_W),
        "renewable_fraction": min(renewable / facility, 1.0) if facility > 0 else 0.0,
        "cfe_score": cfe,
        "co2_t": co2_t,
        "energy_cost_mad": cost,
        "unmet_energy_mwh": e(L.O_P_UNMET_W),
        "max_inlet_c": float(t_air.max()),
        "thermal_violation_h": float(violating.sum() * dt_s / 3600.0),
        "energy_balance_error": balance_error(out),
        "wind_energy_mwh": float((wind_w - (out[:, L.O_P_PV_CURTAILED_W] - pv_curtailed_w)).sum())
        * dt_s
        / J_PER_MWH,
        "ppa_energy_mwh": ppa_mwh,
        "genset_fuel_l": fuel_l,
        "bess_grid_charge_mwh": e(L.O_P_BESS_CHARGE_GRID_W),
        "peak_import_mw": float(out[:, L.O_P_GRID_IMPORT_W].max() / 1e6) if len(out) else 0.0,
    }
    kpis.update(ride_through_kpis(sc, out, inp, design))
    kpis["recommended_excursion_h"] = recommended_excursion_h(sc, out)
    kpis.update(battery_wear(sc, out[:, L.O_SOC_BESS], out[:, L.O_P_BESS_DISCHARGE_W], dt_s))
    kpis.update(economics_kpis(sc, kpis, horizon_yr))
    return kpis
