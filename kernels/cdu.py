"""The CDU plate heat exchanger between the facility water and the rack coolant.

Direct-to-chip racks are cooled by a technology cooling system (TCS, the rack loop: cold
plates, manifolds, the CDU's secondary side) that rejects its heat through the CDU's plate
exchanger into the facility water (the liquid loop of the twin). The rack coolant
therefore reaches the cold plates one CDU approach above the facility-water supply:
``T_tcs_sup = T_fw_sup + approach``. The ASHRAE W classes are facility-water classes and
stay checked on the facility water (:data:`kernels.layout.T_LIQ_LIMIT_C`); the rack
coolant is reported beside it.

The exchanger is EnergyPlus ``HeatExchanger:FluidToFluid`` [1]: counter-flow ε-NTU with a
UA fixed at design (:func:`cdu_design_ua_w_k`), solved here from a design approach
(``cooling.cdu_approach_k``: TCS supply − facility supply at the design load with both
pumps at their design flows). Both capacity rates follow their pumps' flow:

* rack side: the CDU pumps, sized for ``cooling.cdu_flow_lpm_per_kw`` per kW of the liquid
  loop's design heat (:func:`twin.sim.compile.cdu_pump_design_w`);
* facility side: the liquid loop's design flow ``Q_d / ΔT_d`` (``cooling.liquid.dt_k``).

Assumption: as :func:`kernels.water_cooled.loop_movers` runs both the facility-water and
the CDU pumps on variable-speed drives whose flow follows the heat (part-load ratio
``q / Q_d``), both flows here are ``min(q / Q_d, 1)`` of their design flows: at part load
the UA sees less flow on both sides, NTU rises and the approach shrinks (with balanced
flows exactly in proportion to the load, ``approach = q / UA``); above the design load the
pumps stay at their design flow and the approach widens faster than the load.

Scalar, CUDA-safe kernels (only :mod:`math`, no defaults or keywords).

References
----------
.. [1] EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat Exchanger"
   (HeatExchanger:FluidToFluid, counter-flow effectiveness); Incropera and DeWitt,
   *Fundamentals of Heat and Mass Transfer*, Table 11.3 (ε-NTU) and Table 11.4 (NTU from
   ε, counter-flow).
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.economizer import hx_effectiveness_counterflow
from kernels.layout import L_CDU_APPROACH_K, L_CDU_C_TCS_W_K, L_DT_K, L_Q_DESIGN_W

__all__ = [
    "CDU_APPROACH_K",
    "cdu_approach_k",
    "cdu_c_fw_w_k",
    "cdu_design_ua_w_k",
    "cdu_tcs_supply_c",
    "hx_ntu_counterflow",
    "loop_tcs_supply_c",
]

#: Design approach of the CDU exchanger, TCS supply − facility-water supply at the design
#: load [K]: 3 K, the "approach temperature (typically <= 3 C)" of CDU specification
#: guidance drawn from the ASHRAE TC 9.9 proposed rating conditions (STULZ USA, "CDU
#: specifications for liquid cooling", 2025). 0 = no exchanger.
CDU_APPROACH_K = 3.0

# Below this |1 - C_r| the counter-flow inversion is replaced by its limit ε / (1 − ε).
_C_RATIO_ONE_TOL = 1e-6


@njit
def hx_ntu_counterflow(eps, c_ratio):
    """NTU of a counter-flow exchanger of effectiveness ``eps`` [-] (the inverse of
    :func:`kernels.economizer.hx_effectiveness_counterflow`):
    ``NTU = ln((1 − ε C_r) / (1 − ε)) / (1 − C_r)``, for ``C_r → 1`` ``ε / (1 − ε)``
    (Incropera and DeWitt, Table 11.4). ``eps ≤ 0`` gives 0; ``eps ≥ 1`` gives +inf."""
    if eps <= 0.0:
        return 0.0
    if eps >= 1.0:
        return math.inf
    cr = min(1.0, max(0.0, c_ratio))
    if 1.0 - cr < _C_RATIO_ONE_TOL:
        return eps / (1.0 - eps)
    return math.log((1.0 - eps * cr) / (1.0 - eps)) / (1.0 - cr)


@njit
def cdu_design_ua_w_k(q_design_w, approach_k, c_tcs_w_k, c_fw_w_k):
    """UA of the CDU exchanger from its design point [W/K].

    At the design load ``q_design_w`` the rack coolant leaves ``approach_k`` above the
    entering facility water, both sides at their design capacity rates (rack side
    ``c_tcs_w_k``, facility side ``c_fw_w_k``). The rack coolant enters at
    ``T_fw + approach + Q / C_tcs``, so ``ε = Q / (C_min (approach + Q / C_tcs))`` and
    ``UA = NTU(ε, C_r) · C_min`` (:func:`hx_ntu_counterflow`); balanced flows give
    ``UA = Q / approach`` (as :func:`kernels.economizer.wse_design_ua_w_k`). 0 when there
    is no exchanger (``approach_k ≤ 0``) or no design; +inf for a design the exchanger
    cannot meet (the facility water would leave warmer than the rack coolant enters:
    ``ε ≥ 1``, refused by the scenario check).
    """
    if q_design_w <= 0.0 or approach_k <= 0.0 or c_tcs_w_k <= 0.0 or c_fw_w_k <= 0.0:
        return 0.0
    c_min = min(c_tcs_w_k, c_fw_w_k)
    c_max = max(c_tcs_w_k, c_fw_w_k)
    eps = q_design_w / (c_min * (approach_k + q_design_w / c_tcs_w_k))
    return hx_ntu_counterflow(eps, c_min / c_max) * c_min


@njit
def cdu_approach_k(q_w, q_design_w, ua_w_k, c_tcs_w_k, c_fw_w_k):
    """Approach of the CDU exchanger carrying ``q_w`` [W]: rack-coolant supply −
    facility-water supply [K].

    Both flows at ``x = min(q / Q_d, 1)`` of their design (module docstring); counter-flow
    ``ε(UA / C_min, C_min / C_max)`` (:func:`kernels.economizer.hx_effectiveness_counterflow`)
    gives the rack coolant's entering temperature ``T_fw + q / (ε C_min)``, and its rise
    across the racks ``q / C_tcs`` leaves ``approach = q / (ε C_min) − q / C_tcs``. 0 with
    no heat or no exchanger.
    """
    if q_w <= 0.0 or q_design_w <= 0.0 or ua_w_k <= 0.0 or c_tcs_w_k <= 0.0 or c_fw_w_k <= 0.0:
        return 0.0
    x = min(q_w / q_design_w, 1.0)
    c_t = x * c_tcs_w_k
    c_f = x * c_fw_w_k
    c_min = min(c_t, c_f)
    c_max = max(c_t, c_f)
    eps = hx_effectiveness_counterflow(ua_w_k / c_min, c_min / c_max)
    if eps <= 0.0:
        return 0.0
    return max(q_w / (eps * c_min) - q_w / c_t, 0.0)


@njit
def cdu_tcs_supply_c(t_fw_supply_c, q_w, q_design_w, ua_w_k, c_tcs_w_k, c_fw_w_k):
    """Rack-coolant (TCS) supply temperature behind the CDU [°C]: the facility-water supply
    ``t_fw_supply_c`` plus :func:`cdu_approach_k` at the heat ``q_w`` [W] crossing it."""
    return t_fw_supply_c + cdu_approach_k(q_w, q_design_w, ua_w_k, c_tcs_w_k, c_fw_w_k)


# --- the CDU of the liquid loop row (kernels.layout) ------------------------------


@njit
def cdu_c_fw_w_k(lp):
    """Facility-side design capacity rate of the CDU exchanger [W/K]: the liquid loop's
    design flow, ``Q_d / ΔT_d``."""
    if lp[L_DT_K] <= 0.0:
        return 0.0
    return lp[L_Q_DESIGN_W] / lp[L_DT_K]


@njit
def loop_tcs_supply_c(lp, t_fw_supply_c, q_w):
    """Rack-coolant supply [°C] behind the CDUs of the liquid loop row ``lp`` carrying
    ``q_w`` [W] from the racks, with facility water at ``t_fw_supply_c``
    (:func:`cdu_tcs_supply_c`; no exchanger when ``lp[L_CDU_APPROACH_K]`` is 0)."""
    q_d = lp[L_Q_DESIGN_W]
    c_t = lp[L_CDU_C_TCS_W_K]
    c_f = cdu_c_fw_w_k(lp)
    ua = cdu_design_ua_w_k(q_d, lp[L_CDU_APPROACH_K], c_t, c_f)
    return cdu_tcs_supply_c(t_fw_supply_c, q_w, q_d, ua, c_t, c_f)
