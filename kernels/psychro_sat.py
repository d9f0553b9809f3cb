"""Saturated moist air at a given enthalpy: its temperature (EnergyPlus ``PsyTsatFnHPb``).

A cooling tower's exit air leaves saturated with the enthalpy the water gave it; its
temperature solves ``h_s(T) = h`` (:func:`sat_temp_from_enthalpy_c`, Halley's method with
analytic derivatives of ASHRAE Handbook—Fundamentals 2017 (SI) ch. 1 eqs 5, 6, 23 and 32).
:func:`sat_enthalpy_terms` and :func:`sat_temp_halley_c` split it so that the towers of
one step, which share the outdoor air, share their start (:mod:`kernels.tower_water`).
Scalar, CUDA-safe, as :mod:`kernels.psychro`.
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.psychro import (
    MOLAR_MASS_RATIO_WATER_AIR,
    TRIPLE_POINT_WATER_C,
    sat_vapor_pressure_pa,
)

__all__ = ["sat_enthalpy_terms", "sat_temp_from_enthalpy_c", "sat_temp_halley_c"]

#: Most Halley steps of :func:`sat_temp_from_enthalpy_c`; it stops after a step under
#: :data:`SAT_TEMP_TOL_K`. Convergence is cubic: after a step under 0.1 K the error is
#: below 2e-7 K (checked against PsychroLib from −20 to 60 °C, starts 40 K off).
SAT_TEMP_MAX_ITERATIONS = 12
SAT_TEMP_TOL_K = 0.1
#: Bounds on the saturation temperature of :func:`sat_temp_from_enthalpy_c` [°C]
#: (numerical guard: above 80 °C the vapour pressure nears the station pressure of a high
#: site and W diverges; air leaving a cooling tower is far below it).
SAT_TEMP_MIN_C = -60.0
SAT_TEMP_MAX_C = 80.0


@njit
def _ln_pws_derivatives(t_c):
    """First and second derivatives of ln p_ws in T [1/K, 1/K²]: eqs 5 and 6 of ASHRAE
    2017 ch. 1 differentiated term by term (the coefficients of
    :func:`sat_vapor_pressure_pa`)."""
    t_k = t_c + 273.15
    t2 = t_k * t_k
    if t_c < TRIPLE_POINT_WATER_C:
        g = (
            5.6745359e3 / t2
            - 9.677843e-3
            + 2.0 * 6.2215701e-7 * t_k
            + 3.0 * 2.0747825e-9 * t2
            - 4.0 * 9.484024e-13 * t2 * t_k
            + 4.1635019 / t_k
        )
        g1 = (
            -2.0 * 5.6745359e3 / (t2 * t_k)
            + 2.0 * 6.2215701e-7
            + 6.0 * 2.0747825e-9 * t_k
            - 12.0 * 9.484024e-13 * t2
            - 4.1635019 / t2
        )
        return g, g1
    g = 5.8002206e3 / t2 - 4.8640239e-2 + 2.0 * 4.1764768e-5 * t_k
    g += -3.0 * 1.4452093e-8 * t2 + 6.5459673 / t_k
    g1 = -2.0 * 5.8002206e3 / (t2 * t_k) + 2.0 * 4.1764768e-5
    g1 += -6.0 * 1.4452093e-8 * t_k - 6.5459673 / t2
    return g, g1


@njit
def sat_temp_from_enthalpy_c(h_j_kg, p_pa, t_start_c):
    """Temperature [°C] of saturated air with the enthalpy ``h_j_kg`` [J/kg dry air, eq 32
    scale] at the pressure ``p_pa`` [Pa]: ``T`` with
    ``h_s(T) = 1006 T + W_s(T) (2 501 000 + 1860 T) = h``, kept in
    [:data:`SAT_TEMP_MIN_C`, :data:`SAT_TEMP_MAX_C`]. ``t_start_c`` [°C] starts the
    iteration (e.g. a tower's inlet wet bulb, whose saturated enthalpy is near the inlet
    air's).

    The role of EnergyPlus's ``PsyTsatFnHPb``. Halley's method on ``f = h_s(T) − h``,
    ``T ← T − 2 f f' / (2 f'² − f f'')``, with the derivatives analytic:
    ``f' = 1006 + 1860 W_s + (2 501 000 + 1860 T) W_s'``,
    ``f'' = 3720 W_s' + (2 501 000 + 1860 T) W_s''``, ``W_s = ε p_ws / (p − p_ws)``,
    ``W_s' = ε p p_ws' / (p − p_ws)²``,
    ``W_s'' = ε p (p_ws'' (p − p_ws) + 2 p_ws'²) / (p − p_ws)³``,
    ``p_ws' = p_ws g``, ``p_ws'' = p_ws (g² + g')`` with ``g = d ln p_ws / dT``. It
    converges cubically; it stops after a step under :data:`SAT_TEMP_TOL_K` (two or
    three evaluations from a start within 20 K), at most
    :data:`SAT_TEMP_MAX_ITERATIONS`.

    References
    ----------
    ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1, eqs 5, 6, 23 and 32.
    """
    t = min(max(t_start_c, SAT_TEMP_MIN_C), SAT_TEMP_MAX_C)
    return sat_temp_halley_c(h_j_kg, p_pa, sat_enthalpy_terms(t, p_pa, sat_vapor_pressure_pa(t)))


@njit
def sat_enthalpy_terms(t_c, p_pa, p_ws):
    """``(T, h_s(T), f'(T), f''(T))`` of :func:`sat_temp_from_enthalpy_c` at ``t_c`` [°C]
    with ``p_ws`` = p_ws(T) [Pa]: all a Halley step needs but ``h``, so a start shared by
    several enthalpies (the towers of one step, same outdoor air) is computed once."""
    eps = MOLAR_MASS_RATIO_WATER_AIR
    d = p_pa - p_ws
    g, g1 = _ln_pws_derivatives(t_c)
    p1 = p_ws * g
    p2 = p_ws * (g * g + g1)
    w = eps * p_ws / d
    w1 = eps * p_pa * p1 / (d * d)
    w2 = eps * p_pa * (p2 * d + 2.0 * p1 * p1) / (d * d * d)
    a = 2501000.0 + 1860.0 * t_c
    return t_c, 1006.0 * t_c + w * a, 1006.0 + 1860.0 * w + a * w1, 3720.0 * w1 + a * w2


@njit
def sat_temp_halley_c(h_j_kg, p_pa, start):
    """:func:`sat_temp_from_enthalpy_c` from ``start`` = :func:`sat_enthalpy_terms` at a
    start already in [:data:`SAT_TEMP_MIN_C`, :data:`SAT_TEMP_MAX_C`]."""
    t, h_s, f1, f2 = start
    for _ in range(SAT_TEMP_MAX_ITERATIONS):
        f = h_s - h_j_kg
        step = 2.0 * f * f1 / (2.0 * f1 * f1 - f * f2)
        t = min(max(t - step, SAT_TEMP_MIN_C), SAT_TEMP_MAX_C)
        if abs(step) < SAT_TEMP_TOL_K:
            break
        _, h_s, f1, f2 = sat_enthalpy_terms(t, p_pa, sat_vapor_pressure_pa(t))
    return t
