"""The CDU plate exchanger (kernels.cdu): counter-flow ε-NTU, UA fixed at design, against
hand computation."""

from __future__ import annotations

import math

import pytest

from kernels.cdu import (
    cdu_approach_k,
    cdu_design_ua_w_k,
    cdu_tcs_supply_c,
    hx_ntu_counterflow,
    loop_tcs_supply_c,
)
from kernels.economizer import hx_effectiveness_counterflow

Q_D = 1.0e6  # design heat [W]


def _hand_approach(q, ua, c_t, c_f):
    """Approach by hand: ε of counter-flow (Incropera Table 11.3) at the given rates."""
    c_min, c_max = min(c_t, c_f), max(c_t, c_f)
    ntu = ua / c_min
    cr = c_min / c_max
    e = math.exp(-ntu * (1 - cr))
    eps = (1 - e) / (1 - cr * e)
    return q / (eps * c_min) - q / c_t


def test_ntu_inverts_effectiveness():
    for cr in (0.0, 0.3, 0.8, 0.999, 1.0):
        for ntu in (0.2, 1.0, 3.0):
            eps = hx_effectiveness_counterflow(ntu, cr)
            assert hx_ntu_counterflow(eps, cr) == pytest.approx(ntu, rel=1e-6)


def test_balanced_design_gives_q_over_approach_and_linear_part_load():
    """Balanced flows (C_tcs = C_fw = 100 kW/K at 10 K): UA = Q_d / approach; with both
    flows following the load NTU = UA / (x C) and approach = Q / UA, so half load halves
    the design approach (4 K -> 2 K)."""
    c = Q_D / 10.0
    ua = cdu_design_ua_w_k(Q_D, 4.0, c, c)
    assert ua == pytest.approx(Q_D / 4.0, rel=1e-9)
    assert cdu_approach_k(Q_D, Q_D, ua, c, c) == pytest.approx(4.0, rel=1e-9)
    assert cdu_approach_k(0.5 * Q_D, Q_D, ua, c, c) == pytest.approx(2.0, rel=1e-9)


def test_unbalanced_design_point_and_half_load_by_hand():
    """The defaults: rack side 1.5 L/min per kW (C_tcs = 104.2 W/K per kW, a 9.595 K rise),
    facility side 10 K (100 W/K per kW). At design the closed form gives back the design
    approach; at half load both rates halve and the approach is the hand value."""
    rho_cp = 997.05 * 4181.3
    c_t = rho_cp * 1.5 * (Q_D / 1e3) / 60e3
    c_f = Q_D / 10.0
    approach = 4.0
    ua = cdu_design_ua_w_k(Q_D, approach, c_t, c_f)
    # by hand: ε = Q / (C_min (approach + Q / C_tcs)), NTU from Table 11.4
    eps = Q_D / (c_f * (approach + Q_D / c_t))
    cr = c_f / c_t
    ntu = math.log((1 - eps * cr) / (1 - eps)) / (1 - cr)
    assert ua == pytest.approx(ntu * c_f, rel=1e-12)
    assert cdu_approach_k(Q_D, Q_D, ua, c_t, c_f) == pytest.approx(approach, rel=1e-9)
    half = _hand_approach(0.5 * Q_D, ua, 0.5 * c_t, 0.5 * c_f)
    got = cdu_approach_k(0.5 * Q_D, Q_D, ua, c_t, c_f)
    assert got == pytest.approx(half, rel=1e-12)
    # 2.107 K: a little above half the design approach (C_fw < C_tcs, C_r = 0.96)
    assert got == pytest.approx(2.1067, abs=1e-4)
    assert got < approach


def test_overload_at_design_flow_by_hand():
    """Above the design load the pumps stay at their design flow. Balanced counter-flow
    keeps one temperature difference along the plates, Q / UA, at any flow: 120 % of the
    load gives 1.2 x 4 K. With the defaults' unbalanced rates the approach is the hand
    value of ε-NTU at the design rates."""
    c = Q_D / 10.0
    ua = cdu_design_ua_w_k(Q_D, 4.0, c, c)
    assert cdu_approach_k(1.2 * Q_D, Q_D, ua, c, c) == pytest.approx(4.8, rel=1e-9)
    c_t = 997.05 * 4181.3 * 1.5 * (Q_D / 1e3) / 60e3
    ua = cdu_design_ua_w_k(Q_D, 4.0, c_t, c)
    got = cdu_approach_k(1.2 * Q_D, Q_D, ua, c_t, c)
    assert got == pytest.approx(_hand_approach(1.2 * Q_D, ua, c_t, c), rel=1e-12)
    assert got > 4.0


