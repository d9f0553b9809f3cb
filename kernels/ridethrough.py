"""Ride-through: time until a node crosses a limit after cooling is lost.

Two nodes float after a failure, each from its temperature at that step:

* the **hall air** (the IT inlet), coupled to the IT equipment and racks: the
  two-node solution of :mod:`kernels.twonode` (air ``HALL_AIR_C_J_K``, mass
  ``HALL_MASS_C_J_K``, conductance ``HALL_MASS_UA_W_K``, envelope
  ``HALL_UA_W_K``). The one-node hall of :mod:`kernels.room`, whose capacity is
  97 % rack steel on the default hall, would let the air warm as slowly as the
  steel: the air alone warms about 30 times faster until the steel, reached
  through its convective time constant, takes up the heat;
* the **liquid loop** water (``LIQ_C_J_K``: the CDU secondary coolant and the
  facility-water loop, :func:`twin.sim.compile.compile_scenario`), a lumped node
  with no exchange to outdoors, ``C dT/dt = q_net``:

  * ``UA = 0``: ``t = C (T_lim − T0) / q_net`` (``∞`` when ``q_net ≤ 0``);
  * ``UA > 0``: ``t = τ ln((T0 − T_eq) / (T_lim − T_eq))`` with ``τ = C/UA`` and
    ``T_eq = T_out + q_net/UA`` (``∞`` when ``T_eq ≤ T_lim``)

  (:func:`time_to_limit_s`, Incropera et al., Fundamentals of Heat and Mass
  Transfer, §5.3 lumped capacitance).

Each node is timed to two limits:

* the **class excursion**: the ASHRAE allowable limit (air inlet class max,
  W-class facility-water max; ASHRAE TC 9.9, 2021): the hall leaves its
  envelope, the IT still runs;
* the **IT trip**: the protective shutdown temperature ``T_TRIP_C`` (air inlet
  or facility water), where the IT stops.

A chilled-water storage tank on the loop first carries the net load at the
supply temperature for ``E_tank / q_net``; a stratified tank holds
``E = FOM · ρ V c_p ΔT_loop`` with a figure of merit FOM = 0.9 (ASHRAE
Handbook—HVAC Applications 2019, ch. 51 "Thermal Storage": 0.85–0.95 for well
stratified chilled-water tanks).

Two events are evaluated at every step of a run:

* **chiller trip**: every chiller of both loops is lost; pumps, fans, the
  compressor-free share (water-side economizer, dry or adiabatic coolers) and
  the tank keep working (they are on the UPS or restart at once);
* **plant power loss**: nothing of the heat rejection runs; only the hall air,
  IT mass and the liquid loop's water absorb the heat (no tank). Assumption: the
  IT's own fans run on the UPS with the IT they serve, so the heat still reaches
  the air; the liquid loop's pumps do when ``ups.carries_liquid_pumps``
  (``plant[UPS_CARRIES_LIQ_PUMPS]``). Without them no coolant flows, the cold plates
  remove no heat and the liquid node's ride-through is 0 (:mod:`kernels.outage`).

References
----------
Incropera et al., Fundamentals of Heat and Mass Transfer, §5.3 (lumped
capacitance); EnergyPlus Engineering Reference, zone air heat balance;
ASHRAE Handbook—HVAC Applications (2019) ch. 51; ASHRAE TC 9.9, Thermal
Guidelines for Data Processing Environments (2021).
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.heat_rejection import free_cooling_frac
from kernels.layout import (
    AIR,
    HALL_AIR_C_J_K,
    HALL_MASS_C_J_K,
    HALL_MASS_UA_W_K,
    HALL_UA_W_K,
    LIQ_C_J_K,
    LIQUID,
    O_Q_AIR_W,
    O_Q_LIQ_W,
    O_T_AIR_C,
    O_T_LIQ_C,
    T_AIR_LIMIT_C,
    T_LIQ_LIMIT_C,
    T_TRIP_C,
    UPS_CARRIES_LIQ_PUMPS,
)
from kernels.room import rc_response
from kernels.tower import WATER_CP_J_KG_K, WATER_DENSITY_KG_M3
from kernels.twonode import hall_modes, time_to_air_limit_modes_s, two_node_air_c

__all__ = [
    "RIDE_THROUGH_CAP_S",
    "TANK_FIGURE_OF_MERIT",
    "air_curve_c",
    "rc_curve_c",
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
def _hall_modes(plant):
    """The two-node hall's modes (:func:`kernels.twonode.hall_modes`), once per run."""
    return hall_modes(plant[HALL_AIR_C_J_K], plant[HALL_MASS_C_J_K], plant[HALL_MASS_UA_W_K],
                      plant[HALL_UA_W_K])  # fmt: skip


