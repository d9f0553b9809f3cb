"""Heat-rejection plant choice: one entry point for every plant type.

The integrator calls :func:`plant_capacity_w` and :func:`plant_power` for each
loop; the loop row's ``L_PLANT`` code selects the plant:

``PLANT_WATER_COOLED`` (0)
    Water-cooled EIR chillers, YorkCalc towers and the integrated water-side
    economizer: :func:`kernels.water_cooled.loop_capacity_w` / ``loop_power`` unchanged.
``PLANT_AIR_COOLED`` (1)
    Air-cooled EIR chillers (e.g. Trane CGAM30 of EnergyPlus DataSets/
    AirCooledChiller.idf), condenser entering temperature = outdoor dry bulb, no
    tower, no condenser pump, no water. The DataSets give "Condenser Fan Power
    Ratio" 0.0 for these machines because the catalogue COP is the whole unit's
    (AHRI 550/590 rates air-cooled chillers with their condenser fans), so no
    separate condenser-fan term is added.
``PLANT_DRY_COOLERS`` (2)
    Dry coolers ahead of air-cooled trim chillers, arranged like the integrated
    economizer: the whole loop flow, returning at ``t_sup + ΔT`` with the coil heat,
    crosses the coolers' cross-flow coil (ε-NTU, :func:`kernels.drycooler.cooler_free_w`),
    whose fans slow down to just reach ``t_sup`` or, where they cannot, run at full
    speed and precool the fluid as far as the coil's effectiveness allows at this
    flow (only while that saves more compressor power than the fans draw); the
    chillers trim the rest. Capacity, free share, fan speed and the
    economizer changeover all follow from that one coil model, so the approach
    reached at part load is the coil's, not the design approach. A variable-speed
    pump on the dry-cooler circuit, no water.
``PLANT_ADIABATIC`` (3)
    As dry coolers, with wetted pads above the spray switch temperature: the
    coil sees ``T_db − ε (T_db − T_wb)``; the pads' make-up water is the
    evaporation of all the air the fans move plus blowdown
    (:func:`kernels.drycooler.pad_water_kg_s`).

Returns have the layout of :func:`kernels.water_cooled.loop_power`; the "tower fan"
term is the heat-rejection fan power of whichever plant it is.

References
----------
EnergyPlus Engineering Reference: Chiller:Electric:EIR (air-cooled condenser),
Fluid Coolers, Direct Evaporative Cooler; EnergyPlus DataSets/AirCooledChiller.idf;
AHRI Standard 550/590 (rating of air-cooled chillers including condenser fans).
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.airecon import air_econ_split
from kernels.chiller import biquadratic, curve_point
from kernels.condenser import _curves, condenser_pump_w, loop_chillers
from kernels.drycooler import (
    DRY_COOLER_FAN_MIN_FRAC,
    adiabatic_inlet_c,
    cooler_coil_capacity_w,
    cooler_free_w,
    cooler_full_w,
    dry_cooler_fan_power_w,
    evaporation_kg_s,
    pad_water_kg_s,
)
from kernels.economizer import (
    WSE_MODE_FULL,
    WSE_MODE_OFF,
    WSE_MODE_PARTIAL,
    hx_free_w,
    hx_precool_c,
)
from kernels.layout import (
    L_AIR_DT_K,
    L_AIR_ECON,
    L_AIR_EVAP_EFF,
    L_CONC_RATIO,
    L_DT_K,
    L_ECONOMIZER,
    L_MDOT_AIR_DC_KG_S,
    L_P_ATM_PA,
    L_P_DC_FAN_W,
    L_PAD_EFF,
    L_PLANT,
    L_PLR_MAX,
    L_Q_DESIGN_W,
    L_Q_REF_W,
    L_T_CHW_HI,
    L_T_CHW_LO,
    L_T_COND_HI,
    L_T_COND_LO,
    L_T_SPRAY_C,
    L_T_SUP_AIR_C,
    L_T_SUPPLY_C,
    L_TOWER_RANGE_K,
    PLANT_ADIABATIC,
    PLANT_AIR_COOLED,
    PLANT_WATER_COOLED,
)
from kernels.movers import (
    COND_PUMP_MOTOR_EFF,
    FAN_MOTOR_IN_AIRSTREAM_FRAC,
    PUMP_MOTOR_LOSS_TO_FLUID_FRAC,
    VAV_FAN_MOTOR_EFF,
    mover_heat_w,
)
from kernels.tower import WATER_DENSITY_KG_M3, tower_leaving_water_c
from kernels.tower_water import NO_INLET_AIR, tower_inlet_air
from kernels.water_cooled import (
    hall_fans_w,
    hall_share_w,
    loop_balance_air_ctl,
    loop_capacity_ctl_w,
    loop_movers,
)

__all__ = [
    "coil_air_c",
    "free_cooling_frac",
    "free_source_c",
    "plant_balance_air_ctl",
    "plant_balance_ctl",
    "plant_capacity_ctl_w",
    "plant_capacity_w",
    "plant_power",
    "plant_power_air_ctl",
    "plant_power_ctl",
    "step_inlet_air",
]


@njit(inline="always")
def _code(lp):
    return int(lp[L_PLANT] + 0.5)


@njit
def coil_air_c(lp, t_db_c, t_wb_c):
    """Air entering the dry-cooler coil [°C] and whether the pads are wet."""
    if _code(lp) == PLANT_ADIABATIC:
        return adiabatic_inlet_c(t_db_c, t_wb_c, lp[L_PAD_EFF], lp[L_T_SPRAY_C])
    return t_db_c, False


@njit
def plant_capacity_w(lp, t_db_c, t_wb_c, n_available):
    """Largest heat rate the loop's plant can remove now [W] (see plant_capacity_ctl_w)."""
    return plant_capacity_ctl_w(lp, t_db_c, t_wb_c, n_available, True, lp[L_T_SUPPLY_C])


