"""Fans and pumps: EnergyPlus Fan:VariableVolume and Pump:VariableSpeed.

Scalar, CUDA-safe kernels (only :mod:`math`, no defaults or keywords). The
module constants hold the values of the EnergyPlus data-centre example
``the EnergyPlus example 2ZoneDataCenterHVAC_wEconomizer.idf`` (cited as "2Zone IDF").

References
----------
EnergyPlus Engineering Reference, "Fans" (Fan:VariableVolume) and "Pumps"
(Pump:VariableSpeed); EnergyPlus Input Output Reference, Pump:VariableSpeed
("Design Power Sizing Method").
"""

from __future__ import annotations

from kernels._jit import njit

__all__ = [
    "CDU_FLOW_LPM_PER_KW",
    "CDU_PUMP_HEAD_PA",
    "CDU_PUMP_MOTOR_EFF",
    "COND_MIN_FLOW_FRAC",
    "COND_PUMP_ETA_TOTAL",
    "COND_PUMP_HEAD_PA",
    "COND_PUMP_MOTOR_EFF",
    "COND_PUMP_VSD_COEFFS",
    "CW_PUMP_ETA_TOTAL",
    "CW_PUMP_HEAD_PA",
    "CW_PUMP_MOTOR_EFF",
    "CW_PUMP_VSD_COEFFS",
    "FAN_MOTOR_IN_AIRSTREAM_FRAC",
    "HALL_FAN_VSD_COEFFS",
    "PUMP_IMPELLER_EFF",
    "PUMP_MOTOR_LOSS_TO_FLUID_FRAC",
    "PUMP_PLR_COEFFS",
    "VAV_FAN_COEFFS",
    "VAV_FAN_DP_PA",
    "VAV_FAN_ETA_TOTAL",
    "VAV_FAN_MIN_FLOW_FRAC",
    "VAV_FAN_MOTOR_EFF",
    "fan_design_power_w",
    "fan_vav_power_w",
    "mover_heat_w",
    "pump_design_power_w",
    "pump_vs_power_w",
]

# Fan:VariableVolume "West Zone Supply Fan" in the 2Zone IDF: Fan Total Efficiency
# 0.7, Pressure Rise 300 Pa, Fan Power Minimum Flow Fraction 0.25, Motor Efficiency
# 0.9 (only splits heat between motor and air; the power uses the total efficiency),
# Fan Power Coefficients 1-5.
VAV_FAN_DP_PA = 300.0
VAV_FAN_ETA_TOTAL = 0.7
VAV_FAN_MOTOR_EFF = 0.9
VAV_FAN_MIN_FLOW_FRAC = 0.25
VAV_FAN_COEFFS = (0.35071223, 0.30850535, -0.54137364, 0.87198823, 0.0)

# Hall (CRAH / fan-wall) fans run on variable-speed drives: part-load power by the
# ASHRAE 90.1-2019 Appendix G curve for VAV fans with a VSD, Table G3.1.3.15 Method 2,
# P/P_design = 0.0013 + 0.1470 PLR + 0.9506 PLR² − 0.0998 PLR³ (0.41 at 60 % flow; the
# 2Zone IDF curve above, an inlet-vane fan, gives 0.53).
HALL_FAN_VSD_COEFFS = (0.0013, 0.1470, 0.9506, -0.0998, 0.0)

# Default "Design Shaft Power per Unit Flow Rate per Unit Head" of Pump:VariableSpeed,
# 1.282051282 W/((m3/s)·Pa) = 1/0.78 (EnergyPlus IDD; the Engineering Reference
# "Pump Sizing" section states the 0.78 impeller efficiency). Design power =
# V̇·H·1.282051282 / motor efficiency = V̇·H / (0.78·η_motor).
PUMP_IMPELLER_EFF = 0.78

