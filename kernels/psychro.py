"""Psychrometrics of moist air (SI), after ASHRAE Handbook—Fundamentals 2017, ch. 1.

Scalar functions are CUDA-safe (only :mod:`math`, positional arguments, no
numpy) and compiled with the project's :func:`kernels._jit.njit`. Temperatures
are in °C, pressures in Pa, humidity ratios in kg of water vapour per kg of dry
air, relative humidity as a 0–1 fraction.

References
----------
.. [1] ASHRAE, *ASHRAE Handbook—Fundamentals (SI)*, ch. 1 "Psychrometrics",
   2017: eqs 3 (standard pressure), 5 and 6 (Hyland–Wexler saturation pressure),
   20/22/23 (humidity ratio), 26 (specific volume), 32 (enthalpy),
   33 and 35 (wet-bulb equation).
.. [2] D. Meyer and D. Thevenard, "PsychroLib: a library of psychrometric
   functions to calculate thermodynamic properties of air", *J. Open Source
   Software* 4(33), 1137, 2019, :doi:`10.21105/joss.01137` (used as the test
   oracle, not as code).

The temperature of saturated air at a given enthalpy (a cooling tower's exit air) is in
:mod:`kernels.psychro_sat`.
"""

from __future__ import annotations

import math

import numpy as np

from kernels._jit import njit

__all__ = [
    "AIR_CP_J_KG_K",
    "AIR_DENSITY_KG_M3",
    "dew_point_c",
    "dry_air_density_kg_m3",
    "humidity_ratio_from_rh",
    "humidity_ratio_from_wet_bulb",
    "moist_air_enthalpy_j_kg",
    "sat_vapor_pressure_pa",
    "station_pressure_pa",
    "vapor_pressure_from_w_pa",
    "wet_bulb_c",
    "wet_bulb_c_array",
]

#: Dry air near 20 °C at sea level: density [kg/m³] and specific heat [J/(kg K)]
#: (ASHRAE Handbook—Fundamentals 2017, ch. 1); every air flow of the twin uses these.
AIR_DENSITY_KG_M3 = 1.204
AIR_CP_J_KG_K = 1006.0
#: Ratio of molecular masses of water vapour and dry air, ASHRAE 2017 ch. 1 eq 22 [-].
MOLAR_MASS_RATIO_WATER_AIR = 0.621945
#: Triple point of water: below it eq 5 (ice) applies, above it eq 6 (water) [°C].
TRIPLE_POINT_WATER_C = 0.01
#: Number of bisection halvings in :func:`wet_bulb_c` (bracket 60 K → 60/2**60 K).
WET_BULB_BISECTION_ITERATIONS = 60
#: Width of the wet-bulb bracket below the dry bulb; depressions in air are < 40 K [K].
WET_BULB_BRACKET_K = 60.0
#: Gas constant of dry air in ASHRAE 2017 ch. 1 eq 26 (0.287042 kJ/(kg K)) [J/(kg K)].
R_DRY_AIR_J_KG_K = 287.042
#: Ratio in eq 26's moist-air term, (1 + 1.607858 W) = 1 + W / 0.621945 [-].
SPECIFIC_VOLUME_W_FACTOR = 1.607858


@njit
def sat_vapor_pressure_pa(t_c):
    """Saturation pressure of water vapour over ice or liquid water (Hyland–Wexler).

    Parameters
    ----------
    t_c : float
        Temperature [°C], valid −100 to 200 °C.

    Returns
    -------
    float
        Saturation vapour pressure [Pa]: over ice (eq 5) below the triple point
        0.01 °C, over liquid water (eq 6) above it.

    References
    ----------
    ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1, eqs 5 and 6.
    """
    t_k = t_c + 273.15
    if t_c < TRIPLE_POINT_WATER_C:
        ln_p = (
            -5.6745359e3 / t_k
            + 6.3925247
            - 9.677843e-3 * t_k
            + 6.2215701e-7 * t_k * t_k
            + 2.0747825e-9 * t_k * t_k * t_k
            - 9.484024e-13 * t_k * t_k * t_k * t_k
            + 4.1635019 * math.log(t_k)
        )
    else:
        ln_p = (
            -5.8002206e3 / t_k
            + 1.3914993
            - 4.8640239e-2 * t_k
            + 4.1764768e-5 * t_k * t_k
            - 1.4452093e-8 * t_k * t_k * t_k
            + 6.5459673 * math.log(t_k)
        )
    return math.exp(ln_p)