@njit(inline="always")
def _air_pair_s(plant, modes, t0_c, q_net_w, e_tank_j, t_out_c, enough_cls_s, enough_it_s):
    """Air node: time to the class limit and to the IT trip, tank hold included [s]
    (:func:`kernels.twonode.time_to_air_limit_modes_s`, *modes* of :func:`_hall_modes`).

    A time that cannot be shorter than ``enough_*_s`` may come back as a bound at or
    above it instead (:func:`kernels.twonode.time_to_air_limit_s`); ``inf`` solves all.
    """
    if q_net_w <= 0.0:
        return RIDE_THROUGH_CAP_S, RIDE_THROUGH_CAP_S
    hold = e_tank_j / q_net_w
    t_cls = time_to_air_limit_modes_s(t0_c, plant[T_AIR_LIMIT_C], q_net_w, t_out_c, modes, 0.0,
                                      enough_cls_s - hold)  # fmt: skip
    # the crossing of the lower limit starts the Newton solve of the higher one
    start = t_cls if plant[T_TRIP_C] >= plant[T_AIR_LIMIT_C] else 0.0
    t_it = time_to_air_limit_modes_s(t0_c, plant[T_TRIP_C], q_net_w, t_out_c, modes, start,
                                     enough_it_s - hold)  # fmt: skip
    return min(hold + t_cls, RIDE_THROUGH_CAP_S), min(hold + t_it, RIDE_THROUGH_CAP_S)


@njit(inline="always")
def _liq_pair_s(plant, t0_c, q_net_w, e_tank_j, t_out_c):
    """Liquid node: time to the W-class limit and to the IT trip, tank hold included [s]."""
    if q_net_w <= 0.0:
        return RIDE_THROUGH_CAP_S, RIDE_THROUGH_CAP_S
    hold = e_tank_j / q_net_w
    c = plant[LIQ_C_J_K]
    t_cls = time_to_limit_s(t0_c, plant[T_LIQ_LIMIT_C], q_net_w, t_out_c, c, 0.0)
    t_it = time_to_limit_s(t0_c, plant[T_TRIP_C], q_net_w, t_out_c, c, 0.0)
    return min(hold + t_cls, RIDE_THROUGH_CAP_S), min(hold + t_it, RIDE_THROUGH_CAP_S)


@njit
def ride_through_s(plant, loops, out, t_db_c, t_wb_c, e_tank_air_j, e_tank_liq_j, power_loss, rt):
    """Ride-through at every step, per node and limit [s].

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
    rt : ndarray (n_steps, 4)
        Written in place: air and liquid node to the class limit (columns 0, 1),
        air and liquid node to the IT trip (columns 2, 3) [s].
    """
    modes = _hall_modes(plant)
    for k in range(out.shape[0]):
        a_c, l_c, a_t, l_t = _step_s(plant, modes, loops, out, k, t_db_c[k], t_wb_c[k],
                                     e_tank_air_j, e_tank_liq_j, power_loss, math.inf,
                                     math.inf)  # fmt: skip
        rt[k, 0] = a_c
        rt[k, 1] = l_c
        rt[k, 2] = a_t
        rt[k, 3] = l_t


@njit(inline="always")
def _step_s(
    plant, modes, loops, out, k, t_db_c, t_wb_c, e_tank_air_j, e_tank_liq_j, power_loss,
    enough_cls_s, enough_it_s
):  # fmt: skip
    """Air and liquid node to the class limit, then to the IT trip, after a failure at *k* [s].

    ``enough_cls_s``, ``enough_it_s``: the shortest times found so far (``inf`` for
    exact times at every step), see :func:`_air_pair_s`.
    """
    f_air = 0.0
    f_liq = 0.0
    ea = 0.0
    el = 0.0
    if not power_loss:
        f_air = free_cooling_frac(loops[AIR], out[k, O_Q_AIR_W], t_db_c, t_wb_c)
        f_liq = free_cooling_frac(loops[LIQUID], out[k, O_Q_LIQ_W], t_db_c, t_wb_c)
        ea = e_tank_air_j
        el = e_tank_liq_j
    q_air = out[k, O_Q_AIR_W] * (1.0 - f_air)
    q_liq = out[k, O_Q_LIQ_W] * (1.0 - f_liq)
    a_c, a_t = _air_pair_s(plant, modes, out[k, O_T_AIR_C], q_air, ea, t_db_c, enough_cls_s,
                           enough_it_s)  # fmt: skip
    l_c, l_t = _liq_pair_s(plant, out[k, O_T_LIQ_C], q_liq, el, t_db_c)
    if power_loss and q_liq > 0.0 and plant[UPS_CARRIES_LIQ_PUMPS] <= 0.0:
        l_c, l_t = 0.0, 0.0  # no coolant flow: no heat removal at all
    return a_c, l_c, a_t, l_t