@njit(inline="always")
def _q_mech_w(lp, t_db_c, n_available, t_sup):
    """Air-cooled chillers at PLR_max, condenser air at the outdoor dry bulb [W]."""
    capft, _, _ = _curves(lp)
    x, y, _ = curve_point(
        t_sup, t_db_c, lp[L_T_CHW_LO], lp[L_T_CHW_HI], lp[L_T_COND_LO], lp[L_T_COND_HI]
    )
    return n_available * lp[L_Q_REF_W] * max(0.0, biquadratic(capft, x, y)) * lp[L_PLR_MAX]


@njit(inline="always")
def _capacity_core_w(lp, t_db_c, t_wb_c, n_available, econ_allowed, t_sup):
    """Largest heat rate the loop's plant can remove now [W].

    Chillers at PLR_max at this condenser temperature and, for dry and adiabatic
    coolers, the compressor-free share on top (coolers sized for the design load), less
    the heat of the loop's own fans and pump (:func:`kernels.water_cooled.hall_share_w`).
    """
    code = _code(lp)
    if code == PLANT_WATER_COOLED:
        return loop_capacity_ctl_w(lp, t_wb_c, n_available, econ_allowed, t_sup)
    q_design = lp[L_Q_DESIGN_W]
    if q_design <= 0.0:
        return 0.0
    q_mech = _q_mech_w(lp, t_db_c, n_available, t_sup)
    if code == PLANT_AIR_COOLED or not econ_allowed:
        return hall_share_w(lp, q_mech)
    t_air, _ = coil_air_c(lp, t_db_c, t_wb_c)
    return hall_share_w(lp, cooler_coil_capacity_w(lp, q_mech, t_air, t_sup))


@njit
def plant_power(lp, q_load_w, t_db_c, t_wb_c, n_available):
    """Power and water of the loop's plant at its design set point (see plant_power_ctl)."""
    return plant_power_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, True, lp[L_T_SUPPLY_C])


