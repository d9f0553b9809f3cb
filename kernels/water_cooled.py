"""One cooling loop: economizer, chillers, tower, pumps and fans for a heat load.

A loop (the air loop feeding the CRAH coils, or the liquid loop feeding the
CDUs of direct-to-chip racks) is the EnergyPlus reference arrangement: an
integrated water-side economizer heat exchanger (``HeatExchanger:FluidToFluid``)
ahead of N identical ``Chiller:Electric:EIR`` machines, a
``CoolingTower:VariableSpeed`` (YorkCalc) on the condenser loop, variable-speed
pumps and, on the air loop, variable-volume fans.

Condenser water (``condenser_flow`` of the scenario, :func:`condenser_flow_frac`):
variable-speed condenser pumps (the default) deliver the flow the running chillers and
the economizer's exchanger ask for, with a minimum, as EnergyPlus runs a condenser loop
with a ``Pump:VariableSpeed``; or a constant-flow loop held at design whenever the plant
runs (FRwater = 1, the tower range scaling with the heat rejected). The tower fan aims at the
coldest useful water: the temperature that gives full free cooling when an
economizer is installed, else the lower limit of the chiller curves (colder
water brings no modelled benefit). Condenser heat is first estimated with the
reference COP, then recomputed from the chiller model (one substitution).

References
----------
.. [1] EnergyPlus Engineering Reference: Chiller:Electric:EIR; CoolingTower:
   VariableSpeed (YorkCalc) and make-up water; Plant Loop Fluid-to-Fluid Heat
   Exchanger; Pump:VariableSpeed; Fan:VariableVolume.
.. [2] ANSI/ASHRAE/IES 90.1 §6.5.1.2 and ASHRAE 90.4: integrated water-side
   economizers that run in parallel with mechanical cooling.
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.chiller import (
    biquadratic,
    curve_point,
)
from kernels.condenser import (
    _curves,
    _loop_chillers_n,
    _pump_heat_w,
    condenser_flow_frac,
    condenser_pump_w,
)
from kernels.economizer import (
    NO_HX,
    hx_at_load,
    hx_c_cond_w_k,
    hx_free_at_w,
    hx_free_w,
    hx_ua_w_k,
    wse_cond_flow_frac,
    wse_full_free_cond_hx_c,
)
from kernels.layout import (
    L_CONC_RATIO,
    L_COND_VARIABLE,
    L_COP_REF,
    L_DRIFT_PCT,
    L_DT_K,
    L_ECONOMIZER,
    L_FAN_MIN_FRAC,
    L_P_ATM_PA,
    L_P_CDU_PUMP_W,
    L_P_FAN_W,
    L_P_PUMP_COND_W,
    L_P_PUMP_W,
    L_P_TOWER_FAN_W,
    L_PLR_MAX,
    L_Q_DESIGN_W,
    L_Q_REF_W,
    L_T_CHW_HI,
    L_T_CHW_LO,
    L_T_COND_HI,
    L_T_COND_LO,
    L_T_SUPPLY_C,
    L_TOWER_RANGE_K,
    L_VDOT_TOWER_AIR_M3_S,
    L_VDOT_TOWER_M3_S,
)
from kernels.movers import (
    CDU_PUMP_MOTOR_EFF,
    CW_PUMP_MOTOR_EFF,
    CW_PUMP_VSD_COEFFS,
    FAN_MOTOR_IN_AIRSTREAM_FRAC,
    HALL_FAN_VSD_COEFFS,
    PUMP_MOTOR_LOSS_TO_FLUID_FRAC,
    VAV_FAN_MOTOR_EFF,
    fan_vav_power_w,
    mover_heat_w,
    pump_vs_power_w,
)
from kernels.tower import (
    TOWER_FR_AIR_MIN,
    TOWER_FRAC_FREE_CONV,
    WATER_CP_J_KG_K,
    WATER_DENSITY_KG_M3,
    tower_fan_control,
    tower_fan_power_w,
    tower_leaving_water_c,
)
from kernels.tower_water import NO_INLET_AIR, tower_water_air_m3_s, tower_water_air_ratio

#: The tower aims this far below the full-free-cooling threshold [K]: its set-point
#: solution is exact only to rounding (~1e-14 K), and water a rounding error too warm
#: would leave the chillers a sliver of load (numerical tolerance, not a control band).
_TARGET_TOL_K = 1e-6


@njit
def _tower_target_ctl_c(lp, econ, t_sup, q_coil_w, hx):
    """The coldest useful condenser water [°C] (module docstring).

    With the economizer enabled: the warmest water that still carries the whole load
    ``q_coil_w`` through the heat exchanger at its full condenser flow (ε-NTU, fixed UA:
    :func:`kernels.economizer.wse_full_free_cond_c`); any colder only spends fan energy
    (the chillers are off). At part load the exchanger's approach is smaller, so the
    target is warmer than ``t_sup - approach``. Where the tower cannot reach it the fan
    runs at full speed, which is also the coldest water for the partial mode. Without an
    economizer: the lower limit of the chiller curves, below which colder water brings no
    modelled benefit. *hx*: the exchanger at this load (:func:`kernels.economizer.hx_at_load`,
    or :data:`kernels.economizer.NO_HX`).
    """
    if econ:
        t_ret = t_sup + lp[L_DT_K]
        q = q_coil_w if q_coil_w > 0.0 else lp[L_Q_DESIGN_W]
        ua, c_cond = hx_ua_w_k(lp), hx_c_cond_w_k(lp)
        return wse_full_free_cond_hx_c(q, t_ret, t_sup, ua, c_cond, hx) - _TARGET_TOL_K
    return lp[L_T_COND_LO]


@njit
def econ_tower_target_c(lp, q_coil_w, t_sup):
    """The tower's set point with the economizer: the coldest useful water for this load
    [°C] (:func:`_tower_target_ctl_c`)."""
    return _tower_target_ctl_c(lp, True, t_sup, q_coil_w, NO_HX)


@njit
def loop_capacity_w(lp, t_wb_c, n_available):
    """Largest heat rate the loop can remove at this wet bulb [W] (see loop_capacity_ctl_w)."""
    return loop_capacity_ctl_w(lp, t_wb_c, n_available, True, lp[L_T_SUPPLY_C])


@njit
def loop_capacity_ctl_w(lp, t_wb_c, n_available, econ_allowed, t_sup):
    """:func:`loop_capacity_w` with the economizer enable and supply set point given.

    Largest heat rate the loop can take from the hall at this wet bulb [W].

    Chillers at their maximum part-load ratio and, with an economizer, the
    free-cooling share on top (the heat exchanger is sized for the loop's
    design load), less the heat of the loop's own fans and pump
    (:func:`hall_share_w`).
    """
    q_design = lp[L_Q_DESIGN_W]
    if q_design <= 0.0:
        return 0.0
    t_cond = tower_leaving_water_c(t_wb_c, lp[L_TOWER_RANGE_K], 1.0, 1.0)
    capft, _, _ = _curves(lp)
    t_chw, t_cnd, _ = curve_point(
        t_sup, t_cond, lp[L_T_CHW_LO], lp[L_T_CHW_HI], lp[L_T_COND_LO], lp[L_T_COND_HI]
    )
    q_mech = n_available * lp[L_Q_REF_W] * biquadratic(capft, t_chw, t_cnd) * lp[L_PLR_MAX]
    q_coil = q_mech
    if lp[L_ECONOMIZER] > 0.5 and econ_allowed:
        # the exchanger's share at the design flow (ε-NTU, fixed UA)
        f_free = min(max(hx_free_w(lp, q_design, t_sup, t_cond)[0] / q_design, 0.0), 1.0)
        if f_free >= 1.0 - 1e-12:
            q_coil = max(q_design, q_mech)
        else:
            q_coil = max(q_mech / (1.0 - f_free), q_mech)
    return hall_share_w(lp, q_coil)


@njit
def hall_share_w(lp, q_coil_w):
    """Heat a loop can take from the hall when its coils can remove ``q_coil_w`` [W].

    The fans' and the chilled-water pump's heat take their share of the coil capacity,
    at the flow that carries the coil capacity, at most the design flow (fans and pumps
    are sized for the design load; the capacity of idle chillers or of a large
    free-cooling share is not matched by more air).
    """
    if q_coil_w <= 0.0:
        return 0.0
    q_flow = min(q_coil_w, lp[L_Q_DESIGN_W])
    return max(q_coil_w - loop_movers(lp, q_flow, True)[2], 0.0)


@njit
def loop_power(lp, q_load_w, t_db_c, t_wb_c, n_available):
    """Electric power and water of a loop removing ``q_load_w`` (see loop_power_ctl)."""
    return loop_power_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, True, lp[L_T_SUPPLY_C])


@njit
def hall_fans_w(lp, flow_frac):
    """Electric power of the hall fans at this share of the design air flow [W] (the
    variable-speed law, :data:`kernels.movers.HALL_FAN_VSD_COEFFS`); 0 without fans."""
    if lp[L_P_FAN_W] <= 0.0:
        return 0.0
    return fan_vav_power_w(
        lp[L_P_FAN_W],
        flow_frac,
        lp[L_FAN_MIN_FRAC],
        HALL_FAN_VSD_COEFFS[0],
        HALL_FAN_VSD_COEFFS[1],
        HALL_FAN_VSD_COEFFS[2],
        HALL_FAN_VSD_COEFFS[3],
        HALL_FAN_VSD_COEFFS[4],
    )


@njit
def _vsd_pump_w(p_design_w, flow_frac, c):
    """A variable-speed pump on a part-load curve *c* (:mod:`kernels.movers`) [W]."""
    return pump_vs_power_w(p_design_w, flow_frac, c[0], c[1], c[2], c[3])


@njit
def loop_movers(lp, q_load_w, hall_fans):
    """Loop pumps, CDU pumps and (when *hall_fans*) hall fans of a loop carrying ``q_load_w``.

    Flow follows the heat taken from the hall (assumed: the loop's own heat gain, a few
    per cent, does not raise the flow). The chilled/facility-water and CDU pumps ride the
    "VSD DP Reset" curve (:data:`kernels.movers.CW_PUMP_VSD_COEFFS`); the CDU pumps exist
    only on the liquid loop (``L_P_CDU_PUMP_W`` > 0). Returns the pumps' and the fans'
    electric power [W] and the heat they add to the loop's water [W] (fan heat to the air
    crossing the coils; pump shaft work to the water, the CDU pumps' through the CDU heat
    exchanger: :func:`kernels.movers.mover_heat_w`).
    """
    plr_loop = q_load_w / lp[L_Q_DESIGN_W]
    p_pump = _vsd_pump_w(lp[L_P_PUMP_W], plr_loop, CW_PUMP_VSD_COEFFS)
    p_cdu = _vsd_pump_w(lp[L_P_CDU_PUMP_W], plr_loop, CW_PUMP_VSD_COEFFS)
    p_fans = hall_fans_w(lp, plr_loop) if hall_fans else 0.0
    q_heat = (
        mover_heat_w(p_pump, CW_PUMP_MOTOR_EFF, PUMP_MOTOR_LOSS_TO_FLUID_FRAC)
        + mover_heat_w(p_cdu, CDU_PUMP_MOTOR_EFF, PUMP_MOTOR_LOSS_TO_FLUID_FRAC)
        + mover_heat_w(p_fans, VAV_FAN_MOTOR_EFF, FAN_MOTOR_IN_AIRSTREAM_FRAC)
    )
    return p_pump + p_cdu, p_fans, q_heat


#: No first pass yet (:func:`_condenser_side`): a leaving water that equals nothing.
_NO_PASS = (0.0, 0.0, math.nan, 0.0, 0, 0.0, 0.0, 0)


@njit
def _condenser_side(
    lp, q_coil_w, q_rej_w, fr_water, t_wb_c, n_available, econ, t_sup, t_target_c, prev, hx
):
    """Tower at the heat rejection *q_rej_w* and the flow share *fr_water*, aiming at
    ``t_target_c`` (:func:`_tower_target_ctl_c`, the same for both substitutions of a step),
    then the economizer and the chillers on it.

    Returns the tower's air-flow ratio, fan part-load ratio and leaving water [°C], the
    free-cooling heat [W], the economizer mode, the chiller power and condenser heat [W],
    the chillers running. *prev*: the first substitution's result (:data:`_NO_PASS` for the
    first): where the tower leaves the same water (the set point held, or the range and
    flow clamped alike), the economizer and the chillers, which see only that water and
    the same load, are its own. *hx*: the exchanger at this load, as the target's.
    """
    v_w = lp[L_VDOT_TOWER_M3_S] * fr_water
    range_k = q_rej_w / (WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K * v_w)
    fr_air, fan_plr, t_cond = tower_fan_control(
        t_wb_c,
        range_k,
        fr_water,
        t_target_c,
        TOWER_FR_AIR_MIN,
        TOWER_FRAC_FREE_CONV,
    )
    if t_cond == prev[2]:
        return fr_air, fan_plr, t_cond, prev[3], prev[4], prev[5], prev[6], prev[7]
    q_free = 0.0
    mode = 0
    if econ:
        q_free, mode = hx_free_at_w(lp, q_coil_w, t_sup, t_cond, hx)
        q_free = min(max(q_free, 0.0), q_coil_w)
    p_ch, q_cond, n_on = _loop_chillers_n(lp, q_coil_w - q_free, n_available, t_sup, t_cond)
    return fr_air, fan_plr, t_cond, q_free, mode, p_ch, q_cond, n_on


@njit
def loop_balance_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, hall_fans):
    """:func:`loop_balance_air_ctl` computing the tower inlet air itself."""
    return loop_balance_air_ctl(
        lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, hall_fans, NO_INLET_AIR
    )


@njit
def loop_balance_air_ctl(
    lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, hall_fans, air
):
    """:func:`loop_power_ctl` and the heat the tower rejects, ``q_rej_w`` [W] (last item).

    *hall_fans*: the hall fans are part of this loop (False when the caller moves the
    air and has added the fan heat to ``q_load_w``, as with an air-side economizer).

    First law of the loop: the heat taken from the hall, the fan and pump heat and the
    chillers' power all leave through the tower, ``q_rej = q_load + heat of the movers +
    p_chiller + condenser-pump heat`` (the chillers' condenser heat is their evaporator
    load plus their power, :func:`kernels.chiller.chiller_eir`).

    The tower is solved twice: at the rejection implied by the reference COP, then at the
    rejection the chiller model gives at that condenser water (one substitution of the
    plant-loop iteration EnergyPlus carries to convergence); with variable-flow condenser
    water the second pass also runs at the flow the first pass's chillers and exchanger
    ask for (:func:`condenser_flow_frac`), the condenser pumps at that flow on the
    "VSD No Reset" curve (:func:`condenser_pump_w`). Its make-up water follows the
    outdoor air (dry bulb ``t_db_c``, wet bulb, the site pressure) through the tower at the
    step's air-flow ratio (:func:`kernels.tower_water.tower_water_air_m3_s`; *air*: the
    outdoor air's terms of :func:`kernels.tower_water.tower_inlet_air` at the loop's
    pressure, computed once per step for both loops, or
    :data:`kernels.tower_water.NO_INLET_AIR`).
    """
    q_design = lp[L_Q_DESIGN_W]
    if q_load_w <= 0.0 or q_design <= 0.0:
        return 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0.0
    econ = lp[L_ECONOMIZER] > 0.5 and econ_allowed
    p_pump, p_fans, q_movers = loop_movers(lp, q_load_w, hall_fans)
    q_coil = q_load_w + q_movers
    # first pass at the design condenser flow (a constant-flow loop keeps it while the
    # plant runs); a variable-flow loop then runs at the flow the first pass's chillers
    # and exchanger ask for (condenser_flow_frac)
    p_pump_cond = lp[L_P_PUMP_COND_W]
    q_pump_cond = _pump_heat_w(p_pump_cond)
    q_rej = q_coil * (1.0 + 1.0 / lp[L_COP_REF]) + q_pump_cond
    # the exchanger at this load: the same for the target and both passes
    hx = hx_at_load(lp, q_coil, t_sup) if econ else NO_HX
    t_target = _tower_target_ctl_c(lp, econ, t_sup, q_coil, hx)
    r = _condenser_side(
        lp, q_coil, q_rej, 1.0, t_wb_c, n_available, econ, t_sup, t_target, _NO_PASS, hx
    )
    fr_water = 1.0
    if lp[L_COND_VARIABLE] > 0.5:
        hx_frac = 0.0
        if econ and r[4] > 0:  # the exchanger's condenser flow at the first pass's water
            hx_frac = 1.0
            if r[1] <= 0.0:
                # only with the tower's fan off can the water be colder than the set point
                # that just gives full free cooling at full flow: the exchanger throttles
                hx_frac = wse_cond_flow_frac(
                    q_coil, t_sup + lp[L_DT_K], t_sup, r[2], hx_ua_w_k(lp), hx_c_cond_w_k(lp)
                )
        fr_water = condenser_flow_frac(lp, r[7], hx_frac)
        p_pump_cond = condenser_pump_w(lp, fr_water)
        q_pump_cond = _pump_heat_w(p_pump_cond)
    q_rej = r[3] + r[6] + q_pump_cond
    fr_air, fan_plr, _, q_free, mode, p_ch, q_cond, _ = _condenser_side(
        lp, q_coil, q_rej, fr_water, t_wb_c, n_available, econ, t_sup, t_target, r, hx
    )
    q_rej = q_free + q_cond + q_pump_cond
    p_tower = tower_fan_power_w(lp[L_P_TOWER_FAN_W], fr_air, fan_plr)
    evap, drift, blow = tower_water_air_m3_s(
        q_rej,
        tower_water_air_ratio(fr_air, fan_plr, TOWER_FRAC_FREE_CONV),
        lp[L_VDOT_TOWER_AIR_M3_S],
        lp[L_VDOT_TOWER_M3_S],
        t_db_c,
        t_wb_c,
        lp[L_P_ATM_PA],
        lp[L_DRIFT_PCT],
        lp[L_CONC_RATIO],
        air,
    )
    p_pumps = p_pump + p_pump_cond
    return p_ch, p_tower, p_pumps, p_fans, q_free, evap + drift + blow, mode, q_rej


@njit
def loop_power_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup):
    """:func:`loop_power` with the economizer enable and supply set point given.

    Electric power and water of a loop removing ``q_load_w`` from the hall.

    Returns
    -------
    p_chiller_w, p_tower_fan_w, p_pumps_w, p_fans_w : float
        Electric power by component [W].
    q_free_w : float
        Heat removed by the economizer [W].
    vdot_water_m3_s : float
        Tower make-up water: evaporation + drift + blowdown [m³/s].
    mode : int
        Economizer mode: 0 mechanical, 1 partial, 2 free.
    """
    r = loop_balance_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, True)
    return r[0], r[1], r[2], r[3], r[4], r[5], r[6]