@njit
def humidity_ratio_from_rh(t_db_c, rh_frac, p_pa):
    """Humidity ratio of moist air from dry bulb and relative humidity.

    Parameters
    ----------
    t_db_c : float
        Dry-bulb temperature [°C].
    rh_frac : float
        Relative humidity, ratio of vapour pressure to saturation pressure [0–1].
    p_pa : float
        Total (station) pressure [Pa].

    Returns
    -------
    float
        Humidity ratio [kg/kg dry air].

    Notes
    -----
    :math:`p_w = \\phi\\,p_{ws}(t)`, :math:`W = 0.621945\\,p_w/(p - p_w)`
    (ASHRAE 2017 ch. 1 eqs 20 and 22 with the RH definition, eq 24 form).

    References
    ----------
    ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1, eqs 20, 22.
    """
    p_w = rh_frac * sat_vapor_pressure_pa(t_db_c)
    return MOLAR_MASS_RATIO_WATER_AIR * p_w / (p_pa - p_w)


@njit
def _humidity_ratio_from_wet_bulb(t_db_c, t_wb_c, p_pa):
    """Humidity ratio implied by a wet bulb, ASHRAE 2017 ch. 1 eq 33 / eq 35 [kg/kg]."""
    return humidity_ratio_wet_bulb_pws(t_db_c, t_wb_c, p_pa, sat_vapor_pressure_pa(t_wb_c))


@njit
def humidity_ratio_wet_bulb_pws(t_db_c, t_wb_c, p_pa, p_ws):
    """:func:`_humidity_ratio_from_wet_bulb` with ``p_ws`` = p_ws(t_wb) [Pa] given."""
    w_s = MOLAR_MASS_RATIO_WATER_AIR * p_ws / (p_pa - p_ws)
    if t_wb_c >= 0.0:
        num = (2501.0 - 2.326 * t_wb_c) * w_s - 1.006 * (t_db_c - t_wb_c)
        den = 2501.0 + 1.86 * t_db_c - 4.186 * t_wb_c
    else:
        num = (2830.0 - 0.24 * t_wb_c) * w_s - 1.006 * (t_db_c - t_wb_c)
        den = 2830.0 + 1.86 * t_db_c - 2.1 * t_wb_c
    return num / den


@njit
def wet_bulb_c(t_db_c, rh_frac, p_pa):
    """Thermodynamic wet-bulb temperature from dry bulb, RH and pressure.

    Parameters
    ----------
    t_db_c : float
        Dry-bulb temperature [°C].
    rh_frac : float
        Relative humidity [0–1].
    p_pa : float
        Total (station) pressure [Pa].

    Returns
    -------
    float
        Wet-bulb temperature [°C], ≤ ``t_db_c``, equal to it at saturation.

    Notes
    -----
    Solves the psychrometric wet-bulb equation (eq 33 above 0 °C wet bulb, eq 35
    below, over ice) for :math:`t^*` such that :math:`W(t, t^*, p)` equals the
    humidity ratio of the air, by bisection on
    ``[t_db_c - WET_BULB_BRACKET_K, t_db_c]`` with a fixed
    ``WET_BULB_BISECTION_ITERATIONS`` halvings (no convergence test, so the cost
    is the same in every thread of a GPU warp). :math:`W(t^*)` increases with
    :math:`t^*`, which makes the bracket valid.

    References
    ----------
    ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1, eqs 33 and 35.
    """
    w_target = humidity_ratio_from_rh(t_db_c, rh_frac, p_pa)
    lo = t_db_c - WET_BULB_BRACKET_K
    hi = t_db_c
    for _ in range(WET_BULB_BISECTION_ITERATIONS):
        mid = 0.5 * (lo + hi)
        if _humidity_ratio_from_wet_bulb(t_db_c, mid, p_pa) > w_target:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