@njit(inline="always")
def _power_core(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, hall_fans, air):
    """Electric power, water and heat rejection of the loop's plant removing ``q_load_w``.

    ``econ_allowed`` is the economizer enable of :func:`kernels.controls.hysteresis_on`,
    ``t_sup`` the (possibly reset) supply set point [°C] and ``hall_fans`` whether the
    hall fans belong to this loop (:func:`kernels.water_cooled.loop_balance_air_ctl`, with the
    tower inlet air ``air`` of :func:`kernels.tower_water.tower_inlet_air`). The fans' and
    the pump's heat join the load at the coils (:func:`kernels.water_cooled.loop_movers`).

    Returns
    -------
    p_chiller_w, p_rejection_fans_w, p_pumps_w, p_air_fans_w : float
        Electric power by component [W].
    q_free_w : float
        Heat removed without compressors [W].
    vdot_water_m3_s : float
        Water consumed: tower make-up, or pad evaporation [m³/s].
    mode : int
        0 mechanical, 1 partial, 2 compressor-free.
    q_rej_w : float
        Heat rejected outdoors by the tower, the dry coolers or the chillers' condensers
        [W]: the load, the mover heat and the chillers' power (first law of the loop).
    """
    code = _code(lp)
    if code == PLANT_WATER_COOLED:
        return loop_balance_air_ctl(
            lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, hall_fans, air
        )
    q_design = lp[L_Q_DESIGN_W]
    if q_load_w <= 0.0 or q_design <= 0.0:
        return 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0.0
    p_pump, p_fans, q_movers = loop_movers(lp, q_load_w, hall_fans)
    q_coil = q_load_w + q_movers
    q_free = 0.0
    mode = WSE_MODE_OFF
    p_rej = 0.0
    vdot_water = 0.0
    if code != PLANT_AIR_COOLED and econ_allowed:
        t_air, wet = coil_air_c(lp, t_db_c, t_wb_c)
        q_free, fr, _ = cooler_free_w(lp, q_coil, t_air, t_sup)
        q_free = min(max(q_free, 0.0), q_coil)
        if q_free >= q_coil * (1.0 - 1e-12):
            q_free = q_coil
            mode = WSE_MODE_FULL
        elif q_free > 0.0:
            mode = WSE_MODE_PARTIAL
        p_rej = dry_cooler_fan_power_w(lp[L_P_DC_FAN_W], fr, DRY_COOLER_FAN_MIN_FRAC)
        if wet and fr > 0.0:
            # all the air the fans move crosses the pads; make-up = evaporation + blowdown
            kg_s = evaporation_kg_s(fr * lp[L_MDOT_AIR_DC_KG_S], t_db_c, t_air)
            vdot_water = pad_water_kg_s(kg_s, lp[L_CONC_RATIO]) / WATER_DENSITY_KG_M3
    # air-cooled chillers: condenser air at the outdoor dry bulb
    p_ch, q_cond = loop_chillers(lp, q_coil - q_free, n_available, t_sup, t_db_c)
    if mode == WSE_MODE_PARTIAL and q_coil <= _q_mech_w(lp, t_db_c, n_available, t_sup):
        # Assumption: ideal supervisory control, the coolers' fans run in partial mode only
        # when they save more compressor power than they draw (else chillers alone)
        p_ch0, q_cond0 = loop_chillers(lp, q_coil, n_available, t_sup, t_db_c)
        if p_ch0 <= p_ch + p_rej:
            p_ch, q_cond, q_free, p_rej, vdot_water, mode = p_ch0, q_cond0, 0.0, 0.0, 0.0, 0
    p_pump_cond = condenser_pump_w(lp, q_load_w / q_design)  # the coolers' fluid pumps
    q_heat_pump = mover_heat_w(p_pump_cond, COND_PUMP_MOTOR_EFF, PUMP_MOTOR_LOSS_TO_FLUID_FRAC)
    q_rej = q_free + q_cond + q_heat_pump
    return p_ch, p_rej, p_pump + p_pump_cond, p_fans, q_free, vdot_water, mode, q_rej


