"""Air-side economizer of the hall air loop: direct (with evaporative assist) or indirect.

Scalar, CUDA-safe kernels. The air loop delivers supply air at the IT inlet set
point ``t_sup`` and takes back hot-aisle air at ``t_sup + ΔT_air``. Ahead of the
CRAH coils (series, integrated like the water-side economizer):

* **direct** — outdoor air replaces return air. Below the set point it is mixed
  with return air; above it, wetted pads cool it towards the wet bulb
  (``T = T_db − ε (T_db − T_wb)``, direct evaporative cooling). Allowed only
  while the supply air stays inside the ASHRAE recommended humidity envelope:
  dew point between −9 °C and 15 °C and relative humidity ≤ 70 % at the supply
  temperature (outdoor air brought to the set point keeps its humidity ratio;
  the pads add ``c_p ΔT / h_fg``).
* **indirect** — an air-to-air heat exchanger whose outdoor (scavenger) side is
  wetted: the hall air can be cooled to ``T_db − ε (T_db − T_wb)`` + nothing
  is added to its humidity, so no humidity limit applies.

The share of the air loop's heat taken without compressors follows the
integrated-economizer split of :func:`kernels.economizer.wse_split` with the
(evaporatively cooled) outdoor air as source and zero approach.

References
----------
ASHRAE TC 9.9, Thermal Guidelines for Data Processing Environments, 5th ed.
(2021): recommended envelope −9 °C to 15 °C dew point and 70 % RH; EnergyPlus
Engineering Reference, "Direct Evaporative Cooler" and "Indirect Evaporative
Cooler" (ResearchSpecial: T_out = T_db − ε (T_db − T_wb)); ASHRAE Handbook—
Fundamentals (2017) ch. 1 (humidity ratio, dew point).
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.drycooler import H_FG_WATER_J_KG
from kernels.economizer import wse_split
from kernels.psychro import AIR_CP_J_KG_K, MOLAR_MASS_RATIO_WATER_AIR, sat_vapor_pressure_pa

__all__ = [
    "AIR_ECON_DIRECT",
    "AIR_ECON_INDIRECT",
    "AIR_ECON_NONE",
    "DP_MAX_C",
    "DP_MIN_C",
    "RH_MAX",
    "air_econ_split",
    "dew_point_c",
    "humidity_ratio_from_wb",
]

AIR_ECON_NONE = 0
AIR_ECON_DIRECT = 1
AIR_ECON_INDIRECT = 2
#: ASHRAE TC 9.9 (2021) recommended envelope, humidity part.
DP_MIN_C = -9.0
DP_MAX_C = 15.0
RH_MAX = 0.70
_CP_VAPOR_J_KG_K = 1860.0


@njit
def humidity_ratio_from_wb(t_db_c, t_wb_c, p_pa):
    """Humidity ratio from dry and wet bulb above freezing [kg/kg] (ASHRAE 2017 ch. 1 eq 33)."""
    p_ws = sat_vapor_pressure_pa(t_wb_c)
    w_s = MOLAR_MASS_RATIO_WATER_AIR * p_ws / (p_pa - p_ws)
    num = (2501.0 - 2.326 * t_wb_c) * w_s - 1.006 * (t_db_c - t_wb_c)
    den = 2501.0 + 1.86 * t_db_c - 4.186 * t_wb_c
    return max(num / den, 0.0)


@njit
def _vapor_pressure_pa(w, p_pa):
    return p_pa * w / (MOLAR_MASS_RATIO_WATER_AIR + w)


@njit
def dew_point_c(w, p_pa):
    """Dew point of air of humidity ratio ``w`` [°C] (bisection on the saturation curve)."""
    p_w = _vapor_pressure_pa(w, p_pa)
    if p_w <= 0.0:
        return -100.0
    lo, hi = -60.0, 60.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if sat_vapor_pressure_pa(mid) < p_w:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@njit
def air_econ_split(kind, q_load_w, t_db_c, t_wb_c, p_pa, t_sup_c, dt_air_k, evap_eff):
    """Heat the air-side economizer removes and the water it evaporates.

    Parameters
    ----------
    kind : int
        ``AIR_ECON_NONE``, ``AIR_ECON_DIRECT`` or ``AIR_ECON_INDIRECT``.
    q_load_w : float
        Air-loop heat [W].
    t_db_c, t_wb_c : float
        Outdoor dry and wet bulb [°C].
    p_pa : float
        Station pressure [Pa].
    t_sup_c : float
        Supply air (IT inlet set point) [°C].
    dt_air_k : float
        Return − supply air [K].
    evap_eff : float
        Pad / wet-side effectiveness ε [-].

    Returns
    -------
    q_free_w : float
    water_kg_s : float
        Water evaporated by the pads or the wet side [kg/s].
    mode : int
        0 off, 1 partial, 2 full.
    """
    if kind == AIR_ECON_NONE or q_load_w <= 0.0 or dt_air_k <= 0.0:
        return 0.0, 0.0, 0
    t_ret = t_sup_c + dt_air_k
    mdot_air = q_load_w / (AIR_CP_J_KG_K * dt_air_k)
    t_evap = t_db_c - evap_eff * max(0.0, t_db_c - t_wb_c)
    wet = t_db_c > t_sup_c and t_evap < t_db_c
    t_src = t_evap if wet else t_db_c
    if kind == AIR_ECON_DIRECT:
        w = humidity_ratio_from_wb(t_db_c, t_wb_c, p_pa)
        if wet:
            w += AIR_CP_J_KG_K * (t_db_c - t_src) / H_FG_WATER_J_KG
        dp = dew_point_c(w, p_pa)
        t_supply_air = max(t_src, t_sup_c)
        rh = _vapor_pressure_pa(w, p_pa) / sat_vapor_pressure_pa(t_supply_air)
        if dp < DP_MIN_C or dp > DP_MAX_C or rh > RH_MAX:
            return 0.0, 0.0, 0
    q_free, mode = wse_split(q_load_w, t_ret, t_sup_c, t_src, 0.0)
    water = 0.0
    if wet and q_free > 0.0:
        # outdoor (direct) or scavenger (indirect, taken equal to the hall flow) air
        # through the pads, cooled by T_db − T_src: m c_p ΔT / h_fg
        water = mdot_air * AIR_CP_J_KG_K * (t_db_c - t_src) / H_FG_WATER_J_KG
        water *= q_free / q_load_w
    if not math.isfinite(water):
        water = 0.0
    return q_free, water, mode
