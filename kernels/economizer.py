"""Water-side economizer: plate heat exchanger ahead of the chillers.

Scalar, CUDA-safe kernels (only :mod:`math`, no defaults or keywords).

References
----------
EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat Exchanger"
(HeatExchanger:FluidToFluid), the EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat Exchanger";
ANSI/ASHRAE/IES Standard 90.1, sections 6.5.1.2 (water economizers) and
6.5.1.3 (integrated economizer control); ANSI/ASHRAE Standard 90.4 (data
centers, mechanical load component, which credits economizer hours).
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.layout import L_DT_K, L_HX_APPROACH_K, L_Q_DESIGN_W, L_T_SUPPLY_C

__all__ = [
    "NO_HX",
    "WSE_HX_APPROACH_K",
    "WSE_MODE_FULL",
    "WSE_MODE_OFF",
    "WSE_MODE_PARTIAL",
    "hx_at_load",
    "hx_c_cond_w_k",
    "hx_effectiveness_counterflow",
    "hx_free_at_w",
    "hx_free_w",
    "hx_precool_c",
    "hx_ua_w_k",
    "wse_cond_flow_frac",
    "wse_design_ua_w_k",
    "wse_full_free_cond_c",
    "wse_full_free_cond_hx_c",
    "wse_hx_at_load",
    "wse_split",
    "wse_split_hx",
    "wse_split_ntu",
]

# Economizer modes returned by wse_split.
WSE_MODE_OFF = 0
WSE_MODE_PARTIAL = 1
WSE_MODE_FULL = 2

# Typical plate heat-exchanger approach between condenser (tower) water and the
# precooled chilled water, a design choice not an EnergyPlus default (EnergyPlus
# models the HX by UA / effectiveness): ~1-2 K is common for data-centre plate
# exchangers; 1.5 K is used as the example value.
WSE_HX_APPROACH_K = 1.5

# Below this |1 - C_r| the counter-flow formula is replaced by its limit NTU/(1+NTU).
_C_RATIO_ONE_TOL = 1e-6


@njit
def hx_effectiveness_counterflow(ntu, c_ratio):
    """Effectiveness of a counter-flow heat exchanger (ε-NTU).

    Parameters
    ----------
    ntu : float
        Number of transfer units UA / C_min [-]; ``≤ 0`` gives 0.
    c_ratio : float
        Capacity-rate ratio C_min / C_max [-], clamped to [0, 1].

    Returns
    -------
    float
        ``ε = (1 − e^{−NTU(1−C_r)}) / (1 − C_r e^{−NTU(1−C_r)})`` [-]; for
        ``C_r → 1`` the limit ``NTU / (1 + NTU)``; always in [0, 1].

    References
    ----------
    EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat
    Exchanger", counter-flow effectiveness; Incropera and DeWitt,
    *Fundamentals of Heat and Mass Transfer*, Table 11.3;
    the EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat Exchanger".
    """
    if ntu <= 0.0:
        return 0.0
    cr = c_ratio
    if cr < 0.0:
        cr = 0.0
    elif cr > 1.0:
        cr = 1.0
    if 1.0 - cr < _C_RATIO_ONE_TOL:
        return ntu / (1.0 + ntu)
    e = math.exp(-ntu * (1.0 - cr))
    eps = (1.0 - e) / (1.0 - cr * e)
    return min(1.0, max(0.0, eps))


@njit
def wse_split(q_load_w, t_chw_return_c, t_chw_supply_c, t_cond_water_c, hx_approach_k):
    """Split a chilled-water load between the economizer HX and the chillers.

    Parameters
    ----------
    q_load_w : float
        Chilled-water load [W].
    t_chw_return_c : float
        Chilled-water return temperature entering the HX [°C].
    t_chw_supply_c : float
        Chilled-water supply setpoint [°C].
    t_cond_water_c : float
        Condenser (tower) water temperature entering the HX [°C].
    hx_approach_k : float
        HX approach: precooled chilled water minus entering condenser water [K]
        (example value :data:`WSE_HX_APPROACH_K`).

    Returns
    -------
    q_free_w : float
        Load removed by the HX [W]; the chillers take ``q_load_w − q_free_w``.
    mode : int
        2 full free cooling, 1 partial (integrated), 0 mechanical only.

    Notes
    -----
    Integrated (series, upstream of the chillers) economizer. The HX precools
    the return water to ``t_pre = max(t_cond + approach, t_supply)``:

    * ``t_pre ≤ t_supply`` (i.e. ``t_cond + approach ≤ t_supply``): mode 2,
      ``q_free = q_load``;
    * ``t_supply < t_pre < t_return``: mode 1,
      ``q_free = q_load · (t_return − t_pre) / (t_return − t_supply)``;
    * ``t_pre ≥ t_return``, no load or ``t_return ≤ t_supply``: mode 0.

    This is what EnergyPlus gives with a HeatExchanger:FluidToFluid on the
    chilled-water supply side upstream of the chillers, control type
    ``CoolingSetpointModulated`` (the HX cools toward the setpoint and the
    chillers downstream trim the rest), with the HX expressed by a fixed
    approach instead of UA; the ``CoolingSetpointOnOffWithComponentOverride``
    mode instead switches the chiller off and allows no partial economizing.
    ASHRAE 90.1 section 6.5.1.3 requires economizers to be integrated
    (able to run together with mechanical cooling), which mode 1 represents.

    References
    ----------
    EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat
    Exchanger" (HeatExchanger:FluidToFluid control types); EnergyPlus Input
    Output Reference, HeatExchanger:FluidToFluid; ANSI/ASHRAE/IES Standard 90.1,
    sections 6.5.1.2-6.5.1.3; ANSI/ASHRAE Standard 90.4;
    the EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat Exchanger".
    """
    if q_load_w <= 0.0 or t_chw_return_c <= t_chw_supply_c:
        return 0.0, WSE_MODE_OFF
    t_pre_c = max(t_cond_water_c + hx_approach_k, t_chw_supply_c)
    if t_pre_c >= t_chw_return_c:
        return 0.0, WSE_MODE_OFF
    if t_pre_c <= t_chw_supply_c:
        return q_load_w, WSE_MODE_FULL
    frac = (t_chw_return_c - t_pre_c) / (t_chw_return_c - t_chw_supply_c)
    return q_load_w * frac, WSE_MODE_PARTIAL


@njit
def wse_design_ua_w_k(q_design_w, approach_k):
    """UA of the economizer heat exchanger from its design point [W/K].

    Design point: the design load with balanced flows (the exchanger's condenser-side
    design flow equals the chilled-water design flow, ``C_cond = C_chw = Q_d / ΔT_d``),
    the chilled water cooled from the return to the supply with the condenser water
    entering ``approach_k`` below the supply. Counter-flow at ``C_r = 1``,
    ``ε = NTU / (1 + NTU)`` and ``ε = ΔT_d / (ΔT_d + approach)``, so ``NTU = ΔT_d /
    approach`` and ``UA = NTU C = Q_d / approach`` (independent of ΔT_d). EnergyPlus takes
    this UA as the ``HeatExchanger:FluidToFluid`` input and holds it fixed at all flows.
    """
    if q_design_w <= 0.0 or approach_k <= 0.0:
        return 0.0
    return q_design_w / approach_k


@njit
def wse_split_ntu(q_load_w, t_chw_return_c, t_chw_supply_c, t_cond_water_c, ua_w_k, c_cond_w_k):
    """:func:`wse_split` by effectiveness: a counter-flow exchanger of fixed UA.

    Parameters
    ----------
    q_load_w, t_chw_return_c, t_chw_supply_c, t_cond_water_c : float
        As :func:`wse_split`. The chilled water crosses the exchanger with the flow that
        carries the load at the return-supply difference, ``C_chw = q / (T_ret − T_sup)``.
    ua_w_k : float
        The exchanger's UA, fixed (:func:`wse_design_ua_w_k`) [W/K].
    c_cond_w_k : float
        Condenser-side capacity rate at full flow [W/K] (its own design flow).

    Returns
    -------
    q_free_w, mode : as :func:`wse_split`.

    Notes
    -----
    EnergyPlus ``HeatExchanger:FluidToFluid``, ``CoolingSetpointModulated`` [1]: the
    exchanger runs when the condenser water is colder than the chilled-water inlet; at
    full condenser flow it passes ``Q = ε C_min (T_ret − T_cond)`` (counter-flow ε-NTU,
    :func:`hx_effectiveness_counterflow`, NTU = UA / C_min); where that exceeds the load
    the condenser flow is modulated down so the chilled water just reaches the set
    point (mode 2, ``q_free = q_load``), else it precools and the chillers downstream
    trim the rest (mode 1). With a fixed UA the approach shrinks as the flow falls: at
    half load ``C_chw`` halves, NTU doubles and the exchanger reaches closer to the
    condenser water than at design.

    References
    ----------
    .. [1] EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat Exchanger"
       (ε-NTU, counter-flow effectiveness, control types); Input Output Reference,
       HeatExchanger:FluidToFluid.
    """
    return wse_split_hx(q_load_w, t_chw_return_c, t_chw_supply_c, t_cond_water_c, ua_w_k,
                        c_cond_w_k, NO_HX)  # fmt: skip


#: "Not computed": the ``*_hx`` functions then compute :func:`wse_hx_at_load` themselves.
NO_HX = (0.0, 0.0)


@njit
def wse_hx_at_load(q_load_w, dt_k, ua_w_k, c_cond_w_k):
    """The exchanger carrying ``q_load_w`` [W] at the return-supply difference ``dt_k``
    [K] (``C_chw = q / ΔT``) with its full condenser flow: ``(ε, C_min)`` [-, W/K]
    (counter-flow ε-NTU, :func:`hx_effectiveness_counterflow`). It does not depend on the
    condenser water, so a loop's tower target and both substitutions of a step at one load
    share it (:func:`kernels.water_cooled.loop_balance_air_ctl`)."""
    c_chw = q_load_w / dt_k
    c_min = min(c_chw, c_cond_w_k)
    c_max = max(c_chw, c_cond_w_k)
    return hx_effectiveness_counterflow(ua_w_k / c_min, c_min / c_max), c_min


@njit
def wse_split_hx(q_load_w, t_chw_return_c, t_chw_supply_c, t_cond_water_c, ua_w_k, c_cond_w_k, hx):
    """:func:`wse_split_ntu` with ``hx`` = :func:`wse_hx_at_load` or :data:`NO_HX`."""
    dt_k = t_chw_return_c - t_chw_supply_c
    if q_load_w <= 0.0 or dt_k <= 0.0 or ua_w_k <= 0.0 or c_cond_w_k <= 0.0:
        return 0.0, WSE_MODE_OFF
    if t_cond_water_c >= t_chw_return_c:
        return 0.0, WSE_MODE_OFF
    if hx[1] <= 0.0:  # NO_HX (a real C_min is > 0)
        hx = wse_hx_at_load(q_load_w, dt_k, ua_w_k, c_cond_w_k)
    eps, c_min = hx
    q_max = eps * c_min * (t_chw_return_c - t_cond_water_c)
    if q_max >= q_load_w:
        return q_load_w, WSE_MODE_FULL
    if q_max <= 0.0:
        return 0.0, WSE_MODE_OFF
    return q_max, WSE_MODE_PARTIAL


@njit
def wse_full_free_cond_c(q_load_w, t_chw_return_c, t_chw_supply_c, ua_w_k, c_cond_w_k):
    """Warmest condenser water that still carries the whole load through the exchanger
    [°C]: ``T_ret − q / (ε C_min)`` at full condenser flow (:func:`wse_split_ntu`); with no
    load or no exchanger, ``T_sup`` less nothing (the supply set point)."""
    return wse_full_free_cond_hx_c(
        q_load_w, t_chw_return_c, t_chw_supply_c, ua_w_k, c_cond_w_k, NO_HX
    )


@njit
def wse_full_free_cond_hx_c(q_load_w, t_chw_return_c, t_chw_supply_c, ua_w_k, c_cond_w_k, hx):
    """:func:`wse_full_free_cond_c` with ``hx`` as :func:`wse_split_hx`."""
    dt_k = t_chw_return_c - t_chw_supply_c
    if q_load_w <= 0.0 or dt_k <= 0.0 or ua_w_k <= 0.0 or c_cond_w_k <= 0.0:
        return t_chw_supply_c
    if hx[1] <= 0.0:
        hx = wse_hx_at_load(q_load_w, dt_k, ua_w_k, c_cond_w_k)
    eps, c_min = hx
    if eps <= 0.0:
        return t_chw_supply_c
    return t_chw_return_c - q_load_w / (eps * c_min)


#: Newton steps and tolerance of :func:`wse_cond_flow_frac` (on u = ln(ΔT1 / ΔT2)).
_FLOW_NEWTON_MAXITER = 60
_FLOW_NEWTON_TOL = 1e-13


@njit
def _lmtd_log_ratio(m):
    """u = ln(ΔT1 / ΔT2) of a counter-flow exchanger whose log-mean temperature difference
    is m times ΔT2: the root of g(u) = expm1(u) / u = m (g increasing and convex, g(0) =
    1). Newton from u0 = 2 (m − 1), which lies right of the root (g(u) ≥ 1 + u / 2), so
    the iterates fall monotonically to it; for m < 0.7 from the first terms of the root's
    Lambert-W form, which may lie left of it (the first step then lands right of it)."""
    if abs(m - 1.0) < 1e-12:
        return 0.0
    u = 2.0 * (m - 1.0)
    if m < 0.7:
        # closer for small m: u = −1/m − W0(z), z = −e^(−1/m)/m (Lambert W), W0(z) ≈ z − z²;
        # Newton converges from either side of the root (g convex and increasing)
        z = -math.exp(-1.0 / m) / m
        u = -1.0 / m - (z - z * z)
    elif m > 1.0:
        # a closer start, kept only when it is still right of the root
        v = math.log(m) + math.log(1.0 + math.log(m)) + 1.0
        if v < u and math.expm1(v) / v >= m:
            u = v
    for _ in range(_FLOW_NEWTON_MAXITER):
        if abs(u) < 1e-9:
            g, dg = 1.0 + 0.5 * u, 0.5
        else:
            em1 = math.expm1(u)
            g = em1 / u
            dg = (u * (em1 + 1.0) - em1) / (u * u)
        step = (g - m) / dg
        u -= step
        if abs(step) <= _FLOW_NEWTON_TOL * max(1.0, abs(u)):
            break
    return u


@njit
def wse_cond_flow_frac(q_load_w, t_chw_return_c, t_chw_supply_c, t_cond_water_c, ua_w_k,
                       c_cond_w_k):  # fmt: skip
    """Share of its condenser design flow the exchanger draws to carry ``q_load_w`` [-].

    EnergyPlus ``HeatExchanger:FluidToFluid``, ``CoolingSetpointModulated`` [1]: when the
    exchanger at its full condenser flow would cool the chilled water below the set point
    (full free cooling, :func:`wse_split_ntu` mode 2), the flow on its loop-demand side
    (the condenser water) is modulated until the chilled water leaves at the set point;
    otherwise it draws its full design flow (partial mode) or none (off). The heat at a
    condenser flow ``x C_d`` is ``ε(UA / C_min, C_min / C_max) C_min (T_ret − T_cond)``,
    which rises with ``x``. With the chilled water leaving at the set point the cold-end
    temperature difference is known, so ``q = UA · LMTD`` (counter-flow, equivalent to
    ε-NTU) gives the warm-end difference by a one-variable Newton solve and the condenser
    flow from the condenser water's rise (the root EnergyPlus finds with its own solver). A condenser loop whose pumps run at
    constant speed sends the difference around the exchanger; with variable-speed pumps
    it is the flow the towers see.

    References
    ----------
    .. [1] EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat Exchanger"
       (control type CoolingSetpointModulated); PlantHeatExchangerFluidToFluid.cc.
    """
    if (
        q_load_w <= 0.0
        or ua_w_k <= 0.0
        or c_cond_w_k <= 0.0
        or t_chw_return_c <= t_chw_supply_c
        or t_cond_water_c >= t_chw_return_c
    ):
        return 0.0  # no free cooling (wse_split_ntu's mode 0)
    # a flow above the design flow (or none at all) means the design flow cannot reach
    # the set point: partial free cooling at the full design flow
    # the chilled water leaves at the set point: the cold end's difference is known,
    # ΔT2 = T_sup − T_cond; q = UA · LMTD fixes the warm end's, ΔT1 = ΔT2 e^u
    # (counter-flow, the same relation as ε-NTU), and with it the condenser water's rise
    d_t2 = t_chw_supply_c - t_cond_water_c
    if d_t2 <= 0.0:
        return 1.0
    d_t1 = d_t2 * math.exp(_lmtd_log_ratio(q_load_w / (ua_w_k * d_t2)))
    rise = t_chw_return_c - t_cond_water_c - d_t1
    if rise <= 0.0:
        return 1.0
    return min(q_load_w / rise / c_cond_w_k, 1.0)


# --- the exchanger of one loop row (kernels.layout) ---------------------------------


@njit
def hx_free_w(lp, q_coil_w, t_sup, t_cond_c):
    """The economizer exchanger on a loop carrying ``q_coil_w`` [W] to ``t_sup`` with
    condenser water at ``t_cond_c``: its heat [W] and mode
    (:func:`kernels.economizer.wse_split_ntu`)."""
    return hx_free_at_w(lp, q_coil_w, t_sup, t_cond_c, NO_HX)


@njit
def hx_free_at_w(lp, q_coil_w, t_sup, t_cond_c, hx):
    """:func:`hx_free_w` with ``hx`` = :func:`hx_at_load` (or :data:`NO_HX`)."""
    return wse_split_hx(
        q_coil_w, t_sup + lp[L_DT_K], t_sup, t_cond_c, hx_ua_w_k(lp), hx_c_cond_w_k(lp), hx
    )


@njit
def hx_at_load(lp, q_coil_w, t_sup):
    """:func:`wse_hx_at_load` of the loop's exchanger at ``q_coil_w`` [W] and ``t_sup``, or
    :data:`NO_HX` where it passes nothing (no load, no UA)."""
    dt_k = (t_sup + lp[L_DT_K]) - t_sup
    ua, c_cond = hx_ua_w_k(lp), hx_c_cond_w_k(lp)
    if q_coil_w <= 0.0 or dt_k <= 0.0 or ua <= 0.0 or c_cond <= 0.0:
        return NO_HX
    return wse_hx_at_load(q_coil_w, dt_k, ua, c_cond)


@njit
def hx_ua_w_k(lp):
    """UA of the loop's economizer heat exchanger [W/K]: sized at the loop's design load
    for the design approach (:func:`kernels.economizer.wse_design_ua_w_k`)."""
    return wse_design_ua_w_k(lp[L_Q_DESIGN_W], lp[L_HX_APPROACH_K])


@njit
def hx_c_cond_w_k(lp):
    """Condenser-side capacity rate of the economizer exchanger at its own design flow
    [W/K]: the chilled-water design flow's, ``Q_d / ΔT_d`` (balanced design)."""
    if lp[L_DT_K] <= 0.0:
        return 0.0
    return lp[L_Q_DESIGN_W] / lp[L_DT_K]


@njit
def hx_precool_c(lp, t_cond_c):
    """Chilled water leaving the economizer exchanger at the design flows, cooled from
    the design return by condenser water at ``t_cond_c`` [°C] (no set-point limit):
    ``T_ret − ε C_min (T_ret − T_cond) / C_chw`` (ε-NTU, fixed UA)."""
    t_ret = lp[L_T_SUPPLY_C] + lp[L_DT_K]
    c_chw = hx_c_cond_w_k(lp)  # balanced design: the chilled-water side's too
    if c_chw <= 0.0 or t_cond_c >= t_ret:
        return t_ret
    eps = hx_effectiveness_counterflow(hx_ua_w_k(lp) / c_chw, 1.0)
    return t_ret - eps * (t_ret - t_cond_c)
