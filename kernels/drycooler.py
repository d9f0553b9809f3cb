"""Dry coolers and adiabatic (spray pre-cooled) dry coolers.

Scalar, CUDA-safe kernels (only :mod:`math`, no defaults or keywords).

A dry cooler is a finned-coil fluid-to-air heat exchanger with axial fans and no
water (EnergyPlus ``FluidCooler:SingleSpeed`` / ``TwoSpeed`` are the reference
objects; they use a UA / ε-NTU model). Here it is expressed, like the water-side
economizer of :mod:`kernels.economizer`, by its *approach*: at design heat and
full fan speed the leaving fluid is ``approach_k`` above the air entering the
coil. An adiabatic cooler wets pads ahead of the coil when the outdoor dry bulb
is above a switch temperature, so the coil sees air cooled towards the wet bulb
(direct evaporative cooling) and water is used only then.

References
----------
.. [1] EnergyPlus Engineering Reference: "Fluid Coolers" (FluidCooler:SingleSpeed,
   UA and ε-NTU) and "Direct Evaporative Cooler" (EvaporativeCooler:Direct:
   ResearchSpecial: T_out = T_db − ε (T_db − T_wb); water = ṁ_air (w_out − w_in)).
.. [2] ASHRAE Handbook—HVAC Systems and Equipment (2020), ch. 21 "Fans": fan
   laws, power ∝ speed³; ch. 41 "Evaporative Air-Cooling Equipment".
.. [3] Incropera & DeWitt, *Fundamentals of Heat and Mass Transfer*, external
   forced convection: h ∝ Re^0.8 for turbulent flow.
.. [4] ASHRAE Handbook—Fundamentals (2017), ch. 1: latent heat of vaporization
   of water at 25 °C, 2.442 MJ/kg.
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.psychro import AIR_CP_J_KG_K

__all__ = [
    "DRY_COOLER_AIR_DT_K",
    "DRY_COOLER_APPROACH_K",
    "DRY_COOLER_FAN_DP_PA",
    "DRY_COOLER_FAN_ETA_TOTAL",
    "DRY_COOLER_FAN_MIN_FRAC",
    "DRY_COOLER_UA_AIR_EXP",
    "H_FG_WATER_J_KG",
    "PAD_EFFECTIVENESS",
    "SPRAY_SWITCH_C",
    "adiabatic_inlet_c",
    "dry_cooler_fan_frac",
    "dry_cooler_fan_power_w",
    "evaporation_kg_s",
]

#: Design approach, leaving fluid − entering air, at design heat and full fan
#: [K]. Assumed: 6 K, mid-range of manufacturers' data-centre dry-cooler
#: selections (about 4–8 K).
DRY_COOLER_APPROACH_K = 6.0
#: Air temperature rise across the coil at design [K] (assumed: 10 K, sets the
#: design air flow ṁ = Q / (c_p ΔT)).
DRY_COOLER_AIR_DT_K = 10.0
#: Fan total pressure rise over coil and casing [Pa] (assumed: 150 Pa, typical of
#: low-pressure axial fans on finned coils).
DRY_COOLER_FAN_DP_PA = 150.0
#: Fan total efficiency (fan × motor, EC motors) [-] (assumed: 0.5).
DRY_COOLER_FAN_ETA_TOTAL = 0.5
#: Lowest fan speed fraction [-] (assumed: 0.2, as the tower's minimum air flow
#: in :mod:`kernels.tower`); below it fans cycle, power falls linearly.
DRY_COOLER_FAN_MIN_FRAC = 0.2
#: Exponent of UA on air flow (air side dominant, h ∝ Re^0.8 [3]).
DRY_COOLER_UA_AIR_EXP = 0.8
#: Saturation effectiveness of the wetted pads [-] (assumed: 0.8, within the
#: 0.7–0.9 of rigid cellulose media in [2] ch. 41 and of EnergyPlus CelDekPad).
PAD_EFFECTIVENESS = 0.8
#: Outdoor dry bulb above which the pads are wetted [°C] (assumed: 25 °C, a
#: common factory setting of adiabatic coolers).
SPRAY_SWITCH_C = 25.0
#: Latent heat of vaporization of water near 25 °C [J/kg] [4].
H_FG_WATER_J_KG = 2.442e6


@njit
def adiabatic_inlet_c(t_db_c, t_wb_c, pad_eff, t_switch_c):
    """Air temperature entering the coil of an adiabatic cooler.

    Parameters
    ----------
    t_db_c, t_wb_c : float
        Outdoor dry bulb and wet bulb [°C].
    pad_eff : float
        Pad saturation effectiveness ε [-].
    t_switch_c : float
        Spray switch temperature [°C]; the pads are dry at or below it.

    Returns
    -------
    t_in_c : float
        ``T_db − ε (T_db − T_wb)`` when spraying, else ``T_db`` [°C].
    spraying : bool

    References
    ----------
    EnergyPlus Engineering Reference, "Direct Evaporative Cooler" (ResearchSpecial).
    """
    if t_db_c <= t_switch_c:
        return t_db_c, False
    dep = max(0.0, t_db_c - t_wb_c)
    return t_db_c - pad_eff * dep, True


@njit
def evaporation_kg_s(mdot_air_kg_s, t_db_c, t_in_c):
    """Water evaporated by the pads [kg/s].

    The sensible cooling of the air, ``ṁ c_p (T_db − T_in)``, becomes latent
    heat (adiabatic saturation): ``ṁ_w = ṁ c_p (T_db − T_in) / h_fg``. This
    equals EnergyPlus' ``ṁ_air (w_out − w_in)`` to first order.
    """
    if mdot_air_kg_s <= 0.0 or t_db_c <= t_in_c:
        return 0.0
    return mdot_air_kg_s * AIR_CP_J_KG_K * (t_db_c - t_in_c) / H_FG_WATER_J_KG


@njit
def dry_cooler_fan_frac(plr, t_fluid_target_c, t_air_in_c, approach_k, fr_min):
    """Fan speed fraction that just cools the fluid to ``t_fluid_target_c``.

    Parameters
    ----------
    plr : float
        Heat rejected / design heat [-].
    t_fluid_target_c : float
        Leaving-fluid set point [°C].
    t_air_in_c : float
        Air entering the coil [°C].
    approach_k : float
        Design approach at full fan and design heat [K].
    fr_min : float
        Minimum fan speed fraction [-].

    Returns
    -------
    float
        Fan speed fraction in ``[0, 1]``: the approach scales with the load and
        with ``fr^−0.8`` (UA ∝ air flow^0.8), so
        ``fr = (approach · plr / (T_target − T_air))^(1/0.8)``; 1 when the target
        cannot be reached (the coil is then the limit); below ``fr_min`` the
        fans cycle and the time-average fraction is returned.
    """
    if plr <= 0.0:
        return 0.0
    dt_avail = t_fluid_target_c - t_air_in_c
    need = approach_k * plr
    if dt_avail <= need:
        return 1.0
    fr = (need / dt_avail) ** (1.0 / DRY_COOLER_UA_AIR_EXP)
    return min(1.0, max(fr, 0.0))


@njit
def dry_cooler_fan_power_w(p_design_w, fr, fr_min):
    """Fan power at speed fraction ``fr`` by the fan laws, ``P = P_d · fr³`` [W].

    Below ``fr_min`` fans cycle at ``fr_min``: ``P = P_d · fr_min³ · fr / fr_min``.
    """
    if fr <= 0.0 or p_design_w <= 0.0:
        return 0.0
    if fr < fr_min:
        return p_design_w * fr_min**3 * fr / fr_min
    return p_design_w * fr**3
