"""Run results: time series, KPIs, events and files.

Conversion from the kernels' SI step averages to reporting units happens here
(:func:`step_table`) and in the KPIs (:mod:`twin.results.kpis`). KPI names are a
contract with users (``docs/kpis.md``, ``docs/architecture.md``); :data:`KPI_UNITS`
documents each one.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kernels import layout as L
from kernels.columns import gather_scaled
from kernels.sources import source_columns
from twin.provenance import git_revision, package_version
from twin.results.columns import KERNEL_COLUMNS, SOURCE_COLUMNS, STATE_COLUMNS
from twin.results.invariants import check_run
from twin.results.kpis import compute_kpis, ppa_w
from twin.results.moisture import hall_dew_point_c
from twin.sim.inputs import carbon_marginal

logger = logging.getLogger(__name__)


#: the kernel columns gathered and scaled in one pass (:mod:`twin.results.columns`)
_GATHER = {name: (col, f) for name, (col, f, _, _) in KERNEL_COLUMNS.items()}
_GATHER_COLS = np.array(
    [c for c, _ in _GATHER.values()] + [v[0] for v in STATE_COLUMNS.values()], dtype=np.intp
)
_GATHER_SCALE = np.array([f for _, f in _GATHER.values()] + [1.0] * len(STATE_COLUMNS))
#: the source split's rows, in the order of the R_* slots of kernels.sources
_SOURCE_ORDER = sorted(SOURCE_COLUMNS, key=lambda name: SOURCE_COLUMNS[name][0])


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
    n, n_gather, n_src = len(out), len(_GATHER), len(SOURCE_COLUMNS)
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
    # rows: gathered floats, the source split, the inputs, then the state columns
    n_float = n_gather + n_src + len(inputs)
    n_state = len(STATE_COLUMNS)
    block = np.empty((n_float + n_state, n))
    rows = np.r_[0:n_gather, n_float : n_float + n_state].astype(np.intp)
    out_c = np.ascontiguousarray(out, dtype=np.float64)
    gather_scaled(out_c, _GATHER_COLS, _GATHER_SCALE, rows, block)
    src_rows = np.arange(n_gather, n_gather + n_src, dtype=np.intp)
    source_columns(out_c, ppa_w(inp, n), 1e-6, src_rows, block)
    for j, values in enumerate(inputs.values()):
        block[n_gather + n_src + j] = values[:n]
    names = list(_GATHER) + _SOURCE_ORDER + list(inputs)
    ts = pd.DataFrame(block[:n_float].T, index=inp.index[:n], columns=names, copy=False)
    state = block[n_float:]
    for j, (name, (_, dtype, _, _)) in enumerate(STATE_COLUMNS.items()):
        values = state[j] > 0.5 if dtype == "bool" else state[j].astype(dtype)
        ts.insert(n_gather + n_src + j, name, values)
    ts.index.name = "time"
    return ts


def _timeseries(raw) -> pd.DataFrame:
    ts = step_table(raw.out, raw.inputs, raw.u_steps, raw.n_chillers_steps, raw.design.group_names)
    add_dew_point(ts, hall_dew_point_c(raw.scenario, raw.out, raw.inputs, raw.design))
    return ts


def add_dew_point(ts: pd.DataFrame, dew_point_c: np.ndarray) -> None:
    """Insert the hall dew point [°C] (:mod:`twin.results.moisture`) after ``t_inlet_c``."""
    ts.insert(ts.columns.get_loc("t_inlet_c") + 1, "t_dew_point_hall_c", dew_point_c)


def thermal_meta(out: np.ndarray, design) -> dict[str, dict[str, float | None]]:
    """The highest IT inlet and facility-water supply of a run and their allowable limits
    [°C] (``meta["thermal"]``; a limit is ``None`` where no rack group sets one), so that
    a warning names the quantity that broke its limit. Read from the kernel's output
    (the step table's ``t_inlet_c`` and ``t_liquid_supply_c``), so the KPIs of a run
    never need its step table."""

    def limit(x: float) -> float | None:
        return float(x) if math.isfinite(x) and x < 1e8 else None

    return {
        "it_inlet": {
            "max_c": float(out[:, L.O_T_AIR_C].max()),
            "limit_c": limit(design.t_air_limit_c),
        },
        "facility_water": {
            "max_c": float(out[:, L.O_T_LIQ_C].max()),
            "limit_c": limit(design.t_liq_limit_c),
        },
    }


@dataclass
class Result:
    """The outcome of :func:`twin.simulate`.

    Attributes
    ----------
    timeseries : pandas.DataFrame
        Step averages, index tz-aware (Africa/Casablanca, start of each step),
        columns with units in their names (``p_it_mw``, ``t_inlet_c`` ...). Built on
        first use: a run asked only for its KPIs (``twin run --json``, a sweep) never
        pays for the table of a minute year.
    kpis : dict
        Every KPI of :data:`KPI_NAMES`, as plain floats.
    meta : dict
        Run facts: ``simpy_events``, ``kernel_calls``, ``steps``, ``seed``,
        ``wall_s``, ``version`` and ``git_revision`` (when run from a git checkout;
        :mod:`twin.provenance`), design sizes.
    events : pandas.DataFrame
        The exogenous and threshold events, time-stamped.
    scenario : twin.Scenario
    """

    kpis: dict[str, float]
    meta: dict[str, Any]
    events: pd.DataFrame
    scenario: Any = None
    _plot: Any = field(default=None, repr=False)
    #: one row per job of the job model (``it.workload = "jobs"``), else ``None``
    jobs: pd.DataFrame | None = None
    #: the step table once built, and the raw run it is built from until then
    _table: pd.DataFrame | None = field(default=None, repr=False)
    _raw: Any = field(default=None, repr=False)

    @property
    def timeseries(self) -> pd.DataFrame:
        if self._table is None:
            self._table = _timeseries(self._raw)
            self._raw = None
        return self._table

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_raw(cls, raw) -> Result:
        sc, out, inp, design = raw.scenario, raw.out, raw.inputs, raw.design
        check_invariants(out, design.plant)
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
            "version": package_version(),
            **({"git_revision": rev} if (rev := git_revision()) else {}),
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
            "thermal": thermal_meta(out, design),
        }
        jobs = None
        if getattr(raw, "workload", None) is not None:
            from twin.workload.run import summarise

            jobs, job_meta = summarise(raw.workload, inp.index[0], len(out) * float(sc.dt_s))
            meta.update(job_meta)
        return cls(kpis=kpis, meta=meta, events=events, scenario=sc, jobs=jobs, _raw=raw)

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
        """Write :attr:`timeseries` to a Parquet file at *path*; return the path."""
        path = Path(path)
        self.timeseries.to_parquet(path)
        return path

    def to_json(self) -> str:
        """The KPIs and ``meta`` (version and git revision included) as one JSON object."""
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
