"""What carries the load through an outage until the plant has power: the stores and the
liquid loop's pumps.

* :func:`store_empty_s`: when the battery or the UPS battery, carrying load in an outage,
  reaches its floor inside a step (closed form: over one step the load is constant, so the
  stored energy falls linearly in time). :func:`kernels.integrate.integrate_interval`
  stops before writing such a step and :func:`kernels.span.integrate_span` splits it
  there (issue 18: threshold crossings inside a step integrated as partial steps).
* :func:`liquid_flow`: the liquid loop while the cooling plant has no power. With
  ``ups.carries_liquid_pumps`` (``plant[UPS_CARRIES_LIQ_PUMPS]``) the CDU and
  facility-water pumps stay on the UPS output while it holds charge: the loop keeps
  flowing, its water (``LIQ_C_J_K``) takes up the IT heat and the pumps' own shaft heat,
  ``C dT/dt = q``, and the UPS carries the pumps and their share of its losses (counted
  in the pumps' power). Without
  them the coolant stops; a cold plate with no flow removes no heat, and the
  liquid-cooled IT is taken to trip at once (Assumption: accelerators on cold plates reach
  their thermal shutdown within seconds without flow, far less than a step) and is
  unserved until the plant has power again.
* :func:`trip_recovery_s`: when IT tripped by a node at or above the trip temperature
  (:func:`kernels.integrate._it_load`) may run again, the plant having power: the node
  cools at the plant's capacity with the IT off, a time split off the step the same way,
  so that the IT does not stay off for the rest of a long step after the grid returns.

Pure scalar arithmetic, no allocation, CUDA-safe.

References
----------
.. [1] EnergyPlus Engineering Reference, "Electrical Storage — Simple Model": the battery
   energy falls as ``P_d / η_d`` per second of discharge.
.. [2] IEC 62040-3:2021 §3.5: UPS efficiency = output / input power.
.. [3] ASHRAE TC 9.9, "Water-Cooled Servers: Common Designs, Components and Processes"
   (2019): the CDU and facility-water pumps are on UPS in designs that must ride through
   a power loss; without coolant flow the cold plates stop removing heat.
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.electrical import ups_loss_curve_w
from kernels.heat_rejection import plant_capacity_ctl_w
from kernels.it_load import ups_loss_w
from kernels.layout import (
    AIR,
    BESS_E_J,
    BESS_ETA_D,
    BESS_P_W,
    BESS_SOC_MIN,
    DT_S,
    HALL_C_J_K,
    LIQ_C_J_K,
    LIQUID,
    T_TRIP_C,
    UPS_CARRIES_LIQ_PUMPS,
    UPS_E_J,
    UPS_ETA,
    UPS_LOSS_A0,
    UPS_LOSS_A1,
    UPS_LOSS_A2,
    UPS_P_RATED_W,
)
from kernels.supply import dispatch
from kernels.water_cooled import loop_movers

#: a store within this of its floor is empty (state of charge) [-]
SOC_EPS = 1e-9
#: a store holding less than this of discharge is not split off (averaged) [s]
SPLIT_MIN_S = 1e-3
#: the split is made this share early, so that rounding never leaves the part before it
#: a few joules short (a shortfall sheds the plant for the whole part), and late enough
#: that the store ends within SOC_EPS of its floor (empty) [-]
SPLIT_EARLY = 1e-10
#: no split in the last millionth of a step: the store carries it, averaged [-]
SPLIT_TAIL = 1e-6
#: state of charge standing for "energy not limiting" in the emptying-time probe [-]
SOC_UNLIMITED = 1e12
#: fields of :func:`kernels.supply.dispatch`'s tuple used here
_D_BESS_DIS, _D_UPS_DIS, _D_UNMET = 3, 7, 9


@njit
def store_empty_s(plant, p_it_ups, p_load, bus, p_with_gen, caps):
    """When a store carrying load in an outage reaches its floor in the step [s], or inf.

    Over one step the load and the sources other than the stores are constant, so each
    store discharges at a constant power ``P`` until it is empty: the battery after
    ``(soc - soc_min) E η_d / P`` (:func:`kernels.storage.soc_update`), the UPS
    battery after ``soc E / P`` (its losses are in the load, IEC 62040-3). ``P`` is
    the store's output in the step's dispatch when stored energy does not limit it
    (:func:`kernels.supply.dispatch` with an unlimited state of charge): on the full
    load, or on IT alone (``p_it_ups``) when even then the supply falls short and the
    plant is shed, as :func:`kernels.step_thermal.shed_plant` does. A store already empty keeps its state, so
    the other carries what it left. ``bus``, ``caps``: as :func:`kernels.step_thermal.shed_plant`.
    """
    p_re, grid_up, gen_frac, soc0, soc_ups0 = bus
    dt_s = plant[DT_S]
    soc_min = plant[BESS_SOC_MIN]
    # a store within SOC_EPS of its floor is empty, as _plant_share and _stop count it
    avail_j = (soc0 - soc_min) * plant[BESS_E_J] if soc0 > soc_min + SOC_EPS else 0.0
    e_ups_j = soc_ups0 * plant[UPS_E_J] if soc_ups0 > SOC_EPS else 0.0
    eta_d = plant[BESS_ETA_D]
    if avail_j * eta_d >= plant[BESS_P_W] * dt_s and e_ups_j >= p_load * dt_s:
        return math.inf  # neither can run out in the step, even at its most
    soc_b = SOC_UNLIMITED if avail_j > 0.0 else soc0
    soc_u = SOC_UNLIMITED if e_ups_j > 0.0 else soc_ups0
    d = dispatch(p_load, p_re, grid_up, gen_frac, soc_b, soc_u, p_with_gen, plant, *caps)
    if d[_D_UNMET] > 0.0:
        d = dispatch(p_it_ups, p_re, grid_up, gen_frac, soc_b, soc_u, 0.0, plant, *caps)
    t_s = math.inf
    if d[_D_BESS_DIS] > 0.0 and avail_j > 0.0:
        t_s = avail_j * eta_d / d[_D_BESS_DIS]
    if d[_D_UPS_DIS] > 0.0 and e_ups_j > 0.0:
        t_s = min(t_s, e_ups_j / d[_D_UPS_DIS])
    return t_s


@njit
def ups_loss_any_w(plant, p_out_w):
    """UPS losses at an output power [W]: the loss curve when rated, else the flat
    efficiency (as :func:`kernels.integrate._it_load`)."""
    if plant[UPS_P_RATED_W] > 0.0:
        a0, a1, a2 = plant[UPS_LOSS_A0], plant[UPS_LOSS_A1], plant[UPS_LOSS_A2]
        return ups_loss_curve_w(p_out_w, plant[UPS_P_RATED_W], a0, a1, a2)
    return ups_loss_w(p_out_w, plant[UPS_ETA])


@njit
def liquid_flow(plant, loops, p_air_it, p_liq_it, p_ups, f_on):
    """The liquid loop while the plant has no power, a share ``1 - f_on`` of the step.

    Pumps on the UPS (module docstring): they run at the flow the IT heat needs
    (:func:`kernels.water_cooled.loop_movers`, the loop's and the CDU's pumps on their
    part-load curve) for that share, drawing their power and their share of the UPS
    losses (the losses of IT plus pumps less those of IT alone) from the UPS input. They
    are on the UPS output with the IT they serve, so they run whenever that IT runs: on
    the UPS battery, or on the battery, PV or genset behind it once the UPS battery is
    empty (the dispatch serves them with the bridged load, or sheds them with the plant).
    No pumps on the UPS: the liquid-cooled IT runs only while the plant has power.

    Returns ``(liquid IT, IT, UPS losses of IT, pumps' power at the UPS input, the pumps'
    shaft heat into the loop's water, their UPS losses, IT demand tripped for want of
    flow)`` [W], step averages; the IT demand tripped includes its UPS losses, as a
    thermal trip's does.
    """
    s_off = 1.0 - f_on
    p_it = p_air_it + p_liq_it
    if plant[UPS_CARRIES_LIQ_PUMPS] > 0.0:
        p_pumps, _, q_heat = loop_movers(loops[LIQUID], p_liq_it, False)
        p_lp = s_off * p_pumps
        loss_lp = ups_loss_any_w(plant, p_it + p_lp) - p_ups
        return p_liq_it, p_it, p_ups, p_lp + loss_lp, s_off * q_heat, loss_lp, 0.0
    p_liq_on = f_on * p_liq_it
    p_it_new = p_air_it + p_liq_on
    p_ups_new = ups_loss_any_w(plant, p_it_new)
    unmet = (p_it + p_ups) - (p_it_new + p_ups_new)
    return p_liq_on, p_it_new, p_ups_new, 0.0, 0.0, 0.0, unmet


@njit
def trip_recovery_s(plant, loops, env, f_on):
    """Time for the nodes at or above the trip temperature to fall back to it [s].

    The IT is off (its heat is gone) and the plant, powered a share ``f_on`` of the step,
    removes its capacity (:func:`kernels.heat_rejection.plant_capacity_ctl_w`) from each
    node: ``t = C (T0 - T_trip) / Q_max``, lumped capacitance (Incropera et al., §5.3),
    envelope exchange left out (Assumption: it is left out of the hall by
    :func:`twin.sim.compile.compile_scenario` too). ``env``: as
    :func:`kernels.step_thermal.thermal_step`. ``inf`` when a node above the trip has no cooling.
    """
    t_air0, t_liq0, t_db_c, t_wb_c, n_air, n_liq, ctl = env
    ea, el, ts_air, ts_liq = ctl
    t_trip = plant[T_TRIP_C]
    t_s = 0.0
    if t_air0 >= t_trip:
        q_w = f_on * plant_capacity_ctl_w(loops[AIR], t_db_c, t_wb_c, n_air, ea, ts_air)
        if q_w <= 0.0:
            return math.inf
        t_s = plant[HALL_C_J_K] * (t_air0 - t_trip) / q_w
    if t_liq0 >= t_trip:
        q_w = f_on * plant_capacity_ctl_w(loops[LIQUID], t_db_c, t_wb_c, n_liq, el, ts_liq)
        if q_w <= 0.0:
            return math.inf
        t_s = max(t_s, plant[LIQ_C_J_K] * (t_liq0 - t_trip) / q_w)
    return t_s


@njit(inline="always")
def plant_with_genset_w(p_cool, p_lp, f_on):
    """The part of the step's cooling power that runs only while the genset is on line
    (``p_with_genset_w`` of :func:`kernels.supply.dispatch`) [W].

    The plant, when it lacks power for a share ``1 - f_on`` of the step. With the liquid
    loop's pumps on the UPS (``p_lp`` in ``p_cool``, their average over the step) the
    pumps run all the step: on the UPS while the plant has no power, in the plant after;
    so that the dispatch (genset = ``f_on`` load + ``(1 - f_on) p_with_genset_w``) gives
    the UPS ``1 - f_on`` of IT and the pumps, and the genset ``f_on`` of IT and the plant,
    this is the plant less the pumps' power while on [W].
    """
    if f_on >= 1.0:
        return 0.0
    if p_lp > 0.0:
        return max(p_cool - p_lp / (1.0 - f_on), 0.0)
    return p_cool


@njit
def split_s(plant, loops, env, grid_up, tripped, f_on, load, bus, caps):
    """Where the step is cut, from its start [s], or 0 to integrate it whole.

    In an outage, where a store runs out (:func:`store_empty_s`), a little early
    (``SPLIT_EARLY``); for IT tripped at the step's start with the plant powered, where
    the nodes are back at the trip temperature (:func:`trip_recovery_s`), a little late.
    ``load`` = (IT and UPS losses, the step's load, the part that runs only with the
    genset) [W]; ``env``, ``bus``, ``caps``: as :func:`kernels.step_thermal.thermal_step` and
    :func:`kernels.step_thermal.shed_plant`.
    """
    dt_s = plant[DT_S]
    t_cut = dt_s
    if not grid_up:
        p_it_ups, p_cool, p_with_gen = load
        t_empty = store_empty_s(plant, p_it_ups, p_it_ups + p_cool, bus, p_with_gen, caps)
        if t_empty > SPLIT_MIN_S:
            t_cut = t_empty * (1.0 - SPLIT_EARLY)
    if tripped and f_on > 0.0:
        t_cut = min(
            t_cut, trip_recovery_s(plant, loops, env, f_on) * (1.0 + SPLIT_EARLY) + SPLIT_MIN_S
        )
    if t_cut < dt_s * (1.0 - SPLIT_TAIL):
        return t_cut
    return 0.0
