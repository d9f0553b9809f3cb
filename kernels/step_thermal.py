"""One step's thermal physics: both thermal nodes and both cooling loops, and the two
recomputations of a step, the plant shed and the IT tripping inside it.

Called by :func:`kernels.integrate.integrate_interval` for every step (module docstring
there, items 2, 3, 4 and 5):

* :func:`loop_controls`: each loop's economizer enable (hysteresis,
  :func:`kernels.controls.hysteresis_on`) and supply set point (reset,
  :func:`kernels.controls.supply_reset_c`);
* :func:`loop_capacities`: the largest heat each loop's plant can remove in the step
  (:func:`kernels.heat_rejection.plant_capacity_ctl_w`), computed once per step: it
  depends on the outdoor air, the chillers in service and the controls, not on the heat;
* :func:`rc_nodes`: the hall-air and liquid-loop RC nodes over the step, each cooled up to
  its capacity (:func:`kernels.room.rc_step`);
* :func:`thermal_step`: the nodes, then each loop's plant power and water for the heat
  removed (:func:`kernels.heat_rejection.plant_power_air_ctl`), the towers' inlet air
  computed once for both loops (:func:`kernels.heat_rejection.step_inlet_air`);
* :func:`shed_plant`: the step with the plant shed and IT on the UPS bus, the lowest
  priorities shed first when IT itself cannot be carried
  (:func:`kernels.shedding.shed_by_priority`);
* :func:`trip_inside_step`: the share of the step's heat that takes a node exactly to
  the trip temperature (bisection on the nodes alone), then the plant for that share.

Pure: tuples and arrays in, tuples out, no allocation.
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.controls import RESET_PLR_FULL, RESET_PLR_LOW, hysteresis_on, supply_reset_c
from kernels.heat_rejection import (
    free_source_c,
    plant_capacity_ctl_w,
    plant_power_air_ctl,
    step_inlet_air,
)
from kernels.layout import (
    L_DT_K,
    L_ECON_HYST_K,
    L_Q_DESIGN_W,
    L_RESET_K,
    L_T_SUPPLY_C,
    L_WATER_J_PER_M3,
    S_ECON_AIR,
    S_ECON_LIQ,
)
from kernels.room import rc_step
from kernels.shedding import shed_by_priority
from kernels.supply import (
    dispatch,
)

_TRIP_ITERATIONS = 40

#: Fields of the tuple returned by :func:`thermal_step`: end-of-step temperatures [°C],
#: heat removed [W], plant power by kind [W], heat handled by the economizers [W],
#: plant water [m3/s] and the air loop's economizer mode.
TH_T_AIR, TH_T_LIQ, TH_Q_AIR, TH_Q_LIQ = 0, 1, 2, 3
TH_P_CHILLER, TH_P_TOWER_FAN, TH_P_PUMPS, TH_P_AIR_FANS = 4, 5, 6, 7
TH_Q_FREE, TH_VDOT_WATER, TH_ECON_MODE = 8, 9, 10
#: Fields of the tuple returned by :func:`kernels.supply.dispatch` (all [W]).
D_PV_TO_LOAD, D_CURTAILED, D_BESS_CH, D_BESS_DIS, D_GRID_IMPORT = 0, 1, 2, 3, 4
D_GRID_EXPORT, D_GENSET, D_UPS_DIS, D_UPS_CH, D_UNMET = 5, 6, 7, 8, 9

# Helpers that take arrays read them before they branch: numba then prunes the
# reference counting of those arguments, which otherwise costs an atomic increment
# and decrement per array and per step.


@njit(inline="always")  # no call, no reference counting of the loop rows
def loop_capacities(lp_air, lp_liq, env):
    """Largest heat rate each loop's plant can remove in the step, with power all step
    [W] (:func:`kernels.heat_rejection.plant_capacity_ctl_w`; ``env`` as :func:`thermal_step`).

    It depends on the outdoor air, the chillers in service and the controls only, not on
    the heat the nodes receive, so a step computes it once and every thermal step of it
    (the plant shed, the bisection of an IT trip) reuses it.
    """
    _, _, t_db_c, t_wb_c, n_air, n_liq, ctl = env
    ea, el, ts_air, ts_liq = ctl
    return (
        plant_capacity_ctl_w(lp_air, t_db_c, t_wb_c, n_air, ea, ts_air),
        plant_capacity_ctl_w(lp_liq, t_db_c, t_wb_c, n_liq, el, ts_liq),
    )


@njit(inline="always")
def rc_nodes(rc, env, q_air_gain, q_liq_gain, q_air_max, q_liq_max):
    """The two RC nodes over the step (:func:`kernels.room.rc_step`), each cooled up to
    its capacity: end temperatures [°C] and heat removed [W], ``(t_air, q_air, t_liq,
    q_liq)``. ``rc`` = (hall air set point [°C], heat capacity [J/K], UA [W/K], liquid set
    point [°C], heat capacity [J/K], step [s]), constant over an interval."""
    t_air0, t_liq0, t_db_c = env[0], env[1], env[2]
    t_air_set, hall_c, hall_ua, t_liq_set, liq_c, dt_s = rc
    t_air, q_air, _ = rc_step(
        t_air0, t_air_set, q_air_gain, q_air_max, t_db_c, hall_c, hall_ua, dt_s
    )
    t_liq, q_liq, _ = rc_step(t_liq0, t_liq_set, q_liq_gain, q_liq_max, t_db_c, liq_c, 0.0, dt_s)
    return t_air, q_air, t_liq, q_liq


@njit
def thermal_step(rc, lps, env, q_air_gain, q_liq_gain, f_on, cap):
    """Both thermal nodes and both loops for one step (see module docstring).

    ``rc``: as :func:`rc_nodes`; ``lps`` = (air loop row, liquid loop row). ``env`` is the
    step's fixed context, ``(t_air0, t_liq0, t_db_c, t_wb_c, n_air, n_liq, ctl)``: node
    temperatures at the start of the step [°C], outdoor air [°C], chillers in service
    [-] and ``ctl`` = (air economizer enabled, liquid economizer enabled, air supply set
    point, liquid supply set point) from the controls. ``q_air_gain``, ``q_liq_gain``:
    heat released into each node [W]. ``f_on`` is the share of the step during which
    the plant has power (1 normally, the genset's on-line share in the step an outage
    begins, 0 when shed). While on, a loop runs at ``q / f_on``; averages are weighted
    by ``f_on``. ``cap``: the loops' capacities of the step (:func:`loop_capacities`, read
    only when ``f_on`` > 0). Returns the ``TH_*`` fields.
    """
    _, _, t_db_c, t_wb_c, n_air, n_liq, ctl = env
    ea, el, ts_air, ts_liq = ctl
    lp_air, lp_liq = lps
    q_air_max = 0.0
    q_liq_max = 0.0
    if f_on > 0.0:
        q_air_max = f_on * cap[0]
        q_liq_max = f_on * cap[1]
    t_air, q_air, t_liq, q_liq = rc_nodes(rc, env, q_air_gain, q_liq_gain, q_air_max, q_liq_max)
    if f_on <= 0.0:
        return (t_air, t_liq, q_air, q_liq, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
    # the towers' inlet air depends on the weather only: once for both loops
    air_a, air_l = step_inlet_air(lp_air, lp_liq, t_db_c, t_wb_c)
    ch_a, tw_a, pu_a, fa_a, free_a, vdot_a, mode_a = plant_power_air_ctl(
        lp_air, q_air / f_on, t_db_c, t_wb_c, n_air, ea, ts_air, air_a
    )
    ch_l, tw_l, pu_l, fa_l, free_l, vdot_l, _ = plant_power_air_ctl(
        lp_liq, q_liq / f_on, t_db_c, t_wb_c, n_liq, el, ts_liq, air_l
    )
    # the make-up water's own treatment (desalination) is pumping work of the plant
    pu_a += vdot_a * lp_air[L_WATER_J_PER_M3]
    pu_l += vdot_l * lp_liq[L_WATER_J_PER_M3]
    return (
        t_air,
        t_liq,
        q_air,
        q_liq,
        f_on * (ch_a + ch_l),
        f_on * (tw_a + tw_l),
        f_on * (pu_a + pu_l),
        f_on * (fa_a + fa_l),
        f_on * (free_a + free_l),
        f_on * (vdot_a + vdot_l),
        mode_a,
    )


@njit
def cooling_power_w(th):
    """Electric power of the cooling plant in a step of :func:`thermal_step` [W]."""
    return th[TH_P_CHILLER] + th[TH_P_TOWER_FAN] + th[TH_P_PUMPS] + th[TH_P_AIR_FANS]


@njit
def with_liquid_pumps(th, p_w):
    """A step of :func:`thermal_step` with ``p_w`` more pump power (the liquid loop's pumps on
    the UPS while the plant has no power, :func:`kernels.outage.liquid_flow`)."""
    return (th[0], th[1], th[2], th[3], th[4], th[5], th[6] + p_w, th[7], th[8], th[9], th[10])


@njit
def above_trip(th, t_trip_c):
    """True if a step of :func:`thermal_step` ends with a node above ``t_trip_c``."""
    return th[TH_T_AIR] > t_trip_c or th[TH_T_LIQ] > t_trip_c


@njit
def _loop_ctl(lp, enabled_before, t_db_c, t_wb_c, q_gain_w):
    """Economizer enable (hysteresis) and supply set point (reset) of one loop."""
    t_sup = lp[L_T_SUPPLY_C]
    q_design = lp[L_Q_DESIGN_W]
    if q_design > 0.0:
        t_sup = supply_reset_c(
            t_sup, q_gain_w / q_design, lp[L_RESET_K], RESET_PLR_FULL, RESET_PLR_LOW
        )
    band = lp[L_ECON_HYST_K]
    if band <= 0.0:
        return True, t_sup  # no dead band: the economizer split decides alone
    t_ret = t_sup + lp[L_DT_K]
    on = hysteresis_on(enabled_before, free_source_c(lp, t_db_c, t_wb_c), t_ret - band, t_ret)
    return on, t_sup


@njit
def loop_controls(lps, state, t_db_c, t_wb_c, q_air_gain_w, q_liq_gain_w):
    """Both loops' :func:`_loop_ctl`: the ``ctl`` tuple of :func:`thermal_step`."""
    econ_air, econ_liq = state[S_ECON_AIR] > 0.5, state[S_ECON_LIQ] > 0.5
    ea, ts_air = _loop_ctl(lps[0], econ_air, t_db_c, t_wb_c, q_air_gain_w)
    el, ts_liq = _loop_ctl(lps[1], econ_liq, t_db_c, t_wb_c, q_liq_gain_w)
    return (ea, el, ts_air, ts_liq)


