"""Compile a validated :class:`~twin.scenario.model.Scenario` into kernel arrays.

This is where design choices that follow from the scenario are made once:
loop design loads, number of chillers (N + redundancy), tower, pump and fan
design powers, thermal capacities, storage sizes. The kernels then see only
plain float arrays (:mod:`kernels.layout`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kernels import layout as L
from kernels.it_load import IT_TEMP_COEF_PER_K, IT_TEMP_REF_C
from kernels.movers import (
    CDU_PUMP_MOTOR_EFF,
    COND_MIN_FLOW_FRAC,
    COND_PUMP_ETA_TOTAL,
    COND_PUMP_HEAD_PA,
    CW_PUMP_ETA_TOTAL,
    CW_PUMP_HEAD_PA,
    CW_PUMP_MOTOR_EFF,
    FAN_MOTOR_IN_AIRSTREAM_FRAC,
    PUMP_IMPELLER_EFF,
    PUMP_MOTOR_LOSS_TO_FLUID_FRAC,
    VAV_FAN_DP_PA,
    VAV_FAN_ETA_TOTAL,
    VAV_FAN_MIN_FLOW_FRAC,
    VAV_FAN_MOTOR_EFF,
    fan_design_power_w,
    mover_heat_w,
    pump_design_power_w,
)
from kernels.psychro import AIR_CP_J_KG_K, AIR_DENSITY_KG_M3
from kernels.tower import WATER_CP_J_KG_K, WATER_DENSITY_KG_M3, tower_design_fan_power_w
from kernels.tower_water import (
    TOWER_BLOWDOWN_CONC_RATIO,
    TOWER_DRIFT_PCT,
    tower_design_air_flow_m3_s,
)
from twin.scenario.ashrae import ASHRAE_AIR_MAX_C, ASHRAE_LIQUID_MAX_C
from twin.scenario.cooling import (
    CoolingConfig,
    LoopConfig,
    free_cooling_on,
    water_energy_kwh_per_m3,
)
from twin.scenario.model import Scenario
from twin.scenario.plant_library import load_chiller
from twin.sim.compile_plant import (
    apply_air_economizer,
    apply_controls,
    apply_plant,
    site_pressure_pa,
    write_chiller,
)

#: Specific heat of carbon steel, the bulk of a rack's mass [J/(kg K)]
#: (Incropera, Fundamentals of Heat and Mass Transfer, Table A.1, AISI 1010).
CP_STEEL_J_KG_K = 434.0
#: IT protective shutdown [°C]: no ASHRAE class allows more than 45 °C, air
#: inlet (A4) or facility water supply (W45) (ASHRAE TC 9.9, 2021). Assumption:
#: equipment shuts itself down there (its own trip points are vendor data, not
#: published per class); the ride-through to it is the ``*_it_trip_min`` KPIs.
IT_TRIP_C = 45.0


@dataclass(frozen=True)
class Design:
    """What the scenario compiled to: arrays for the kernels plus design facts."""

    plant: np.ndarray
    loops: np.ndarray
    groups: np.ndarray
    n_chillers: tuple[int, int]
    q_design_w: tuple[float, float]
    p_it_peak_w: float
    group_names: tuple[str, ...]
    t_air_limit_c: float
    t_liq_limit_c: float


def cdu_pump_design_w(c: CoolingConfig, q_liq_design_w: float) -> float:
    """Design power of the CDU pumps of the liquid racks [W]: the rack-loop flow per kW
    against the CDU's head (``cooling.cdu_*``, :data:`kernels.movers.CDU_FLOW_LPM_PER_KW`)."""
    vdot_m3_s = c.cdu_flow_lpm_per_kw * q_liq_design_w / 1e3 / 60e3
    eta = CDU_PUMP_MOTOR_EFF * PUMP_IMPELLER_EFF
    return pump_design_power_w(vdot_m3_s, c.cdu_pump_head_kpa * 1e3, eta)


def apply_cdu(row: np.ndarray, c: CoolingConfig, q_liq_design_w: float) -> None:
    """The CDU exchanger of the liquid loop row (:mod:`kernels.cdu`): its design approach
    and the rack-side design capacity rate, ``ρ c_p`` times the CDU pumps' design flow
    (``cooling.cdu_flow_lpm_per_kw`` per kW of the loop's design heat, as
    :func:`cdu_pump_design_w`) [W/K]."""
    vdot_m3_s = c.cdu_flow_lpm_per_kw * q_liq_design_w / 1e3 / 60e3
    row[L.L_CDU_APPROACH_K] = c.cdu_approach_k
    row[L.L_CDU_C_TCS_W_K] = WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K * vdot_m3_s


