"""Ride-through: time until a node crosses its allowable limit after cooling is lost.

Closed form of the lumped RC node of :mod:`kernels.room`,
``C dT/dt = q_net + UA (T_out − T)``, solved for the time ``t`` at which
``T(t) = T_lim``:

* ``UA = 0``: ``t = C (T_lim − T0) / q_net`` (``∞`` when ``q_net ≤ 0``);
* ``UA > 0``: ``t = τ ln((T0 − T_eq) / (T_lim − T_eq))`` with ``τ = C/UA`` and
  ``T_eq = T_out + q_net/UA`` (``∞`` when ``T_eq ≤ T_lim``).

A chilled-water storage tank on the loop first carries the net load at the
supply temperature for ``E_tank / q_net``; a stratified tank holds
``E = FOM · ρ V c_p ΔT_loop`` with a figure of merit FOM = 0.9 (ASHRAE
Handbook—HVAC Applications 2019, ch. 51 "Thermal Storage": 0.85–0.95 for well
stratified chilled-water tanks).

Two events are evaluated at every step of a run:

* **chiller trip**: every chiller of both loops is lost; pumps, fans, the
  compressor-free share (water-side economizer, dry or adiabatic coolers) and
  the tank keep working (they are on the UPS or restart at once);
* **plant power loss**: nothing of the plant runs; only the hall air, IT mass
  and the coolant inventory absorb the heat (no tank: its pumps are down).

References
----------
Incropera et al., Fundamentals of Heat and Mass Transfer, §5.3 (lumped
capacitance); EnergyPlus Engineering Reference, zone air heat balance;
ASHRAE Handbook—HVAC Applications (2019) ch. 51.
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.heat_rejection import free_cooling_frac
from kernels.layout import (
    AIR,
    HALL_C_J_K,
    HALL_UA_W_K,
    LIQ_C_J_K,
    LIQUID,
    O_Q_AIR_W,
    O_Q_LIQ_W,
    O_T_AIR_C,
    O_T_LIQ_C,
    T_AIR_LIMIT_C,
    T_LIQ_LIMIT_C,
)
from kernels.room import rc_response
from kernels.tower import WATER_CP_J_KG_K, WATER_DENSITY_KG_M3

__all__ = [
    "RIDE_THROUGH_CAP_S",
    "TANK_FIGURE_OF_MERIT",
    "ride_through_min_s",
    "ride_through_s",
    "tank_energy_j",
    "time_to_limit_s",
]

#: Stratified chilled-water tank figure of merit [-] (ASHRAE HVAC Applications ch. 51).
TANK_FIGURE_OF_MERIT = 0.9
#: Ride-through longer than this is reported as this (a day) [s]: the plant is
#: taken to be restored within a day, and the KPI stays finite.
RIDE_THROUGH_CAP_S = 86400.0


@njit
def time_to_limit_s(t0_c, t_lim_c, q_net_w, t_out_c, c_j_k, ua_w_k):
    """Time for a floating RC node to warm from ``t0_c`` to ``t_lim_c`` [s].

    Returns 0 when the node is already at or above the limit and ``inf`` when
    it never gets there (see the module docstring for the formulas).
    """
    if t0_c >= t_lim_c:
        return 0.0
    if ua_w_k <= 0.0:
        if q_net_w <= 0.0:
            return math.inf
        return c_j_k * (t_lim_c - t0_c) / q_net_w
    t_eq = t_out_c + q_net_w / ua_w_k
    if t_eq <= t_lim_c:
        return math.inf
    return c_j_k / ua_w_k * math.log((t0_c - t_eq) / (t_lim_c - t_eq))


@njit
def tank_energy_j(volume_m3, dt_k, figure_of_merit):
    """Usable cooling stored in a stratified chilled-water tank [J]."""
    if volume_m3 <= 0.0 or dt_k <= 0.0:
        return 0.0
    return figure_of_merit * WATER_DENSITY_KG_M3 * volume_m3 * WATER_CP_J_KG_K * dt_k


@njit
def _node_s(t0, t_lim, q_gain, f_free, e_tank, t_out, c, ua):
    q_net = q_gain * (1.0 - f_free)
    if q_net <= 0.0:
        return RIDE_THROUGH_CAP_S
    t_tank = e_tank / q_net
    t = t_tank + time_to_limit_s(t0, t_lim, q_net, t_out, c, ua)
    return min(t, RIDE_THROUGH_CAP_S)


@njit
def ride_through_s(plant, loops, out, t_db_c, t_wb_c, e_tank_air_j, e_tank_liq_j, power_loss, rt):
    """Ride-through at every step, shorter of the air and liquid nodes [s].

    Parameters
    ----------
    plant, loops : ndarray
        Kernel arrays (:mod:`kernels.layout`).
    out : ndarray (n_steps, N_OUT)
        Per-step results of a run: heat removed and node temperatures.
    t_db_c, t_wb_c : ndarray (n_steps,)
        Outdoor dry bulb and wet bulb [°C].
    e_tank_air_j, e_tank_liq_j : float
        Usable cooling stored in each loop's tank [J].
    power_loss : bool
        True: plant power loss (no free cooling, no tank); False: chiller trip.
    rt : ndarray (n_steps, 2)
        Written in place: ride-through of the air node and of the liquid node [s].
    """
    for k in range(out.shape[0]):
        air, liq = _step_s(
            plant, loops, out, k, t_db_c[k], t_wb_c[k], e_tank_air_j, e_tank_liq_j, power_loss
        )
        rt[k, 0] = air
        rt[k, 1] = liq


@njit(inline="always")
def _step_s(plant, loops, out, k, t_db_c, t_wb_c, e_tank_air_j, e_tank_liq_j, power_loss):
    """Ride-through of the air and the liquid node after a failure at step *k* [s]."""
    f_air = 0.0
    f_liq = 0.0
    ea = 0.0
    el = 0.0
    if not power_loss:
        f_air = free_cooling_frac(loops[AIR], out[k, O_Q_AIR_W], t_db_c, t_wb_c)
        f_liq = free_cooling_frac(loops[LIQUID], out[k, O_Q_LIQ_W], t_db_c, t_wb_c)
        ea = e_tank_air_j
        el = e_tank_liq_j
    air = _node_s(out[k, O_T_AIR_C], plant[T_AIR_LIMIT_C], out[k, O_Q_AIR_W], f_air, ea,
                  t_db_c, plant[HALL_C_J_K], plant[HALL_UA_W_K])  # fmt: skip
    liq = _node_s(out[k, O_T_LIQ_C], plant[T_LIQ_LIMIT_C], out[k, O_Q_LIQ_W], f_liq, el,
                  t_db_c, plant[LIQ_C_J_K], 0.0)  # fmt: skip
    return air, liq


@njit
def rc_curve_c(t0_c, q_net_w, t_out_c, c_j_k, ua_w_k, t_s, e_tank_j):
    """Node temperature ``t_s`` seconds after the failure [°C] (for plots).

    Held at ``t0_c`` while the tank lasts (``e_tank_j / q_net_w``), then the
    RC solution of :func:`kernels.room.rc_response`.
    """
    t_hold = e_tank_j / q_net_w if q_net_w > 0.0 else math.inf
    if t_s <= t_hold:
        return t0_c
    return rc_response(t0_c, q_net_w, t_out_c, c_j_k, ua_w_k, t_s - t_hold)[0]


@njit
def ride_through_min_s(plant, loops, out, t_db_c, t_wb_c, e_tank_air_j, e_tank_liq_j):
    """Shortest ride-through over a run for both failures, one pass [s].

    The minima over steps and nodes of :func:`ride_through_s` with
    ``power_loss=False`` (chiller trip) and ``power_loss=True`` (plant power
    loss), without storing the per-step series.

    Returns
    -------
    (trip_s, power_loss_s) : tuple of float
        Capped at :data:`RIDE_THROUGH_CAP_S`.
    """
    trip = RIDE_THROUGH_CAP_S
    loss = RIDE_THROUGH_CAP_S
    for k in range(out.shape[0]):
        air, liq = _step_s(
            plant, loops, out, k, t_db_c[k], t_wb_c[k], e_tank_air_j, e_tank_liq_j, False
        )
        trip = min(trip, min(air, liq))
        air, liq = _step_s(plant, loops, out, k, t_db_c[k], t_wb_c[k], 0.0, 0.0, True)
        loss = min(loss, min(air, liq))
    return trip, loss
