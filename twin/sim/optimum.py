"""Perfect-foresight least-cost dispatch: a linear program over the horizon.

The benchmark every heuristic policy is measured against: knowing the whole
year's load, on-site renewables, prices and outages in advance, what battery
schedule minimises what dispatch can change: the energy bill, the premium on the
peak, battery wear, transformer losses and genset fuel? Solved with HiGHS through
:func:`scipy.optimize.linprog` (``method="highs"``; Huangfu & Hall, "Parallelizing
the dual revised simplex method", Math. Prog. Comp. 10, 2018).

Per step k (powers in MW, ``Δt`` in h), variables ``c_k`` (battery charge),
``d_k`` (discharge), ``g_k`` (grid import), ``x_k`` (export), ``s_k``
(curtailment) and ``e_k`` (stored energy after the step, MWh)::

    minimise   Σ_k (price_k g_k − price_export x_k) Δt · 1000      [MAD]
    subject to re_k + g_k + d_k − c_k − x_k − s_k = load_k        (bus balance)
               e_k = e_{k−1} + (η_c c_k − d_k / η_d) Δt           (storage, as the kernel)
               E soc_min ≤ e_k ≤ E soc_max,  0 ≤ c_k, d_k ≤ P
               0 ≤ g_k ≤ import limit,  0 ≤ x_k ≤ min(export limit, max(re_k − load_k, 0))
               Σ x_k ≤ export_share_max Σ re_k                    (law 82-21, whole horizon)

Costs beyond the energy bill (each optional, :func:`optimal_schedule` sets them):

* battery wear: w Δt Σ d_k, w from :func:`twin.sim.costdata.battery_wear_mad_per_mwh`;
* premium on the peak: with the subscription at the run's own peak
  (``grid.tariff.subscribed_kva = 0``) a variable P ≥ g_k + l_k costs
  Pfi / cos φ × 1000 × (the run's share of a year) per MW; with a fixed
  subscription PS the premium does not depend on dispatch, and the overrun of each
  month m and period p (:mod:`twin.results.tariff`) is a variable
  o_mp ≥ (g_k + l_k) / cos φ − PS over its steps, at 1.5 Pfi / 12 × c_p per MVA;
* transformer losses (IEC 60076-1, :mod:`kernels.electrical`): the metered import
  is g_k + l_k, with l_k above the tangents of S (p0 + pk (g / S)²) at 0, S/4, ...,
  the import limit (a convex loss: exact at the tangent points, below between);
* known outages (the scenario's fault timeline): no import or export while the
  grid is down; the gensets (``genset.capacity_mw``, unless they fail to start)
  supply q_k at (F0 + F1) × the fuel price per MWh, the fuel curve at full load;
  as in the kernel, the battery then only discharges what the gensets cannot carry
  (and what the start delay leaves) and only charges from on-site surplus.

Only on-site surplus is exported, as in the kernel (:func:`kernels.supply.dispatch`):
never energy bought from the grid or drawn from the battery.

Every heuristic's trajectory is feasible here (the kernel's storage update is
the same linear equation, and its cumulative export cap implies the annual
one), so no heuristic costs less in the LP's terms: the property test checks it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from twin.errors import TwinError
from twin.scenario.model import Scenario
from twin.sim.costdata import (
    OVERRUN_FACTOR,
    PERIOD_COEFFS,
    battery_wear_mad_per_mwh,
    cost_table,
)
from twin.sim.inputs import tariff_slot

#: throughput cost that only breaks ties between equal-cost schedules [MAD/MWh]
TIE_BREAK_MAD_PER_MWH = 1e-4
#: tariff slots: 12 months x 3 time-of-use periods (:func:`twin.sim.inputs.tariff_slot`)
N_SLOTS = 36


class OptimisationError(TwinError):
    """The dispatch linear program has no solution (e.g. load above every supply)."""


@dataclass(frozen=True)
class LPSchedule:
    """Solution of the dispatch LP, powers per step [W]."""

    p_charge_w: np.ndarray
    p_discharge_w: np.ndarray
    p_import_w: np.ndarray
    p_export_w: np.ndarray
    p_curtailed_w: np.ndarray
    soc: np.ndarray  # end of each step [-]
    energy_cost_mad: float  # metered import x price - export x export price
    objective_mad: float = 0.0  # with wear, premium, fuel (and the tie-break)


@dataclass(frozen=True)
class LPCosts:
    """Costs of the LP beyond the energy bill (module docstring); all off by default."""

    wear_mad_per_mwh: float = 0.0
    premium_mad_per_mw: float = 0.0  # over the horizon, per MW of peak metered import
    xfmr_s_mva: float = 0.0
    xfmr_p0_frac: float = 0.0
    xfmr_pk_frac: float = 0.0
    grid_up: np.ndarray | None = None  # per step, 1 up / 0 down
    genset_ok: np.ndarray | None = None  # per step, 1 the gensets can run
    genset_mw: float = 0.0
    genset_start_delay_s: float = 0.0
    fuel_mad_per_mwh: float = 0.0
    subscribed_mva: float = 0.0  # a fixed subscription (0: the run's own peak)
    power_factor: float = 1.0
    slot: np.ndarray | None = None  # tariff slot 3 m + p per step, -1 none
    overrun_mad_per_mva: np.ndarray | None = None  # (36,) per MVA above the subscription

    @property
    def has_overrun(self) -> bool:
        """A fixed subscription with its slots and overrun prices."""
        return (
            self.subscribed_mva > 0
            and self.slot is not None
            and self.overrun_mad_per_mva is not None
        )


def _meter_rows(n: int, nb: int, ext: int, import_mw: float, up: np.ndarray, costs: LPCosts):
    """Inequality rows on the metered import g + l (module docstring): the import limit,
    the peak P, the overrun of each tariff slot and the transformer-loss tangents."""
    eye = sp.identity(n, format="csr")
    zero = sp.csr_matrix((n, n))
    col0 = sp.csr_matrix((n, ext))
    rows, rhs = [], []
    # metered import within the limit and under the peak: g + l <= limit, g + l - P <= 0
    gl = sp.hstack([zero, zero, eye] + [zero] * 5 + [eye, col0], format="csr")
    minus_p = sp.csr_matrix((-np.ones(n), (np.arange(n), np.zeros(n, dtype=int))), (n, ext))
    rows += [gl, sp.hstack([gl[:, : nb * n], minus_p], format="csr")]
    rhs += [import_mw * up, np.zeros(n)]
    if costs.has_overrun:
        # overrun of slot s (month, period): o_s >= (g_k + l_k) / cos phi - PS for k in s
        slot = np.asarray(costs.slot, dtype=int)
        k_idx = np.arange(n)[slot >= 0]
        o = sp.csr_matrix(
            (-np.ones(k_idx.size), (np.arange(k_idx.size), 1 + slot[k_idx])), (k_idx.size, ext)
        )
        rows.append(sp.hstack([gl[k_idx, : nb * n] / costs.power_factor, o], format="csr"))
        rhs.append(np.full(k_idx.size, costs.subscribed_mva))
    if costs.xfmr_s_mva > 0:
        s_mva, p0, pk = costs.xfmr_s_mva, costs.xfmr_p0_frac, costs.xfmr_pk_frac
        for a in np.linspace(0.0, max(import_mw, s_mva), 9):
            # l >= S p0 + pk / S (2 a g - a^2): 2 pk a / S g - l <= -(S p0 - pk a^2 / S)
            rows.append(
                sp.hstack([zero, zero, (2.0 * pk * a / s_mva) * eye] + [zero] * 5 + [-eye, col0])
            )
            rhs.append(np.full(n, -(s_mva * p0 - pk * a * a / s_mva)) * up)
    return rows, rhs


def solve_dispatch_lp(
    load_w: np.ndarray,
    re_w: np.ndarray,
    price_mad_per_kwh: np.ndarray,
    dt_s: float,
    e_mwh: float,
    p_mw: float,
    eta_c: float,
    eta_d: float,
    soc_min: float,
    soc_max: float,
    soc_init: float,
    import_mw: float,
    export_mw: float = 0.0,
    export_price_mad_per_kwh: float = 0.0,
    export_share_max: float = 1.0,
    costs: LPCosts | None = None,
) -> LPSchedule:
    """Least-cost battery schedule with perfect foresight (see module docstring)."""
    costs = costs or LPCosts()
    n = len(load_w)
    dt_h = dt_s / 3600.0
    load = np.asarray(load_w, dtype=float) / 1e6
    re = np.asarray(re_w, dtype=float) / 1e6
    price = np.asarray(price_mad_per_kwh, dtype=float)
    up = np.ones(n) if costs.grid_up is None else np.asarray(costs.grid_up, dtype=float)
    # variable blocks: c, d, g, x, s, e, u (unserved load: keeps the LP feasible when
    # the load exceeds every supply; its penalty, 1000x the dearest energy, makes the
    # LP shed only what no schedule can serve, as the kernel does), q (gensets), l
    # (transformer loss), then the peak P
    nb = 9
    c0, d0, g0, x0, s0, e0, u0, q0, l0 = (i * n for i in range(nb))
    pk = nb * n
    ext = 1 + N_SLOTS  # the peak P, then the overrun of each tariff slot
    cost = np.zeros(nb * n + ext)
    cost[g0 : g0 + n] = price * dt_h * 1e3
    cost[l0 : l0 + n] = price * dt_h * 1e3
    cost[x0 : x0 + n] = -export_price_mad_per_kwh * dt_h * 1e3
    # a negligible throughput cost breaks ties (no simultaneous charge and
    # discharge, no cycling that gains nothing); it is not in the reported cost
    cost[c0 : c0 + 2 * n] = TIE_BREAK_MAD_PER_MWH * dt_h
    cost[d0 : d0 + n] += costs.wear_mad_per_mwh * dt_h
    cost[q0 : q0 + n] = costs.fuel_mad_per_mwh * dt_h
    dear = max(float(price.max(initial=0.0)) * 1e3, costs.fuel_mad_per_mwh, 1e3)  # MAD/MWh
    cost[u0 : u0 + n] = 1000.0 * dear * dt_h
    cost[pk] = costs.premium_mad_per_mw
    eye = sp.identity(n, format="csr")
    zero = sp.csr_matrix((n, n))
    col0 = sp.csr_matrix((n, ext))
    # bus balance: g + d - c - x - s + u + q = load - re (the loss is on the meter side)
    a_bal = sp.hstack([-eye, eye, eye, -eye, -eye, zero, eye, eye, zero, col0])
    b_bal = load - re
    # storage: e_k - e_{k-1} - eta_c dt c_k + dt/eta_d d_k = 0 (e_{-1} = soc_init E)
    shift = sp.diags([np.ones(n - 1)], [-1], shape=(n, n), format="csr")
    a_sto = sp.hstack(
        [-eta_c * dt_h * eye, (dt_h / eta_d) * eye]
        + [zero] * 3
        + [eye - shift]
        + [zero] * 3
        + [col0]
    )
    b_sto = np.zeros(n)
    b_sto[0] = soc_init * e_mwh
    a_eq = sp.vstack([a_bal, a_sto], format="csr")
    b_eq = np.concatenate([b_bal, b_sto])
    rows, rhs = _meter_rows(n, nb, ext, import_mw, up, costs)
    if costs.has_overrun:
        cost[pk + 1 :] = costs.overrun_mad_per_mva
    if export_share_max < 1.0 and export_mw > 0.0:
        row = np.zeros(nb * n + ext)
        row[x0 : x0 + n] = 1.0
        rows.append(sp.csr_matrix(row))
        rhs.append(np.array([export_share_max * re.sum()]))
    a_ub = sp.vstack(rows, format="csr")
    b_ub = np.concatenate(rhs)
    p = p_mw if e_mwh > 0 else 0.0
    q_cap = costs.genset_mw * (1.0 - up)
    if costs.genset_ok is not None:
        q_cap = q_cap * np.asarray(costs.genset_ok, dtype=float)
    # in an outage the kernel runs the gensets first and the battery after them, and
    # charges the battery only from on-site surplus: the genset share of the first
    # outage step is what is left after the start delay
    first = (1.0 - up) * np.concatenate([[1.0], up[:-1]])
    on_frac = 1.0 - first * min(1.0, costs.genset_start_delay_s / dt_s)
    short = np.maximum(load - re - q_cap * on_frac, 0.0)
    dis_max = np.where(up > 0, p, np.minimum(p, short))
    ch_max = np.where(up > 0, p, np.minimum(p, np.maximum(re - load, 0.0)))
    bounds = np.array(
        list(zip(np.zeros(n), ch_max))
        + list(zip(np.zeros(n), dis_max))
        + [(0.0, None)] * n
        + list(zip(np.zeros(n), np.minimum(export_mw, np.maximum(re - load, 0.0)) * up))
        + [(0.0, None)] * n
        + [(soc_min * e_mwh, soc_max * e_mwh)] * n
        + [(0.0, None)] * n
        + list(zip(np.zeros(n), q_cap))
        + [(0.0, None)] * n
        + [(0.0, None)] * ext,
        dtype=object,
    )
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status != 0:
        msg = f"dispatch LP failed: {res.message}"
        raise OptimisationError(msg)
    v = res.x
    energy_cost = float(cost[g0 : x0 + n] @ v[g0 : x0 + n] + cost[l0 : l0 + n] @ v[l0 : l0 + n])
    soc = v[e0 : e0 + n] / e_mwh if e_mwh > 0 else np.full(n, soc_init)
    return LPSchedule(
        p_charge_w=v[c0 : c0 + n] * 1e6,
        p_discharge_w=v[d0 : d0 + n] * 1e6,
        p_import_w=v[g0 : g0 + n] * 1e6,
        p_export_w=v[x0 : x0 + n] * 1e6,
        p_curtailed_w=v[s0 : s0 + n] * 1e6,
        soc=soc,
        energy_cost_mad=energy_cost,
        objective_mad=float(res.fun),
    )


def _grid_state(sc: Scenario, n: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Grid up and gensets available per step from the scenario's fault timeline (the
    outages a run will have: same seed); ``(None, None)`` when it cannot be sampled ahead
    (job and trace workloads react to the plant)."""
    if sc.it.workload != "profile":
        return None, None
    from twin.sim.compile import compile_scenario
    from twin.sim.timeline import sample_timeline

    tl = sample_timeline(sc, compile_scenario(sc))
    dt_s = float(sc.dt_s)
    # segments start at exact times (twin.sim.timeline): the share of each step with the
    # grid up (or the gensets available), as the kernel's rows average the parts of a step
    edges = np.append(tl.t0_s, sc.n_steps * dt_s)
    bounds = np.arange(n + 1) * dt_s

    def step_share(state: np.ndarray) -> np.ndarray:
        cum = np.concatenate(([0.0], np.cumsum(state.astype(float) * np.diff(edges))))
        return np.diff(np.interp(bounds, edges, cum)) / dt_s

    return step_share(tl.grid_up), step_share(tl.genset_ok)


