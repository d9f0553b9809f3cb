"""The interval integrator: all physics between two exogenous events.

Between two SimPy events the exogenous inputs are constant (rack utilisation,
grid availability, chillers in service); weather varies per step. This kernel
advances every step of the interval in one compiled loop:

1. IT power of each rack group at its utilisation, with the inlet-temperature
   uplift on the air-cooled share, and the UPS losses (:mod:`kernels.it_load`);
2. the two thermal nodes, hall air and liquid loop, each cooled up to its
   loop's capacity (:mod:`kernels.room`, :mod:`kernels.water_cooled`);
3. the cooling plant's power and water for the heat actually removed;
4. the electrical dispatch (:mod:`kernels.supply`). If the supplies cannot
   carry IT plus cooling, the cooling plant is shed first (IT sits behind the
   UPS, chillers do not) and the step is recomputed with the plant off; if IT
   itself cannot be carried, the unserved share releases no heat. While the plant
   has no power, the liquid loop's pumps are on the UPS or the liquid-cooled IT trips
   (``ups.carries_liquid_pumps``, :func:`kernels.outage.liquid_flow`);
5. IT protection: while the hall air or the liquid loop is above the trip
   temperature, the IT equipment is off (its demand is unmet, it releases no
   heat) until the plant brings the temperature back.

It stops early after a step in which a threshold is crossed (inlet or liquid
above its limit, battery or UPS battery empty, unmet load starting) and reports the
step and the reason, so the engine can raise the matching SimPy event; it writes into
the state how long before the step's end each limit was crossed (the RC node's exact
solution, no split: a limit changes no physics) and unmet load began, so the alarm is
stamped at its own time (:mod:`kernels.crossings`). In an outage,
a store that would reach its floor inside a step (:func:`kernels.outage.split_s`, closed form
for the step's constant discharge power) stops it before the step is written, with
the internal status ``ST_SPLIT`` and the time in ``state[S_SPLIT_S]``:
:mod:`kernels.span` integrates the part before (the store carries) and the part
after (shed or unmet) separately, so the store empties at its own time. Pure: arrays in,
arrays out, no allocation in the loop.

:func:`integrate_interval` reads as that list: IT load and UPS losses
(:func:`_it_load`), the plant's powered share (:func:`_plant_share`), the thermal
step, the dispatch, shedding and the trip (:mod:`kernels.step_thermal`), then the
metered flows, the batteries, the output row, the state and the stop tests
(:func:`_metered`, :func:`_stores`, :func:`_write_row`, :func:`_carry`,
:func:`kernels.crossings.stop_status`).

What does not change inside a step is computed once per step: the loops' capacities
(:func:`kernels.step_thermal.loop_capacities`, from the outdoor air, the chillers in
service and the controls) serve the normal step, the shed plant and the IT trip; the
trip's bisection steps only the two RC nodes (:func:`kernels.step_thermal.rc_nodes`) and
the plant's power is computed for the share it finds. The loop rows and the nodes'
parameters are read once per interval.

Items 1 to 3 are the step's *demand half* (:func:`demand_step`): a pure function of the
demand-side parameters and of a short key (node temperatures and economizer flags at the
step's start, the plant's powered share, the step, chillers, outdoor air, utilisation). A
batch of scenarios that differ only in their supply computes it once and replays it where
the key matches bit for bit (:mod:`kernels.memo`, ``memo`` and ``memo_mode``); a single run
passes ``memo=None`` and numba compiles it without that code.

The engine and the batch call it through :func:`kernels.span.integrate_span`, which
takes exact times and integrates the parts of a step on either side of an event.
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.cdu import loop_tcs_supply_c
from kernels.crossings import cross_back, stop_status, trip_at_s
from kernels.electrical import transformer_loss_w, ups_loss_curve_w
from kernels.it_load import inlet_uplift_frac, rack_group_power_w, ups_loss_w
from kernels.layout import (
    AIR,
    BESS_E_J,
    BESS_ETA_C,
    BESS_ETA_D,
    BESS_GRID_FORMING,
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
    O_P_SHED_W,
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
    O_T_AIR_PEAK_C,
    O_T_LIQ_C,
    O_T_LIQ_PEAK_C,
    O_T_TCS_C,
    O_T_TCS_PEAK_C,
    O_VDOT_WATER_M3_S,
    S_BESS_CFE_FRAC,
    S_BESS_RE_FRAC,
    S_E_EXPORT_J,
    S_E_RE_J,
    S_ECON_AIR,
    S_ECON_LIQ,
    S_SCHED_LEFT_J,
    S_SOC_BESS,
    S_SOC_UPS,
    S_SPLIT_S,
    S_STEP_LEFT_S,
    S_T_AIR_C,
    S_T_LIQ_C,
    S_UNMET,
    SIG_BESS_W,
    SIG_CF,
    SIG_WIND_W,
    ST_DONE,
    ST_SPLIT,
    T_AIR_SET_C,
    T_LIQ_SET_C,
    T_TRIP_C,
    UPS_CARRIES_COOLING,
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
from kernels.memo import MEMO_RECORD, MEMO_REPLAY, memo_hit, memo_load, memo_store
from kernels.outage import SOC_EPS as _SOC_EPS
from kernels.outage import liquid_flow, plant_with_genset_w, split_s
from kernels.policy import BIG_W, policy_limits, schedule_band_w
from kernels.step_thermal import (
    D_UNMET,
    TH_ECON_MODE,
    TH_P_AIR_FANS,
    TH_P_CHILLER,
    TH_P_PUMPS,
    TH_P_TOWER_FAN,
    TH_Q_AIR,
    TH_Q_FREE,
    TH_Q_LIQ,
    TH_T_AIR,
    TH_T_LIQ,
    TH_VDOT_WATER,
    above_trip,
    cooling_power_w,
    loop_capacities,
    loop_controls,
    shed_plant,
    thermal_step,
    trip_inside_step,
    with_liquid_pumps,
)
from kernels.storage import soc_update
from kernels.supply import (
    bess_islanded_share,
    dispatch,
    genset_available_frac,
    pv_islanded_share,
)


@njit(inline="always")  # as a call (LLVM keeps it one), the step loop ran 4-14 % slower
def _it_load(plant, groups, u_groups, t_air0, t_liq0):
    """IT power of the rack groups and the UPS losses (module docstring, 1 and 5).

    Returns ``(p_air_it, p_liq_it, p_it, p_ups, unmet_trip)`` [W]: the air-cooled
    share with the inlet-temperature uplift, the liquid-cooled share, their sum,
    the UPS losses; while a node is at or above the trip temperature, all four
    are 0 and ``unmet_trip`` is the demand of the IT switched off.
    """
    uplift = inlet_uplift_frac(t_air0, plant[IT_TEMP_REF_C], plant[IT_TEMP_COEF_PER_K])
    p_air_it = 0.0
    p_liq_it = 0.0
    for g in range(groups.shape[0]):
        p_g = rack_group_power_w(
            groups[g, G_N_RACKS], groups[g, G_P_PEAK_W], groups[g, G_IDLE_FRAC], u_groups[g]
        )
        lf = groups[g, G_LIQUID_FRAC]
        p_air_it += p_g * (1.0 - lf) * uplift
        p_liq_it += p_g * lf
    p_it = p_air_it + p_liq_it
    p_rated = plant[UPS_P_RATED_W]
    a0, a1, a2, eta = plant[UPS_LOSS_A0], plant[UPS_LOSS_A1], plant[UPS_LOSS_A2], plant[UPS_ETA]
    t_trip = plant[T_TRIP_C]
    if p_rated > 0.0:
        p_ups = ups_loss_curve_w(p_it, p_rated, a0, a1, a2)
    else:
        p_ups = ups_loss_w(p_it, eta)
    if t_air0 >= t_trip or t_liq0 >= t_trip:
        return 0.0, 0.0, 0.0, 0.0, p_it + p_ups
    return p_air_it, p_liq_it, p_it, p_ups, 0.0


@njit
def _plant_share(plant, grid_up, outage_elapsed_s, soc0, soc_ups0):
    """The genset's on-line share of the step and the share with power for the plant.

    The cooling plant is not on the UPS unless ``plant[UPS_CARRIES_COOLING]``: in an
    outage it restarts on the genset, or runs on the battery while the battery holds
    charge, or on the UPS battery while it holds charge when the plant is on the UPS.
    """
    genset_w, delay_s, dt_s = plant[GENSET_W], plant[GENSET_DELAY_S], plant[DT_S]
    bess_e_j, soc_min = plant[BESS_E_J], plant[BESS_SOC_MIN]
    gen_frac = 0.0
    f_on = 1.0
    if not grid_up:
        if genset_w > 0.0:
            gen_frac = genset_available_frac(outage_elapsed_s, delay_s, dt_s)
        f_on = gen_frac
        if bess_e_j > 0.0 and soc0 > soc_min + _SOC_EPS and plant[BESS_GRID_FORMING] > 0.0:
            f_on = 1.0
        if plant[UPS_CARRIES_COOLING] > 0.0 and plant[UPS_E_J] > 0.0 and soc_ups0 > _SOC_EPS:
            f_on = 1.0
    return gen_frac, f_on


@njit
def _export_cap_w(plant, state, p_re_w):
    """Export allowed in the step by the cap on cumulative export / on-site production [W]."""
    share_max, dt_s = plant[EXPORT_SHARE_MAX], plant[DT_S]
    e_re_j, e_export_j = state[S_E_RE_J], state[S_E_EXPORT_J]
    exp_cap = BIG_W
    if share_max < 1.0:
        allowed_j = share_max * (e_re_j + p_re_w * dt_s)
        exp_cap = max(allowed_j - e_export_j, 0.0) / dt_s
    return exp_cap


@njit
def _onsite(plant, sig_k, p_pv_w, grid_up, gen_frac):
    """On-site renewable power of the step [W]: PV (stopped in an island that nothing
    forms, :func:`kernels.supply.pv_islanded_share`), wind (``sig_k[SIG_WIND_W]``) and
    their sum."""
    p_wind = sig_k[SIG_WIND_W]
    p_pv = p_pv_w
    if not grid_up:
        p_pv *= pv_islanded_share(plant, gen_frac)
    return p_pv, p_wind, p_pv + p_wind


@njit
def _caps(plant, state, sig_k, p_load_w, bus):
    """The step's fixed limits of :func:`kernels.supply.dispatch` after ``plant``: the
    battery policy's limits (:func:`kernels.policy.policy_limits`, with the scheduled
    band of :func:`kernels.policy.schedule_band_w`), the export cap and the battery's
    islanded share (:func:`kernels.supply.bess_islanded_share`). ``sig_k``: the step's
    row of ``sig``; ``p_load_w``: IT, UPS losses and plant [W]; ``bus``: as in
    :func:`integrate_interval`, ``(p_re, grid_up, gen_frac, soc0, soc_ups0)``."""
    p_re, grid_up, gen_frac, soc0, _ = bus
    band = schedule_band_w(
        plant, sig_k[SIG_BESS_W], state[S_SCHED_LEFT_J], state[S_STEP_LEFT_S], plant[DT_S]
    )
    lim = policy_limits(plant, sig_k, p_load_w, p_re, state[S_BESS_CFE_FRAC], soc0, band)
    isl = 1.0 if grid_up else bess_islanded_share(plant, gen_frac)
    return (*lim, _export_cap_w(plant, state, p_re), isl)


@njit
def _metered(plant, grid_up, d, unmet_trip):
    """The flows of the dispatch *d*, with the grid transformer's losses bought at the
    meter on top of the bus import and the tripped IT in the unmet load; and those
    losses [W]."""
    s_rated_w, p0_frac, pk_frac = plant[XFMR_S_RATED_W], plant[XFMR_P0_FRAC], plant[XFMR_PK_FRAC]
    pv_load, curt, b_ch, b_dis, g_imp, g_exp, gen, u_dis, u_ch, unmet = d
    p_xfmr = 0.0
    if grid_up:
        p_xfmr = transformer_loss_w(g_imp, s_rated_w, p0_frac, pk_frac)
        g_imp += p_xfmr
    unmet += unmet_trip
    return (pv_load, curt, b_ch, b_dis, g_imp, g_exp, gen, u_dis, u_ch, unmet), p_xfmr


@njit
def _stores(plant, state, cf, p_re, flows, soc0, soc_ups0):
    """Both batteries at the end of the step, and the provenance of the stored energy.

    Updates the renewable and carbon-free shares of the battery's energy in
    *state* (well-mixed store: on-site surplus charges first, the rest came from
    the grid with its carbon-free share ``cf``) and the cumulative production and
    export. Returns the states of charge of the battery and of the UPS battery
    [-], and ``(grid part of the charge [W], renewable share, carbon-free share
    of the energy stored at the start of the step [-])``.
    """
    dt_s, e_bess_j, e_ups_j = plant[DT_S], plant[BESS_E_J], plant[UPS_E_J]
    eta_c, eta_d = plant[BESS_ETA_C], plant[BESS_ETA_D]
    pv_load, _, b_ch, b_dis, _, g_exp, _, u_dis, u_ch, _ = flows
    soc1 = soc_update(soc0, e_bess_j, b_ch, b_dis, eta_c, eta_d, dt_s)
    soc_ups1 = soc_update(soc_ups0, e_ups_j, u_ch, u_dis, 1.0, 1.0, dt_s)
    ch_grid = max(b_ch - max(p_re - pv_load, 0.0), 0.0)
    frac_re0 = state[S_BESS_RE_FRAC]
    frac_cfe0 = state[S_BESS_CFE_FRAC]
    e_left_j = max(soc0 * e_bess_j - b_dis / eta_d * dt_s, 0.0)
    e_in_j = eta_c * b_ch * dt_s
    e_in_re_j = eta_c * (b_ch - ch_grid) * dt_s
    e_in_cfe_j = e_in_re_j + eta_c * ch_grid * cf * dt_s
    frac_re1 = frac_re0
    frac_cfe1 = frac_cfe0
    if e_left_j + e_in_j > 0.0:
        frac_re1 = (frac_re0 * e_left_j + e_in_re_j) / (e_left_j + e_in_j)
        frac_cfe1 = (frac_cfe0 * e_left_j + e_in_cfe_j) / (e_left_j + e_in_j)
    state[S_BESS_RE_FRAC] = frac_re1
    state[S_BESS_CFE_FRAC] = frac_cfe1
    state[S_E_RE_J] += p_re * dt_s
    state[S_E_EXPORT_J] += g_exp * dt_s
    return soc1, soc_ups1, (ch_grid, frac_re0, frac_cfe0)


@njit
def _write_tcs(o, lp_liq, t_liq_c, q_liq_w, shares, t_tcs_c):
    """The rack-coolant (TCS) supply of the step's row *o*: the facility water at the end
    of the step plus the CDU approach at the heat the liquid racks release in it
    (:func:`kernels.cdu.loop_tcs_supply_c`). ``q_liq_w``: their heat [W], per unit of the
    served share after a shed (:func:`kernels.step_thermal.shed_plant`); ``shares`` =
    (served share, unmet demand of an IT trip [W], IT + UPS demand [W]): the racks release
    ``served × q_liq_w``, or after a trip inside the step the share the bisection found,
    ``1 − unmet / demand`` (:func:`kernels.step_thermal.trip_inside_step`). ``t_tcs_c``:
    the supply :func:`demand_step` found with all IT served, NaN after a shed or a trip
    inside the step (then computed here)."""
    if math.isnan(t_tcs_c):
        served, unmet_trip_w, p_it_ups_w = shares
        f = served
        if unmet_trip_w > 0.0 and p_it_ups_w > 0.0:
            f = max(1.0 - unmet_trip_w / p_it_ups_w, 0.0)
        t_tcs_c = loop_tcs_supply_c(lp_liq, t_liq_c, f * q_liq_w)
    o[O_T_TCS_C] = t_tcs_c
    o[O_T_TCS_PEAK_C] = t_tcs_c


@njit
def _write_row(o, th, flows, p_cool, it, onsite, p_xfmr, soc1, src, grid_up, plant_on):
    """The step's row *o* of ``out``.

    ``flows``: as :func:`_metered`; ``it`` = (served share of IT, IT power, UPS
    losses, share of the UPS losses released into the hall); ``onsite`` = (PV,
    wind power available); ``src``: as :func:`_stores`.
    """
    pv_load, curt, b_ch, b_dis, g_imp, g_exp, gen, u_dis, u_ch, unmet = flows
    served, p_it, p_ups, f_hall = it
    p_pv, p_wind = onsite
    ch_grid, frac_re0, frac_cfe0 = src
    o[O_P_IT_W] = served * p_it
    o[O_P_UPS_LOSS_W] = served * p_ups
    o[O_P_COOLING_W] = p_cool
    o[O_P_CHILLER_W] = th[TH_P_CHILLER]
    o[O_P_TOWER_FAN_W] = th[TH_P_TOWER_FAN]
    o[O_P_PUMPS_W] = th[TH_P_PUMPS]
    o[O_P_AIR_FANS_W] = th[TH_P_AIR_FANS]
    o[O_Q_AIR_W] = th[TH_Q_AIR]
    o[O_Q_LIQ_W] = th[TH_Q_LIQ]
    o[O_Q_FREE_W] = th[TH_Q_FREE]
    o[O_T_AIR_C] = th[TH_T_AIR]
    o[O_T_LIQ_C] = th[TH_T_LIQ]
    o[O_T_AIR_PEAK_C] = th[TH_T_AIR]
    o[O_T_LIQ_PEAK_C] = th[TH_T_LIQ]
    o[O_P_PV_W] = p_pv
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
    o[O_VDOT_WATER_M3_S] = th[TH_VDOT_WATER]
    o[O_ECON_MODE] = th[TH_ECON_MODE]
    o[O_GRID_UP] = 1.0 if grid_up else 0.0
    o[O_Q_IT_HEAT_W] = served * (p_it + f_hall * p_ups)
    o[O_COOLING_ON] = 1.0 if plant_on else 0.0
    o[O_P_WIND_W] = p_wind
    o[O_P_BESS_CHARGE_GRID_W] = ch_grid
    o[O_P_BESS_DIS_RE_W] = b_dis * frac_re0
    o[O_P_BESS_DIS_CFE_W] = b_dis * frac_cfe0
    supply = p_pv + p_wind + g_imp + gen + b_dis + u_dis
    o[O_P_XFMR_LOSS_W] = p_xfmr
    demand = served * (p_it + p_ups) + p_cool + b_ch + u_ch + g_exp + curt + p_xfmr
    o[O_BALANCE_W] = supply - demand


@njit
def _carry(state, th, soc1, soc_ups1, unmet, ctl):
    """Update the state carried to the next step; return the previous unmet flag."""
    econ_air, econ_liq, _, _ = ctl
    unmet_before = state[S_UNMET]
    state[S_T_AIR_C] = th[TH_T_AIR]
    state[S_T_LIQ_C] = th[TH_T_LIQ]
    state[S_SOC_BESS] = soc1
    state[S_SOC_UPS] = soc_ups1
    state[S_UNMET] = 1.0 if unmet > 0.0 else 0.0
    state[S_ECON_AIR] = 1.0 if econ_air else 0.0
    state[S_ECON_LIQ] = 1.0 if econ_liq else 0.0
    return unmet_before


@njit(inline="always")
def demand_step(plant, loops, lps, rc, groups, u_groups, state, air, f_on):
    """The demand half of a step (module docstring, 1 to 3; :mod:`kernels.memo`).

    IT power and UPS losses (:func:`_it_load`), the liquid loop while the plant has no
    power (:func:`kernels.outage.liquid_flow`), the loops' controls and capacities and
    the thermal step with the plant's power and water, for the plant's powered share
    ``f_on`` of :func:`_plant_share`. ``lps``, ``rc``: as in :func:`integrate_interval`;
    ``air`` = (outdoor dry bulb, wet bulb [°C], chillers in service in the air and liquid
    loops [-]). Reads of ``state`` only the node temperatures and economizer flags.

    Returns ``(loads, ctl, cap, th)``: ``loads`` = (IT air-cooled share, liquid-cooled
    share, IT, UPS losses, unmet demand of tripped IT, liquid pumps on the UPS, unmet
    demand of liquid IT without flow, heat into the hall air [W], rack-coolant supply with
    all IT served [°C]); ``ctl``, ``cap``, ``th``
    as :func:`kernels.step_thermal.thermal_step` takes and returns them.
    """
    t_db_c, t_wb_c, n_air, n_liq = air
    t_air0, t_liq0 = state[S_T_AIR_C], state[S_T_LIQ_C]
    p_air_it, p_liq_it, p_it, p_ups, unmet_trip = _it_load(plant, groups, u_groups, t_air0, t_liq0)
    # the liquid loop while the plant has no power (kernels.outage.liquid_flow) [W]
    p_lp, q_lp, loss_lp, unmet_nf = 0.0, 0.0, 0.0, 0.0
    if f_on < 1.0 and p_liq_it > 0.0:
        p_liq_it, p_it, p_ups, p_lp, q_lp, loss_lp, unmet_nf = liquid_flow(
            plant, loops, p_air_it, p_liq_it, p_ups, f_on
        )
    q_air = p_air_it + plant[UPS_LOSS_TO_HALL] * (p_ups + loss_lp)  # heat into the hall air [W]
    ctl = loop_controls(lps, state, t_db_c, t_wb_c, q_air, p_liq_it)
    env = (t_air0, t_liq0, t_db_c, t_wb_c, n_air, n_liq, ctl)
    cap = (0.0, 0.0)
    if f_on > 0.0:  # computed once, reused by the trip's bisection
        cap = loop_capacities(lps[0], lps[1], env)
    th = thermal_step(rc, lps, env, q_air, p_liq_it + q_lp, f_on, cap)
    if p_lp > 0.0:
        th = with_liquid_pumps(th, p_lp)
    # the rack coolant behind the CDUs while all IT runs (:func:`_write_tcs`, served 1)
    t_tcs_c = loop_tcs_supply_c(lps[1], th[TH_T_LIQ], p_liq_it)
    loads = (p_air_it, p_liq_it, p_it, p_ups, unmet_trip, p_lp, unmet_nf, q_air, t_tcs_c)
    return loads, ctl, cap, th


@njit(inline="always")
def _shared_demand(plant, loops, lps_rc, groups, u_groups, state, air, f_on, memo, k, memo_mode):
    """:func:`demand_step`, or the half recorded in ``memo[k]`` when its key is this step's
    bit for bit (``MEMO_REPLAY``); recorded there with its key under ``MEMO_RECORD``
    (:mod:`kernels.memo`). ``lps_rc`` = (``lps``, ``rc``) of :func:`integrate_interval`.
    Without a memo (None: a single run) numba compiles the first branch alone."""
    lps, rc = lps_rc
    if memo is None:
        return demand_step(plant, loops, lps, rc, groups, u_groups, state, air, f_on)
    t_db_c, t_wb_c, n_air, n_liq = air
    dt_s = rc[5]
    if memo_mode == MEMO_REPLAY and memo_hit(
        memo[k], state, f_on, dt_s, n_air, n_liq, t_db_c, t_wb_c, u_groups
    ):
        return memo_load(memo[k])
    half = demand_step(plant, loops, lps, rc, groups, u_groups, state, air, f_on)
    if memo_mode == MEMO_RECORD:
        memo_store(memo[k], (state, f_on, dt_s, n_air, n_liq, t_db_c, t_wb_c, u_groups), half)
    return half


@njit
def integrate_interval(
    k0, k1, plant, loops, groups, u_groups, grid_up, outage_elapsed_s, n_air, n_liq,
    t_db_c, t_wb_c, p_pv_w, state, out, sig, memo, memo_mode,
):  # fmt: skip
    """Advance steps ``k0 … k1-1``; stop early after a threshold crossing.

    Parameters
    ----------
    k0, k1 : int
        First step and one past the last step of the interval.
    plant, loops, groups : ndarray (N_PLANT,), (2, N_LOOP), (G, N_GROUP)
        Scalar, cooling-loop (air, liquid) and rack-group parameters, see
        :mod:`kernels.layout`.
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
    state, out : ndarray (N_STATE,), (n_steps, N_OUT)
        Updated in place; ``out`` from row ``k0`` on.
    sig : ndarray (n_steps, N_SIG)
        Per-step supply signals (grid price, carbon, carbon-free share,
        dispatch thresholds and schedule, wind power; ``SIG_*`` of
        :mod:`kernels.layout`). The battery follows ``plant[DISPATCH_POLICY]``
        (:mod:`kernels.policy`); wind adds to PV as on-site renewable supply.
    memo : ndarray (n_steps, W) or None
        Rows of the demand half shared in a batch (:mod:`kernels.memo`), read only as
        ``memo_mode`` says (None in a single run: that specialisation has no memo code): ``MEMO_OFF`` (no rows needed), ``MEMO_RECORD`` (each step
        writes its row), ``MEMO_REPLAY`` (a step whose key matches its row, bit for bit,
        takes the recorded half instead of :func:`demand_step`).
    memo_mode : int
        ``MEMO_*`` of :mod:`kernels.memo`.

    Returns
    -------
    k_next : int
        First step not yet integrated.
    status : int
        ``ST_*`` code of :mod:`kernels.layout`, or ``ST_NONFINITE``.
    """
    dt_s = plant[DT_S]
    f_hall = plant[UPS_LOSS_TO_HALL]
    t_trip = plant[T_TRIP_C]
    # constant over the interval: the loop rows and the nodes' parameters
    lps = (loops[AIR], loops[LIQUID])
    rc = (
        plant[T_AIR_SET_C], plant[HALL_C_J_K], plant[HALL_UA_W_K],
        plant[T_LIQ_SET_C], plant[LIQ_C_J_K], dt_s,
    )  # fmt: skip
    for k in range(k0, k1):
        t_air0, t_liq0 = state[S_T_AIR_C], state[S_T_LIQ_C]
        soc0, soc_ups0 = state[S_SOC_BESS], state[S_SOC_UPS]
        elapsed_s = outage_elapsed_s + (k - k0) * dt_s
        gen_frac, f_on = _plant_share(plant, grid_up, elapsed_s, soc0, soc_ups0)
        t_db_k, t_wb_k = t_db_c[k], t_wb_c[k]
        air = (t_db_k, t_wb_k, n_air, n_liq)
        loads, ctl, cap, th = _shared_demand(
            plant, loops, (lps, rc), groups, u_groups, state, air, f_on, memo, k, memo_mode
        )
        p_air_it, p_liq_it, p_it, p_ups, unmet_trip, p_lp, unmet_nf, q_air, t_tcs_c = loads
        p_it_ups = p_it + p_ups
        served = 1.0
        plant_on = f_on > 0.0
        env = (t_air0, t_liq0, t_db_k, t_wb_k, n_air, n_liq, ctl)
        p_cool = cooling_power_w(th)
        p_pv, p_wind, p_re = _onsite(plant, sig[k], p_pv_w[k], grid_up, gen_frac)
        bus = (p_re, grid_up, gen_frac, soc0, soc_ups0)  # dispatch() arguments fixed in the step
        caps = _caps(plant, state, sig[k], p_it_ups + p_cool, bus)
        p_with_gen = plant_with_genset_w(p_cool, p_lp, f_on)
        d = dispatch(p_it_ups + p_cool, *bus, p_with_gen, plant, *caps)
        if (not grid_up or unmet_trip > 0.0) and state[S_SPLIT_S] >= 0.0:
            load = (p_it_ups, p_cool, p_with_gen)
            t_cut_s = split_s(plant, loops, env, grid_up, unmet_trip > 0.0, f_on, load, bus, caps)
            if t_cut_s > 0.0:  # a store runs out, or tripped IT may restart, inside the step
                state[S_SPLIT_S] = t_cut_s
                return k, ST_SPLIT  # nothing of step k written: kernels.span splits it
        shed = (0.0, 0.0, 0.0, 0.0)
        q_liq = p_liq_it
        if d[D_UNMET] > 0.0:
            plant_on = False
            p_cool = 0.0
            it_heat = (p_air_it, p_liq_it, p_ups, f_hall)
            th, d, served, q_air, q_liq, shed = shed_plant(
                plant, rc, lps, env, bus, caps, it_heat, groups, u_groups
            )
            t_tcs_c = math.nan  # computed again by _write_tcs
        trips_inside = unmet_trip == 0.0 and above_trip(th, t_trip) and served > 0.0
        # when unmet load began, and the nodes' path that times the alarms: the full heat's
        unmet_at_s, t1s = trip_at_s(plant, th, (t_air0, t_liq0), t_trip, served, trips_inside)
        if trips_inside:
            f_used = f_on if plant_on else 0.0
            th, d, p_cool, unmet_trip, served = trip_inside_step(
                plant, rc, lps, env, bus, caps, q_air, q_liq, p_it_ups, served, f_used, t_trip,
                cap,
            )  # fmt: skip
            t_tcs_c = math.nan
        flows, p_xfmr = _metered(plant, grid_up, d, unmet_trip + unmet_nf)
        soc1, soc_ups1, src = _stores(plant, state, sig[k, SIG_CF], p_re, flows, soc0, soc_ups0)
        it = (served, p_it, p_ups, f_hall)
        onsite = (p_pv, p_wind)
        _write_row(out[k], th, flows, p_cool, it, onsite, p_xfmr, soc1, src, grid_up, plant_on)
        for j in range(4):  # one column per priority level (N_PRIORITY = 4)
            out[k, O_P_SHED_W + j] = shed[j]
        _write_tcs(out[k], lps[1], th[TH_T_LIQ], q_liq, (served, unmet_trip, p_it_ups), t_tcs_c)
        unmet_before = _carry(state, th, soc1, soc_ups1, flows[D_UNMET], ctl)
        socs = (soc0, soc1, soc_ups0, soc_ups1)
        status = stop_status(plant, th, p_cool, t_air0, t_liq0, socs, flows, unmet_before)
        if status != ST_DONE:
            cross_back(plant, state, (t_air0, t_liq0), t1s, unmet_at_s)  # NaN: -1, harmless
            return k + 1, status
    return k1, ST_DONE
