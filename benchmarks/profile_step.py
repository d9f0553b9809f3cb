"""Part-by-part cost of one step of the integrated plant (ns per step), for one tree.

numba code cannot be line-profiled, so each part of :func:`kernels.integrate.integrate_interval`
is timed alone over a year's arrays: the kernel runs the year once (as in
``benchmarks/bench_step.py``), then a compiled loop calls one part per step on that run's own
values (temperatures at the start of the step, heat removed, outdoor air), and the whole
kernel is timed beside them. A part's figure includes the loop and the reading of its
inputs (a few ns); the parts do not add exactly to the whole (inlining, shared loads).

Run in one tree:  PYTHONPATH=TREE python benchmarks/profile_step.py [--step 1min]
[--plant water_cooled_chillers] [--json]; compare two trees by running it in each
(``--json`` prints one line to collect).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numba
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_step import _arrays, _year

from kernels import integrate as ki
from kernels.heat_rejection import plant_capacity_ctl_w, plant_power_ctl

try:  # issue 23: the towers' inlet air once per step for both loops
    from kernels.heat_rejection import plant_power_air_ctl, step_inlet_air

    SHARED_AIR = True
except ImportError:  # a tree before it
    SHARED_AIR = False
from kernels.layout import (
    AIR,
    DT_S,
    HALL_C_J_K,
    HALL_UA_W_K,
    L_CONC_RATIO,
    L_DRIFT_PCT,
    L_P_ATM_PA,
    L_T_SUPPLY_C,
    L_TOWER_RANGE_K,
    L_VDOT_TOWER_AIR_M3_S,
    L_VDOT_TOWER_M3_S,
    LIQ_C_J_K,
    LIQUID,
    N_OUT,
    O_Q_AIR_W,
    O_Q_LIQ_W,
    O_T_AIR_C,
    O_T_LIQ_C,
    T_AIR_SET_C,
    T_LIQ_SET_C,
)
from kernels.psychro import (
    dry_air_density_kg_m3,
    humidity_ratio_from_wet_bulb,
    moist_air_enthalpy_j_kg,
)
from kernels.room import rc_step
from kernels.step_thermal import loop_controls
from kernels.supply import dispatch
from kernels.tower import tower_leaving_water_c
from kernels.tower_water import tower_water_m3_s

jit = numba.njit(cache=False, error_model="numpy")


@jit
def _p_it(plant, groups, u, ta0, tl0):
    s = 0.0
    for k in range(ta0.shape[0]):
        r = ki._it_load(plant, groups, u, ta0[k], tl0[k])
        s += r[2]
    return s


@jit
def _p_controls(loops, state, tdb, twb, qa, ql):
    s = 0.0
    lps = (loops[AIR], loops[LIQUID])
    for k in range(tdb.shape[0]):
        r = loop_controls(lps, state, tdb[k], twb[k], qa[k], ql[k])
        s += r[2] + r[3]
    return s


@jit
def _p_makeup(lp, q, tdb, twb):
    """The tower's make-up water alone (inlet psychrometrics, the saturated exit air's
    Halley solve, drift and blowdown) at 1.25 x the step's heat and half air flow."""
    s = 0.0
    for k in range(tdb.shape[0]):
        r = tower_water_m3_s(
            1.25 * q[k], 0.5, lp[L_VDOT_TOWER_AIR_M3_S], lp[L_VDOT_TOWER_M3_S], tdb[k], twb[k],
            lp[L_P_ATM_PA], lp[L_DRIFT_PCT], lp[L_CONC_RATIO],
        )  # fmt: skip
        s += r[0] + r[1] + r[2]
    return s


@jit
def _p_inlet_air(lp, tdb, twb):
    """The tower inlet air's psychrometrics alone (humidity ratio, dry-air density,
    enthalpy): weather only."""
    s = 0.0
    p = lp[L_P_ATM_PA]
    for k in range(tdb.shape[0]):
        w = humidity_ratio_from_wet_bulb(tdb[k], twb[k], p)
        s += dry_air_density_kg_m3(tdb[k], w, p) + moist_air_enthalpy_j_kg(tdb[k], w)
    return s


@jit
def _p_leaving_design(lp, twb):
    """The tower's leaving water at full fan and design range (YorkCalc), as the controls
    and the capacity each evaluate it."""
    s = 0.0
    for k in range(twb.shape[0]):
        s += tower_leaving_water_c(twb[k], lp[L_TOWER_RANGE_K], 1.0, 1.0)
    return s


@jit
def _p_capacity(lp, tdb, twb, n):
    s = 0.0
    ts = lp[L_T_SUPPLY_C]
    for k in range(tdb.shape[0]):
        s += plant_capacity_ctl_w(lp, tdb[k], twb[k], n, True, ts)
    return s


@jit
def _p_power(lp, q, tdb, twb, n):
    s = 0.0
    ts = lp[L_T_SUPPLY_C]
    for k in range(tdb.shape[0]):
        r = plant_power_ctl(lp, q[k], tdb[k], twb[k], n, True, ts)
        s += r[0] + r[1] + r[2] + r[5]
    return s