def test_energy_balance_of_the_exchanger():
    """The heat the rack coolant gives up (C_tcs times its drop) equals the facility
    water's gain (C_fw times its rise) and ε C_min (T_tcs,in - T_fw,in)."""
    rho_cp = 997.05 * 4181.3
    c_t = rho_cp * 1.5 * (Q_D / 1e3) / 60e3
    c_f = Q_D / 10.0
    ua = cdu_design_ua_w_k(Q_D, 4.0, c_t, c_f)
    for x in (0.3, 0.7, 1.0):
        q = x * Q_D
        t_fw_in = 32.0
        t_tcs_out = cdu_tcs_supply_c(t_fw_in, q, Q_D, ua, c_t, c_f)
        t_tcs_in = t_tcs_out + q / (x * c_t)
        t_fw_out = t_fw_in + q / (x * c_f)
        c_min = min(x * c_t, x * c_f)
        eps = hx_effectiveness_counterflow(ua / c_min, c_min / max(x * c_t, x * c_f))
        assert eps * c_min * (t_tcs_in - t_fw_in) == pytest.approx(q, rel=1e-9)
        # second law: each stream stays between the other's inlet temperatures
        assert t_fw_in < t_tcs_out < t_tcs_in
        assert t_fw_out < t_tcs_in


def test_no_exchanger_or_no_heat_is_the_facility_water():
    c = Q_D / 10.0
    assert cdu_design_ua_w_k(Q_D, 0.0, c, c) == 0.0
    assert cdu_tcs_supply_c(30.0, Q_D, Q_D, 0.0, c, c) == 30.0
    ua = cdu_design_ua_w_k(Q_D, 4.0, c, c)
    assert cdu_tcs_supply_c(30.0, 0.0, Q_D, ua, c, c) == 30.0


def test_compiled_liquid_loop_carries_the_cdu_and_the_scenario_check():
    """The default scenario's liquid loop reaches the design approach at its design heat,
    and an approach the second law refuses is a one-line error naming the key."""
    from kernels.layout import L_CDU_APPROACH_K, L_Q_DESIGN_W, LIQUID
    from twin.scenario.model import Scenario
    from twin.sim.compile import compile_scenario

    sc = Scenario()
    lp = compile_scenario(sc).loops[LIQUID]
    assert lp[L_CDU_APPROACH_K] == sc.cooling.cdu_approach_k == 3.0
    q_d = lp[L_Q_DESIGN_W]
    assert loop_tcs_supply_c(lp, 30.0, q_d) == pytest.approx(33.0, rel=1e-9)
    # half load by hand, as test_unbalanced_design_point_and_half_load_by_hand at 3 K
    rho_cp = 997.05 * 4181.3
    c_t = rho_cp * 1.5 * (q_d / 1e3) / 60e3
    c_f = q_d / 10.0
    eps = q_d / (c_f * (3.0 + q_d / c_t))
    cr = c_f / c_t
    ua = math.log((1 - eps * cr) / (1 - eps)) / (1 - cr) * c_f
    half = 30.0 + _hand_approach(0.5 * q_d, ua, 0.5 * c_t, 0.5 * c_f)
    assert loop_tcs_supply_c(lp, 30.0, 0.5 * q_d) == pytest.approx(half, rel=1e-9)
    assert 31.5 < half < 31.7  # a little above half the design approach
    with pytest.raises(ValueError, match=r"cooling\.cdu_approach_k = 0\.2 K must exceed 2\.41 K"):
        Scenario.model_validate(
            {"cooling": {"cdu_approach_k": 0.2, "liquid": {"t_supply_c": 30.0, "dt_k": 12.0}}}
        )
