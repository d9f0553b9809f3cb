"""Cooling towers: EnergyPlus CoolingTower:VariableSpeed (YorkCalc) and its fan.

Scalar, CUDA-safe kernels (only :mod:`math`, tuples for coefficient sets, no
defaults or keywords). Flow ratios follow EnergyPlus: ``fr_water`` is the water
flow divided by the tower's *reference* water flow (EnergyPlus calibrates
V̇_ref = V̇_design / FRwater,ref so that the correlation returns the design
approach), ``fr_air`` the air flow divided by the design air flow. The make-up water
is in :mod:`kernels.tower_water`.

References
----------
EnergyPlus Engineering Reference, "Cooling Towers and Evaporative Fluid
Coolers": "Variable Speed Cooling Towers, Empirical Models" (YorkCalc); the
Energy+.idd of EnergyPlus 25.2 (CoolingTower:VariableSpeed field defaults).
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels._scalar import clamp as _clamp

__all__ = [
    "TOWER_DESIGN_FAN_POWER_PER_LOAD",
    "TOWER_FAN_CURVE",
    "TOWER_FRAC_FREE_CONV",
    "TOWER_FR_AIR_MIN",
    "WATER_CP_J_KG_K",
    "WATER_DENSITY_KG_M3",
    "YORKCALC_COEFFS",
    "tower_design_fan_power_w",
    "tower_fan_control",
    "tower_fan_power_w",
    "tower_leaving_water_c",
    "yorkcalc_approach_k",
]

# YorkCalc built-in coefficients C1..C27 (EnergyPlus Engineering Reference, YorkCalc
# model; the EnergyPlus Engineering Reference, "Cooling Towers and Evaporative Fluid Coolers"; identical to
# CoolingTowerPerformance:YorkCalc "YorkCalc Default Tower Model" in
# 2ZoneDataCenterHVAC_wEconomizer.idf). Same numbers as kernels/data/towers.toml
# [yorkcalc.default] (tests/unit/test_tower.py checks it).
YORKCALC_COEFFS = (
    -0.359741205,
    -0.055053608,
    0.0023850432,
    0.173926877,
    -0.0248473764,
    0.00048430224,
    -0.005589849456,
    0.0005770079712,
    -1.342427256e-05,
    2.84765801111111,
    -0.121765149,
    0.0014599242,
    1.680428651,
    -0.0166920786,
    -0.0007190532,
    -0.025485194448,
    4.87491696e-05,
    2.719234152e-05,
    -0.0653766255555556,
    -0.002278167,
    0.0002500254,
    -0.0910565458,
    0.00318176316,
    3.8621772e-05,
    -0.0034285382352,
    8.56589904e-06,
    -1.516821552e-06,
)
# YorkCalc validity ranges (Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed).
# EnergyPlus caps the wet bulb, range and approach it passes to the correlation, but not the
# water flow ratio of a YorkCalc tower: CondenserLoopTowers.cc ``checkModelBounds`` skips
# that cap ("Water flow rate ratio warning not valid for YorkCalc model, print liquid to
# gas ratio warning instead"), the model's own variable being LG = FRwater / FRair, bounded
# by YORKCALC_LG_MAX. The water-flow limits are kept as published (data file check).
YORKCALC_T_WB_MIN_C = -34.4
YORKCALC_T_WB_MAX_C = 26.6667
YORKCALC_RANGE_MIN_K = 1.1111
YORKCALC_RANGE_MAX_K = 22.2222
YORKCALC_FR_WATER_MIN = 0.75
YORKCALC_FR_WATER_MAX = 1.25
YORKCALC_LG_MAX = 8.0

# Tower fan power ratio vs air flow ratio, Curve:Cubic "CoolingTowerFanRatioCurve"
# (c0, c1, c2, c3) with x in [0.15, 1.0], from 2ZoneDataCenterHVAC_wEconomizer.idf.
TOWER_FAN_CURVE = (
    -0.00931516301535329,
    0.0512333965844443,
    -0.0838364671381841,
    1.04191823356909,
)
TOWER_FAN_CURVE_X_MIN = 0.15
TOWER_FAN_CURVE_X_MAX = 1.0

# CoolingTower:VariableSpeed IDD defaults (Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed): Minimum Air Flow
# Rate Ratio 0.2 (allowed 0.2-0.5), Fraction of Tower Capacity in Free Convection
# Regime 0.125.
TOWER_FR_AIR_MIN = 0.2
TOWER_FRAC_FREE_CONV = 0.125

# Liquid water at 25 °C and 101.325 kPa (IAPWS-95, as tabulated in the CRC Handbook
# of Chemistry and Physics): density and isobaric specific heat. Over 20-35 °C they
# vary by < 0.3 %.
WATER_DENSITY_KG_M3 = 997.05
WATER_CP_J_KG_K = 4181.3

# Autosized design fan power per watt of design tower load: "We assume the nominal
# fan power is 0.0105 times the design load" (EnergyPlus CondenserLoopTowers.cc,
# CoolingTower::SizeTower, HighSpeedFanPowerWasAutoSized branch, used for
# CoolingTower:SingleSpeed/TwoSpeed/VariableSpeed;
# design load = rho·cp·V̇_design·ΔT_loop).
TOWER_DESIGN_FAN_POWER_PER_LOAD = 0.0105

# Bisection on the air flow ratio: fixed iteration cap and temperature tolerance.
_FAN_SOLVE_MAX_ITER = 60
_FAN_SOLVE_TOL_K = 1e-7


@njit
def _yorkcalc_group(c, k, twb, tr):
    twb2 = twb * twb
    tr2 = tr * tr
    return (
        c[k]
        + c[k + 1] * twb
        + c[k + 2] * twb2
        + c[k + 3] * tr
        + c[k + 4] * twb * tr
        + c[k + 5] * twb2 * tr
        + c[k + 6] * tr2
        + c[k + 7] * twb * tr2
        + c[k + 8] * twb2 * tr2
    )


@njit
def yorkcalc_approach_k(t_wb_c, range_k, lg):
    """Tower approach from the YorkCalc correlation (27 terms).

    Parameters
    ----------
    t_wb_c : float
        Inlet-air wet-bulb temperature [°C]; clamped to [−34.4, 26.6667].
    range_k : float
        Range, entering minus leaving water temperature [K]; clamped to
        [1.1111, 22.2222].
    lg : float
        Liquid-to-gas ratio FRwater / FRair [-]; clamped to [0, 8].

    Returns
    -------
    float
        Approach, leaving water minus inlet wet-bulb [K]. Not clamped to the
        correlation's approach range (1.1–40 K); EnergyPlus only warns there.

    Notes
    -----
    ``Approach = Σ C_ijk · Twb^i · Tr^j · LG^k`` ordered as C1 + C2 Twb + C3 Twb²
    + C4 Tr + C5 Twb Tr + C6 Twb² Tr + C7 Tr² + C8 Twb Tr² + C9 Twb² Tr²,
    then C10…C18 times LG and C19…C27 times LG², with the built-in coefficients
    :data:`YORKCALC_COEFFS`.

    References
    ----------
    EnergyPlus Engineering Reference, "Cooling Towers and Evaporative Fluid
    Coolers", Variable Speed Cooling Towers, YorkCalc model;
    the EnergyPlus Engineering Reference, "Cooling Towers and Evaporative Fluid Coolers".
    """
    g0, g1, g2 = _yorkcalc_groups(t_wb_c, range_k)
    x = _clamp(lg, 0.0, YORKCALC_LG_MAX)
    return g0 + g1 * x + g2 * x * x


@njit
def tower_leaving_water_c(t_wb_c, range_k, fr_air, fr_water):
    """Leaving water temperature of a variable-speed tower at a given fan speed.

    Parameters
    ----------
    t_wb_c : float
        Inlet-air wet-bulb temperature [°C].
    range_k : float
        Range [K].
    fr_air : float
        Air flow rate ratio (to design air flow) [-].
    fr_water : float
        Water flow rate ratio (to the reference water flow) [-]; not capped (as
        EnergyPlus for YorkCalc: the correlation's variable is LG, itself bounded).

    Returns
    -------
    float
        ``t_wb_c + yorkcalc_approach_k(t_wb_c, range_k, fr_water / fr_air)`` [°C].
        The approach uses the clamped wet-bulb; the actual wet-bulb is added.
        ``fr_air ≤ 0`` uses the maximum LG (8).

    References
    ----------
    EnergyPlus Engineering Reference, Variable Speed Cooling Towers, empirical
    models (Approach = T_w,out − T_wb,in, LG = FRwater / FRair);
    the EnergyPlus Engineering Reference, "Cooling Towers and Evaporative Fluid Coolers".
    """
    g0, g1, g2 = _yorkcalc_groups(t_wb_c, range_k)
    return _leaving_c(t_wb_c, g0, g1, g2, max(fr_water, 0.0), fr_air)


@njit
def tower_fan_control(t_wb_c, range_k, fr_water, t_set_c, fr_air_min, frac_free_conv):
    """EnergyPlus CoolingTower:VariableSpeed fan control for one time step.

    Parameters
    ----------
    t_wb_c : float
        Inlet-air wet-bulb temperature [°C].
    range_k : float
        Range the tower is asked for [K]; as in EnergyPlus the entering water
        is ``t_set_c + range_k`` (Tr = T_w,in − T_set).
    fr_water : float
        Water flow rate ratio (to the reference flow) [-]. ``≤ 0`` means no
        flow: fan off, leaving water = entering water.
    t_set_c : float
        Leaving water setpoint [°C].
    fr_air_min : float
        Minimum air flow rate ratio [-] (IDD default :data:`TOWER_FR_AIR_MIN`).
    frac_free_conv : float
        Fraction of tower capacity in free convection [-] (IDD default
        :data:`TOWER_FRAC_FREE_CONV`).

    Returns
    -------
    fr_air : float
        Air flow rate ratio while the fan runs [-] (0 when off, ``fr_air_min``
        when cycling at minimum speed).
    fan_plr : float
        Fraction of the step the fan runs [-].
    t_out_c : float
        Leaving water temperature, step average [°C].

    Notes
    -----
    Sequence (Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed): with ``T_max = t_wb + Approach(FRair = 1)``
    and ``T_off = T_in − frac_free_conv · (T_in − T_max)``,

    1. ``T_max ≥ T_set``: fan at full speed all step (setpoint not reachable).
    2. ``T_off ≤ T_set``: fan off, free convection, ``t_out = T_off``.
    3. ``T_min = t_wb + Approach(FRair,min) < T_set``: fan cycles at minimum
       speed, ``FanPLR = (T_off − T_set) / (T_off − T_min)``, ``t_out = T_set``.
    4. Otherwise FRair ∈ [FRair,min, 1] solves ``t_wb + Approach(FRair) = T_set``
       (closed form: the approach is quadratic in LG, see
       :func:`_fan_ratio_for_setpoint`; bisection to 1e-7 K as the fallback).

    In case 3 EnergyPlus *reports* an air flow ratio blended with the free
    convection fraction; here the running speed is returned so that
    :func:`tower_fan_power_w` gets its arguments directly (same power).

    References
    ----------
    EnergyPlus Engineering Reference, "Variable Speed Cooling Towers, Empirical
    Models", tower control; EnergyPlus CondenserLoopTowers.cc
    ``calculateVariableSpeedTower``; the EnergyPlus Engineering Reference, "Cooling Towers and Evaporative Fluid Coolers".
    """
    t_in_c = t_set_c + range_k
    if fr_water <= 0.0:
        return 0.0, 0.0, t_in_c
    # the three YorkCalc groups depend on wet bulb and range only: evaluated once here
    g0, g1, g2 = _yorkcalc_groups(t_wb_c, range_k)
    # the water flow ratio enters uncapped, through LG (see YORKCALC_FR_WATER_MIN)
    frw = fr_water
    t_max_c = _leaving_c(t_wb_c, g0, g1, g2, frw, 1.0)
    if t_max_c >= t_set_c:
        return 1.0, 1.0, t_max_c
    t_off_c = t_in_c - frac_free_conv * (t_in_c - t_max_c)
    if t_off_c <= t_set_c:
        return 0.0, 0.0, t_off_c
    fr_lo = _clamp(fr_air_min, 0.0, 1.0)
    t_min_c = _leaving_c(t_wb_c, g0, g1, g2, frw, fr_lo)
    if t_min_c < t_set_c:
        denom = t_off_c - t_min_c
        fan_plr = 1.0
        if denom > 0.0:
            fan_plr = _clamp((t_off_c - t_set_c) / denom, 0.0, 1.0)
        return fr_lo, fan_plr, t_set_c
    # t_min >= t_set > t_max: the root is bracketed in [fr_lo, 1].
    fr = _fan_ratio_for_setpoint(t_wb_c, g0, g1, g2, frw, t_set_c, fr_lo)
    return fr, 1.0, _leaving_c(t_wb_c, g0, g1, g2, frw, fr)


@njit
def _yorkcalc_groups(t_wb_c, range_k):
    """The constant, LG and LG² groups of :func:`yorkcalc_approach_k` at this wet bulb
    and range (each clamped to the correlation's range as there)."""
    c = YORKCALC_COEFFS
    twb = _clamp(t_wb_c, YORKCALC_T_WB_MIN_C, YORKCALC_T_WB_MAX_C)
    tr = _clamp(range_k, YORKCALC_RANGE_MIN_K, YORKCALC_RANGE_MAX_K)
    return (
        _yorkcalc_group(c, 0, twb, tr),
        _yorkcalc_group(c, 9, twb, tr),
        _yorkcalc_group(c, 18, twb, tr),
    )


@njit
def _leaving_c(t_wb_c, g0, g1, g2, frw, fr_air):
    """:func:`tower_leaving_water_c` from precomputed groups and the clamped water ratio."""
    lg = YORKCALC_LG_MAX
    if fr_air > 0.0:
        lg = frw / fr_air
    x = _clamp(lg, 0.0, YORKCALC_LG_MAX)
    return t_wb_c + (g0 + g1 * x + g2 * x * x)


@njit
def _fan_ratio_for_setpoint(t_wb_c, g0, g1, g2, frw, t_set_c, fr_lo):
    """Air flow ratio in [fr_lo, 1] at which the tower leaves water at ``t_set_c``.

    At fixed wet-bulb and range the YorkCalc approach is a quadratic in LG,
    ``A(LG) = g0 + g1 LG + g2 LG²`` (:func:`yorkcalc_approach_k`), so the speed
    that meets the setpoint follows from the root of ``A(LG) = T_set − t_wb``
    inside the bracket, with ``FRair = FRwater / LG``. EnergyPlus finds the
    same root iteratively (``SolveRoot`` in ``calculateVariableSpeedTower``);
    bisection is kept as the fallback should round-off put the root just
    outside the bracket.
    """
    a = g0 - (t_set_c - t_wb_c)
    b = g1
    c = g2
    x_lo = frw  # LG at full speed
    x_hi = YORKCALC_LG_MAX
    if fr_lo > 0.0:
        x_hi = min(frw / fr_lo, YORKCALC_LG_MAX)
    slack = 1e-9 * (x_hi - x_lo) + 1e-12
    x = -1.0
    if abs(c) <= 1e-12 * abs(b):
        if b != 0.0:
            x = -a / b
    else:
        disc = b * b - 4.0 * c * a
        if disc >= 0.0:
            q = -0.5 * (b + math.copysign(math.sqrt(disc), b))
            r1 = q / c
            r2 = a / q if q != 0.0 else r1
            # the root where the approach rises with LG (falls with fan speed)
            for r in (r1, r2):
                if x_lo - slack <= r <= x_hi + slack and b + 2.0 * c * r >= 0.0:
                    x = r
                    break
    if x_lo - slack <= x <= x_hi + slack:
        return _clamp(frw / _clamp(x, x_lo, x_hi), fr_lo, 1.0)
    lo = fr_lo
    hi = 1.0
    mid = hi
    for _ in range(_FAN_SOLVE_MAX_ITER):
        mid = 0.5 * (lo + hi)
        err = _leaving_c(t_wb_c, g0, g1, g2, frw, mid) - t_set_c
        if abs(err) < _FAN_SOLVE_TOL_K:
            break
        if err > 0.0:
            lo = mid
        else:
            hi = mid
    return mid


@njit
def tower_fan_power_w(p_fan_design_w, fr_air, fan_plr):
    """Tower fan electric power with the 2Zone example fan curve.

    Parameters
    ----------
    p_fan_design_w : float
        Design fan power at FRair = 1 [W].
    fr_air : float
        Air flow rate ratio while running [-]; curve input clamped to [0.15, 1].
    fan_plr : float
        Fraction of the step the fan runs [-].

    Returns
    -------
    float
        ``P_design · FanPLR · max(0, curve(FRair))`` [W]; 0 when the fan is off.

    References
    ----------
    EnergyPlus Engineering Reference, Variable Speed Cooling Towers (fan power
    from "Fan Power Ratio Function of Air Flow Rate Ratio Curve");
    Curve:Cubic CoolingTowerFanRatioCurve in 2ZoneDataCenterHVAC_wEconomizer.idf;
    the EnergyPlus Engineering Reference, "Cooling Towers and Evaporative Fluid Coolers".
    """
    if fr_air <= 0.0 or fan_plr <= 0.0 or p_fan_design_w <= 0.0:
        return 0.0
    x = _clamp(fr_air, TOWER_FAN_CURVE_X_MIN, TOWER_FAN_CURVE_X_MAX)
    c = TOWER_FAN_CURVE
    ratio = c[0] + x * (c[1] + x * (c[2] + x * c[3]))
    return p_fan_design_w * min(fan_plr, 1.0) * max(0.0, ratio)


@njit
def tower_design_fan_power_w(q_rej_design_w):
    """Autosized tower design fan power, EnergyPlus rule.

    Parameters
    ----------
    q_rej_design_w : float
        Design tower heat rejection [W]
        (EnergyPlus: ρ c_p V̇_w,design ΔT_loop,design).

    Returns
    -------
    float
        ``0.0105 · q_rej_design_w`` [W]; 0 for a non-positive load.

    References
    ----------
    EnergyPlus CondenserLoopTowers.cc, ``CoolingTower::SizeTower`` ("We assume
    the nominal fan power is 0.0105 times the design load"), the sizing routine
    used for CoolingTower:VariableSpeed; EnergyPlus Input Output Reference,
    CoolingTower:VariableSpeed, field "Design Fan Power" (autosizable).
    """
    if q_rej_design_w <= 0.0:
        return 0.0
    return TOWER_DESIGN_FAN_POWER_PER_LOAD * q_rej_design_w