@jit
def _p_power_both(lo, qa, ql, tdb, twb, n_air, n_liq):
    """Both loops' power in one step as :func:`kernels.step_thermal.thermal_step` calls it
    (before issue 23: each loop on its own)."""
    s = 0.0
    la, ll = lo[AIR], lo[LIQUID]
    ta, tl = la[L_T_SUPPLY_C], ll[L_T_SUPPLY_C]
    for k in range(tdb.shape[0]):
        a = plant_power_ctl(la, qa[k], tdb[k], twb[k], n_air, True, ta)
        b = plant_power_ctl(ll, ql[k], tdb[k], twb[k], n_liq, True, tl)
        s += a[0] + a[1] + a[2] + a[5] + b[0] + b[1] + b[2] + b[5]
    return s


if SHARED_AIR:

    @jit
    def _p_power_both(lo, qa, ql, tdb, twb, n_air, n_liq):
        """Both loops' power in one step, the towers' inlet air once (issue 23)."""
        s = 0.0
        la, ll = lo[AIR], lo[LIQUID]
        ta, tl = la[L_T_SUPPLY_C], ll[L_T_SUPPLY_C]
        for k in range(tdb.shape[0]):
            air_a, air_l = step_inlet_air(la, ll, tdb[k], twb[k])
            a = plant_power_air_ctl(la, qa[k], tdb[k], twb[k], n_air, True, ta, air_a)
            b = plant_power_air_ctl(ll, ql[k], tdb[k], twb[k], n_liq, True, tl, air_l)
            s += a[0] + a[1] + a[2] + a[5] + b[0] + b[1] + b[2] + b[5]
        return s


@jit
def _p_rc(plant, ta0, tl0, qa, ql, tdb):
    s = 0.0
    dt = plant[DT_S]
    for k in range(tdb.shape[0]):
        a = rc_step(
            ta0[k], plant[T_AIR_SET_C], qa[k], 1e12, tdb[k], plant[HALL_C_J_K],
            plant[HALL_UA_W_K], dt,
        )  # fmt: skip
        b = rc_step(tl0[k], plant[T_LIQ_SET_C], ql[k], 1e12, tdb[k], plant[LIQ_C_J_K], 0.0, dt)
        s += a[0] + b[0]
    return s


@jit
def _p_dispatch(plant, load, pv, soc):
    s = 0.0
    for k in range(load.shape[0]):
        d = dispatch(load[k], pv[k], True, 0.0, soc[k], 1.0, 0.0, plant)
        s += d[4]
    return s


def _best(fn, *args, inner=3):
    """Best CPU time of *inner* calls [s] (after one to compile)."""
    fn(*args)
    best = 1e9
    for _ in range(inner):
        t0 = time.thread_time()
        fn(*args)
        best = min(best, time.thread_time() - t0)
    return best


def profile(plant_name: str, step: str, inner: int = 3) -> dict:
    """ns per step of each part and of the whole kernel."""
    args = _arrays(plant_name, step)
    sc, design, inp, _sig, u, n_air, n_liq, state0 = args
    n = sc.n_steps
    out = np.zeros((n, N_OUT))
    _year(args, state0, out)
    inner = max(inner, 2_000_000 // n)  # short years: many passes, the best kept
    whole = min(_year(args, state0, out) for _ in range(inner))
    ta0 = np.concatenate(([out[0, O_T_AIR_C]], out[:-1, O_T_AIR_C]))
    tl0 = np.concatenate(([out[0, O_T_LIQ_C]], out[:-1, O_T_LIQ_C]))
    qa, ql = out[:, O_Q_AIR_W].copy(), out[:, O_Q_LIQ_W].copy()
    tdb, twb = inp.t_db_c, inp.t_wb_c
    p, lo, g = design.plant, design.loops, design.groups
    load = qa + ql
    soc = np.full(n, 0.5)
    parts = {
        "it_load": _best(_p_it, p, g, u, ta0, tl0, inner=inner),
        "controls (2 loops)": _best(_p_controls, lo, state0, tdb, twb, qa, ql, inner=inner),
        "capacity air": _best(_p_capacity, lo[AIR], tdb, twb, n_air, inner=inner),
        "capacity liquid": _best(_p_capacity, lo[LIQUID], tdb, twb, n_liq, inner=inner),
        "rc_step (2 nodes)": _best(_p_rc, p, ta0, tl0, qa, ql, tdb, inner=inner),
        "power air": _best(_p_power, lo[AIR], qa, tdb, twb, n_air, inner=inner),
        "power liquid": _best(_p_power, lo[LIQUID], ql, tdb, twb, n_liq, inner=inner),
        "power both (as a step)": _best(
            _p_power_both, lo, qa, ql, tdb, twb, n_air, n_liq, inner=inner
        ),
        "dispatch": _best(_p_dispatch, p, load, inp.p_pv_w, soc, inner=inner),
        "  of power: make-up water air": _best(_p_makeup, lo[AIR], qa, tdb, twb, inner=inner),
        "  of make-up: inlet air": _best(_p_inlet_air, lo[AIR], tdb, twb, inner=inner),
        "  tower at design (YorkCalc)": _best(_p_leaving_design, lo[AIR], twb, inner=inner),
    }
    res = {k: round(1e9 * v / n, 1) for k, v in parts.items()}
    res["whole kernel"] = round(1e9 * whole / n, 1)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--step", default="1min")
    ap.add_argument("--plant", default="water_cooled_chillers")
    ap.add_argument("--inner", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    res = profile(a.plant, a.step, a.inner)
    if a.json:
        print(json.dumps(res))
        return
    for k, v in res.items():
        print(f"{k:24s} {v:8.1f} ns/step")


if __name__ == "__main__":
    main()
