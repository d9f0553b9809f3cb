"""Moisture balance of the hall air and its dew point, step by step after a run.

The hall air is one well-mixed node of dry-air mass ``M`` (hall volume × air
density) and humidity ratio ``W`` [kg water / kg dry air]. Dry-air mass flows
[kg/s] and the humidity they carry, per step (EnergyPlus Engineering Reference,
"Zone air moisture balance": ``M dW/dt = Σ ṁ_in W_in − Σ ṁ_out W``; ASHRAE
Handbook—Fundamentals 2017, ch. 1, mass balance of water vapour):

* **ventilation** ``ṁ_v = ρ R_a A_z / E_z`` of outdoor air ``W_o``, leaving as
  exhaust at ``W`` (ANSI/ASHRAE Standard 62.1-2019, Table 6-1 "Computer (not
  printing)": ``R_a = 0.3 L/(s m²)``; ``E_z = 1`` for ceiling supply of cool
  air, Table 6-2). Assumption: the people term ``R_p P_z`` is left out (a data
  hall is unattended; its default density of 4 per 100 m² is an office's), and
  the air enters untreated (the twin has no dedicated outdoor-air unit).
* **CRAH loop** ``ṁ_s = Q_air / (c_p ΔT_air)`` (the supply air that carries the
  air loop's heat across the hot-aisle rise, as the design flow of
  ``twin.sim.compile``). Of it a share ``x`` is outdoor air in a **direct**
  air-side economizer, relieved from the hall at ``W``, and ``1 − x`` is hall
  air; the mix enters the cooling coil at ``W_mix = x W_oe + (1 − x) W``.
  ``x`` is recomputed from the step's conditions with the economizer's own
  rules (:func:`kernels.airecon.air_econ_split`, whose envelope test decides):
  mode 2 (full) mixes outdoor air at ``T_src`` with return air at
  ``T_ret = T_sup + ΔT_air`` to the supply set point, adiabatic mixing
  ``x = (T_ret − T_sup) / (T_ret − T_src)`` (ASHRAE 2017 ch. 1, "adiabatic
  mixing of two moist air streams"); mode 1 (partial, integrated) admits 100 %
  outdoor air and the coil trims it (ANSI/ASHRAE/IES 90.1-2019 §6.5.1.3);
  mode 0 and indirect economizers admit none. ``W_oe`` is the outdoor air
  after the pads: ``W_o + c_p (T_db − T_src) / h_fg`` (as ``air_econ_split``).
* **cooling coil**, apparatus-dew-point / bypass-factor model: the leaving air
  lies on the straight line from the entering state to saturation at the
  apparatus dew point ``t_adp`` (ASHRAE Handbook—Fundamentals 2017 ch. 1,
  "moist air cooling and dehumidification"; EnergyPlus Engineering Reference,
  "DX cooling coil: apparatus dewpoint / bypass factor"), so
  ``W_leave = W_adp + BF (W_mix − W_adp)`` while ``W_mix > W_adp`` (surface
  below the entering dew point, wet coil), else ``W_leave = W_mix`` (dry). The
  bypass factor follows from the coil's own temperatures, ``BF = (T_sup −
  t_adp) / (T_mix − t_adp)``: the coil brings the mix to the supply set point.
  Assumption: ``t_adp`` is the air loop's chilled-water supply temperature
  after its reset (:func:`kernels.controls.supply_reset_c`, part-load ratio from
  the step's air-loop heat ``Q_air / Q_design``), the coldest the
  coil surface can be; a real wet surface is warmer, so the hall dew point and
  the excursions found here are lower bounds. The coil carries no water in
  the economizer's full mode (outdoor air alone holds the set point).
* **latent gains**: none. IT equipment releases sensible heat only, and a
  data hall is unattended (people's latent gain, ASHRAE Fundamentals 2017
  ch. 18 Table 1, about 45 W per seated person, is negligible next to
  megawatts of IT heat and not modelled).

With the step's flows constant, ``M dW/dt = a − b W`` in each coil regime (dry
or wet), a piecewise-linear, continuous and decreasing right-hand side; the
exact solution (:func:`relax_w`) crosses the wet/dry boundary at most once per
step, so :func:`hall_w_step` is exact for any ``dt_s``. The dew point of the
hall comes from the vapour pressure (ASHRAE 2017 ch. 1 eq 20) by
:func:`kernels.psychro.dew_point_c`.

References
----------
ASHRAE Handbook—Fundamentals (SI) 2017, ch. 1 (eqs 20, 22, 37, 38; mixing;
cooling and dehumidifying) and ch. 18; ANSI/ASHRAE Standard 62.1-2019, Tables
6-1 and 6-2; ANSI/ASHRAE/IES Standard 90.1-2019 §6.5.1.3; EnergyPlus
Engineering Reference, zone air moisture balance and DX coil ADP/BF model.
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.airecon import AIR_ECON_DIRECT, air_econ_split, direct_pad_outlet
from kernels.controls import RESET_PLR_FULL, RESET_PLR_LOW, supply_reset_c
from kernels.layout import (
    L_AIR_DT_K,
    L_AIR_ECON,
    L_AIR_EVAP_EFF,
    L_P_ATM_PA,
    L_Q_DESIGN_W,
    L_RESET_K,
    L_T_SUP_AIR_C,
    L_T_SUPPLY_C,
    O_ECON_MODE,
    O_Q_AIR_W,
)
from kernels.psychro import (
    AIR_CP_J_KG_K,
    dew_point_c,
    humidity_ratio_from_rh,
    humidity_ratio_from_wet_bulb,
)

__all__ = [
    "ASHRAE_621_RA_COMPUTER_M3_S_M2",
    "MP_DP_ALLOW_C",
    "MP_DP_REC_C",
    "MP_MDOT_VENT_KG_S",
    "MP_M_DA_KG",
    "N_MOIST",
    "N_MPAR",
    "R_MAX_DP_C",
    "R_STEPS_OVER_ALLOW",
    "R_STEPS_OVER_REC",
    "coil_bypass_factor",
    "direct_outdoor_share",
    "hall_moisture_pass",
    "hall_w_step",
    "relax_w",
]

#: ASHRAE 62.1-2019 Table 6-1, "Computer (not printing)": area outdoor air rate R_a
#: 0.3 L/(s m²) (0.06 cfm/ft²) [m³/(s m²)].
ASHRAE_621_RA_COMPUTER_M3_S_M2 = 0.3e-3

# the parameter vector ``par`` of :func:`hall_moisture_pass`
MP_M_DA_KG = 0  # dry-air mass of the hall [kg]
MP_MDOT_VENT_KG_S = 1  # ventilation (outdoor) dry-air flow [kg/s]
MP_DP_ALLOW_C = 2  # strictest allowable dew point of the air groups [°C] (1e9: none)
MP_DP_REC_C = 3  # recommended upper dew point [°C] (1e9: none)
N_MPAR = 4

# the result vector ``res`` of :func:`hall_moisture_pass`
R_MAX_DP_C = 0  # highest end-of-step hall dew point [°C]
R_STEPS_OVER_ALLOW = 1  # steps ending with the dew point above MP_DP_ALLOW_C
R_STEPS_OVER_REC = 2  # steps ending with the dew point above MP_DP_REC_C
N_MOIST = 3


@njit
def relax_w(w0, a, b, m_da_kg, t_s):
    """Exact solution of ``M dW/dt = a − b W`` after ``t_s`` [kg/kg].

    ``W(t) = W_eq + (W0 − W_eq) exp(−b t / M)`` with ``W_eq = a / b``; for
    ``b = 0``, ``W0 + a t / M``.
    """
    if b <= 0.0:
        return w0 + a * t_s / m_da_kg
    w_eq = a / b
    return w_eq + (w0 - w_eq) * math.exp(-b * t_s / m_da_kg)


@njit
def _time_to_w(w0, w_target, a, b, m_da_kg):
    """Time for :func:`relax_w` to reach ``w_target`` from ``w0`` [s] (``inf``: never)."""
    if b <= 0.0:
        if a == 0.0 or (w_target - w0) * a <= 0.0:
            return math.inf
        return (w_target - w0) * m_da_kg / a
    w_eq = a / b
    r = (w0 - w_eq) / (w_target - w_eq)
    if r <= 1.0:
        return math.inf
    return m_da_kg / b * math.log(r)


@njit
def coil_bypass_factor(t_mix_c, t_leave_c, t_adp_c):
    """Bypass factor of a coil that cools ``t_mix_c`` to ``t_leave_c`` [-].

    ``BF = (t_leave − t_adp) / (t_mix − t_adp)`` (ADP/BF model, module
    docstring), in [0, 1]; 1 (the coil does nothing) when it does not cool.
    """
    if t_mix_c <= t_leave_c or t_mix_c <= t_adp_c:
        return 1.0
    return min(max((t_leave_c - t_adp_c) / (t_mix_c - t_adp_c), 0.0), 1.0)


@njit
def hall_w_step(w0, w_o, mdot_v, x, w_oe, mdot_s, w_adp, bf, m_da_kg, dt_s):
    """Hall humidity ratio at the end of a step with constant flows [kg/kg].

    Parameters
    ----------
    w0 : float
        Hall humidity ratio at the start [kg/kg].
    w_o, mdot_v : float
        Ventilation air: outdoor humidity ratio [kg/kg], dry-air flow [kg/s].
    x, w_oe : float
        Outdoor share of the CRAH air [-] and its humidity ratio after the pads.
    mdot_s : float
        CRAH supply dry-air flow [kg/s].
    w_adp, bf : float
        Saturation humidity ratio at the apparatus dew point [kg/kg] and the coil
        bypass factor [-] (``bf = 1``: no coil).
    m_da_kg, dt_s : float
        Dry-air mass of the hall [kg], step [s].

    Notes
    -----
    Dry coil: ``a = ṁ_v W_o + ṁ_s x W_oe``, ``b = ṁ_v + ṁ_s x``; wet coil (``W_mix
    > W_adp``): ``a = ṁ_v W_o + ṁ_s ((1 − BF) W_adp + BF x W_oe)``, ``b = ṁ_v +
    ṁ_s (1 − BF (1 − x))``. The regime boundary ``W* = (W_adp − x W_oe) / (1 −
    x)``; when the step crosses it, the rest of the step runs in the other regime
    (the right-hand side is continuous there, so it never crosses back).
    """
    a_d = mdot_v * w_o + mdot_s * x * w_oe
    b_d = mdot_v + mdot_s * x
    a_w = mdot_v * w_o + mdot_s * ((1.0 - bf) * w_adp + bf * x * w_oe)
    b_w = mdot_v + mdot_s * (1.0 - bf * (1.0 - x))
    if bf >= 1.0 or mdot_s <= 0.0:
        return relax_w(w0, a_d, b_d, m_da_kg, dt_s)
    if x >= 1.0:
        if w_oe > w_adp:
            return relax_w(w0, a_w, b_w, m_da_kg, dt_s)
        return relax_w(w0, a_d, b_d, m_da_kg, dt_s)
    w_star = (w_adp - x * w_oe) / (1.0 - x)
    wet = w0 > w_star or (w0 == w_star and a_d - b_d * w0 > 0.0)
    a, b, a2, b2 = (a_w, b_w, a_d, b_d) if wet else (a_d, b_d, a_w, b_w)
    t_cross = _time_to_w(w0, w_star, a, b, m_da_kg)
    if t_cross >= dt_s:
        return relax_w(w0, a, b, m_da_kg, dt_s)
    return relax_w(w_star, a2, b2, m_da_kg, dt_s - t_cross)


@njit
def direct_outdoor_share(lp, q_air_w, t_db_c, t_wb_c):
    """Outdoor share of the CRAH air of a direct air-side economizer.

    Returns ``(x, w_oe, t_mix_c, coil_on)``: the share [-], the humidity ratio of
    that air after the pads [kg/kg], the coil's entering temperature [°C] and
    whether the coil carries load (module docstring; ``x = 0`` without a direct
    economizer or outside its humidity envelope).
    """
    w_o = humidity_ratio_from_wet_bulb(t_db_c, t_wb_c, lp[L_P_ATM_PA])
    return _outdoor_share(lp, q_air_w, t_db_c, t_wb_c, w_o)


@njit(inline="always")
def _outdoor_share(lp, q_air_w, t_db_c, t_wb_c, w_o):
    """:func:`direct_outdoor_share` given the outdoor humidity ratio ``w_o`` [kg/kg]."""
    t_sup = lp[L_T_SUP_AIR_C]
    t_ret = t_sup + lp[L_AIR_DT_K]
    p_pa = lp[L_P_ATM_PA]
    if int(lp[L_AIR_ECON] + 0.5) != AIR_ECON_DIRECT:
        return 0.0, w_o, t_ret, True
    eff = lp[L_AIR_EVAP_EFF]
    _, _, mode = air_econ_split(
        AIR_ECON_DIRECT, q_air_w, t_db_c, t_wb_c, p_pa, t_sup, lp[L_AIR_DT_K], eff
    )
    if mode == 0:
        return 0.0, w_o, t_ret, True
    # the air the economizer itself takes: after its pads
    t_src, w_oe = direct_pad_outlet(t_db_c, t_wb_c, p_pa, t_sup, eff)
    if mode == 2:
        return (t_ret - t_sup) / (t_ret - t_src), w_oe, t_sup, False
    return 1.0, w_oe, t_src, True


@njit
def _step_flows(lp, q_air_w, econ_mode_out, t_db_c, t_wb_c, w_o):
    """CRAH flow [kg/s], outdoor share, its humidity ratio, the apparatus dew point [°C]
    (``nan`` when no air flows) and bypass factor, given the outdoor humidity ratio."""
    dt_air = lp[L_AIR_DT_K]
    if q_air_w <= 0.0 or dt_air <= 0.0:
        return 0.0, 0.0, 0.0, math.nan, 1.0
    mdot_s = q_air_w / (AIR_CP_J_KG_K * dt_air)
    x, w_oe, t_mix, coil_on = _outdoor_share(lp, q_air_w, t_db_c, t_wb_c, w_o)
    if econ_mode_out < 0.5:  # the run's economizer was off (e.g. hysteresis)
        x, t_mix, coil_on = 0.0, lp[L_T_SUP_AIR_C] + dt_air, True
    q_design = lp[L_Q_DESIGN_W]
    t_adp = lp[L_T_SUPPLY_C]
    if q_design > 0.0:
        t_adp = supply_reset_c(
            t_adp, q_air_w / q_design, lp[L_RESET_K], RESET_PLR_FULL, RESET_PLR_LOW
        )
    bf = coil_bypass_factor(t_mix, lp[L_T_SUP_AIR_C], t_adp) if coil_on else 1.0
    return mdot_s, x, w_oe, t_adp, bf


@njit
def _w_at_dew_point(t_dp_c, p_pa):
    """Humidity ratio of air whose dew point is ``t_dp_c`` [kg/kg]; ``inf`` for a limit
    at or above 100 °C (no limit, e.g. no air-cooled group)."""
    if t_dp_c >= 100.0:
        return math.inf
    return humidity_ratio_from_rh(t_dp_c, 1.0, p_pa)


@njit
def hall_moisture_pass(par, lp, out, t_db_c, t_wb_c, dt_s, dp_out, res):
    """Hall humidity ratio over a run's steps: dew-point KPIs and, optionally, series.

    Parameters
    ----------
    par : ndarray (N_MPAR,)
        ``MP_*`` slots.
    lp : ndarray (N_LOOP,)
        The air loop's row of ``loops``.
    out : ndarray (n, N_OUT)
        The run's per-step outputs (``O_Q_AIR_W``, ``O_ECON_MODE`` are read).
    t_db_c, t_wb_c : ndarray (≥ n,)
        Outdoor dry and wet bulb per step [°C].
    dt_s : float
        Step [s].
    dp_out : ndarray (n,) or (0,)
        Written when it has ``n`` entries: the hall dew point at the end of each step.
    res : ndarray (N_MOIST,)
        Written: ``R_*`` slots (step counts; hours = steps × dt_s / 3600).

    Assumption: the hall starts at the outdoor humidity ratio of the first step
    (its time constant is minutes to hours, so the start does not matter after it).
    """
    n = out.shape[0]
    p_pa = lp[L_P_ATM_PA]
    m_da, mdot_v = par[MP_M_DA_KG], par[MP_MDOT_VENT_KG_S]
    w_allow = _w_at_dew_point(par[MP_DP_ALLOW_C], p_pa)
    w_rec = _w_at_dew_point(par[MP_DP_REC_C], p_pa)
    write = dp_out.shape[0] == n
    w = humidity_ratio_from_wet_bulb(t_db_c[0], t_wb_c[0], p_pa) if n > 0 else 0.0
    w_max = -1.0
    over_allow = 0.0
    over_rec = 0.0
    # W_adp of the last apparatus dew point: the same at every step without a supply reset
    t_adp_last, w_adp_last = math.nan, 0.0
    for k in range(n):
        w_o = humidity_ratio_from_wet_bulb(t_db_c[k], t_wb_c[k], p_pa)
        mdot_s, x, w_oe, t_adp, bf = _step_flows(
            lp, out[k, O_Q_AIR_W], out[k, O_ECON_MODE], t_db_c[k], t_wb_c[k], w_o
        )
        w_adp = 0.0
        if t_adp == t_adp_last:
            w_adp = w_adp_last
        elif not math.isnan(t_adp):
            w_adp = humidity_ratio_from_rh(t_adp, 1.0, p_pa)
            t_adp_last, w_adp_last = t_adp, w_adp
        w = max(hall_w_step(w, w_o, mdot_v, x, w_oe, mdot_s, w_adp, bf, m_da, dt_s), 0.0)
        w_max = max(w_max, w)
        if w > w_allow:
            over_allow += 1.0
        if w > w_rec:
            over_rec += 1.0
        if write:
            dp_out[k] = dew_point_c(w, p_pa)
    res[R_MAX_DP_C] = dew_point_c(w_max, p_pa) if n > 0 else -100.0
    res[R_STEPS_OVER_ALLOW] = over_allow
    res[R_STEPS_OVER_REC] = over_rec