@njit
def shed_plant(plant, rc, lps, env, bus, caps, it_heat, groups, u_groups):
    """Shed the cooling plant, keep IT on the UPS bus (module docstring, 4).

    ``rc``, ``lps``, ``env``: as :func:`thermal_step`. ``bus`` and ``caps``: the step's fixed
    arguments of :func:`kernels.supply.dispatch` before and after ``p_with_genset_w,
    plant``; ``it_heat`` = (IT air-cooled share, IT
    liquid-cooled share, UPS losses, share of them into the hall) [W]. If IT itself
    cannot be carried, the groups of the lowest priority are shed first, only as much
    as the shortfall (:func:`kernels.shedding.shed_by_priority`), and the shed IT
    releases no heat. Returns the thermal step, the dispatch, the served share of IT,
    the heat of the served IT per unit of that share into each node [W] (what
    :func:`trip_inside_step` scales) and the IT shed per priority level [W].
    """
    p_air_it, p_liq_it, p_ups, f_hall = it_heat
    p_it = p_air_it + p_liq_it
    d = dispatch(p_it + p_ups, *bus, 0.0, plant, *caps)
    served = 1.0
    q_air = p_air_it + f_hall * p_ups
    q_liq = p_liq_it
    shed = (0.0, 0.0, 0.0, 0.0)
    if d[D_UNMET] > 0.0 and p_it + p_ups > 0.0:
        served = max(0.0, 1.0 - d[D_UNMET] / (p_it + p_ups))
        t_air0 = env[0]
        s_air, s_liq, shed = shed_by_priority(
            plant, groups, u_groups, t_air0, (1.0 - served) * p_it
        )
        q_air = max(p_air_it - s_air, 0.0) + f_hall * served * p_ups
        q_liq = max(p_liq_it - s_liq, 0.0)
    th = thermal_step(rc, lps, env, q_air, q_liq, 0.0, (0.0, 0.0))  # the plant is shed
    if served > 0.0:
        return th, d, served, q_air / served, q_liq / served, shed
    return th, d, served, 0.0, 0.0, shed