@njit
def free_cooling_frac(lp, q_load_w, t_db_c, t_wb_c):
    """Share of the loop's load ``q_load_w`` removed with no chiller running [-].

    Water-cooled: the economizer with the towers at full fan and design range
    (as in :func:`kernels.water_cooled.loop_capacity_w`); dry and adiabatic coolers:
    the coil at full fan speed, outdoor (or pre-cooled) air and the flow that carries
    ``q_load_w`` (the design load when it is not positive); air-cooled chillers: 0.
    """
    code = _code(lp)
    t_sup = lp[L_T_SUPPLY_C]
    if code == PLANT_AIR_COOLED or lp[L_Q_DESIGN_W] <= 0.0:
        return 0.0
    if code == PLANT_WATER_COOLED:
        if lp[L_ECONOMIZER] < 0.5:
            return 0.0
        t_cond = tower_leaving_water_c(t_wb_c, lp[L_TOWER_RANGE_K], 1.0, 1.0)
        q = q_load_w if q_load_w > 0.0 else lp[L_Q_DESIGN_W]
        return min(max(hx_free_w(lp, q, t_sup, t_cond)[0] / q, 0.0), 1.0)
    t_air, _ = coil_air_c(lp, t_db_c, t_wb_c)
    q = q_load_w if q_load_w > 0.0 else lp[L_Q_DESIGN_W]
    return min(max(cooler_full_w(lp, q, t_air, t_sup) / q, 0.0), 1.0)


@njit
def free_source_c(lp, t_db_c, t_wb_c):
    """Coldest temperature the free-cooling path can precool the return to [°C].

    Water-cooled with an economizer: the return precooled by the exchanger (ε-NTU, fixed
    UA, design flows: :func:`kernels.economizer.hx_precool_c`) with tower water at full
    fan and design range; dry and adiabatic coolers: the fluid leaving the coil at
    full fan speed and the design flow (ε-NTU, :func:`kernels.drycooler.cooler_full_w`); otherwise
    ``inf`` (no free cooling). The economizer changeover compares it with the return
    temperature.
    """
    code = _code(lp)
    if code == PLANT_WATER_COOLED:
        if lp[L_ECONOMIZER] < 0.5:
            return math.inf
        return hx_precool_c(lp, tower_leaving_water_c(t_wb_c, lp[L_TOWER_RANGE_K], 1.0, 1.0))
    if code == PLANT_AIR_COOLED:
        return math.inf
    t_air, _ = coil_air_c(lp, t_db_c, t_wb_c)
    q_design = lp[L_Q_DESIGN_W]
    t_ret = lp[L_T_SUPPLY_C] + lp[L_DT_K]
    if q_design <= 0.0:
        return t_ret
    return t_ret - cooler_full_w(lp, q_design, t_air, lp[L_T_SUPPLY_C]) * lp[L_DT_K] / q_design


@njit
def _air_econ(lp, q_w, t_db_c, t_wb_c):
    return air_econ_split(
        int(lp[L_AIR_ECON] + 0.5),
        q_w,
        t_db_c,
        t_wb_c,
        lp[L_P_ATM_PA],
        lp[L_T_SUP_AIR_C],
        lp[L_AIR_DT_K],
        lp[L_AIR_EVAP_EFF],
    )


@njit(inline="always")
def plant_capacity_ctl_w(lp, t_db_c, t_wb_c, n_available, econ_allowed, t_sup):
    """Largest heat rate the loop's plant can remove now [W].

    The water-side plant of :func:`_capacity_core_w` and, on the air loop with an
    air-side economizer (:mod:`kernels.airecon`), its share on top.
    """
    cap = _capacity_core_w(lp, t_db_c, t_wb_c, n_available, econ_allowed, t_sup)
    if lp[L_AIR_ECON] < 0.5 or not econ_allowed:
        return cap
    f, _, _ = _air_econ(lp, 1.0, t_db_c, t_wb_c)
    if f >= 1.0 - 1e-12:
        return max(lp[L_Q_DESIGN_W], cap)
    return cap / (1.0 - f)