@njit
def rc_curve_c(t0_c, q_net_w, t_out_c, c_j_k, ua_w_k, t_s, e_tank_j):
    """Lumped node temperature ``t_s`` seconds after the failure [°C] (for plots).

    Held at ``t0_c`` while the tank lasts (``e_tank_j / q_net_w``), then the
    RC solution of :func:`kernels.room.rc_response`.
    """
    t_hold = e_tank_j / q_net_w if q_net_w > 0.0 else math.inf
    if t_s <= t_hold:
        return t0_c
    return rc_response(t0_c, q_net_w, t_out_c, c_j_k, ua_w_k, t_s - t_hold)[0]


@njit
def air_curve_c(plant, t0_c, q_net_w, t_out_c, t_s, e_tank_j):
    """Two-node hall air temperature ``t_s`` seconds after the failure [°C] (for plots).

    Held at ``t0_c`` while the tank lasts, then :func:`kernels.twonode.two_node_air_c`.
    """
    t_hold = e_tank_j / q_net_w if q_net_w > 0.0 else math.inf
    if t_s <= t_hold:
        return t0_c
    return two_node_air_c(t0_c, q_net_w, t_out_c, plant[HALL_AIR_C_J_K], plant[HALL_MASS_C_J_K],
                          plant[HALL_MASS_UA_W_K], plant[HALL_UA_W_K], t_s - t_hold)  # fmt: skip


@njit
def ride_through_min_s(plant, loops, out, t_db_c, t_wb_c, e_tank_air_j, e_tank_liq_j):
    """Shortest ride-through over a run for both failures and both limits, one pass [s].

    The minima over steps and nodes of :func:`ride_through_s` with
    ``power_loss=False`` (chiller trip) and ``power_loss=True`` (plant power
    loss), without storing the per-step series; the air node's Newton solve is
    skipped at a step whose lower bound already reaches the minimum so far, and the
    chiller trip at a step where the power loss's times, a lower bound of the trip's
    (the same heat less the free-cooling share, plus the tank's hold), already reach the
    trip's minima (the minima are the same, bit for bit).

    Returns
    -------
    (chiller_class_s, power_class_s, chiller_it_s, power_it_s) : tuple of float
        After a chiller trip and after a plant power loss, to the first class
        excursion and to the first IT trip; capped at :data:`RIDE_THROUGH_CAP_S`.
    """
    ch_cls = RIDE_THROUGH_CAP_S
    pw_cls = RIDE_THROUGH_CAP_S
    ch_it = RIDE_THROUGH_CAP_S
    pw_it = RIDE_THROUGH_CAP_S
    no_liq_pumps = plant[UPS_CARRIES_LIQ_PUMPS] <= 0.0
    modes = _hall_modes(plant)
    for k in range(out.shape[0]):
        # plant power loss (as _step_s with power_loss=True): the full heat, no tank
        q_air = out[k, O_Q_AIR_W]
        q_liq = out[k, O_Q_LIQ_W]
        a_c, a_t = _air_pair_s(plant, modes, out[k, O_T_AIR_C], q_air, 0.0, t_db_c[k], pw_cls,
                               pw_it)  # fmt: skip
        l_c, l_t = _liq_pair_s(plant, out[k, O_T_LIQ_C], q_liq, 0.0, t_db_c[k])
        # a chiller trip leaves each node this heat less its free-cooling share and adds
        # the tank's hold, so its times are no shorter than these (exact, or bounds short
        # of the crossing): where they reach its minima so far, it cannot set them, and
        # its free-cooling shares are not computed
        trip_matters = min(a_c, l_c) < ch_cls or min(a_t, l_t) < ch_it
        if no_liq_pumps and q_liq > 0.0:
            l_c, l_t = 0.0, 0.0  # no coolant flow: no heat removal at all
        pw_cls = min(pw_cls, min(a_c, l_c))
        pw_it = min(pw_it, min(a_t, l_t))
        if trip_matters:
            a_c, l_c, a_t, l_t = _step_s(plant, modes, loops, out, k, t_db_c[k], t_wb_c[k],
                                         e_tank_air_j, e_tank_liq_j, False, ch_cls,
                                         ch_it)  # fmt: skip
            ch_cls = min(ch_cls, min(a_c, l_c))
            ch_it = min(ch_it, min(a_t, l_t))
    return ch_cls, pw_cls, ch_it, pw_it
