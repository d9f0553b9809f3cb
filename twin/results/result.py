"""Run results: time series, KPIs, events and files.

Conversion from the kernels' SI step averages to reporting units happens here
(:func:`step_table`) and in the KPIs (:mod:`twin.results.kpis`). KPI names are a
contract with users (``docs/kpis.md``, ``docs/architecture.md``); :data:`KPI_UNITS`
documents each one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kernels import layout as L
from kernels.columns import gather_scaled
from twin.results.invariants import check_run
from twin.results.kpis import compute_kpis
from twin.results.moisture import hall_dew_point_c
from twin.sim.inputs import carbon_marginal

logger = logging.getLogger(__name__)


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
    # IT shed for lack of supply, by priority level (kernels.shedding)
    **{f"p_shed_p{lv}_mw": L.O_P_SHED_W + lv for lv in range(L.N_PRIORITY)},
}


#: float columns taken from the kernel outputs: name -> (output column, factor to the unit)
_GATHER = {
    **{name: (col, 1e-6) for name, col in _COLUMNS.items()},
    "t_inlet_c": (L.O_T_AIR_C, 1.0),
    "t_liquid_supply_c": (L.O_T_LIQ_C, 1.0),
    # the highest at the end of any part of the step (an event inside it: kernels.span)
    "t_inlet_peak_c": (L.O_T_AIR_PEAK_C, 1.0),
    "t_liquid_supply_peak_c": (L.O_T_LIQ_PEAK_C, 1.0),
    "soc_bess_frac": (L.O_SOC_BESS, 1.0),
    "water_m3_h": (L.O_VDOT_WATER_M3_S, 3600.0),
}
#: the state columns, gathered as floats then typed
_STATE = {"econ_mode": L.O_ECON_MODE, "grid_up": L.O_GRID_UP, "cooling_on": L.O_COOLING_ON}
_GATHER_COLS = np.array([c for c, _ in _GATHER.values()] + list(_STATE.values()), dtype=np.intp)
_GATHER_SCALE = np.array([f for _, f in _GATHER.values()] + [1.0] * len(_STATE))


def step_table(
    out: np.ndarray,
    inp,
    u_steps: np.ndarray,
    n_chillers_steps: np.ndarray,
    group_names: Sequence[str],
) -> pd.DataFrame:
    """The step table of a run (``Result.timeseries``), in one place for runs and sweeps.

    Every float column is gathered from the kernel outputs *out* in one compiled pass;
    then the inputs *inp* (:class:`twin.sim.inputs.Inputs`), the utilisation of each rack
    group ``u_steps`` (G, n) and the chillers in service ``n_chillers_steps`` (2, n), and
    the three state columns. The table owns its data (``out`` may be a reused buffer).
    """
    n, n_gather = len(out), len(_GATHER)
    inputs = {
        "t_db_c": inp.t_db_c,
        "t_wb_c": inp.t_wb_c,
        "ghi_w_m2": inp.ghi_w_m2,
        "price_mad_per_kwh": inp.price_mad_per_kwh,
        "carbon_g_per_kwh": inp.carbon_g_per_kwh,
        "carbon_marginal_g_per_kwh": carbon_marginal(inp, n),
        **{f"u_{name}_frac": u_steps[i] for i, name in enumerate(group_names)},
        "n_chillers_air": n_chillers_steps[0],
        "n_chillers_liquid": n_chillers_steps[1],
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
    ts = pd.DataFrame(block[:n_float].T, index=inp.index[:n], columns=names, copy=False)
    state = block[n_float:]
    ts.insert(n_gather, "econ_mode", state[0].astype(np.int8))
    ts.insert(n_gather + 1, "grid_up", state[1] > 0.5)
    ts.insert(n_gather + 2, "cooling_on", state[2] > 0.5)
    ts.index.name = "time"
    return ts


def _timeseries(raw) -> pd.DataFrame:
    ts = step_table(raw.out, raw.inputs, raw.u_steps, raw.n_chillers_steps, raw.design.group_names)
    add_dew_point(ts, hall_dew_point_c(raw.scenario, raw.out, raw.inputs, raw.design))
    return ts


def add_dew_point(ts: pd.DataFrame, dew_point_c: np.ndarray) -> None:
    """Insert the hall dew point [°C] (:mod:`twin.results.moisture`) after ``t_inlet_c``."""
    ts.insert(ts.columns.get_loc("t_inlet_c") + 1, "t_dew_point_hall_c", dew_point_c)


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
    def event_log(self, max_listed: int = 5) -> pd.DataFrame:
        """The events for a person: each fault with its consequences, routine alarms
        summarised (:func:`twin.results.eventlog.readable_log`; ``event_log.csv``)."""
        from twin.results.eventlog import readable_log

        dt_s = float(self.scenario.dt_s) if self.scenario is not None else 3600.0
        return readable_log(self.events, self.timeseries, dt_s, max_listed)

    @property
    def plot(self):
        """Plot accessor: ``result.plot.energy_flows()``, ``.temperatures()``, ``.supply_mix()``."""
        from twin.results.figures import ResultPlotter

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

    See :func:`twin.results.invariants.check_run` for the list.
    """
    check_run(out, plant)
