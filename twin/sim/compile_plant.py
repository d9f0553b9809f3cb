"""Compile ``cooling.plant`` into the loop rows of the kernel arrays.

:func:`twin.sim.compile.compile_scenario` fills each loop row for the water-cooled
plant (chillers, towers, water-side economizer); :func:`apply_plant` then sets
the plant code (``kernels.layout.PLANT_*``) and, for the other plants, swaps in
the air-cooled chiller curve set, removes the towers and their condenser pump,
and sizes the dry / adiabatic coolers for the loop's design heat (air flow, fan
power, the UA of their cross-flow coil). Sources of the assumed cooler values are
in :mod:`kernels.drycooler`.
"""

from __future__ import annotations

import numpy as np

from kernels import layout as L
from kernels.drycooler import (
    DRY_COOLER_AIR_DT_K,
    DRY_COOLER_FAN_DP_PA,
    DRY_COOLER_FAN_ETA_TOTAL,
    PAD_BLOWDOWN_CONC_RATIO,
    dry_cooler_design_ua_w_k,
)
from kernels.movers import COND_PUMP_ETA_TOTAL, COND_PUMP_HEAD_PA, pump_design_power_w
from kernels.psychro import AIR_CP_J_KG_K, AIR_DENSITY_KG_M3, station_pressure_pa
from kernels.tower import WATER_CP_J_KG_K, WATER_DENSITY_KG_M3
from twin.scenario.cooling import CoolingConfig
from twin.scenario.model import Scenario
from twin.scenario.plant_library import load_chiller
from weather.sites import UnknownSiteError, get_site

__all__ = ["AIR_ECON_CODES", "PLANT_CODES", "apply_air_economizer", "apply_controls", "apply_plant"]

PLANT_CODES = {name: code for code, name in enumerate(L.PLANT_NAMES)}


def write_chiller(row: np.ndarray, ch: dict) -> None:
    """Put a chiller curve set (:func:`twin.scenario.plant_library.load_chiller`) into a loop row."""
    row[L.L_COP_REF] = ch["cop_ref"]
    row[L.L_CAPFT : L.L_CAPFT + 6] = ch["capft"]
    row[L.L_EIRFT : L.L_EIRFT + 6] = ch["eirft"]
    row[L.L_EIRFPLR : L.L_EIRFPLR + 3] = ch["eirfplr"]
    row[L.L_PLR_MIN] = ch["plr_min"]
    row[L.L_PLR_MAX] = ch["plr_max"]
    row[L.L_MIN_UNLOAD] = ch["min_unload"]
    row[L.L_T_CHW_LO], row[L.L_T_CHW_HI] = ch["t_chw_lim"]
    row[L.L_T_COND_LO], row[L.L_T_COND_HI] = ch["t_cond_lim"]


def apply_plant(row: np.ndarray, cooling: CoolingConfig, dt_k: float) -> None:
    """Set the heat-rejection plant of one loop row in place.

    Parameters
    ----------
    row : ndarray (N_LOOP,)
        A loop row already filled for the water-cooled plant.
    cooling : CoolingConfig
        The scenario's cooling section (``plant`` and the cooler keys).
    dt_k : float
        The loop's design temperature difference [K] (sizes the cooler circuit pump).
    """
    code = PLANT_CODES[cooling.plant]
    row[L.L_PLANT] = code
    if code == L.PLANT_WATER_COOLED:
        return
    write_chiller(row, load_chiller(cooling.air_cooled_chiller))
    # no towers: no tower fans, no make-up water, no condenser-water pump
    row[L.L_ECONOMIZER] = 0.0
    row[L.L_P_TOWER_FAN_W] = 0.0
    row[L.L_VDOT_TOWER_M3_S] = 0.0
    row[L.L_VDOT_TOWER_AIR_M3_S] = 0.0
    row[L.L_P_PUMP_COND_W] = 0.0
    if code == L.PLANT_AIR_COOLED:
        return
    q_design = float(row[L.L_Q_DESIGN_W])
    mdot_air = q_design / (AIR_CP_J_KG_K * DRY_COOLER_AIR_DT_K)
    vdot_air = mdot_air / AIR_DENSITY_KG_M3
    row[L.L_DC_APPROACH_K] = cooling.dry_cooler_approach_k
    row[L.L_P_DC_FAN_W] = vdot_air * DRY_COOLER_FAN_DP_PA / DRY_COOLER_FAN_ETA_TOTAL
    row[L.L_MDOT_AIR_DC_KG_S] = mdot_air
    row[L.L_T_SPRAY_C] = cooling.spray_switch_c
    row[L.L_PAD_EFF] = cooling.pad_effectiveness
    # the cross-flow coil's UA that meets the design point (ε-NTU, kernels.drycooler)
    row[L.L_DC_UA_W_K] = dry_cooler_design_ua_w_k(
        q_design, dt_k, DRY_COOLER_AIR_DT_K, cooling.dry_cooler_approach_k
    )
    # the towers' water slots now serve the pads' sump (blowdown, kernels.drycooler)
    row[L.L_CONC_RATIO] = PAD_BLOWDOWN_CONC_RATIO
    # variable-speed pump of the dry-cooler circuit, condenser-pump head and efficiency
    vdot_fluid = q_design / (WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K * dt_k)
    row[L.L_P_PUMP_COND_W] = pump_design_power_w(vdot_fluid, COND_PUMP_HEAD_PA, COND_PUMP_ETA_TOTAL)


def apply_controls(loops: np.ndarray, cooling: CoolingConfig) -> None:
    """Economizer dead band on both loops; chilled-water reset on the air loop only
    (the liquid loop's supply is bounded by the groups' W class)."""
    loops[:, L.L_ECON_HYST_K] = cooling.economizer_deadband_k
    loops[L.AIR, L.L_RESET_K] = cooling.chw_reset_k
    loops[L.LIQUID, L.L_RESET_K] = 0.0


#: Air-side economizer codes (kernels.airecon.AIR_ECON_*).
AIR_ECON_CODES = {"none": 0, "direct": 1, "indirect": 2}


def apply_air_economizer(loops: np.ndarray, cooling: CoolingConfig, p_atm_pa: float) -> None:
    """Air-side economizer on the air loop (assumed values sourced in kernels.airecon)."""
    row = loops[L.AIR]
    row[L.L_AIR_ECON] = AIR_ECON_CODES[cooling.air_economizer]
    row[L.L_T_SUP_AIR_C] = cooling.t_inlet_setpoint_c
    row[L.L_AIR_DT_K] = cooling.hot_aisle_dt_k
    row[L.L_AIR_EVAP_EFF] = cooling.air_economizer_effectiveness
    row[L.L_P_ATM_PA] = p_atm_pa


def site_pressure_pa(sc: Scenario) -> float:
    """Station pressure of the scenario's built-in site [Pa] (ASHRAE 2017 ch. 1 eq 3);
    standard sea-level pressure for an unknown site id."""
    try:
        elevation_m = get_site(sc.site.id).elevation_m
    except UnknownSiteError:
        elevation_m = 0.0
    return float(station_pressure_pa(elevation_m))