# Pump:VariableSpeed "CW Circ Pump" (chilled water) in the 2Zone IDF: Design Pump
# Head 160000 Pa, Motor Efficiency 0.87.
CW_PUMP_HEAD_PA = 160000.0
CW_PUMP_MOTOR_EFF = 0.87
CW_PUMP_ETA_TOTAL = CW_PUMP_MOTOR_EFF * PUMP_IMPELLER_EFF
# Pump:VariableSpeed "Cond Circ Pump" (condenser water) in the 2Zone IDF: Design
# Pump Head 140000 Pa, Motor Efficiency 0.9.
COND_PUMP_HEAD_PA = 140000.0
COND_PUMP_MOTOR_EFF = 0.9
COND_PUMP_ETA_TOTAL = COND_PUMP_MOTOR_EFF * PUMP_IMPELLER_EFF
# Part-load performance curve coefficients 1-4 of both pumps in the 2Zone IDF
# (0, 1, 0, 0: power proportional to flow). Kept for the side-by-side with that example;
# a pump on a variable-speed drive follows the curves below instead.
PUMP_PLR_COEFFS = (0.0, 1.0, 0.0, 0.0)
# Variable-speed pumps on a system curve. Power falls faster than flow because the head
# falls with the square of the flow down to the part held by the control (affinity laws,
# ASHRAE Handbook—HVAC Systems and Equipment 2020, ch. 44 "Centrifugal Pumps"). The
# coefficients are those of the ASHRAE 90.1 Performance Rating Method as used by NREL's
# openstudio-standards for Pump:VariableSpeed (c1-c4 of the part-load curve):
# - "VSD DP Reset", a closed loop whose differential-pressure set point is reset by valve
#   position (ASHRAE 90.1-2019 §6.5.4.2 asks for it on loops with DDC): 0, 0.0205,
#   0.4101, 0.5753 (18.5 % of design power at 50 % flow). Chilled/facility-water and
#   CDU pumps.
# - "VSD No Reset", a fixed pressure set point or an open loop with static lift: 0,
#   0.5726, -0.301, 0.7347 (30.3 % at 50 % flow, the §6.5.4.2 ceiling of 30 %).
#   Condenser-water and dry-cooler fluid pumps.
CW_PUMP_VSD_COEFFS = (0.0, 0.0205, 0.4101, 0.5753)
COND_PUMP_VSD_COEFFS = (0.0, 0.5726, -0.301, 0.7347)
# Least flow of a variable-flow condenser-water loop, share of its design flow
# (kernels.condenser.condenser_flow_frac). Assumption: none (0). While the loop rejects heat
# each running chiller keeps its own design condenser flow and the economizer's exchanger
# its own (less only where it modulates in full free cooling), so the towers never see less
# than one unit's flow. EnergyPlus's Pump:VariableSpeed "Design Minimum Flow Rate" was
# tried on the reference (0.33 of design, the IDD's "Cell Minimum Water Flow Rate
# Fraction"): it sent more water than the minimum in hours with chillers running (228 kg/s
# where the chillers and exchanger asked for 185 with one chiller on), which the twin cannot
# mirror, so both run without one.
COND_MIN_FLOW_FRAC = 0.0
# CDU (coolant distribution unit) pumps of the rack (technology cooling system) loop of
# direct-to-chip racks: design flow 1.5 L/min per kW of liquid-cooled IT (OCP / NVIDIA
# GB200 NVL72 reference design figure for the TCS flow) against a design head of 53 psi
# = 365 kPa (CoolIT CHx2000 CDU data: 2 MW at 1.2 L/min per kW, 53 psi secondary head),
# motor efficiency as the chilled-water pump (Assumption: the 2Zone IDF value 0.87);
# with the 0.78 impeller efficiency that is 13 W per kW, 1.3 % of the liquid IT power.
# The scenario can change the flow and head (cooling.cdu_*).
CDU_FLOW_LPM_PER_KW = 1.5
CDU_PUMP_HEAD_PA = 365000.0
CDU_PUMP_MOTOR_EFF = 0.87
# Where mover power ends up (EnergyPlus Engineering Reference, "Fans": the heat to the
# air is the shaft power plus the motor losses times the Motor In Airstream Fraction,
# IDD default 1; "Pumps": the heat to the fluid is the shaft power plus the motor losses
# times the Fraction of Motor Inefficiencies to Fluid Stream, IDD default 0).
FAN_MOTOR_IN_AIRSTREAM_FRAC = 1.0
PUMP_MOTOR_LOSS_TO_FLUID_FRAC = 0.0


@njit
def fan_design_power_w(vdot_m3_s, dp_pa, eta_total):
    """Design electric power of a fan.

    Parameters
    ----------
    vdot_m3_s : float
        Maximum (design) air flow rate [m³/s].
    dp_pa : float
        Fan pressure rise [Pa].
    eta_total : float
        Fan total efficiency (fan × motor × drive) [-].

    Returns
    -------
    float
        ``V̇ · Δp / η_total`` [W]; 0 for non-positive inputs.

    References
    ----------
    EnergyPlus Engineering Reference, "Fans", Fan:VariableVolume
    (full-load power = ṁ Δp / (η_tot ρ)).
    """
    if vdot_m3_s <= 0.0 or dp_pa <= 0.0 or eta_total <= 0.0:
        return 0.0
    return vdot_m3_s * dp_pa / eta_total