@njit
def moist_air_enthalpy_j_kg(t_db_c, w_kg_kg):
    """Specific enthalpy of moist air per kg of dry air.

    Parameters
    ----------
    t_db_c : float
        Dry-bulb temperature [°C].
    w_kg_kg : float
        Humidity ratio [kg/kg dry air].

    Returns
    -------
    float
        Enthalpy [J/kg dry air], zero for dry air at 0 °C.

    Notes
    -----
    :math:`h = 1.006\\,t + W\\,(2501 + 1.86\\,t)` kJ/kg (eq 32), returned in J/kg.

    References
    ----------
    ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1, eq 32.
    """
    return 1000.0 * (1.006 * t_db_c + w_kg_kg * (2501.0 + 1.86 * t_db_c))


@njit
def station_pressure_pa(elevation_m):
    """Standard-atmosphere barometric pressure at an elevation.

    Parameters
    ----------
    elevation_m : float
        Elevation above sea level [m], valid −500 to 11,000 m.

    Returns
    -------
    float
        Pressure [Pa].

    Notes
    -----
    :math:`p = 101.325\\,(1 - 2.25577\\times10^{-5} Z)^{5.2559}` kPa (eq 3).

    References
    ----------
    ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1, eq 3.
    """
    return 101325.0 * (1.0 - 2.25577e-5 * elevation_m) ** 5.2559


@njit
def humidity_ratio_from_wet_bulb(t_db_c, t_wb_c, p_pa):
    """Humidity ratio of moist air from dry bulb, thermodynamic wet bulb and pressure.

    ``t_db_c``, ``t_wb_c`` [°C], ``p_pa`` total (station) pressure [Pa]; returns the
    humidity ratio [kg/kg dry air].

    References
    ----------
    ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1, eq 33 (wet bulb above 0 °C) and
    eq 35 (below), with :math:`W_s^*` from eqs 6/5 and 23. Never below 0 (a wet bulb
    too low for its dry bulb, e.g. rounded data, gives dry air).
    """
    return max(_humidity_ratio_from_wet_bulb(t_db_c, t_wb_c, p_pa), 0.0)


@njit
def dry_air_density_kg_m3(t_db_c, w_kg_kg, p_pa):
    """Mass of dry air per cubic metre of moist air at ``t_db_c`` [°C], humidity ratio
    ``w_kg_kg`` [kg/kg] and pressure ``p_pa`` [Pa]: ``1 / v`` with
    ``v = R_da (t + 273.15)(1 + 1.607858 W) / p`` [kg dry air/m³].

    A volume flow of moist air times this density is its dry-air mass flow, the flow that
    multiplies humidity ratios and enthalpies per kg of dry air (the form of EnergyPlus's
    ``PsyRhoAirFnPbTdbW``).

    References
    ----------
    ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1, eq 26.
    """
    v = R_DRY_AIR_J_KG_K * (t_db_c + 273.15) * (1.0 + SPECIFIC_VOLUME_W_FACTOR * w_kg_kg) / p_pa
    return 1.0 / v


@njit
def _sat_vapor_loop(t_c, out):
    for i in range(t_c.shape[0]):
        out[i] = sat_vapor_pressure_pa(t_c[i])


def sat_vapor_pressure_pa_array(t_c):
    """Saturation pressure of water vapour for an array (element-wise
    :func:`sat_vapor_pressure_pa`) [Pa]."""
    t = np.ascontiguousarray(np.asarray(t_c, dtype=np.float64)).ravel()
    out = np.empty(t.shape[0], dtype=np.float64)
    _sat_vapor_loop(t, out)
    return out.reshape(np.shape(t_c))


@njit
def _wet_bulb_loop(t_db_c, rh_frac, p_pa, out):
    for i in range(t_db_c.shape[0]):
        out[i] = wet_bulb_c(t_db_c[i], rh_frac[i], p_pa[i])