def _loop_row(
    cfg: LoopConfig,
    q_design_w: float,
    air_fans: float,
    p_cdu_w: float,
    economizer: bool,
    p_site_pa: float,
) -> tuple[np.ndarray, int]:
    """One loop row (:mod:`kernels.layout`) and its number of chillers: hall fans and CDU
    pumps [W], whether the loop has its free-cooling stage, and the site's standard
    pressure [Pa], for the tower's air flow and the moist-air states."""
    row = np.zeros(L.N_LOOP)
    ch = load_chiller(cfg.chiller)
    q_unit = cfg.chiller_unit_kw * 1e3
    vdot_loop = q_design_w / (WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K * cfg.dt_k)
    p_pump_w = pump_design_power_w(vdot_loop, CW_PUMP_HEAD_PA, CW_PUMP_ETA_TOTAL)
    # the coils' design load: the hall's heat and the heat of the loop's own fans and pumps
    # (kernels.water_cooled.loop_movers); chillers and towers are sized for it
    q_coil_w = (
        q_design_w
        + mover_heat_w(air_fans, VAV_FAN_MOTOR_EFF, FAN_MOTOR_IN_AIRSTREAM_FRAC)
        + mover_heat_w(p_pump_w, CW_PUMP_MOTOR_EFF, PUMP_MOTOR_LOSS_TO_FLUID_FRAC)
        + mover_heat_w(p_cdu_w, CDU_PUMP_MOTOR_EFF, PUMP_MOTOR_LOSS_TO_FLUID_FRAC)
    )
    n = 0 if q_design_w <= 0 else math.ceil(q_coil_w / q_unit) + cfg.redundancy
    row[L.L_T_SUPPLY_C] = cfg.t_supply_c
    row[L.L_DT_K] = cfg.dt_k
    row[L.L_N_CHILLERS] = n
    row[L.L_Q_REF_W] = q_unit
    write_chiller(row, ch)
    row[L.L_ECONOMIZER] = 1.0 if economizer else 0.0
    row[L.L_HX_APPROACH_K] = cfg.hx_approach_k
    row[L.L_TOWER_RANGE_K] = cfg.tower_range_k
    row[L.L_Q_DESIGN_W] = q_design_w
    q_rej = q_coil_w * (1.0 + 1.0 / ch["cop_ref"])
    vdot_tower = q_rej / (WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K * cfg.tower_range_k)
    if economizer:
        # the economizer exchanger's own condenser branch, at the chilled-water design
        # flow (balanced design, kernels.water_cooled.hx_c_cond_w_k): the constant-flow
        # condenser pump and the towers carry both, so neither branch is starved
        vdot_tower += vdot_loop
    row[L.L_P_TOWER_FAN_W] = tower_design_fan_power_w(q_rej)
    row[L.L_VDOT_TOWER_M3_S] = vdot_tower
    row[L.L_VDOT_TOWER_AIR_M3_S] = tower_design_air_flow_m3_s(row[L.L_P_TOWER_FAN_W], p_site_pa)
    row[L.L_P_ATM_PA] = p_site_pa
    row[L.L_DRIFT_PCT] = TOWER_DRIFT_PCT
    row[L.L_CONC_RATIO] = TOWER_BLOWDOWN_CONC_RATIO
    row[L.L_P_PUMP_W] = p_pump_w
    row[L.L_P_PUMP_COND_W] = pump_design_power_w(vdot_tower, COND_PUMP_HEAD_PA, COND_PUMP_ETA_TOTAL)
    # condenser water (kernels.condenser.condenser_flow_frac): one running chiller's design
    # flow, the duty chillers sharing the chillers' part of the tower flow
    row[L.L_COND_VARIABLE] = 1.0 if cfg.condenser_flow == "variable" else 0.0
    row[L.L_COND_MIN_FRAC] = COND_MIN_FLOW_FRAC
    n_duty = n - cfg.redundancy
    if n_duty > 0:
        row[L.L_VDOT_COND_UNIT_M3_S] = (
            q_rej / (WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K * cfg.tower_range_k) / n_duty
        )
    row[L.L_P_FAN_W] = air_fans
    row[L.L_P_CDU_PUMP_W] = p_cdu_w
    row[L.L_FAN_MIN_FRAC] = VAV_FAN_MIN_FLOW_FRAC
    return row, n