@njit
def fan_vav_power_w(p_design_w, flow_frac, min_flow_frac, c1, c2, c3, c4, c5):
    """Part-load power of an EnergyPlus Fan:VariableVolume.

    Parameters
    ----------
    p_design_w : float
        Design power, from :func:`fan_design_power_w` [W].
    flow_frac : float
        Air flow / maximum air flow [-].
    min_flow_frac : float
        Fan Power Minimum Flow Fraction [-] (2Zone IDF: 0.25).
    c1, c2, c3, c4, c5 : float
        Fan Power Coefficients 1-5 [-] (2Zone IDF: :data:`VAV_FAN_COEFFS`).

    Returns
    -------
    float
        ``P_design · max(0, PLF(f))`` with ``f = max(flow_frac, min_flow_frac)``
        and ``PLF = c1 + c2 f + c3 f² + c4 f³ + c5 f⁴`` [W]; 0 when
        ``flow_frac ≤ 0`` (fan off).

    References
    ----------
    EnergyPlus Engineering Reference, "Fans", variable volume fan
    (FlowFracForPower, PartLoadFrac); Fan:VariableVolume in
    2ZoneDataCenterHVAC_wEconomizer.idf for the coefficients.
    """
    if flow_frac <= 0.0 or p_design_w <= 0.0:
        return 0.0
    f = max(flow_frac, min_flow_frac)
    plf = c1 + f * (c2 + f * (c3 + f * (c4 + f * c5)))
    return p_design_w * max(0.0, plf)


@njit
def pump_design_power_w(vdot_m3_s, head_pa, eta_total):
    """Design electric power of a pump.

    Parameters
    ----------
    vdot_m3_s : float
        Design maximum flow rate [m³/s].
    head_pa : float
        Design pump head [Pa].
    eta_total : float
        Total efficiency, motor × impeller [-]; EnergyPlus autosizing uses
        ``η_motor · 0.78`` (:data:`PUMP_IMPELLER_EFF`, e.g.
        :data:`CW_PUMP_ETA_TOTAL`).

    Returns
    -------
    float
        ``V̇ · H / η_total`` [W]; 0 for non-positive inputs.

    References
    ----------
    EnergyPlus Input Output Reference, Pump:VariableSpeed, "Design Power
    Consumption" with Design Power Sizing Method PowerPerFlowPerPressure
    (default 1.282051282 W/((m³/s)·Pa) = 1/0.78) divided by motor efficiency;
    Engineering Reference, "Pump Sizing".
    """
    if vdot_m3_s <= 0.0 or head_pa <= 0.0 or eta_total <= 0.0:
        return 0.0
    return vdot_m3_s * head_pa / eta_total


@njit
def pump_vs_power_w(p_design_w, plr, c1, c2, c3, c4):
    """Part-load power of an EnergyPlus Pump:VariableSpeed.

    Parameters
    ----------
    p_design_w : float
        Design power consumption [W].
    plr : float
        Flow / design maximum flow [-].
    c1, c2, c3, c4 : float
        Coefficients of the Part Load Performance Curve [-] (2Zone IDF:
        :data:`PUMP_PLR_COEFFS` = 0, 1, 0, 0).

    Returns
    -------
    float
        ``P_design · max(0, c1 + c2 PLR + c3 PLR² + c4 PLR³)`` [W]; 0 when
        ``plr ≤ 0`` (pump off).

    References
    ----------
    EnergyPlus Engineering Reference, "Pumps", variable speed pump
    (FracFullLoadPower); Pump:VariableSpeed in 2ZoneDataCenterHVAC_wEconomizer.idf.
    """
    if plr <= 0.0 or p_design_w <= 0.0:
        return 0.0
    frac = c1 + plr * (c2 + plr * (c3 + plr * c4))
    return p_design_w * max(0.0, frac)


@njit
def mover_heat_w(p_elec_w, motor_eff, loss_frac_to_stream):
    """Heat a fan or pump adds to the stream it moves [W].

    ``shaft + (P − shaft) · f`` with ``shaft = P · η_motor``: the shaft work ends in the
    stream as heat, and the share *f* of the motor losses (fans: Motor In Airstream
    Fraction; pumps: Fraction of Motor Inefficiencies to Fluid Stream).

    References
    ----------
    EnergyPlus Engineering Reference, "Fans" (Fan:VariableVolume, heat to air) and
    "Pumps" (PumpHeattoFluid).
    """
    shaft_w = p_elec_w * motor_eff
    return shaft_w + (p_elec_w - shaft_w) * loss_frac_to_stream
