"""Perfect-foresight least-cost dispatch: a linear program over the horizon.

The benchmark every heuristic policy is measured against: knowing the whole
year's load, on-site renewables and prices in advance, what battery schedule
minimises the grid bill? Solved with HiGHS through
:func:`scipy.optimize.linprog` (``method="highs"``; Huangfu & Hall, "Parallelizing
the dual revised simplex method", Math. Prog. Comp. 10, 2018).

Per step k (powers in MW, ``Δt`` in h), variables ``c_k`` (battery charge),
``d_k`` (discharge), ``g_k`` (grid import), ``x_k`` (export), ``s_k``
(curtailment) and ``e_k`` (stored energy after the step, MWh)::

    minimise   Σ_k (price_k g_k − price_export x_k) Δt · 1000      [MAD]
    subject to re_k + g_k + d_k − c_k − x_k − s_k = load_k        (bus balance)
               e_k = e_{k−1} + (η_c c_k − d_k / η_d) Δt           (storage, as the kernel)
               E soc_min ≤ e_k ≤ E soc_max,  0 ≤ c_k, d_k ≤ P
               0 ≤ g_k ≤ import limit,  0 ≤ x_k ≤ export limit
               Σ x_k ≤ export_share_max Σ re_k                    (law 82-21, whole horizon)

Every heuristic's trajectory is feasible here (the kernel's storage update is
the same linear equation, and its cumulative export cap implies the annual
one), so no heuristic can have a lower energy bill: the property test checks
it. The fixed premium does not depend on dispatch and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from twin.errors import TwinError
from twin.scenario.model import Scenario

#: throughput cost that only breaks ties between equal-cost schedules [MAD/MWh]
TIE_BREAK_MAD_PER_MWH = 1e-4


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
    energy_cost_mad: float  # import x price - export x export price (no fixed premium)


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
) -> LPSchedule:
    """Least-cost battery schedule with perfect foresight (see module docstring)."""
    n = len(load_w)
    dt_h = dt_s / 3600.0
    load = np.asarray(load_w, dtype=float) / 1e6
    re = np.asarray(re_w, dtype=float) / 1e6
    price = np.asarray(price_mad_per_kwh, dtype=float)
    # variable blocks: c, d, g, x, s, e, u (unserved load: keeps the LP feasible when
    # the load exceeds every supply; its penalty, 1000x the dearest import, makes the
    # LP shed only what no schedule can serve, as the kernel does)
    nb = 7
    c0, d0, g0, x0, s0, e0, u0 = (i * n for i in range(nb))
    cost = np.zeros(nb * n)
    cost[g0 : g0 + n] = price * dt_h * 1e3
    cost[x0 : x0 + n] = -export_price_mad_per_kwh * dt_h * 1e3
    # a negligible throughput cost breaks ties (no simultaneous charge and
    # discharge, no cycling that gains nothing); it is not in the reported cost
    cost[c0 : c0 + 2 * n] = TIE_BREAK_MAD_PER_MWH * dt_h
    cost[u0 : u0 + n] = 1000.0 * max(float(price.max(initial=0.0)), 1.0) * dt_h * 1e3
    eye = sp.identity(n, format="csr")
    zero = sp.csr_matrix((n, n))
    # bus balance: g + d - c - x - s = load - re
    a_bal = sp.hstack([-eye, eye, eye, -eye, -eye, zero, eye])
    b_bal = load - re
    # storage: e_k - e_{k-1} - eta_c dt c_k + dt/eta_d d_k = 0 (e_{-1} = soc_init E)
    shift = sp.diags([np.ones(n - 1)], [-1], shape=(n, n), format="csr")
    a_sto = sp.hstack(
        [-eta_c * dt_h * eye, (dt_h / eta_d) * eye, zero, zero, zero, eye - shift, zero]
    )
    b_sto = np.zeros(n)
    b_sto[0] = soc_init * e_mwh
    a_eq = sp.vstack([a_bal, a_sto], format="csr")
    b_eq = np.concatenate([b_bal, b_sto])
    a_ub = None
    b_ub = None
    if export_share_max < 1.0 and export_mw > 0.0:
        row = np.zeros(nb * n)
        row[x0 : x0 + n] = 1.0
        a_ub = sp.csr_matrix(row)
        b_ub = np.array([export_share_max * re.sum()])
    p = p_mw if e_mwh > 0 else 0.0
    bounds = (
        [(0.0, p)] * (2 * n)
        + [(0.0, import_mw)] * n
        + [(0.0, export_mw)] * n
        + [(0.0, None)] * n
        + [(soc_min * e_mwh, soc_max * e_mwh)] * n
        + [(0.0, None)] * n
    )
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if res.status != 0:
        msg = f"dispatch LP failed: {res.message}"
        raise OptimisationError(msg)
    v = res.x
    energy_cost = float(cost[g0 : x0 + n] @ v[g0 : x0 + n])
    soc = v[e0 : e0 + n] / e_mwh if e_mwh > 0 else np.full(n, soc_init)
    return LPSchedule(
        p_charge_w=v[c0 : c0 + n] * 1e6,
        p_discharge_w=v[d0 : d0 + n] * 1e6,
        p_import_w=v[g0 : g0 + n] * 1e6,
        p_export_w=v[x0 : x0 + n] * 1e6,
        p_curtailed_w=v[s0 : s0 + n] * 1e6,
        soc=soc,
        energy_cost_mad=energy_cost,
    )


def optimal_schedule(sc: Scenario, load_w: np.ndarray, re_w: np.ndarray, inp) -> LPSchedule:
    """The LP for a scenario's battery, grid and tariff, given load and renewables."""
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
    )