@njit(inline="always")
def plant_balance_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup):
    """:func:`plant_balance_air_ctl` computing the tower inlet air itself if needed."""
    return plant_balance_air_ctl(
        lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, NO_INLET_AIR
    )


@njit(inline="always")
def plant_balance_air_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, air):
    """Electric power, water and heat rejection of the loop's plant removing ``q_load_w``.

    An air-side economizer (air loop only, :mod:`kernels.airecon`) takes its share of the
    hall's heat first, the hall fans' heat included (the fans move the whole air flow,
    whoever cools it); the water-side plant (:func:`_power_core`) the rest. Returns as
    :func:`_power_core`: the outdoor air's share counts as free cooling and as rejected
    heat. ``air``: as :func:`kernels.water_cooled.loop_balance_air_ctl`.
    """
    if lp[L_AIR_ECON] > 0.5 and econ_allowed and q_load_w > 0.0:
        p_fans = hall_fans_w(lp, q_load_w / lp[L_Q_DESIGN_W])
        q_hall = q_load_w + mover_heat_w(p_fans, VAV_FAN_MOTOR_EFF, FAN_MOTOR_IN_AIRSTREAM_FRAC)
        q_air, water_kg_s, mode_air = _air_econ(lp, q_hall, t_db_c, t_wb_c)
        q_rest = q_hall - q_air
        r = _power_core(lp, q_rest, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, False, air)
        return (
            r[0],
            r[1],
            r[2],
            p_fans,
            r[4] + q_air,
            r[5] + water_kg_s / WATER_DENSITY_KG_M3,
            max(r[6], mode_air),
            r[7] + q_air,
        )
    return _power_core(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, True, air)


@njit(inline="always")
def plant_power_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup):
    """Electric power and water of the loop's plant removing ``q_load_w`` (the first seven
    items of :func:`plant_balance_ctl`, the layout of :func:`kernels.water_cooled.loop_power`).

    ``econ_allowed`` is the economizer enable of :func:`kernels.controls.hysteresis_on`
    and ``t_sup`` the (possibly reset) water supply set point [°C].
    """
    r = plant_balance_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup)
    return r[0], r[1], r[2], r[3], r[4], r[5], r[6]


@njit(inline="always")
def plant_power_air_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, air):
    """:func:`plant_power_ctl` with the tower inlet air ``air`` of the step
    (:func:`kernels.tower_water.tower_inlet_air`, shared by both loops)."""
    r = plant_balance_air_ctl(lp, q_load_w, t_db_c, t_wb_c, n_available, econ_allowed, t_sup, air)
    return r[0], r[1], r[2], r[3], r[4], r[5], r[6]


@njit(inline="always")
def step_inlet_air(lp_air, lp_liq, t_db_c, t_wb_c):
    """The tower inlet air of each loop in a step (:func:`kernels.tower_water.tower_inlet_air`),
    computed once when both loops' towers breathe the same air at the same pressure, and
    not at all for a loop without a tower (:data:`kernels.tower_water.NO_INLET_AIR`)."""
    air_a = NO_INLET_AIR
    air_l = NO_INLET_AIR
    p_a, p_l = lp_air[L_P_ATM_PA], lp_liq[L_P_ATM_PA]
    tower_a = _code(lp_air) == PLANT_WATER_COOLED
    if tower_a:
        air_a = tower_inlet_air(t_db_c, t_wb_c, p_a)
    if _code(lp_liq) == PLANT_WATER_COOLED:
        air_l = air_a if tower_a and p_l == p_a else tower_inlet_air(t_db_c, t_wb_c, p_l)
    return air_a, air_l
