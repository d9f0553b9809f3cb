"""One cooling loop: economizer, chillers, tower, pumps and fans for a heat load.

A loop (the air loop feeding the CRAH coils, or the liquid loop feeding the
CDUs of direct-to-chip racks) is the EnergyPlus reference arrangement: an
integrated water-side economizer heat exchanger (``HeatExchanger:FluidToFluid``)
ahead of N identical ``Chiller:Electric:EIR`` machines, a
``CoolingTower:VariableSpeed`` (YorkCalc) on the condenser loop, variable-speed
pumps and, on the air loop, variable-volume fans.

Tower water flow is held at design (constant-flow condenser loop, FRwater = 1),
so the tower range scales with the heat rejected. The tower fan aims at the
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

from kernels._jit import njit
from kernels.chiller import biquadratic, chiller_plant
from kernels.economizer import wse_split
from kernels.layout import (
    L_CAPFT,
    L_CONC_RATIO,
    L_COP_REF,
    L_DRIFT_PCT,
    L_DT_K,
    L_ECONOMIZER,
    L_EIRFPLR,
    L_EIRFT,
    L_EVAP_LF_PCT_K,
    L_FAN_MIN_FRAC,
    L_HX_APPROACH_K,
    L_MIN_UNLOAD,
    L_P_FAN_W,
    L_P_PUMP_COND_W,
    L_P_PUMP_W,
    L_P_TOWER_FAN_W,
    L_PLR_MAX,
    L_PLR_MIN,
    L_Q_DESIGN_W,
    L_Q_REF_W,
    L_T_CHW_HI,
    L_T_CHW_LO,
    L_T_COND_HI,
    L_T_COND_LO,
    L_T_SUPPLY_C,
    L_TOWER_RANGE_K,
    L_VDOT_TOWER_M3_S,
)
from kernels.movers import PUMP_PLR_COEFFS, VAV_FAN_COEFFS, fan_vav_power_w, pump_vs_power_w
from kernels.tower import (
    TOWER_FR_AIR_MIN,
    TOWER_FRAC_FREE_CONV,
    tower_fan_control,
    tower_fan_power_w,
    tower_leaving_water_c,
    tower_water_m3_s,
)


@njit
def _curves(lp):
    capft = (
        lp[L_CAPFT],
        lp[L_CAPFT + 1],
        lp[L_CAPFT + 2],
        lp[L_CAPFT + 3],
        lp[L_CAPFT + 4],
        lp[L_CAPFT + 5],
    )
    eirft = (
        lp[L_EIRFT],
        lp[L_EIRFT + 1],
        lp[L_EIRFT + 2],
        lp[L_EIRFT + 3],
        lp[L_EIRFT + 4],
        lp[L_EIRFT + 5],
    )
    eirfplr = (lp[L_EIRFPLR], lp[L_EIRFPLR + 1], lp[L_EIRFPLR + 2])
    return capft, eirft, eirfplr


@njit
def _tower_target_c(lp):
    """Condenser-water temperature the tower fan aims at [°C]."""
    return _tower_target_ctl_c(lp, lp[L_ECONOMIZER] > 0.5, lp[L_T_SUPPLY_C])


@njit
def _tower_target_ctl_c(lp, econ, t_sup):
    if econ:
        return min(t_sup - lp[L_HX_APPROACH_K], lp[L_T_COND_LO])
    return lp[L_T_COND_LO]


@njit
def loop_capacity_w(lp, t_wb_c, n_available):
    """Largest heat rate the loop can remove at this wet bulb [W] (see loop_capacity_ctl_w)."""
    return loop_capacity_ctl_w(lp, t_wb_c, n_available, True, lp[L_T_SUPPLY_C])


@njit
def loop_capacity_ctl_w(lp, t_wb_c, n_available, econ_allowed, t_sup):
    """:func:`loop_capacity_w` with the economizer enable and supply set point given.

    Largest heat rate the loop can remove at this wet bulb [W].

    Chillers at their maximum part-load ratio and, with an economizer, the
    free-cooling share on top (the heat exchanger is sized for the loop's
    design load).
    """
    q_design = lp[L_Q_DESIGN_W]
    if q_design <= 0.0:
        return 0.0
    t_cond = tower_leaving_water_c(t_wb_c, lp[L_TOWER_RANGE_K], 1.0, 1.0)
    capft, _, _ = _curves(lp)
    t_chw = min(max(t_sup, lp[L_T_CHW_LO]), lp[L_T_CHW_HI])
    t_cnd = min(max(t_cond, lp[L_T_COND_LO]), lp[L_T_COND_HI])
    q_mech = n_available * lp[L_Q_REF_W] * biquadratic(capft, t_chw, t_cnd) * lp[L_PLR_MAX]
    if lp[L_ECONOMIZER] < 0.5 or not econ_allowed:
        return q_mech
    q_free_unit, _ = wse_split(1.0, t_sup + lp[L_DT_K], t_sup, t_cond, lp[L_HX_APPROACH_K])
    f_free = min(max(q_free_unit, 0.0), 1.0)
    if f_free >= 1.0 - 1e-12:
        return max(q_design, q_mech)
    return max(q_mech / (1.0 - f_free), q_mech)


@njit
def loop_power(lp, q_load_w, t_wb_c, n_available):
    """Electric power and water of a loop removing ``q_load_w`` (see loop_power_ctl)."""
    return loop_power_ctl(lp, q_load_w, t_wb_c, n_available, True, lp[L_T_SUPPLY_C])


@njit
def loop_power_ctl(lp, q_load_w, t_wb_c, n_available, econ_allowed, t_sup):
    """:func:`loop_power` with the economizer enable and supply set point given.

    Electric power and water of a loop removing ``q_load_w``.

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
    q_design = lp[L_Q_DESIGN_W]
    if q_load_w <= 0.0 or q_design <= 0.0:
        return 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0
    cop_ref = lp[L_COP_REF]
    capft, eirft, eirfplr = _curves(lp)
    econ = lp[L_ECONOMIZER] > 0.5 and econ_allowed

    # first pass: tower at the heat rejection implied by the reference COP
    q_rej_est = q_load_w * (1.0 + 1.0 / cop_ref)
    range_k = lp[L_TOWER_RANGE_K] * q_rej_est / (q_design * (1.0 + 1.0 / cop_ref))
    fr_air, fan_plr, t_cond = tower_fan_control(
        t_wb_c,
        range_k,
        1.0,
        _tower_target_ctl_c(lp, econ, t_sup),
        TOWER_FR_AIR_MIN,
        TOWER_FRAC_FREE_CONV,
    )
    q_free = 0.0
    mode = 0
    if econ:
        q_free, mode = wse_split(q_load_w, t_sup + lp[L_DT_K], t_sup, t_cond, lp[L_HX_APPROACH_K])
        q_free = min(max(q_free, 0.0), q_load_w)
    q_mech = q_load_w - q_free
    p_ch, q_cond, _, _ = chiller_plant(
        q_mech,
        n_available,
        t_sup,
        t_cond,
        lp[L_Q_REF_W],
        cop_ref,
        capft,
        eirft,
        eirfplr,
        lp[L_PLR_MIN],
        lp[L_PLR_MAX],
        lp[L_MIN_UNLOAD],
        lp[L_T_CHW_LO],
        lp[L_T_CHW_HI],
        lp[L_T_COND_LO],
        lp[L_T_COND_HI],
    )
    q_rej = q_free + q_cond
    p_tower = tower_fan_power_w(lp[L_P_TOWER_FAN_W], fr_air, fan_plr)
    evap, drift, blow = tower_water_m3_s(
        q_rej, fr_air, lp[L_VDOT_TOWER_M3_S], lp[L_EVAP_LF_PCT_K], lp[L_DRIFT_PCT], lp[L_CONC_RATIO]
    )
    plr_loop = q_load_w / q_design
    p_pumps = pump_vs_power_w(
        lp[L_P_PUMP_W],
        plr_loop,
        PUMP_PLR_COEFFS[0],
        PUMP_PLR_COEFFS[1],
        PUMP_PLR_COEFFS[2],
        PUMP_PLR_COEFFS[3],
    )
    p_pumps += lp[L_P_PUMP_COND_W]  # constant-flow condenser loop while the plant runs
    p_fans = 0.0
    if lp[L_P_FAN_W] > 0.0:
        p_fans = fan_vav_power_w(
            lp[L_P_FAN_W],
            plr_loop,
            lp[L_FAN_MIN_FRAC],
            VAV_FAN_COEFFS[0],
            VAV_FAN_COEFFS[1],
            VAV_FAN_COEFFS[2],
            VAV_FAN_COEFFS[3],
            VAV_FAN_COEFFS[4],
        )
    return p_ch, p_tower, p_pumps, p_fans, q_free, evap + drift + blow, mode
