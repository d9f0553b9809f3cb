"""Variable-flow condenser water of a tower plant (kernels.condenser.condenser_flow_frac).

Physical checks on the 3.3 MW loop of the validation envelope (4 x 1.2 MW chillers, N+1,
the economizer's exchanger on its own condenser branch): at a quarter of the load the
towers carry only the flow the running chillers and the exchanger ask for, so their range
stays inside YorkCalc's bounds; the condenser pumps draw the variable-speed curve at that
flow; the first law of the loop closes; the constant-flow design is unchanged.
"""

from __future__ import annotations

import math

import pytest

from kernels import layout as L
from kernels.condenser import condenser_flow_frac, condenser_pump_w
from kernels.economizer import (
    WSE_MODE_FULL,
    hx_c_cond_w_k,
    hx_effectiveness_counterflow,
    hx_ua_w_k,
    wse_cond_flow_frac,
    wse_split_ntu,
)
from kernels.movers import (
    COND_PUMP_MOTOR_EFF,
    COND_PUMP_VSD_COEFFS,
    PUMP_MOTOR_LOSS_TO_FLUID_FRAC,
    mover_heat_w,
)
from kernels.tower import WATER_CP_J_KG_K, WATER_DENSITY_KG_M3, YORKCALC_RANGE_MIN_K
from kernels.water_cooled import loop_balance_ctl, loop_movers
from twin.scenario.cooling import LoopConfig
from twin.sim.compile import _loop_row

RC = WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K
Q_DESIGN_W = 3.3e6
FREE = (14.0, 10.0)  # dry bulb, wet bulb [°C]: full free cooling
HOT = (35.0, 26.0)  # mechanical cooling (tower water above the 24 °C return)


def _row(flow: str):
    cfg = LoopConfig(t_supply_c=18.0, chiller_unit_kw=1200.0, redundancy=1, condenser_flow=flow)
    return _loop_row(cfg, Q_DESIGN_W, 0.0, 0.0, True, 101325.0)


def _balance(lp, n, q_w, weather):
    t_db, t_wb = weather
    return loop_balance_ctl(lp, q_w, t_db, t_wb, float(n), True, 18.0, True)


def _cond_pump_w(lp, q_w, r):
    """Condenser pumps' power: the loop's pumps less the chilled-water pump."""
    return r[2] - loop_movers(lp, q_w, True)[0]


def test_design_flows_add_up():
    """One running chiller's design flow x the duty chillers + the exchanger's own design
    flow = the towers' design flow; the rows differ only in the flow mode."""
    lp, n = _row("variable")
    lc, _ = _row("constant")
    v_hx = hx_c_cond_w_k(lp) / RC
    assert (n - 1) * lp[L.L_VDOT_COND_UNIT_M3_S] + v_hx == pytest.approx(
        lp[L.L_VDOT_TOWER_M3_S], rel=1e-12
    )
    assert lp[L.L_COND_VARIABLE] == 1.0 and lc[L.L_COND_VARIABLE] == 0.0
    assert condenser_flow_frac(lc, 1, 0.0) == 1.0
    assert condenser_flow_frac(lp, n - 1, 1.0) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("weather", [FREE, HOT])
def test_quarter_load_range_inside_yorkcalc(weather):
    """At 25 % load the constant design flow gives the towers a range below YorkCalc's
    1.11 K bound; the flow of the exchanger alone (free cooling) or of one chiller
    (mechanical) gives a range inside it."""
    q = 0.25 * Q_DESIGN_W
    lp, n = _row("variable")
    lc, _ = _row("constant")
    r_var = _balance(lp, n, q, weather)
    r_con = _balance(lc, n, q, weather)
    assert r_con[7] / (RC * lc[L.L_VDOT_TOWER_M3_S]) < YORKCALC_RANGE_MIN_K
    n_on = 0 if weather is FREE else 1
    hx = 1.0 if weather is FREE else 0.0
    fr = condenser_flow_frac(lp, n_on, hx)
    assert r_var[6] == (WSE_MODE_FULL if weather is FREE else 0)
    range_k = r_var[7] / (RC * lp[L.L_VDOT_TOWER_M3_S] * fr)
    assert range_k > YORKCALC_RANGE_MIN_K