def wet_bulb_c_array(t_db_c, rh_frac, p_pa):
    """Wet-bulb temperature for arrays (element-wise :func:`wet_bulb_c`).

    Parameters
    ----------
    t_db_c : array_like
        Dry-bulb temperature [°C].
    rh_frac : array_like
        Relative humidity [0–1].
    p_pa : array_like or float
        Total pressure [Pa]; broadcast against the others.

    Returns
    -------
    numpy.ndarray
        Wet-bulb temperature [°C], float64, shape of the broadcast inputs.

    References
    ----------
    ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1, eqs 33 and 35.
    """
    t, rh, p = np.broadcast_arrays(
        np.asarray(t_db_c, dtype=np.float64),
        np.asarray(rh_frac, dtype=np.float64),
        np.asarray(p_pa, dtype=np.float64),
    )
    shape = t.shape
    t1 = np.ascontiguousarray(t).ravel()
    rh1 = np.ascontiguousarray(rh).ravel()
    p1 = np.ascontiguousarray(p).ravel()
    out = np.empty(t1.shape[0], dtype=np.float64)
    _wet_bulb_loop(t1, rh1, p1, out)
    return out.reshape(shape)


@njit
def vapor_pressure_from_w_pa(w, p_pa):
    """Partial pressure of the water vapour of moist air of humidity ratio ``w`` at total
    pressure ``p_pa`` [Pa] (ASHRAE Handbook—Fundamentals 2017 ch. 1 eq 20 solved for p_w)."""
    return p_pa * w / (MOLAR_MASS_RATIO_WATER_AIR + w)


#: Gas constant of water vapour R/M_w = 8314.46 / 18.015 [J/(kg K)], the latent heat
#: of vaporisation at 0 °C and its fall per K (ASHRAE 2017 ch. 1 Table 3: h_fg =
#: 2500.9 kJ/kg at 0 °C, 2453.5 at 20 °C) and of sublimation (the 2830 kJ/kg of eq 35):
#: the Clausius–Clapeyron slope of ln p_ws that steers the dew-point Newton steps (it
#: sets only the speed; the root is that of eqs 5/6). Three steps leave < 1e-7 K
#: over −40…40 °C.
_R_VAPOR_J_KG_K = 461.52
_L_VAP_J_KG = 2.5009e6
_DL_VAP_J_KG_K = 2.37e3
_L_SUB_J_KG = 2.830e6
_DEW_POINT_NEWTON_STEPS = 3


@njit
def dew_point_c(w, p_pa):
    """Dew point of moist air of humidity ratio ``w`` at pressure ``p_pa`` [°C].

    The vapour pressure ``p_w = p W / (0.621945 + W)`` (ASHRAE 2017 ch. 1 eq 20
    solved for p_w); a first guess from eqs 37 (0–93 °C) and 38 (below 0 °C),
    then a fixed number of Newton steps on ``ln p_ws(t) = ln p_w`` with the
    Hyland–Wexler saturation pressure (eqs 5/6, :func:`sat_vapor_pressure_pa`)
    and the Clausius–Clapeyron slope ``L / (R_v T²)``; converged to < 1e-7 K.
    Returns −100 °C for dry air.
    """
    p_w = vapor_pressure_from_w_pa(w, p_pa)
    if p_w <= 0.0:
        return -100.0
    alpha = math.log(p_w / 1000.0)
    t = 6.54 + 14.526 * alpha + 0.7389 * alpha * alpha + 0.09486 * alpha * alpha * alpha
    t += 0.4569 * (p_w / 1000.0) ** 0.1984
    if t < 0.0:
        t = 6.09 + 12.608 * alpha + 0.4959 * alpha * alpha
    ln_pw = math.log(p_w)
    for _ in range(_DEW_POINT_NEWTON_STEPS):
        t_k = t + 273.15
        lat = _L_SUB_J_KG if t < TRIPLE_POINT_WATER_C else _L_VAP_J_KG - _DL_VAP_J_KG_K * t
        slope = lat / (_R_VAPOR_J_KG_K * t_k * t_k)
        t -= (math.log(sat_vapor_pressure_pa(t)) - ln_pw) / slope
    return t
