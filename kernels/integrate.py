"""The interval integrator: all physics between two exogenous events.

Between two SimPy events the exogenous inputs are constant (rack utilisation,
grid availability, chillers in service); weather varies per step. This kernel
advances every step of the interval in one compiled loop:

1. IT power of each rack group at its utilisation, with the inlet-temperature
   uplift on the air-cooled share, and the UPS losses (:mod:`kernels.it_load`);
2. the two thermal nodes, hall air and liquid loop, each cooled up to its
   loop's capacity (:mod:`kernels.room`, :mod:`kernels.plant`);
3. the cooling plant's power and water for the heat actually removed;
4. the electrical dispatch (:mod:`kernels.supply`). If the supplies cannot
   carry IT plus cooling, the cooling plant is shed first (IT sits behind the
   UPS, chillers do not) and the step is recomputed with the plant off; if IT
   itself cannot be carried, the unserved share releases no heat;
5. IT protection: while the hall air or the liquid loop is above the trip
   temperature, the IT equipment is off (its demand is unmet, it releases no
   heat) until the plant brings the temperature back.

It stops early after a step in which a threshold is crossed (inlet or liquid
above its limit, battery empty, unmet load starting) and reports the step and
the reason, so the engine can raise the matching SimPy event. Pure: arrays in,
arrays out, no allocation in the loop.
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.controls import RESET_PLR_FULL, RESET_PLR_LOW, hysteresis_on, supply_reset_c
from kernels.electrical import transformer_loss_w, ups_loss_curve_w
from kernels.it_load import inlet_uplift_frac, rack_group_power_w, ups_loss_w
from kernels.layout import (
    AIR,
    BESS_E_J,
    BESS_ETA_C,
    BESS_ETA_D,
    BESS_SOC_MIN,
    DT_S,
    EXPORT_SHARE_MAX,
    G_IDLE_FRAC,
    G_LIQUID_FRAC,
    G_N_RACKS,
    G_P_PEAK_W,
    GENSET_DELAY_S,
    GENSET_W,
    HALL_C_J_K,
    HALL_UA_W_K,
    IT_TEMP_COEF_PER_K,
    IT_TEMP_REF_C,
    L_DT_K,
    L_ECON_HYST_K,
    L_Q_DESIGN_W,
    L_RESET_K,
    L_T_SUPPLY_C,
    LIQ_C_J_K,
    LIQUID,
    O_BALANCE_W,
    O_COOLING_ON,
    O_ECON_MODE,
    O_GRID_UP,
    O_P_AIR_FANS_W,
    O_P_BESS_CHARGE_GRID_W,
    O_P_BESS_CHARGE_W,
    O_P_BESS_DIS_CFE_W,
    O_P_BESS_DIS_RE_W,
    O_P_BESS_DISCHARGE_W,
    O_P_CHILLER_W,
    O_P_COOLING_W,
    O_P_GENSET_W,
    O_P_GRID_EXPORT_W,
    O_P_GRID_IMPORT_W,
    O_P_IT_W,
    O_P_PUMPS_W,
    O_P_PV_CURTAILED_W,
    O_P_PV_TO_LOAD_W,
    O_P_PV_W,
    O_P_TOWER_FAN_W,
    O_P_UNMET_W,
    O_P_UPS_CHARGE_W,
    O_P_UPS_DISCHARGE_W,
    O_P_UPS_LOSS_W,
    O_P_WIND_W,
    O_P_XFMR_LOSS_W,
    O_Q_AIR_W,
    O_Q_FREE_W,
    O_Q_IT_HEAT_W,
    O_Q_LIQ_W,
    O_SOC_BESS,
    O_T_AIR_C,
    O_T_LIQ_C,
    O_VDOT_WATER_M3_S,
    S_BESS_CFE_FRAC,
    S_BESS_RE_FRAC,
    S_E_EXPORT_J,
    S_E_RE_J,
    S_ECON_AIR,
    S_ECON_LIQ,
    S_SOC_BESS,
    S_SOC_UPS,
    S_T_AIR_C,
    S_T_LIQ_C,
    S_UNMET,
    SIG_CF,
    SIG_WIND_W,
    ST_BESS_EMPTY,
    ST_DONE,
    ST_INLET_HIGH,
    ST_LIQUID_HIGH,
    ST_UNMET,
    T_AIR_LIMIT_C,
    T_AIR_SET_C,
    T_LIQ_LIMIT_C,
    T_LIQ_SET_C,
    T_TRIP_C,
    UPS_E_J,
    UPS_ETA,
    UPS_LOSS_A0,
    UPS_LOSS_A1,
    UPS_LOSS_A2,
    UPS_LOSS_TO_HALL,
    UPS_P_RATED_W,
    XFMR_P0_FRAC,
    XFMR_PK_FRAC,
    XFMR_S_RATED_W,
)
from kernels.plants import free_source_c, plant_capacity_ctl_w, plant_power_ctl
from kernels.policy import BIG_W, policy_limits
from kernels.room import rc_step
from kernels.storage import soc_update
from kernels.supply import dispatch, genset_available_frac

#: Extra status: a non-finite state appeared (a bug, never a physical state).
ST_NONFINITE = 5
_SOC_EPS = 1e-9
_TRIP_ITERATIONS = 40


@njit
def _thermal(
    plant, loops, t_air0, t_liq0, q_air_gain, q_liq_gain, f_on, t_db_c, t_wb_c, n_air, n_liq, ctl
):
    """Both thermal nodes and both loops for one step (see module docstring).

    ``f_on`` is the share of the step during which the plant has power (1
    normally, the genset's on-line share in the step an outage begins, 0 when
    shed). While on, a loop runs at ``q / f_on``; averages are weighted by
    ``f_on``. ``ctl`` = (air economizer enabled, liquid economizer enabled, air
    supply set point, liquid supply set point) from the controls.
    """
    ea, el, ts_air, ts_liq = ctl
    dt_s = plant[DT_S]
    q_air_max = 0.0
    q_liq_max = 0.0
    if f_on > 0.0:
        q_air_max = f_on * plant_capacity_ctl_w(loops[AIR], t_db_c, t_wb_c, n_air, ea, ts_air)
        q_liq_max = f_on * plant_capacity_ctl_w(loops[LIQUID], t_db_c, t_wb_c, n_liq, el, ts_liq)
    t_air, q_air, _ = rc_step(
        t_air0,
        plant[T_AIR_SET_C],
        q_air_gain,
        q_air_max,
        t_db_c,
        plant[HALL_C_J_K],
        plant[HALL_UA_W_K],
        dt_s,
    )
    t_liq, q_liq, _ = rc_step(
        t_liq0, plant[T_LIQ_SET_C], q_liq_gain, q_liq_max, t_db_c, plant[LIQ_C_J_K], 0.0, dt_s
    )
    if f_on <= 0.0:
        return (t_air, t_liq, q_air, q_liq, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
    pa = plant_power_ctl(loops[AIR], q_air / f_on, t_db_c, t_wb_c, n_air, ea, ts_air)
    pl = plant_power_ctl(loops[LIQUID], q_liq / f_on, t_db_c, t_wb_c, n_liq, el, ts_liq)
    return (
        t_air,
        t_liq,
        q_air,
        q_liq,
        f_on * (pa[0] + pl[0]),
        f_on * (pa[1] + pl[1]),
        f_on * (pa[2] + pl[2]),
        f_on * (pa[3] + pl[3]),
        f_on * (pa[4] + pl[4]),
        f_on * (pa[5] + pl[5]),
        pa[6],
    )


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
def _controls(loops, state, t_db_c, t_wb_c, q_air_gain_w, q_liq_gain_w):
    ea, ts_air = _loop_ctl(loops[AIR], state[S_ECON_AIR] > 0.5, t_db_c, t_wb_c, q_air_gain_w)
    el, ts_liq = _loop_ctl(loops[LIQUID], state[S_ECON_LIQ] > 0.5, t_db_c, t_wb_c, q_liq_gain_w)
    return (ea, el, ts_air, ts_liq)


@njit
def integrate_interval(
    k0,
    k1,
    plant,
    loops,
    groups,
    u_groups,
    grid_up,
    outage_elapsed_s,
    n_air,
    n_liq,
    t_db_c,
    t_wb_c,
    p_pv_w,
    state,
    out,
    sig,
):
    """Advance steps ``k0 … k1-1``; stop early after a threshold crossing.

    Parameters
    ----------
    k0, k1 : int
        First step and one past the last step of the interval.
    plant : ndarray (N_PLANT,)
        Scalar parameters, see :mod:`kernels.layout`.
    loops : ndarray (2, N_LOOP)
        Air and liquid cooling-loop parameters.
    groups : ndarray (G, N_GROUP)
        Rack-group parameters.
    u_groups : ndarray (G,)
        Utilisation of each group over the interval [-].
    grid_up : bool
        Grid available over the interval.
    outage_elapsed_s : float
        Time since the current outage began, at step ``k0`` [s] (ignored when
        the grid is up).
    n_air, n_liq : float
        Chillers in service in the air and liquid loops [-].
    t_db_c, t_wb_c, p_pv_w : ndarray (n_steps,)
        Outdoor dry bulb and wet bulb [°C], PV AC power available [W].
    state : ndarray (N_STATE,)
        Updated in place.
    out : ndarray (n_steps, N_OUT)
        Rows ``k0 …`` written in place.
    sig : ndarray (n_steps, N_SIG)
        Per-step supply signals (grid price, carbon, carbon-free share,
        dispatch thresholds and schedule, wind power; ``SIG_*`` of
        :mod:`kernels.layout`). The battery follows ``plant[DISPATCH_POLICY]``
        (:mod:`kernels.policy`); wind adds to PV as on-site renewable supply.

    Returns
    -------
    k_next : int
        First step not yet integrated.
    status : int
        ``ST_*`` code of :mod:`kernels.layout`, or ``ST_NONFINITE``.
    """
    dt_s = plant[DT_S]
    n_groups = groups.shape[0]
    for k in range(k0, k1):
        t_air0 = state[S_T_AIR_C]
        t_liq0 = state[S_T_LIQ_C]
        soc0 = state[S_SOC_BESS]
        soc_ups0 = state[S_SOC_UPS]

        uplift = inlet_uplift_frac(t_air0, plant[IT_TEMP_REF_C], plant[IT_TEMP_COEF_PER_K])
        p_air_it = 0.0
        p_liq_it = 0.0
        for g in range(n_groups):
            p_g = rack_group_power_w(
                groups[g, G_N_RACKS], groups[g, G_P_PEAK_W], groups[g, G_IDLE_FRAC], u_groups[g]
            )
            lf = groups[g, G_LIQUID_FRAC]
            p_air_it += p_g * (1.0 - lf) * uplift
            p_liq_it += p_g * lf
        p_it = p_air_it + p_liq_it
        if plant[UPS_P_RATED_W] > 0.0:
            p_ups = ups_loss_curve_w(
                p_it,
                plant[UPS_P_RATED_W],
                plant[UPS_LOSS_A0],
                plant[UPS_LOSS_A1],
                plant[UPS_LOSS_A2],
            )
        else:
            p_ups = ups_loss_w(p_it, plant[UPS_ETA])
        f_hall = plant[UPS_LOSS_TO_HALL]
        unmet_trip = 0.0
        if t_air0 >= plant[T_TRIP_C] or t_liq0 >= plant[T_TRIP_C]:
            unmet_trip = p_it + p_ups
            p_air_it = 0.0
            p_liq_it = 0.0
            p_it = 0.0
            p_ups = 0.0

        ctl = _controls(loops, state, t_db_c[k], t_wb_c[k], p_air_it + f_hall * p_ups, p_liq_it)

        # share of the step with power for the cooling plant: the plant is not
        # on the UPS; in an outage it restarts on the genset, or runs on the battery
        gen_frac = 0.0
        f_on = 1.0
        if not grid_up:
            if plant[GENSET_W] > 0.0:
                gen_frac = genset_available_frac(
                    outage_elapsed_s + (k - k0) * dt_s, plant[GENSET_DELAY_S], dt_s
                )
            f_on = gen_frac
            if plant[BESS_E_J] > 0.0 and soc0 > plant[BESS_SOC_MIN] + _SOC_EPS:
                f_on = 1.0
        served = 1.0
        plant_on = f_on > 0.0
        th = _thermal(
            plant,
            loops,
            t_air0,
            t_liq0,
            p_air_it + f_hall * p_ups,
            p_liq_it,
            f_on,
            t_db_c[k],
            t_wb_c[k],
            n_air,
            n_liq,
            ctl,
        )
        p_cool = th[4] + th[5] + th[6] + th[7]
        p_with_gen = p_cool if f_on < 1.0 else 0.0
        p_wind = sig[k, SIG_WIND_W]
        p_re = p_pv_w[k] + p_wind
        lim = policy_limits(
            plant, sig[k], p_it + p_ups + p_cool, p_re, state[S_BESS_CFE_FRAC], soc0
        )
        exp_cap = BIG_W
        if plant[EXPORT_SHARE_MAX] < 1.0:
            allowed_j = plant[EXPORT_SHARE_MAX] * (state[S_E_RE_J] + p_re * dt_s)
            exp_cap = max(allowed_j - state[S_E_EXPORT_J], 0.0) / dt_s
        d = dispatch(
            p_it + p_ups + p_cool,
            p_re,
            grid_up,
            gen_frac,
            soc0,
            soc_ups0,
            p_with_gen,
            plant,
            lim[0],
            lim[1],
            lim[2],
            exp_cap,
        )
        if d[9] > 0.0:
            # shed the cooling plant, keep IT on the UPS bus
            plant_on = False
            th = _thermal(
                plant,
                loops,
                t_air0,
                t_liq0,
                p_air_it + f_hall * p_ups,
                p_liq_it,
                0.0,
                t_db_c[k],
                t_wb_c[k],
                n_air,
                n_liq,
                ctl,
            )
            p_cool = 0.0
            d = dispatch(
                p_it + p_ups,
                p_re,
                grid_up,
                gen_frac,
                soc0,
                soc_ups0,
                0.0,
                plant,
                lim[0],
                lim[1],
                lim[2],
                exp_cap,
            )
            if d[9] > 0.0 and p_it + p_ups > 0.0:
                served = max(0.0, 1.0 - d[9] / (p_it + p_ups))
                th = _thermal(
                    plant,
                    loops,
                    t_air0,
                    t_liq0,
                    served * (p_air_it + f_hall * p_ups),
                    served * p_liq_it,
                    0.0,
                    t_db_c[k],
                    t_wb_c[k],
                    n_air,
                    n_liq,
                    ctl,
                )
        t_trip = plant[T_TRIP_C]
        if unmet_trip == 0.0 and (th[0] > t_trip or th[1] > t_trip) and served > 0.0:
            # the IT trips inside this step: find the share of the step's heat that
            # takes a node exactly to the trip temperature (bisection, fixed cap)
            f_used = f_on if plant_on else 0.0
            lo = 0.0
            hi = served
            for _ in range(_TRIP_ITERATIONS):
                mid = 0.5 * (lo + hi)
                tt = _thermal(
                    plant,
                    loops,
                    t_air0,
                    t_liq0,
                    mid * (p_air_it + f_hall * p_ups),
                    mid * p_liq_it,
                    f_used,
                    t_db_c[k],
                    t_wb_c[k],
                    n_air,
                    n_liq,
                    ctl,
                )
                if tt[0] > t_trip or tt[1] > t_trip:
                    hi = mid
                else:
                    lo = mid
            th = _thermal(
                plant,
                loops,
                t_air0,
                t_liq0,
                lo * (p_air_it + f_hall * p_ups),
                lo * p_liq_it,
                f_used,
                t_db_c[k],
                t_wb_c[k],
                n_air,
                n_liq,
                ctl,
            )
            p_cool = th[4] + th[5] + th[6] + th[7]
            p_with_gen = p_cool if f_used < 1.0 else 0.0
            d = dispatch(
                lo * (p_it + p_ups) + p_cool,
                p_re,
                grid_up,
                gen_frac,
                soc0,
                soc_ups0,
                p_with_gen,
                plant,
                lim[0],
                lim[1],
                lim[2],
                exp_cap,
            )
            unmet_trip = (1.0 - lo) * (p_it + p_ups)
            served = lo - d[9] / (p_it + p_ups)
        (pv_load, curt, b_ch, b_dis, g_imp, g_exp, gen, u_dis, u_ch, unmet) = d
        # the grid transformer's losses are bought at the meter on top of the bus import
        p_xfmr = 0.0
        if grid_up:
            p_xfmr = transformer_loss_w(
                g_imp, plant[XFMR_S_RATED_W], plant[XFMR_P0_FRAC], plant[XFMR_PK_FRAC]
            )
            g_imp += p_xfmr
        unmet += unmet_trip

        soc1 = soc_update(
            soc0, plant[BESS_E_J], b_ch, b_dis, plant[BESS_ETA_C], plant[BESS_ETA_D], dt_s
        )
        soc_ups1 = soc_update(soc_ups0, plant[UPS_E_J], u_ch, u_dis, 1.0, 1.0, dt_s)
        # provenance of the stored energy (well-mixed store): on-site surplus
        # charges first, the rest came from the grid with its carbon-free share
        ch_grid = max(b_ch - max(p_re - pv_load, 0.0), 0.0)
        frac_re0 = state[S_BESS_RE_FRAC]
        frac_cfe0 = state[S_BESS_CFE_FRAC]
        e_left_j = max(soc0 * plant[BESS_E_J] - b_dis / plant[BESS_ETA_D] * dt_s, 0.0)
        e_in_j = plant[BESS_ETA_C] * b_ch * dt_s
        e_in_re_j = plant[BESS_ETA_C] * (b_ch - ch_grid) * dt_s
        e_in_cfe_j = e_in_re_j + plant[BESS_ETA_C] * ch_grid * sig[k, SIG_CF] * dt_s
        if e_left_j + e_in_j > 0.0:
            state[S_BESS_RE_FRAC] = (frac_re0 * e_left_j + e_in_re_j) / (e_left_j + e_in_j)
            state[S_BESS_CFE_FRAC] = (frac_cfe0 * e_left_j + e_in_cfe_j) / (e_left_j + e_in_j)
        state[S_E_RE_J] += p_re * dt_s
        state[S_E_EXPORT_J] += g_exp * dt_s

        o = out[k]
        o[O_P_IT_W] = served * p_it
        o[O_P_UPS_LOSS_W] = served * p_ups
        o[O_P_COOLING_W] = p_cool
        o[O_P_CHILLER_W] = th[4]
        o[O_P_TOWER_FAN_W] = th[5]
        o[O_P_PUMPS_W] = th[6]
        o[O_P_AIR_FANS_W] = th[7]
        o[O_Q_AIR_W] = th[2]
        o[O_Q_LIQ_W] = th[3]
        o[O_Q_FREE_W] = th[8]
        o[O_T_AIR_C] = th[0]
        o[O_T_LIQ_C] = th[1]
        o[O_P_PV_W] = p_pv_w[k]
        o[O_P_PV_CURTAILED_W] = curt
        o[O_P_PV_TO_LOAD_W] = pv_load
        o[O_P_BESS_CHARGE_W] = b_ch
        o[O_P_BESS_DISCHARGE_W] = b_dis
        o[O_SOC_BESS] = soc1
        o[O_P_GRID_IMPORT_W] = g_imp
        o[O_P_GRID_EXPORT_W] = g_exp
        o[O_P_GENSET_W] = gen
        o[O_P_UPS_DISCHARGE_W] = u_dis
        o[O_P_UPS_CHARGE_W] = u_ch
        o[O_P_UNMET_W] = unmet
        o[O_VDOT_WATER_M3_S] = th[9]
        o[O_ECON_MODE] = th[10]
        o[O_GRID_UP] = 1.0 if grid_up else 0.0
        o[O_Q_IT_HEAT_W] = served * (p_it + f_hall * p_ups)
        o[O_COOLING_ON] = 1.0 if plant_on else 0.0
        o[O_P_WIND_W] = p_wind
        o[O_P_BESS_CHARGE_GRID_W] = ch_grid
        o[O_P_BESS_DIS_RE_W] = b_dis * frac_re0
        o[O_P_BESS_DIS_CFE_W] = b_dis * frac_cfe0
        supply = p_re + g_imp + gen + b_dis + u_dis
        o[O_P_XFMR_LOSS_W] = p_xfmr
        demand = served * (p_it + p_ups) + p_cool + b_ch + u_ch + g_exp + curt + p_xfmr
        o[O_BALANCE_W] = supply - demand

        unmet_before = state[S_UNMET]
        state[S_T_AIR_C] = th[0]
        state[S_T_LIQ_C] = th[1]
        state[S_SOC_BESS] = soc1
        state[S_SOC_UPS] = soc_ups1
        state[S_UNMET] = 1.0 if unmet > 0.0 else 0.0
        state[S_ECON_AIR] = 1.0 if ctl[0] else 0.0
        state[S_ECON_LIQ] = 1.0 if ctl[1] else 0.0

        if not (
            math.isfinite(th[0])
            and math.isfinite(th[1])
            and math.isfinite(soc1)
            and math.isfinite(p_cool)
        ):
            return k + 1, ST_NONFINITE
        if th[0] > plant[T_AIR_LIMIT_C] >= t_air0:
            return k + 1, ST_INLET_HIGH
        if th[1] > plant[T_LIQ_LIMIT_C] >= t_liq0:
            return k + 1, ST_LIQUID_HIGH
        if b_dis > 0.0 and soc1 <= plant[BESS_SOC_MIN] + _SOC_EPS < soc0:
            return k + 1, ST_BESS_EMPTY
        if unmet > 0.0 and unmet_before == 0.0:
            return k + 1, ST_UNMET
    return k1, ST_DONE
