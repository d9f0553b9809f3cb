"""Threshold crossings of a step: which one stops the integration, and when it happened.

:func:`stop_status` tells :func:`kernels.integrate.integrate_interval` whether the step it
has just written crossed a threshold (inlet or liquid above its limit, the battery or the
UPS battery reaching its floor, unmet load beginning) or left a non-finite state. Inside a
step a node's inputs are constant, so the time it crossed a limit has a closed form on its
exact RC solution (:func:`crossing_s`); :func:`cross_back` writes into the state how long
before the step's end each limit was crossed and unmet load began, and :func:`trip_at_s`
finds when IT that trips inside the step stopped being served. The engine stamps each
event there (:mod:`twin.sim.engine`). Pure scalar code, CUDA-safe.
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.layout import (
    BESS_SOC_MIN,
    DT_S,
    HALL_C_J_K,
    HALL_UA_W_K,
    LIQ_C_J_K,
    S_AIR_BACK_S,
    S_LIQ_BACK_S,
    S_UNMET_BACK_S,
    ST_BESS_EMPTY,
    ST_DONE,
    ST_INLET_HIGH,
    ST_LIQUID_HIGH,
    ST_UNMET,
    ST_UPS_EMPTY,
    T_AIR_LIMIT_C,
    T_LIQ_LIMIT_C,
)
from kernels.outage import SOC_EPS
from kernels.step_thermal import D_BESS_DIS, D_UNMET, D_UPS_DIS, TH_T_AIR, TH_T_LIQ

#: Extra status: a non-finite state appeared (a bug, never a physical state).
ST_NONFINITE = 7


@njit
def stop_status(plant, th, p_cool, t_air0, t_liq0, socs, flows, unmet_before):
    """The threshold the step crossed (``ST_*``), or ``ST_DONE`` to go on; ``socs`` =
    (battery, UPS battery) states of charge at the start and the end of the step."""
    soc0, soc1, soc_ups0, soc_ups1 = socs
    b_dis = flows[D_BESS_DIS]
    unmet = flows[D_UNMET]
    t_air_lim, t_liq_lim, soc_min = plant[T_AIR_LIMIT_C], plant[T_LIQ_LIMIT_C], plant[BESS_SOC_MIN]
    t_air = th[TH_T_AIR]
    t_liq = th[TH_T_LIQ]
    if not (
        math.isfinite(t_air) and math.isfinite(t_liq) and math.isfinite(soc1)
        and math.isfinite(p_cool)
    ):  # fmt: skip
        return ST_NONFINITE
    if t_air > t_air_lim >= t_air0:
        return ST_INLET_HIGH
    if t_liq > t_liq_lim >= t_liq0:
        return ST_LIQUID_HIGH
    if b_dis > 0.0 and soc1 <= soc_min + SOC_EPS < soc0:
        return ST_BESS_EMPTY
    if flows[D_UPS_DIS] > 0.0 and soc_ups1 <= SOC_EPS < soc_ups0:
        return ST_UPS_EMPTY
    if unmet > 0.0 and unmet_before == 0.0:
        return ST_UNMET
    return ST_DONE


@njit
def crossing_s(t0_c, t1_c, limit_c, c_j_k, ua_w_k, dt_s):
    """When a node that went from ``t0_c`` to ``t1_c`` over a step of ``dt_s`` crossed
    ``limit_c`` [s from the start of the step], ``t0_c <= limit_c < t1_c``.

    Inside a step the node's inputs are constant, so it follows the exact solution of
    :func:`kernels.room.rc_response`, T(t) = T_eq + (T0 - T_eq) e^{-t/tau}, tau = C/UA
    (EnergyPlus Engineering Reference, "Zone air heat balance": the analytical solution).
    Its equilibrium follows from the two ends, T_eq - T0 = (T1 - T0) / (1 - e^{-dt/tau}),
    and T(t) = limit gives t = -tau ln(1 - (limit - T0)(1 - e^{-dt/tau}) / (T1 - T0));
    linear in t when UA = 0 (the liquid loop). Written with ``expm1`` / ``log1p`` so a
    step far shorter than tau keeps its precision. Clamped to [0, dt].
    """
    rise = t1_c - t0_c
    if rise <= 0.0:
        return dt_s
    frac = (limit_c - t0_c) / rise
    if ua_w_k <= 0.0:
        x_s = frac * dt_s
    else:
        tau_s = c_j_k / ua_w_k
        x_s = -tau_s * math.log1p(frac * math.expm1(-dt_s / tau_s))
    return min(max(x_s, 0.0), dt_s)


@njit
def cross_back(plant, state, t0s, t1s, unmet_at_s):
    """Write how long before the end of the step the hall air and the liquid loop crossed
    their limits upwards (``state[S_AIR_BACK_S]``, ``state[S_LIQ_BACK_S]``, -1 if they did
    not) and unmet load began (``state[S_UNMET_BACK_S]``) [s].

    ``t0s``, ``t1s``: the node temperatures at the start of the step and at its end on the
    path the alarms are timed on (the step's own, or under the full heat when IT trips
    inside it: :func:`trip_at_s`). The limits are timed by :func:`crossing_s` (the liquid
    node has no UA); unmet
    load that came from the dispatch (a store already empty, the plant shed, the IT
    already tripped) is constant over the step and began at its start
    (``unmet_at_s`` 0); IT that trips inside the step began to go unserved at
    ``unmet_at_s`` [s from the step's start] (:func:`trip_at_s`).
    """
    dt_s = plant[DT_S]
    t_air1, t_air_lim = t1s[0], plant[T_AIR_LIMIT_C]
    t_liq1, t_liq_lim = t1s[1], plant[T_LIQ_LIMIT_C]
    state[S_AIR_BACK_S] = -1.0
    state[S_LIQ_BACK_S] = -1.0
    if t_air1 > t_air_lim >= t0s[0]:
        x_s = crossing_s(t0s[0], t_air1, t_air_lim, plant[HALL_C_J_K], plant[HALL_UA_W_K], dt_s)
        state[S_AIR_BACK_S] = dt_s - x_s
    if t_liq1 > t_liq_lim >= t0s[1]:
        x_s = crossing_s(t0s[1], t_liq1, t_liq_lim, plant[LIQ_C_J_K], 0.0, dt_s)
        state[S_LIQ_BACK_S] = dt_s - x_s
    state[S_UNMET_BACK_S] = dt_s - unmet_at_s


@njit
def trip_at_s(plant, th, t0s, t_trip_c, served, trips):
    """When unmet load began in a step [s from its start], and the node temperatures at
    the step's end on the path that times its alarm limits (:func:`cross_back`).

    ``th``: the step as computed so far; ``t0s``: the node temperatures at its start;
    ``trips``: IT trips inside the step, ``th`` being then the step under its full heat
    (before the trip is applied), which takes a node above ``t_trip_c``. Without a trip,
    or with IT already shed (``served`` < 1), unmet load began at the start (0) and the
    alarms are timed on the step's own end. With a trip, the first node to reach the
    trip temperature on its exact RC solution under the full heat (:func:`crossing_s`)
    sets the time, and the alarm limits, below the trip temperature, are crossed earlier
    on that same path. The energy of the step counts the trip as the share of the
    step's heat that ends the step at the trip temperature
    (:func:`kernels.step_thermal.trip_inside_step`); both tend to the same instant as
    the step shrinks.
    """
    ends = (th[TH_T_AIR], th[TH_T_LIQ])
    if not trips or served < 1.0:
        return 0.0, ends
    dt_s = plant[DT_S]
    x_s = dt_s
    if th[TH_T_AIR] > t_trip_c:
        c_j_k, ua_w_k = plant[HALL_C_J_K], plant[HALL_UA_W_K]
        x_s = min(x_s, crossing_s(t0s[0], th[TH_T_AIR], t_trip_c, c_j_k, ua_w_k, dt_s))
    if th[TH_T_LIQ] > t_trip_c:
        x_s = min(x_s, crossing_s(t0s[1], th[TH_T_LIQ], t_trip_c, plant[LIQ_C_J_K], 0.0, dt_s))
    return x_s, ends
