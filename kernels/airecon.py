"""Air-side economizer of the hall air loop: direct (with evaporative assist) or indirect.

Scalar, CUDA-safe kernels. The air loop delivers supply air at the IT inlet set
point ``t_sup`` and takes back hot-aisle air at ``t_ret = t_sup + ΔT_air``. Ahead
of the CRAH coils (series, integrated like the water-side economizer), with water
used only while the outdoor dry bulb is above ``t_sup`` (Assumption: EnergyPlus's
"Evaporative Operation Minimum Limit Outdoor Dry-Bulb Temperature", a user input,
taken at the supply set point so that no water is spent on air already colder):

* **direct** — outdoor air replaces return air. Below the set point it is mixed
  with return air (no water). Above it, all the supply air is outdoor air and
  crosses wetted pads that cool it towards the wet bulb, ``T_db − ε (T_db −
  T_wb)``, modulated so as not to overcool below ``t_sup`` (EvaporativeCooler:
  Direct:ResearchSpecial, part-load fraction). The pads' water is
  ``ṁ_air c_p (T_db − T_out) / h_fg`` for the whole air flow (it is not scaled
  by the free share: the trim coils cool air that has already crossed the pads),
  plus blowdown. Allowed only while the supply air stays inside the ASHRAE
  recommended humidity envelope: dew point between −9 °C and 15 °C and relative
  humidity ≤ 70 % at the supply temperature (outdoor air keeps its humidity
  ratio; the pads add ``c_p ΔT / h_fg``).
* **indirect** — an air-to-air heat exchanger between the hall's return air and
  outdoor (scavenger) air, as EvaporativeCooler:Indirect:ResearchSpecial: dry,
  ``T_out = t_ret − ε (t_ret − T_db)``; wet (scavenger side wetted, above
  ``t_sup``), ``T_out = t_ret − ε (t_ret − T_wb)``, modulated to ``t_sup``. The
  exchanger's effectiveness is finite (``evap_eff``, the ResearchSpecial design
  effectiveness; Assumption: the same value for the dry-bulb and the wet-bulb
  effectiveness, one scenario field). Nothing is added to the hall air's humidity,
  so no humidity limit applies. Wet-side water: the heat taken from the hall air
  evaporates water, ``Q_HX / h_fg`` (ResearchSpecial's conservative all-latent
  secondary air), plus blowdown.

Make-up water = evaporation + blowdown at the concentration ratio
:data:`kernels.drycooler.PAD_BLOWDOWN_CONC_RATIO` (:func:`kernels.drycooler.pad_water_kg_s`).
The share of the air loop's heat taken without compressors follows the
integrated-economizer split of :func:`kernels.economizer.wse_split` with the
economizer's leaving air as source and zero approach.

References
----------
ASHRAE TC 9.9, Thermal Guidelines for Data Processing Environments, 5th ed.
(2021): recommended envelope −9 °C to 15 °C dew point and 70 % RH; EnergyPlus
Engineering Reference, "Evaporative Coolers": Direct Evaporative Cooler Special
Research Model (T_out = T_db − ε (T_db − T_wb), part-load fraction, water =
evaporation + drift + blowdown) and Indirect Evaporative Cooler Special Research
Model (dry and wet operation, T_out = T_in − ε (T_in − T_sec), water Q_HX / h_fg);
ASHRAE Handbook—Fundamentals (2017) ch. 1 (humidity ratio, dew point).
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.drycooler import H_FG_WATER_J_KG, PAD_BLOWDOWN_CONC_RATIO, pad_water_kg_s
from kernels.economizer import wse_split
from kernels.psychro import (
    AIR_CP_J_KG_K,
    dew_point_c,
    humidity_ratio_from_wet_bulb,
    sat_vapor_pressure_pa,
    vapor_pressure_from_w_pa,
)

__all__ = [
    "AIR_ECON_DIRECT",
    "AIR_ECON_INDIRECT",
    "AIR_ECON_NONE",
    "DP_MAX_C",
    "DP_MIN_C",
    "RH_MAX",
    "air_econ_split",
    "direct_pad_outlet",
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
def direct_pad_outlet(t_db_c, t_wb_c, p_pa, t_sup_c, evap_eff):
    """Outdoor air after the direct economizer's pads: temperature [°C] and humidity ratio
    [kg/kg]. The pads run only above the set point and are modulated not to cool below
    it (``T = max(T_db − ε (T_db − T_wb), T_sup)``); the water they evaporate,
    ``c_p ΔT / h_fg`` per kg of air, joins the air (module docstring)."""
    w = humidity_ratio_from_wet_bulb(t_db_c, t_wb_c, p_pa)
    t_src = t_db_c
    if t_db_c > t_sup_c:
        t_src = max(t_db_c - evap_eff * max(0.0, t_db_c - t_wb_c), t_sup_c)
        w += AIR_CP_J_KG_K * (t_db_c - t_src) / H_FG_WATER_J_KG
    return t_src, w


@njit
def _direct(q_load_w, t_db_c, t_wb_c, p_pa, t_sup_c, dt_air_k, evap_eff):
    """Direct economizer (module docstring): heat taken, evaporation [kg/s], mode."""
    t_src, w = direct_pad_outlet(t_db_c, t_wb_c, p_pa, t_sup_c, evap_eff)
    # all the supply air is outdoor air through the pads
    evap = q_load_w / dt_air_k * (t_db_c - t_src) / H_FG_WATER_J_KG
    dp = dew_point_c(w, p_pa)
    rh = vapor_pressure_from_w_pa(w, p_pa) / sat_vapor_pressure_pa(max(t_src, t_sup_c))
    if dp < DP_MIN_C or dp > DP_MAX_C or rh > RH_MAX:
        return 0.0, 0.0, 0
    q_free, mode = wse_split(q_load_w, t_sup_c + dt_air_k, t_sup_c, t_src, 0.0)
    if q_free <= 0.0:
        return 0.0, 0.0, 0
    return q_free, evap, mode


@njit
def _indirect(q_load_w, t_db_c, t_wb_c, t_sup_c, dt_air_k, evap_eff):
    """Indirect economizer (module docstring): heat taken, evaporation [kg/s], mode."""
    t_ret = t_sup_c + dt_air_k
    wet = t_db_c > t_sup_c
    t_sec = min(t_wb_c, t_db_c) if wet else t_db_c
    t_out = t_ret - evap_eff * (t_ret - t_sec)
    q_free, mode = wse_split(q_load_w, t_ret, t_sup_c, t_out, 0.0)
    if q_free <= 0.0:
        return 0.0, 0.0, 0
    evap = q_free / H_FG_WATER_J_KG if wet else 0.0
    return q_free, evap, mode


@njit
def air_econ_split(kind, q_load_w, t_db_c, t_wb_c, p_pa, t_sup_c, dt_air_k, evap_eff):
    """Heat the air-side economizer removes and the water it uses.

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
        Direct: pad saturation effectiveness; indirect: the heat exchanger's
        (dry- and wet-bulb) effectiveness [-].

    Returns
    -------
    q_free_w : float
    water_kg_s : float
        Make-up water of the pads or the wet side, evaporation + blowdown [kg/s].
    mode : int
        0 off, 1 partial, 2 full.
    """
    if kind == AIR_ECON_NONE or q_load_w <= 0.0 or dt_air_k <= 0.0:
        return 0.0, 0.0, 0
    if kind == AIR_ECON_DIRECT:
        q_free, evap, mode = _direct(q_load_w, t_db_c, t_wb_c, p_pa, t_sup_c, dt_air_k, evap_eff)
    else:
        q_free, evap, mode = _indirect(q_load_w, t_db_c, t_wb_c, t_sup_c, dt_air_k, evap_eff)
    water = pad_water_kg_s(evap, PAD_BLOWDOWN_CONC_RATIO)
    if not math.isfinite(water):
        water = 0.0
    return q_free, water, mode