def test_pumps_follow_the_running_chillers():
    """Mechanical cooling at 25 % load: one chiller runs (0.78 MW < 1.2 MW), so the pumps
    move one chiller's design flow and draw the "VSD No Reset" curve there, by hand:
    P = P_d (c1 f + c2 f² + c3 f³)."""
    q = 0.25 * Q_DESIGN_W
    lp, n = _row("variable")
    f = lp[L.L_VDOT_COND_UNIT_M3_S] / lp[L.L_VDOT_TOWER_M3_S]
    c = COND_PUMP_VSD_COEFFS
    hand = lp[L.L_P_PUMP_COND_W] * (c[0] + c[1] * f + c[2] * f * f + c[3] * f**3)
    p = _cond_pump_w(lp, q, _balance(lp, n, q, HOT))
    assert p == pytest.approx(hand, rel=1e-9)
    assert p == pytest.approx(condenser_pump_w(lp, f), rel=1e-12)
    assert p < 0.1 * lp[L.L_P_PUMP_COND_W]
    # the constant-flow design keeps the design power
    lc, _ = _row("constant")
    assert _cond_pump_w(lc, q, _balance(lc, n, q, HOT)) == pytest.approx(lc[L.L_P_PUMP_COND_W])


@pytest.mark.parametrize("flow", ["variable", "constant"])
@pytest.mark.parametrize("load", [0.25, 0.6, 1.0])
@pytest.mark.parametrize("weather", [FREE, (24.0, 19.0), HOT])
def test_first_law_of_the_loop(flow, load, weather):
    """Heat rejected = the hall's heat + the movers' heat + the chillers' power + the
    condenser pumps' heat, at every load and weather, both flow designs."""
    q = load * Q_DESIGN_W
    lp, n = _row(flow)
    r = _balance(lp, n, q, weather)
    q_movers = loop_movers(lp, q, True)[2]
    p_cond = _cond_pump_w(lp, q, r)
    q_pump = mover_heat_w(p_cond, COND_PUMP_MOTOR_EFF, PUMP_MOTOR_LOSS_TO_FLUID_FRAC)
    assert r[7] == pytest.approx(q + q_movers + r[0] + q_pump, rel=1e-9)


@pytest.mark.parametrize("load", [0.1, 0.25, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("t_cond", [2.0, 8.0, 12.0, 15.0, 16.5])
def test_modulated_flow_carries_the_load(load, t_cond):
    """Wherever the exchanger is in full free cooling, its heat at the returned flow equals
    the load (ε-NTU recomputed independently of the LMTD solve), to 1e-9."""
    lp, _ = _row("variable")
    ua, c_d = hx_ua_w_k(lp), hx_c_cond_w_k(lp)
    q, t_ret, t_sup = load * Q_DESIGN_W, 24.0, 18.0
    x = wse_cond_flow_frac(q, t_ret, t_sup, t_cond, ua, c_d)
    if wse_split_ntu(q, t_ret, t_sup, t_cond, ua, c_d)[1] != WSE_MODE_FULL:
        assert x == 1.0  # partial free cooling: the full design flow
        return
    assert 0.0 < x <= 1.0
    c_chw, c = q / (t_ret - t_sup), x * c_d
    c_min, c_max = min(c, c_chw), max(c, c_chw)
    q_x = hx_effectiveness_counterflow(ua / c_min, c_min / c_max) * c_min * (t_ret - t_cond)
    assert q_x == pytest.approx(q, rel=1e-9)


def test_exchanger_modulates_to_the_load():
    """Full free cooling with water colder than needed: the exchanger's condenser flow is
    cut until it carries exactly the load (EnergyPlus CoolingSetpointModulated); partial
    mode takes the full design flow, no free cooling none."""
    lp, _ = _row("variable")
    ua, c_d = hx_ua_w_k(lp), hx_c_cond_w_k(lp)
    q, t_ret, t_sup = 0.5 * Q_DESIGN_W, 24.0, 18.0
    x = wse_cond_flow_frac(q, t_ret, t_sup, 10.0, ua, c_d)
    assert 0.0 < x < 1.0
    c_chw = q / (t_ret - t_sup)
    c = x * c_d
    c_min, c_max = min(c, c_chw), max(c, c_chw)
    q_x = hx_effectiveness_counterflow(ua / c_min, c_min / c_max) * c_min * (t_ret - 10.0)
    assert q_x == pytest.approx(q, rel=1e-9)
    assert wse_split_ntu(q, t_ret, t_sup, 10.0, ua, c_d)[1] == WSE_MODE_FULL
    assert wse_cond_flow_frac(q, t_ret, t_sup, 21.0, ua, c_d) == 1.0  # partial
    assert wse_cond_flow_frac(q, t_ret, t_sup, 25.0, ua, c_d) == 0.0  # off
    assert math.isfinite(x)
