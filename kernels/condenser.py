"""Chillers and condenser water of a tower loop: the chillers on their condenser water,
the condenser-water flow and its pumps.

Scalar, CUDA-safe kernels (only tuples and arithmetic; no defaults or keywords). Used by
:mod:`kernels.water_cooled` (the loop) and :mod:`kernels.heat_rejection` (the plants).

References
----------
EnergyPlus Engineering Reference: Chiller:Electric:EIR; "Plant Flow Resolver";
Pump:VariableSpeed. EnergyPlus Input Output Reference: Pump:VariableSpeed,
Chiller:Electric:EIR ("Condenser Flow Control"), HeatExchanger:FluidToFluid.
ANSI/ASHRAE/IES Standard 90.1-2019 §6.5.4.1 (isolation of idle chillers) and §6.5.4.2
(variable-speed pumps).
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.chiller import CHILLER_COMPRESSOR_HEAT_TO_CONDENSER_FRAC, chiller_plant
from kernels.economizer import hx_c_cond_w_k
from kernels.layout import (
    L_CAPFT,
    L_COND_MIN_FRAC,
    L_COND_VARIABLE,
    L_COP_REF,
    L_ECONOMIZER,
    L_EIRFPLR,
    L_EIRFT,
    L_MIN_UNLOAD,
    L_P_PUMP_COND_W,
    L_PLR_MAX,
    L_PLR_MIN,
    L_Q_REF_W,
    L_T_CHW_HI,
    L_T_CHW_LO,
    L_T_COND_HI,
    L_T_COND_LO,
    L_VDOT_COND_UNIT_M3_S,
    L_VDOT_TOWER_M3_S,
)
from kernels.movers import (
    COND_PUMP_MOTOR_EFF,
    COND_PUMP_VSD_COEFFS,
    PUMP_MOTOR_LOSS_TO_FLUID_FRAC,
    mover_heat_w,
    pump_vs_power_w,
)
from kernels.tower import WATER_CP_J_KG_K, WATER_DENSITY_KG_M3

__all__ = ["condenser_flow_frac", "condenser_pump_w", "loop_chillers"]


@njit
def _curves(lp):
    capft = (
        lp[L_CAPFT],
        lp[L_CAPFT + 1],
        lp[L_CAPFT + 2],
        lp[L_CAPFT + 3],
        lp[L_CAPFT + 4],
        lp[L_CAPFT + 5],
    )
    eirft = (
        lp[L_EIRFT],
        lp[L_EIRFT + 1],
        lp[L_EIRFT + 2],
        lp[L_EIRFT + 3],
        lp[L_EIRFT + 4],
        lp[L_EIRFT + 5],
    )
    eirfplr = (lp[L_EIRFPLR], lp[L_EIRFPLR + 1], lp[L_EIRFPLR + 2])
    return capft, eirft, eirfplr


@njit
def condenser_pump_w(lp, fr_water):
    """Condenser-water pumps at a share of the design flow [W] ("VSD No Reset" curve)."""
    c = COND_PUMP_VSD_COEFFS
    return pump_vs_power_w(lp[L_P_PUMP_COND_W], fr_water, c[0], c[1], c[2], c[3])


@njit
def loop_chillers(lp, q_evap_w, n_available, t_sup, t_cond_c):
    """The loop's chillers on an evaporator load at a condenser temperature [°C]:
    their power and their condenser heat [W] (:func:`kernels.chiller.chiller_plant`).

    Condenser heat by the first law: the heat the chillers take from the water plus their
    power. The EnergyPlus EIR chiller also adds its hot-gas-bypass "false load" below the
    minimum unloading ratio (ChillerElectricEIR.cc, ``QCondenser``): heat with no source in
    the loop, left out here.
    """
    p_ch, q_cond, _ = _loop_chillers_n(lp, q_evap_w, n_available, t_sup, t_cond_c)
    return p_ch, q_cond


@njit
def _loop_chillers_n(lp, q_evap_w, n_available, t_sup, t_cond_c):
    """:func:`loop_chillers` and the number of chillers running."""
    capft, eirft, eirfplr = _curves(lp)
    p_ch, _, n_on, q_met = chiller_plant(
        q_evap_w,
        n_available,
        t_sup,
        t_cond_c,
        lp[L_Q_REF_W],
        lp[L_COP_REF],
        capft,
        eirft,
        eirfplr,
        lp[L_PLR_MIN],
        lp[L_PLR_MAX],
        lp[L_MIN_UNLOAD],
        lp[L_T_CHW_LO],
        lp[L_T_CHW_HI],
        lp[L_T_COND_LO],
        lp[L_T_COND_HI],
    )
    return p_ch, q_met + p_ch * CHILLER_COMPRESSOR_HEAT_TO_CONDENSER_FRAC, n_on


@njit
def condenser_flow_frac(lp, n_on, hx_flow_frac):
    """Condenser water through the towers and pumps, share of the design flow [-].

    Constant-flow loop (``L_COND_VARIABLE`` = 0): 1 whenever the plant runs. Variable-flow
    loop: the flow the loop's users ask for, as EnergyPlus resolves a condenser loop
    driven by a ``Pump:VariableSpeed``: each running chiller its design condenser flow
    (``Chiller:Electric:EIR`` condenser flow control ``ConstantFlow``, EnergyPlus's
    default: a running chiller requests its design flow, an idle one none), the
    economizer's exchanger the share *hx_flow_frac* of its own design flow
    (:func:`kernels.economizer.wse_cond_flow_frac`); at least the loop's minimum flow
    (``L_COND_MIN_FRAC``, :data:`kernels.movers.COND_MIN_FLOW_FRAC`), the surplus
    crossing the demand side's bypass; at most the design flow (the pumps' maximum).
    Condenser pumps staged with the chillers (ASHRAE 90.1-2019 §6.5.4.1 asks chilled- and
    condenser-water flow through idle chillers to be shut off) plus the exchanger's own
    flow give the same flows.

    References
    ----------
    EnergyPlus Input Output Reference, Pump:VariableSpeed ("Design Minimum Flow Rate"),
    Chiller:Electric:EIR ("Condenser Flow Control"), HeatExchanger:FluidToFluid;
    Engineering Reference, "Plant Flow Resolver".
    """
    v_d = lp[L_VDOT_TOWER_M3_S]
    if lp[L_COND_VARIABLE] < 0.5 or v_d <= 0.0:
        return 1.0
    v = n_on * lp[L_VDOT_COND_UNIT_M3_S]
    if lp[L_ECONOMIZER] > 0.5:
        v += hx_flow_frac * hx_c_cond_w_k(lp) / (WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K)
    return min(max(v / v_d, lp[L_COND_MIN_FRAC]), 1.0)


@njit
def _pump_heat_w(p_pump_cond_w):
    """Heat a condenser pump adds to the condenser water [W]."""
    return mover_heat_w(p_pump_cond_w, COND_PUMP_MOTOR_EFF, PUMP_MOTOR_LOSS_TO_FLUID_FRAC)
