"""Cooling-tower make-up water: EnergyPlus ``SaturatedExit`` evaporation, drift, blowdown.

Scalar, CUDA-safe kernels (only :mod:`math` through :mod:`kernels.psychro`, no
defaults or keywords). The evaporation follows the air through the tower: the air
flow is the design air flow times the step's air-flow ratio, it enters at the outdoor
dry bulb and humidity, takes the whole heat the water rejects and leaves saturated
at the enthalpy ``h_out = h_in + Q / ṁ_da``; the water evaporated is what raises its
humidity ratio, ``ṁ_da (W_out − W_in)``. The water therefore depends on the weather
(dry air leaves with more water per unit heat) and not on the heat alone, as the
``LossFactor`` rule (0.2 %/K of the water flow times the range) this replaces did.

References
----------
.. [1] EnergyPlus Engineering Reference, "Cooling Towers and Evaporative Fluid
   Coolers", "Cooling Tower Make-up Water" (evaporation: saturated exit air;
   drift; blowdown by concentration ratio).
.. [2] EnergyPlus source, ``src/EnergyPlus/CondenserLoopTowers.cc``:
   ``CalculateWaterUseage`` (``EvapLossByMoistTheory``: air mass flow = air-flow
   ratio × design air flow × air density, outlet enthalpy = inlet + Q / ṁ,
   ``PsyTsatFnHPb``, ``PsyWFnTdbH``); ``SizeTower`` (design air flow autosized as
   fan power × 0.5 × (101325 / p_std) / 190); ``CalcVariableSpeedTower`` (the step's
   air-flow ratio: 1 at full speed, the solved ratio when modulating, the
   free-convection capacity fraction with the fan off, their blend weighted by the
   fan's on-fraction when cycling at minimum speed).
.. [3] ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1 (psychrometrics, via
   :mod:`kernels.psychro`).
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.psychro import (
    MOLAR_MASS_RATIO_WATER_AIR,
    dry_air_density_kg_m3,
    humidity_ratio_wet_bulb_pws,
    moist_air_enthalpy_j_kg,
    sat_vapor_pressure_pa,
)
from kernels.psychro_sat import (
    SAT_TEMP_MAX_C,
    SAT_TEMP_MIN_C,
    sat_enthalpy_terms,
    sat_temp_halley_c,
)
from kernels.tower import WATER_DENSITY_KG_M3

__all__ = [
    "NO_INLET_AIR",
    "TOWER_AIRFLOW_SIZING_DP_PA",
    "TOWER_AIRFLOW_SIZING_FAN_EFF",
    "TOWER_BLOWDOWN_CONC_RATIO",
    "TOWER_DRIFT_PCT",
    "tower_design_air_flow_m3_s",
    "tower_evaporation_air_kg_s",
    "tower_evaporation_kg_s",
    "tower_inlet_air",
    "tower_water_air_m3_s",
    "tower_water_air_ratio",
    "tower_water_m3_s",
]

# Make-up water IDD defaults (EnergyPlus Input Output Reference, CoolingTower:VariableSpeed;
# Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed): Drift Loss Percent 0.008 %, Blowdown Concentration Ratio 3.0.
TOWER_DRIFT_PCT = 0.008
TOWER_BLOWDOWN_CONC_RATIO = 3.0

# Autosized design air flow (EnergyPlus CondenserLoopTowers.cc, SizeTower,
# HighSpeedAirFlowRateWasAutoSized: "HighSpeedFanPower * 0.5 * (101325.0 / StdBaroPress)
# / 190.0"): a fan total efficiency of 0.5 against 190 Pa, the volume scaled to the
# site's standard pressure.
TOWER_AIRFLOW_SIZING_FAN_EFF = 0.5
TOWER_AIRFLOW_SIZING_DP_PA = 190.0
STANDARD_PRESSURE_PA = 101325.0


@njit
def tower_design_air_flow_m3_s(p_fan_design_w, p_site_pa):
    """Design (full-speed) air flow of a tower autosized from its design fan power.

    Parameters
    ----------
    p_fan_design_w : float
        Design fan power [W] (:func:`kernels.tower.tower_design_fan_power_w`).
    p_site_pa : float
        Standard-atmosphere pressure at the site's elevation [Pa] (EnergyPlus's
        ``StdBaroPress``; :func:`kernels.psychro.station_pressure_pa`).

    Returns
    -------
    float
        ``P_fan · 0.5 · (101325 / p_site) / 190`` [m³/s]; 0 for no fan.

    References
    ----------
    EnergyPlus CondenserLoopTowers.cc, ``SizeTower`` (autosized "Design Air Flow Rate"
    of CoolingTower:SingleSpeed and CoolingTower:VariableSpeed).
    """
    if p_fan_design_w <= 0.0 or p_site_pa <= 0.0:
        return 0.0
    return (
        p_fan_design_w
        * TOWER_AIRFLOW_SIZING_FAN_EFF
        * (STANDARD_PRESSURE_PA / p_site_pa)
        / TOWER_AIRFLOW_SIZING_DP_PA
    )


@njit
def tower_water_air_ratio(fr_air, fan_plr, frac_free_conv):
    """The step's air-flow ratio that EnergyPlus's water use sees [-].

    Parameters
    ----------
    fr_air : float
        Air-flow ratio while the fan runs (:func:`kernels.tower.tower_fan_control`).
    fan_plr : float
        Fraction of the step the fan runs [-].
    frac_free_conv : float
        Fraction of tower capacity in free convection [-]; EnergyPlus takes it as the
        air-flow ratio with the fan off ("fan is OFF but air is flowing").

    Returns
    -------
    float
        ``fan_plr · fr_air + (1 − fan_plr) · frac_free_conv``: ``fr_air`` when the fan
        runs all step, ``frac_free_conv`` when it is off.

    References
    ----------
    EnergyPlus CondenserLoopTowers.cc, ``CalcVariableSpeedTower`` (``AirFlowRateRatio``
    in each regime; the same ratio sets the drift).
    """
    plr = min(max(fan_plr, 0.0), 1.0)
    return plr * fr_air + (1.0 - plr) * frac_free_conv


@njit
def tower_evaporation_kg_s(q_rej_w, vdot_air_m3_s, t_db_c, t_wb_c, p_pa):
    """Water evaporated by a tower whose exit air is saturated ("SaturatedExit").

    Parameters
    ----------
    q_rej_w : float
        Heat the tower water gives the air [W].
    vdot_air_m3_s : float
        Air volume flow through the tower at inlet conditions [m³/s] (design air flow
        × :func:`tower_water_air_ratio`).
    t_db_c, t_wb_c : float
        Outdoor dry bulb and wet bulb [°C].
    p_pa : float
        Station pressure [Pa].

    Returns
    -------
    float
        ``ṁ_da (W_out − W_in)`` [kg/s], ≥ 0; 0 when no heat or no air.

    Notes
    -----
    ``W_in`` from dry bulb, wet bulb and pressure (ASHRAE 2017 ch. 1 eq 33),
    ``ṁ_da = V̇ / v`` (eq 26), ``h_in = h(t_db, W_in)`` (eq 32),
    ``h_out = h_in + Q / ṁ_da``, ``T_out`` the saturation temperature at ``h_out``
    (:func:`kernels.psychro_sat.sat_temp_from_enthalpy_c`) and
    ``W_out = (h_out − 1006 T_out) / (2 501 000 + 1860 T_out)`` (eq 32 solved for W,
    EnergyPlus ``PsyWFnTdbH``), which is ``W_s(T_out)``.

    Two details differ from CondenserLoopTowers.cc, both by a few per cent at most
    and both towards the first law: EnergyPlus takes ``h_in`` as the saturated
    enthalpy at the wet bulb (the inlet air's enthalpy to < 0.3 kJ/kg) and multiplies
    the dry-air flow by the rise of the *specific* humidity ``W / (1 + W)``, a moist-air
    quantity (≈ 3 % lower); here the dry-air flow multiplies the rise of the humidity
    ratio, the water mass balance of the air. Assumption: the liquid water density at
    25 °C (:data:`kernels.tower.WATER_DENSITY_KG_M3`) converts mass to volume (EnergyPlus
    takes it at the mean air temperature; < 0.5 % from 4 to 40 °C).

    References
    ----------
    EnergyPlus Engineering Reference, "Cooling Tower Make-up Water" (saturated exit
    air); CondenserLoopTowers.cc ``CalculateWaterUseage``; ASHRAE Handbook—Fundamentals
    2017 (SI), ch. 1, eqs 26, 32, 33.
    """
    if q_rej_w <= 0.0 or vdot_air_m3_s <= 0.0:
        return 0.0
    return tower_evaporation_air_kg_s(
        q_rej_w, vdot_air_m3_s, p_pa, tower_inlet_air(t_db_c, t_wb_c, p_pa)
    )


@njit
def tower_inlet_air(t_db_c, t_wb_c, p_pa):
    """What the make-up water needs of the outdoor air alone, once per step and weather.

    Returns ``(w_in, rho_da, h_in, start)``: the inlet air's humidity ratio [kg/kg]
    (ASHRAE 2017 ch. 1 eq 33), dry-air density [kg dry air/m³] (eq 26) and enthalpy
    [J/kg dry air] (eq 32) at ``t_db_c``, ``t_wb_c`` [°C] and the station pressure
    ``p_pa`` [Pa], and the first Halley iterate of the saturated exit air, which starts
    at the wet bulb (:func:`kernels.psychro_sat.sat_enthalpy_terms`). The saturation pressure
    at the wet bulb serves both. Both loops' towers breathe the same outdoor air in a
    step, so :func:`kernels.step_thermal.thermal_step` computes it once for both
    (:func:`tower_evaporation_air_kg_s`: same arithmetic, same result).
    """
    p_ws = sat_vapor_pressure_pa(t_wb_c)
    w_in = max(humidity_ratio_wet_bulb_pws(t_db_c, t_wb_c, p_pa, p_ws), 0.0)
    t0 = min(max(t_wb_c, SAT_TEMP_MIN_C), SAT_TEMP_MAX_C)
    p_ws0 = p_ws if t0 == t_wb_c else sat_vapor_pressure_pa(t0)
    start = sat_enthalpy_terms(t0, p_pa, p_ws0)
    rho_da = dry_air_density_kg_m3(t_db_c, w_in, p_pa)
    return w_in, rho_da, moist_air_enthalpy_j_kg(t_db_c, w_in), start


#: "Not computed": :func:`tower_water_air_m3_s` then computes :func:`tower_inlet_air` itself.
NO_INLET_AIR = (0.0, 0.0, 0.0, (0.0, 0.0, 0.0, 0.0))


@njit
def tower_evaporation_air_kg_s(q_rej_w, vdot_air_m3_s, p_pa, air):
    """:func:`tower_evaporation_kg_s` with ``air`` = :func:`tower_inlet_air` of the
    step's outdoor air."""
    if q_rej_w <= 0.0 or vdot_air_m3_s <= 0.0:
        return 0.0
    w_in, rho_da, h_in, start = air
    mdot_da = vdot_air_m3_s * rho_da
    h_out = h_in + q_rej_w / mdot_da
    t_out = sat_temp_halley_c(h_out, p_pa, start)
    w_out = (h_out - 1006.0 * t_out) / (2501000.0 + 1860.0 * t_out)
    if t_out >= SAT_TEMP_MAX_C:
        # an air flow far too small for the heat pins T_out at the solver's ceiling: the
        # air leaves saturated there (eq 23), not with the unbounded W of eq 32
        p_ws = sat_vapor_pressure_pa(t_out)
        w_out = min(w_out, MOLAR_MASS_RATIO_WATER_AIR * p_ws / (p_pa - p_ws))
    return max(0.0, mdot_da * (w_out - w_in))


@njit
def tower_water_m3_s(
    q_rej_w,
    fr_air_water,
    vdot_air_design_m3_s,
    vdot_w_design_m3_s,
    t_db_c,
    t_wb_c,
    p_pa,
    drift_pct,
    conc_ratio,
):
    """Tower make-up water: evaporation (SaturatedExit), drift and blowdown.

    Parameters
    ----------
    q_rej_w : float
        Heat rejected by the tower water [W] (``ρ c_p V̇_w (T_in − T_out)``).
    fr_air_water : float
        The step's air-flow ratio [-] (:func:`tower_water_air_ratio`).
    vdot_air_design_m3_s : float
        Design air flow [m³/s] (:func:`tower_design_air_flow_m3_s`).
    vdot_w_design_m3_s : float
        Design water flow [m³/s].
    t_db_c, t_wb_c : float
        Outdoor dry bulb and wet bulb [°C].
    p_pa : float
        Station pressure [Pa].
    drift_pct : float
        Drift loss, per cent of the design water flow at full air flow [%] (IDD default
        :data:`TOWER_DRIFT_PCT`).
    conc_ratio : float
        Blowdown concentration ratio (cycles of concentration) [-] (IDD default
        :data:`TOWER_BLOWDOWN_CONC_RATIO`).

    Returns
    -------
    vdot_evap_m3_s : float
        :func:`tower_evaporation_kg_s` / ρ_w [m³/s].
    vdot_drift_m3_s : float
        ``V̇_w,design · drift/100 · FRair`` [m³/s].
    vdot_blowdown_m3_s : float
        ``max(0, V̇_evap / (R − 1) − V̇_drift)`` [m³/s]; 0 if R ≤ 1.

    References
    ----------
    EnergyPlus Engineering Reference, "Cooling Tower Make-up Water" (evaporation,
    drift, blowdown ConcentrationRatio mode); CondenserLoopTowers.cc
    ``CalculateWaterUseage``; the EnergyPlus Engineering Reference, "Cooling Towers and Evaporative Fluid Coolers".
    """
    return tower_water_air_m3_s(
        q_rej_w, fr_air_water, vdot_air_design_m3_s, vdot_w_design_m3_s, t_db_c, t_wb_c,
        p_pa, drift_pct, conc_ratio, NO_INLET_AIR,
    )  # fmt: skip


@njit
def tower_water_air_m3_s(
    q_rej_w, fr_air_water, vdot_air_design_m3_s, vdot_w_design_m3_s, t_db_c, t_wb_c,
    p_pa, drift_pct, conc_ratio, air,
):  # fmt: skip
    """:func:`tower_water_m3_s` with ``air`` = :func:`tower_inlet_air` of the step's
    outdoor air at ``p_pa``, or :data:`NO_INLET_AIR` to compute it here (same result)."""
    if q_rej_w <= 0.0:
        return 0.0, 0.0, 0.0
    vdot_air = fr_air_water * vdot_air_design_m3_s
    vdot_evap = 0.0
    if vdot_air > 0.0:
        if air[1] <= 0.0:  # NO_INLET_AIR (a real dry-air density is > 0)
            air = tower_inlet_air(t_db_c, t_wb_c, p_pa)
        vdot_evap = tower_evaporation_air_kg_s(q_rej_w, vdot_air, p_pa, air)
    vdot_evap /= WATER_DENSITY_KG_M3
    vdot_drift = 0.0
    if vdot_w_design_m3_s > 0.0 and drift_pct > 0.0 and fr_air_water > 0.0:
        vdot_drift = vdot_w_design_m3_s * (drift_pct / 100.0) * fr_air_water
    vdot_blow = 0.0
    if conc_ratio > 1.0:
        vdot_blow = max(0.0, vdot_evap / (conc_ratio - 1.0) - vdot_drift)
    return vdot_evap, vdot_drift, vdot_blow