@njit
def trip_inside_step(
    plant, rc, lps, env, bus, caps, q_air, q_liq, p_it_ups, served, f_used, t_trip, cap
):
    """The IT trips inside the step (module docstring, 5).

    Finds the share of the step's heat that takes a node exactly to the trip
    temperature (bisection, fixed cap) and recomputes the step with it (arguments
    as :func:`shed_plant`; ``f_used``: the plant's powered share of the step; ``cap``: the
    loops' capacities, :func:`loop_capacities`). The bisection needs the nodes only: the
    capacities do not depend on the heat, and the plant's power is computed once, for
    the share found. Returns
    the thermal step, the dispatch, the cooling power, the unmet IT demand of
    the trip and the served share of IT.
    """
    lo = 0.0
    hi = served
    q_air_max = 0.0
    q_liq_max = 0.0
    if f_used > 0.0:  # as in thermal_step
        q_air_max = f_used * cap[0]
        q_liq_max = f_used * cap[1]
    for _ in range(_TRIP_ITERATIONS):
        mid = 0.5 * (lo + hi)
        t_air, _, t_liq, _ = rc_nodes(rc, env, mid * q_air, mid * q_liq, q_air_max, q_liq_max)
        if t_air > t_trip or t_liq > t_trip:  # as above_trip
            hi = mid
        else:
            lo = mid
    th = thermal_step(rc, lps, env, lo * q_air, lo * q_liq, f_used, cap)
    p_cool = cooling_power_w(th)
    p_with_gen = p_cool if f_used < 1.0 else 0.0
    d = dispatch(lo * p_it_ups + p_cool, *bus, p_with_gen, plant, *caps)
    unmet_trip = (1.0 - lo) * p_it_ups
    served = lo - d[D_UNMET] / p_it_ups
    return th, d, p_cool, unmet_trip, served
