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

__all__ = [
    "WSE_HX_APPROACH_K",
    "WSE_MODE_FULL",
    "WSE_MODE_OFF",
    "WSE_MODE_PARTIAL",
    "hx_effectiveness_counterflow",
    "wse_split",
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