def lp_costs(sc: Scenario, n: int, inp=None) -> LPCosts:
    """The costs beyond the energy bill of a scenario (module docstring)."""
    g, t = sc.grid, sc.grid.tariff
    years = n * float(sc.dt_s) / (365.0 * 86400.0)
    premium = t.premium_mad_per_kva_yr / t.power_factor * 1e3 * years
    gen = sc.genset
    fuel_l_per_mwh = (gen.fuel_intercept_l_per_h_per_kw + gen.fuel_slope_l_per_kwh) * 1e3
    up, ok = _grid_state(sc, n)
    monthly = t.premium_mad_per_kva_yr / 12.0 * 1e3  # per MVA
    overrun = np.array([OVERRUN_FACTOR * monthly * c for _ in range(12) for c in PERIOD_COEFFS])
    return LPCosts(
        subscribed_mva=t.subscribed_kva / 1e3,
        power_factor=t.power_factor,
        slot=tariff_slot(inp, n) if inp is not None else None,
        overrun_mad_per_mva=overrun,
        wear_mad_per_mwh=battery_wear_mad_per_mwh(sc.battery),
        premium_mad_per_mw=premium if t.subscribed_kva <= 0 else 0.0,
        xfmr_s_mva=g.transformer_mva,
        xfmr_p0_frac=g.transformer_noload_frac,
        xfmr_pk_frac=g.transformer_load_loss_frac,
        grid_up=up,
        genset_ok=ok,
        genset_mw=gen.capacity_mw,
        genset_start_delay_s=gen.start_delay_s,
        fuel_mad_per_mwh=fuel_l_per_mwh * cost_table()["genset"]["fuel_mad_per_l"],
    )


def optimal_schedule(sc: Scenario, load_w: np.ndarray, re_w: np.ndarray, inp) -> LPSchedule:
    """The LP for a scenario's battery, grid, tariff, faults and costs."""
    b, g = sc.battery, sc.grid
    return solve_dispatch_lp(
        load_w,
        re_w,
        inp.price_mad_per_kwh,
        float(sc.dt_s),
        b.energy_mwh,
        b.power_mw,
        b.eta_charge,
        b.eta_discharge,
        b.soc_min,
        b.soc_max,
        b.soc_init,
        g.import_limit_mw,
        g.export_limit_mw,
        g.tariff.export_mad_per_kwh,
        g.export_share_max,
        lp_costs(sc, len(load_w), inp),
    )