def liquid_water_m3(c: CoolingConfig, p_liq_peak_w: float, q_liq_design_w: float) -> float:
    """Water of the liquid loop that takes up the heat after a cooling loss [m³].

    * the technology cooling system (cold plates, rack manifolds, CDU secondary):
      ``cooling.liquid_litres_per_kw`` per kW of peak liquid heat;
    * the facility-water loop: its design flow ``Q / (ρ c_p ΔT)`` times its
      circulation time ``cooling.liquid_circulation_min`` (EnergyPlus PlantLoop:
      an autocalculated loop volume is the maximum loop flow times the
      circulation time, 2 min by default; PlantManager.cc, SizePlantLoop).
    """
    tcs_m3 = c.liquid_litres_per_kw * p_liq_peak_w / 1e6
    vdot_m3_s = q_liq_design_w / (WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K * c.liquid.dt_k)
    return tcs_m3 + vdot_m3_s * c.liquid_circulation_min * 60.0


def compile_scenario(sc: Scenario) -> Design:
    """Turn a scenario into the kernel parameter arrays and design facts."""
    groups = np.zeros((len(sc.it.groups), L.N_GROUP))
    p_air_peak = p_liq_peak = 0.0
    n_racks = 0
    mass_j_k = 0.0
    ua_mass_w_k = 0.0
    t_air_limit = math.inf
    t_liq_limit = math.inf
    for i, g in enumerate(sc.it.groups):
        lf = g.liquid_frac if g.cooling == "liquid" else 0.0
        groups[i] = (g.racks, g.p_rack_peak_kw * 1e3, g.idle_frac, lf, g.priority)
        p_peak = g.racks * g.p_rack_peak_kw * 1e3
        p_air_peak += p_peak * (1.0 - lf)
        p_liq_peak += p_peak * lf
        n_racks += g.racks
        c_group_j_k = g.racks * g.it_mass_kg_per_rack * CP_STEEL_J_KG_K
        mass_j_k += c_group_j_k
        # lumped server: UA = C / tau (Erden, Khalifa & Schmidt 2014)
        ua_mass_w_k += c_group_j_k / g.it_mass_time_constant_s
        if lf < 1.0 and g.racks > 0:
            t_air_limit = min(t_air_limit, ASHRAE_AIR_MAX_C[g.ashrae_class])
        if lf > 0.0 and g.racks > 0:
            t_liq_limit = min(t_liq_limit, ASHRAE_LIQUID_MAX_C[g.liquid_class])
    p_it_peak = p_air_peak + p_liq_peak
    eta_ups = sc.it.ups_efficiency
    margin = 1.0 + sc.cooling.design_margin_frac
    # IT air share at the warmest allowed inlet, plus UPS losses, all to the hall air
    q_air_design = margin * (p_air_peak + p_it_peak * (1.0 / eta_ups - 1.0))
    q_liq_design = margin * p_liq_peak
    # design air flow carries the design heat across the hot-aisle rise (the same rise the
    # air-side economizer uses)
    vdot_air = q_air_design / (AIR_DENSITY_KG_M3 * AIR_CP_J_KG_K * sc.cooling.hot_aisle_dt_k)
    air_fans = fan_design_power_w(vdot_air, VAV_FAN_DP_PA, VAV_FAN_ETA_TOTAL)
    loops = np.zeros((2, L.N_LOOP))
    p_cdu = cdu_pump_design_w(sc.cooling, q_liq_design)
    p_site = site_pressure_pa(sc)
    c = sc.cooling
    on_air, on_liq = free_cooling_on(c, c.air), free_cooling_on(c, c.liquid)
    loops[L.AIR], n_air = _loop_row(c.air, q_air_design, air_fans, 0.0, on_air, p_site)
    loops[L.LIQUID], n_liq = _loop_row(c.liquid, q_liq_design, 0.0, p_cdu, on_liq, p_site)
    apply_plant(loops[L.AIR], sc.cooling, sc.cooling.air.dt_k)
    apply_plant(loops[L.LIQUID], sc.cooling, sc.cooling.liquid.dt_k)
    apply_cdu(loops[L.LIQUID], sc.cooling, q_liq_design)
    apply_controls(loops, sc.cooling)
    apply_air_economizer(loops, sc.cooling, p_site)
    loops[:, L.L_WATER_J_PER_M3] = water_energy_kwh_per_m3(sc.cooling) * 3.6e6

    c = sc.cooling
    volume_m3 = n_racks * c.hall_m2_per_rack * c.hall_height_m
    plant = np.zeros(L.N_PLANT)
    plant[L.DT_S] = sc.dt_s
    plant[L.GRID_IMPORT_W] = sc.grid.import_limit_mw * 1e6
    plant[L.GRID_EXPORT_W] = sc.grid.export_limit_mw * 1e6
    plant[L.GENSET_W] = sc.genset.capacity_mw * 1e6
    plant[L.GENSET_DELAY_S] = sc.genset.start_delay_s
    b = sc.battery
    plant[L.BESS_E_J] = b.energy_mwh * 3.6e9
    plant[L.BESS_P_W] = b.power_mw * 1e6
    plant[L.BESS_ETA_C] = b.eta_charge
    plant[L.BESS_ETA_D] = b.eta_discharge
    plant[L.BESS_SOC_MIN] = b.soc_min
    plant[L.BESS_SOC_MAX] = b.soc_max
    e_ups = sc.ups.autonomy_min * 60.0 * p_it_peak
    plant[L.UPS_E_J] = e_ups
    plant[L.UPS_P_CH_W] = e_ups / (sc.ups.recharge_h * 3600.0)
    plant[L.UPS_ETA] = eta_ups
    c_air_j_k = volume_m3 * AIR_DENSITY_KG_M3 * AIR_CP_J_KG_K
    plant[L.HALL_C_J_K] = max(c_air_j_k + mass_j_k, 1.0)  # one node, for the integrator
    plant[L.HALL_AIR_C_J_K] = max(c_air_j_k, 1.0)  # two nodes, for the ride-through
    plant[L.HALL_MASS_C_J_K] = mass_j_k
    plant[L.HALL_MASS_UA_W_K] = ua_mass_w_k
    # envelope exchange neglected: for an MW-scale hall it is a small share of the
    # heat, and leaving it out makes ride-through conservative
    plant[L.HALL_UA_W_K] = 0.0
    plant[L.T_AIR_SET_C] = c.t_inlet_setpoint_c
    liq_m3 = liquid_water_m3(c, p_liq_peak, q_liq_design)
    plant[L.LIQ_C_J_K] = max(liq_m3 * WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K, 1.0)
    plant[L.T_LIQ_SET_C] = c.liquid.t_supply_c
    plant[L.T_AIR_LIMIT_C] = t_air_limit if math.isfinite(t_air_limit) else 1e9
    plant[L.T_LIQ_LIMIT_C] = t_liq_limit if math.isfinite(t_liq_limit) else 1e9
    plant[L.IT_TEMP_COEF_PER_K] = IT_TEMP_COEF_PER_K
    plant[L.IT_TEMP_REF_C] = IT_TEMP_REF_C
    plant[L.UPS_LOSS_TO_HALL] = 1.0  # EnergyPlus ITE default: all UPS losses to the zone
    plant[L.T_TRIP_C] = IT_TRIP_C
    plant[L.DISPATCH_POLICY] = L.POLICY_NAMES.index(sc.power.dispatch)
    plant[L.EXPORT_SHARE_MAX] = sc.grid.export_share_max
    plant[L.PV_ANTI_ISLANDING] = 1.0 if sc.pv.anti_islanding else 0.0
    plant[L.BESS_GRID_FORMING] = 1.0 if b.grid_forming else 0.0
    plant[L.UPS_CARRIES_COOLING] = 1.0 if sc.ups.carries_cooling else 0.0
    plant[L.UPS_CARRIES_LIQ_PUMPS] = 1.0 if sc.ups.carries_liquid_pumps else 0.0
    plant[L.XFMR_S_RATED_W] = sc.grid.transformer_mva * 1e6
    plant[L.XFMR_P0_FRAC] = sc.grid.transformer_noload_frac
    plant[L.XFMR_PK_FRAC] = sc.grid.transformer_load_loss_frac
    if sc.ups.efficiency_curve:
        plant[L.UPS_P_RATED_W] = p_it_peak
        plant[L.UPS_LOSS_A0] = sc.ups.loss_noload_frac
        plant[L.UPS_LOSS_A1] = sc.ups.loss_proportional_frac
        plant[L.UPS_LOSS_A2] = sc.ups.loss_square_frac
    return Design(
        plant=plant,
        loops=loops,
        groups=groups,
        n_chillers=(n_air, n_liq),
        q_design_w=(q_air_design, q_liq_design),
        p_it_peak_w=p_it_peak,
        group_names=tuple(g.name for g in sc.it.groups),
        t_air_limit_c=t_air_limit,
        t_liq_limit_c=t_liq_limit,
    )


def initial_state(sc: Scenario) -> np.ndarray:
    """The integrator state at step 0: hall at its set point, liquid loop at its
    supply temperature, battery at ``soc_init``, UPS battery full."""
    state = np.zeros(L.N_STATE)
    state[L.S_T_AIR_C] = sc.cooling.t_inlet_setpoint_c
    state[L.S_T_LIQ_C] = sc.cooling.liquid.t_supply_c
    state[L.S_SOC_BESS] = sc.battery.soc_init
    state[L.S_SOC_UPS] = 1.0
    return state


def without_genset(plant: np.ndarray) -> np.ndarray:
    """The plant parameters in force while an outage's genset failed to start."""
    p = plant.copy()
    p[L.GENSET_W] = 0.0
    return p
