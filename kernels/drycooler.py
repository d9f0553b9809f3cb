"""Dry coolers and adiabatic (spray pre-cooled) dry coolers.

Scalar, CUDA-safe kernels (only :mod:`math`, no defaults or keywords).

A dry cooler is a finned-coil fluid-to-air heat exchanger with axial fans and no
water. It is modelled as EnergyPlus models ``FluidCooler:SingleSpeed`` /
``TwoSpeed`` [1]: a cross-flow heat exchanger, both streams unmixed, by ε-NTU
(:func:`hx_effectiveness_crossflow_unmixed`), ``Q = ε C_min (T_fluid,in − T_air,in)``,
the leaving air ``T_air,in + Q / C_air`` and the leaving fluid
``T_fluid,in − Q / C_fluid``. Since ``ε ≤ 1``, ``Q ≤ C_min ΔT_max`` and neither
stream can cross the other's inlet temperature (second law) at any load.

* The design UA (:func:`dry_cooler_design_ua_w_k`) is solved, as EnergyPlus
  autosizes a fluid cooler's UA from its nominal capacity, from the design point:
  design heat with the leaving fluid ``approach_k`` above the entering air, the
  fluid cooled by the loop's design range and the air warmed by
  :data:`DRY_COOLER_AIR_DT_K`.
* Off design the fans are on variable-speed drives: UA scales with the air flow
  to the power :data:`DRY_COOLER_UA_AIR_EXP` (air-side film dominant, h ∝ Re^0.8
  [3]). Assumption: UA does not depend on the fluid flow (finned coils are air-side
  limited; EnergyPlus's fluid coolers likewise keep UA fixed whatever the water
  flow [1]). Assumption: the fluid flow follows the load at the loop's design
  range (variable-speed pumps, as :func:`kernels.water_cooled.loop_movers`).
* :func:`dry_cooler_run` finds the fan speed that just cools the fluid to its set
  point (Illinois false position on the speed, the heat is monotone in it); below the minimum
  speed the fans cycle at it and the on-time fraction is the heat ratio, as
  EnergyPlus's fluid coolers cycle (``FanModeFrac``) [1]; above full speed the
  coil passes what it can and the trim chillers take the rest.
* On a loop row (:mod:`kernels.layout`), :func:`cooler_free_w`, :func:`cooler_full_w`
  and :func:`cooler_coil_capacity_w` give the plant's free heat, full-speed free
  heat and capacity from that one coil, at the fluid flow that carries the load.

An adiabatic cooler wets pads ahead of the coil when the outdoor dry bulb is
above a switch temperature, so the coil sees air cooled towards the wet bulb
(direct evaporative cooling, [1] "Direct Evaporative Cooler"). All the air the
fans move crosses the pads; the pads' make-up water is the evaporation plus the
blowdown that holds the sump's concentration ratio (:func:`pad_water_kg_s`).

References
----------
.. [1] EnergyPlus Engineering Reference: "Fluid Coolers" (FluidCooler:SingleSpeed
   / TwoSpeed, cross-flow ε-NTU, UA from the nominal capacity, fan cycling; the
   code is ``SimSimpleFluidCooler`` in FluidCoolers.cc), "Evaporative Coolers"
   (EvaporativeCooler:Direct:ResearchSpecial: T_out = T_db − ε (T_db − T_wb),
   water = evaporation + drift + blowdown, blowdown = evaporation / (R − 1) −
   drift).
.. [2] ASHRAE Handbook—HVAC Systems and Equipment (2020), ch. 21 "Fans": fan
   laws, power ∝ speed³; ch. 41 "Evaporative Air-Cooling Equipment".
.. [3] Incropera & DeWitt, *Fundamentals of Heat and Mass Transfer*, external
   forced convection h ∝ Re^0.8 (turbulent); ch. 11, Table 11.3, effectiveness of
   a cross-flow exchanger with both fluids unmixed.
.. [4] ASHRAE Handbook—Fundamentals (2017), ch. 1: latent heat of vaporization
   of water at 25 °C, 2.442 MJ/kg.
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.layout import L_DC_UA_W_K, L_DT_K, L_MDOT_AIR_DC_KG_S, L_Q_DESIGN_W
from kernels.psychro import AIR_CP_J_KG_K

__all__ = [
    "DRY_COOLER_AIR_DT_K",
    "DRY_COOLER_APPROACH_K",
    "DRY_COOLER_FAN_DP_PA",
    "DRY_COOLER_FAN_ETA_TOTAL",
    "DRY_COOLER_FAN_MIN_FRAC",
    "DRY_COOLER_UA_AIR_EXP",
    "H_FG_WATER_J_KG",
    "PAD_BLOWDOWN_CONC_RATIO",
    "PAD_EFFECTIVENESS",
    "SPRAY_SWITCH_C",
    "adiabatic_inlet_c",
    "cooler_coil_capacity_w",
    "cooler_free_w",
    "cooler_full_w",
    "dry_cooler_design_ua_w_k",
    "dry_cooler_fan_power_w",
    "dry_cooler_q_w",
    "dry_cooler_run",
    "evaporation_kg_s",
    "hx_effectiveness_crossflow_unmixed",
    "pad_water_kg_s",
]

#: Design approach, leaving fluid − entering air, at design heat and full fan
#: [K]. Assumed: 6 K, mid-range of manufacturers' data-centre dry-cooler
#: selections (about 4–8 K).
DRY_COOLER_APPROACH_K = 6.0
#: Air temperature rise across the coil at design [K] (assumed: 10 K, sets the
#: design air flow ṁ = Q / (c_p ΔT)). It must stay below the design approach plus
#: the loop's range, the air's largest possible rise (second law; checked by
#: :func:`twin.scenario.cooling.check_plant`).
DRY_COOLER_AIR_DT_K = 10.0
#: Fan total pressure rise over coil and casing [Pa] (assumed: 150 Pa, typical of
#: low-pressure axial fans on finned coils).
DRY_COOLER_FAN_DP_PA = 150.0
#: Fan total efficiency (fan × motor, EC motors) [-] (assumed: 0.5).
DRY_COOLER_FAN_ETA_TOTAL = 0.5
#: Lowest fan speed fraction [-] (assumed: 0.2, as the tower's minimum air flow
#: in :mod:`kernels.tower`); below it fans cycle, power falls linearly.
DRY_COOLER_FAN_MIN_FRAC = 0.2
#: Exponent of UA on air flow (air side dominant, h ∝ Re^0.8 [3]).
DRY_COOLER_UA_AIR_EXP = 0.8
#: Saturation effectiveness of the wetted pads [-] (assumed: 0.8, within the
#: 0.7–0.9 of rigid cellulose media in [2] ch. 41 and of EnergyPlus CelDekPad).
PAD_EFFECTIVENESS = 0.8
#: Outdoor dry bulb above which the pads are wetted [°C] (assumed: 25 °C, a
#: common factory setting of adiabatic coolers).
SPRAY_SWITCH_C = 25.0
#: Latent heat of vaporization of water near 25 °C [J/kg] [4].
H_FG_WATER_J_KG = 2.442e6
#: Blowdown concentration ratio of the pads' sump [-]: 3.0, the EnergyPlus default
#: of the make-up water model of its towers and evaporative fluid coolers
#: (IDD "Blowdown Concentration Ratio", Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed), used here in the
#: blowdown formula of EvaporativeCooler:Direct:ResearchSpecial [1] (where the ratio
#: is a user input limited to ≥ 2). Assumption: no drift, wetted rigid media shed no
#: droplets (ResearchSpecial's drift fraction is a user input, 0 when blank).
PAD_BLOWDOWN_CONC_RATIO = 3.0
#: Bisection steps of the capacity solve (2^-40 of the bracket); the most steps of the
#: fan-speed solve (:func:`_fan_speed_for_heat`).
_N_BISECT = 40
#: Fan-speed solve: bracket width [-] and heat residual (share of the target) to stop at.
_FR_TOL = 1e-13
_Q_REL_TOL = 1e-14


@njit
def adiabatic_inlet_c(t_db_c, t_wb_c, pad_eff, t_switch_c):
    """Air temperature entering the coil of an adiabatic cooler.

    Parameters
    ----------
    t_db_c, t_wb_c : float
        Outdoor dry bulb and wet bulb [°C].
    pad_eff : float
        Pad saturation effectiveness ε [-].
    t_switch_c : float
        Spray switch temperature [°C]; the pads are dry at or below it.

    Returns
    -------
    t_in_c : float
        ``T_db − ε (T_db − T_wb)`` when spraying, else ``T_db`` [°C].
    spraying : bool

    References
    ----------
    EnergyPlus Engineering Reference, "Direct Evaporative Cooler" (ResearchSpecial).
    """
    if t_db_c <= t_switch_c:
        return t_db_c, False
    dep = max(0.0, t_db_c - t_wb_c)
    return t_db_c - pad_eff * dep, True


@njit
def evaporation_kg_s(mdot_air_kg_s, t_db_c, t_in_c):
    """Water evaporated by the pads [kg/s].

    The sensible cooling of the air, ``ṁ c_p (T_db − T_in)``, becomes latent
    heat (adiabatic saturation): ``ṁ_w = ṁ c_p (T_db − T_in) / h_fg``. This
    equals EnergyPlus' ``ṁ_air (w_out − w_in)`` to first order.
    """
    if mdot_air_kg_s <= 0.0 or t_db_c <= t_in_c:
        return 0.0
    return mdot_air_kg_s * AIR_CP_J_KG_K * (t_db_c - t_in_c) / H_FG_WATER_J_KG


@njit
def dry_cooler_fan_power_w(p_design_w, fr, fr_min):
    """Fan power at speed fraction ``fr`` by the fan laws, ``P = P_d · fr³`` [W].

    Below ``fr_min`` fans cycle at ``fr_min``: ``P = P_d · fr_min³ · fr / fr_min``.
    """
    if fr <= 0.0 or p_design_w <= 0.0:
        return 0.0
    if fr < fr_min:
        return p_design_w * fr_min**3 * fr / fr_min
    return p_design_w * fr**3


@njit
def pad_water_kg_s(evap_kg_s, conc_ratio):
    """Make-up water of wetted pads or a wet heat exchanger [kg/s].

    Evaporation plus blowdown, ``ṁ_evap + ṁ_evap / (R − 1)`` (no drift), the water
    model of EnergyPlus EvaporativeCooler:Direct:ResearchSpecial and
    :Indirect:ResearchSpecial [1]; ``R ≤ 1`` counts the evaporation only.
    """
    if evap_kg_s <= 0.0:
        return 0.0
    if conc_ratio <= 1.0:
        return evap_kg_s
    return evap_kg_s * (1.0 + 1.0 / (conc_ratio - 1.0))


@njit
def hx_effectiveness_crossflow_unmixed(ntu, c_ratio):
    """Effectiveness of a cross-flow heat exchanger, both streams unmixed [-].

    ``ε = 1 − exp[(NTU^0.22 / C_r) (exp(−C_r NTU^0.78) − 1)]`` (Incropera & DeWitt
    Table 11.3 [3]; EnergyPlus ``SimSimpleFluidCooler`` writes it with
    ``η = NTU^0.22``, ``A = C_r NTU / η``, ``ε = 1 − exp((e^−A − 1) / (C_r / η))``
    [1]); the limit ``1 − e^−NTU`` as ``C_r → 0``. ``NTU ≤ 0`` gives 0; ``C_r`` is
    clamped to [0, 1]; the result to [0, 1].
    """
    if ntu <= 0.0:
        return 0.0
    cr = min(max(c_ratio, 0.0), 1.0)
    if cr < 1e-9:
        return 1.0 - math.exp(-ntu)
    eta = ntu**0.22
    eps = 1.0 - math.exp((math.exp(-cr * ntu / eta) - 1.0) * eta / cr)
    return min(1.0, max(0.0, eps))


@njit
def dry_cooler_q_w(ua_design_w_k, c_air_design_w_k, fr, c_fluid_w_k, t_fluid_in_c, t_air_in_c):
    """Heat a dry-cooler coil passes with its fans running at speed ``fr`` [W].

    ``C_air = fr C_air,design``, ``UA = UA_design fr^0.8`` (module docstring),
    ``Q = ε C_min (T_fluid,in − T_air,in)`` by
    :func:`hx_effectiveness_crossflow_unmixed`; 0 when the air is not colder than
    the fluid or a stream has no flow.
    """
    if fr <= 0.0 or c_fluid_w_k <= 0.0 or ua_design_w_k <= 0.0 or t_fluid_in_c <= t_air_in_c:
        return 0.0
    c_air = fr * c_air_design_w_k
    ua = ua_design_w_k * fr**DRY_COOLER_UA_AIR_EXP
    c_min = min(c_air, c_fluid_w_k)
    c_max = max(c_air, c_fluid_w_k)
    eps = hx_effectiveness_crossflow_unmixed(ua / c_min, c_min / c_max)
    return eps * c_min * (t_fluid_in_c - t_air_in_c)


@njit
def dry_cooler_design_ua_w_k(q_design_w, dt_fluid_k, dt_air_k, approach_k):
    """UA of a dry cooler that meets its design point [W/K].

    At the design heat ``Q`` the fluid enters at ``T_air + approach + ΔT_fluid`` and
    leaves at ``T_air + approach``; the air rises by ``ΔT_air``. So
    ``C_fluid = Q / ΔT_fluid``, ``C_air = Q / ΔT_air`` and the design effectiveness
    is ``ε = Q / (C_min (approach + ΔT_fluid))``; NTU is found by bisection (ε rises
    with NTU) and ``UA = NTU C_min``, as EnergyPlus solves a fluid cooler's UA from
    its nominal capacity [1]. Returns 0 for no design heat and ``inf`` when the
    point breaks the second law (``ε ≥ 1``: ``ΔT_air ≥ approach + ΔT_fluid``).
    """
    if q_design_w <= 0.0 or dt_fluid_k <= 0.0 or dt_air_k <= 0.0:
        return 0.0
    c_f = q_design_w / dt_fluid_k
    c_a = q_design_w / dt_air_k
    c_min = min(c_f, c_a)
    eps = q_design_w / (c_min * (approach_k + dt_fluid_k))
    if eps >= 1.0:
        return math.inf
    cr = c_min / max(c_f, c_a)
    lo, hi = 0.0, 1.0
    while hx_effectiveness_crossflow_unmixed(hi, cr) < eps and hi < 1e6:
        lo, hi = hi, 2.0 * hi
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if hx_effectiveness_crossflow_unmixed(mid, cr) < eps:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi) * c_min


@njit
def dry_cooler_run(ua_design_w_k, c_air_design_w_k, c_fluid_w_k, t_fluid_in_c, t_target_c,
                   t_air_in_c, fr_min):  # fmt: skip
    """Fan speed that cools the fluid to ``t_target_c``, and what the coil then does.

    Parameters
    ----------
    ua_design_w_k, c_air_design_w_k : float
        Design UA and design air capacity rate ``ṁ_air c_p`` [W/K].
    c_fluid_w_k : float
        Fluid capacity rate ``ṁ_fluid c_p`` [W/K].
    t_fluid_in_c, t_target_c, t_air_in_c : float
        Entering fluid, leaving-fluid set point, entering air [°C].
    fr_min : float
        Lowest fan speed fraction [-]; below it the fans cycle.

    Returns
    -------
    q_w : float
        Heat rejected [W]: ``C_fluid (T_in − T_target)`` when the coil can, else its
        full-speed heat.
    fr : float
        Time-averaged fan speed fraction [-] (``x fr_min`` when cycling with on-time
        fraction ``x``), for :func:`dry_cooler_fan_power_w` and the air flow.
    t_air_out_c : float
        Air leaving the coil while the fans run [°C], ``T_air,in + Q_on / C_air``.
    """
    q_need = c_fluid_w_k * (t_fluid_in_c - t_target_c)
    if q_need <= 0.0 or t_air_in_c >= t_fluid_in_c or ua_design_w_k <= 0.0:
        return 0.0, 0.0, t_air_in_c
    q_full = dry_cooler_q_w(ua_design_w_k, c_air_design_w_k, 1.0, c_fluid_w_k, t_fluid_in_c,
                            t_air_in_c)  # fmt: skip
    if q_full <= q_need:
        return q_full, 1.0, t_air_in_c + q_full / c_air_design_w_k
    q_lo = dry_cooler_q_w(ua_design_w_k, c_air_design_w_k, fr_min, c_fluid_w_k, t_fluid_in_c,
                          t_air_in_c)  # fmt: skip
    if q_lo >= q_need:
        return q_need, fr_min * q_need / q_lo, t_air_in_c + q_lo / (fr_min * c_air_design_w_k)
    fr = _fan_speed_for_heat(ua_design_w_k, c_air_design_w_k, c_fluid_w_k, t_fluid_in_c,
                             t_air_in_c, q_need, fr_min, q_lo, q_full)  # fmt: skip
    return q_need, fr, t_air_in_c + q_need / (fr * c_air_design_w_k)


@njit
def _fan_speed_for_heat(ua_w_k, c_air_w_k, c_fluid_w_k, t_fluid_in_c, t_air_in_c, q_need,
                        fr_lo, q_lo, q_hi):  # fmt: skip
    """Fan speed in ``[fr_lo, 1]`` at which the coil passes ``q_need`` [-].

    The heat rises monotonically with the speed and brackets the target
    (``q_lo < q_need < q_hi``). Illinois false position (Dowell and Jarratt, BIT 11,
    1971): the secant through the bracket's ends, with the retained end's residual
    halved when the same end is kept twice, so the bracket shrinks superlinearly and
    never loses the root. It stops when the bracket is below :data:`_FR_TOL` or the
    residual below :data:`_Q_REL_TOL` of the target (typically 5-8 evaluations of the
    coil against the 40 of a bisection to the same bracket).
    """
    lo, hi = fr_lo, 1.0
    f_lo, f_hi = q_lo - q_need, q_hi - q_need
    side = 0
    fr = hi
    for _ in range(_N_BISECT):
        fr = hi - f_hi * (hi - lo) / (f_hi - f_lo)
        if not lo < fr < hi:
            fr = 0.5 * (lo + hi)
        f = dry_cooler_q_w(ua_w_k, c_air_w_k, fr, c_fluid_w_k, t_fluid_in_c, t_air_in_c) - q_need
        if abs(f) <= _Q_REL_TOL * q_need:
            return fr
        if f < 0.0:
            lo, f_lo = fr, f
            if side == -1:
                f_hi *= 0.5
            side = -1
        else:
            hi, f_hi = fr, f
            if side == 1:
                f_lo *= 0.5
            side = 1
        if hi - lo <= _FR_TOL:
            break
    return fr


# --- the coolers of one loop row (kernels.layout) -------------------------------


@njit(inline="always")
def _c_air_design_w_k(lp):
    return lp[L_MDOT_AIR_DC_KG_S] * AIR_CP_J_KG_K


@njit
def cooler_free_w(lp, q_coil_w, t_air_c, t_sup):
    """What the dry-cooler coil does for a loop carrying ``q_coil_w`` to ``t_sup``.

    The fluid returns at ``t_sup + ΔT_design`` with the flow that carries the coil
    heat (``C_fluid = q_coil / ΔT_design``) and meets air at ``t_air_c``
    (:func:`dry_cooler_run`). Returns the heat it removes [W], the
    mean fan speed fraction [-] and the air leaving the coil [°C].
    """
    dt_k = lp[L_DT_K]
    if q_coil_w <= 0.0 or dt_k <= 0.0:
        return 0.0, 0.0, t_air_c
    return dry_cooler_run(
        lp[L_DC_UA_W_K],
        _c_air_design_w_k(lp),
        q_coil_w / dt_k,
        t_sup + dt_k,
        t_sup,
        t_air_c,
        DRY_COOLER_FAN_MIN_FRAC,
    )


@njit
def cooler_full_w(lp, q_coil_w, t_air_c, t_sup):
    """Heat the coil removes at full fan speed from a loop carrying ``q_coil_w`` [W]."""
    dt_k = lp[L_DT_K]
    if q_coil_w <= 0.0 or dt_k <= 0.0:
        return 0.0
    ua = lp[L_DC_UA_W_K]
    return dry_cooler_q_w(ua, _c_air_design_w_k(lp), 1.0, q_coil_w / dt_k, t_sup + dt_k, t_air_c)


@njit
def cooler_coil_capacity_w(lp, q_mech_w, t_air_c, t_sup):
    """Largest coil heat the dry coolers and ``q_mech_w`` of trim chillers hold [W].

    The chillers take what the coil leaves at full fan speed, ``q − Q_full(q)``,
    which grows with ``q`` (more flow, warmer leaving fluid): bisection for
    ``q − Q_full(q) = q_mech``, at most ``max(q_design, q_mech)`` (Assumption: the
    cooler circuit's pump and the coolers are sized for the design load, as
    :func:`kernels.water_cooled.hall_share_w` caps the flow at the design flow).
    """
    q_top = max(lp[L_Q_DESIGN_W], q_mech_w)
    if q_top - cooler_full_w(lp, q_top, t_air_c, t_sup) <= q_mech_w:
        return q_top
    lo, hi = 0.0, q_top
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if mid - cooler_full_w(lp, mid, t_air_c, t_sup) <= q_mech_w:
            lo = mid
        else:
            hi = mid
    return lo
