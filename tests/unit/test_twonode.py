"""Two-node hall after a cooling loss (kernels/twonode.py) against a hand solution and
a matrix exponential computed here, independently of the kernel.

C_a T_a' = q − UA_am (T_a − T_m) + UA_o (T_o − T_a),  C_m T_m' = UA_am (T_a − T_m),
from T_a(0) = T_m(0) (EnergyPlus Engineering Reference, zone air heat balance with a
lumped internal mass).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm

from kernels.ridethrough import time_to_limit_s
from kernels.twonode import eigenvalues, time_to_air_limit_s, two_node_air_c

INF = math.inf
# a hall of 10 MJ/K of air, 300 MJ/K of IT mass, UA_am = 1 MW/K, 8 MW into the air
C_A, C_M, UA, Q = 10e6, 300e6, 1e6, 8e6


def expm_air_c(t0, q, t_out, c_a, c_m, ua_am, ua_o, t):
    """T_a(t) from the matrix exponential of the augmented system [x; 1]' = M [x; 1]."""
    m = np.array(
        [
            [-(ua_am + ua_o) / c_a, ua_am / c_a, (q + ua_o * t_out) / c_a],
            [ua_am / c_m, -ua_am / c_m, 0.0],
            [0.0, 0.0, 0.0],
        ]
    )
    return (expm(m * t) @ np.array([t0, t0, 1.0]))[0]


def test_hand_two_node_solution_no_envelope():
    """By hand: τ = 1 / (UA (1/C_a + 1/C_m)) = 1 / (1e6 × (1e-7 + 3.3333e-9)) = 9.6774 s;
    the air runs ahead of the mass by d = (q τ / C_a)(1 − e^{−t/τ}), d_ss = 7.7419 K;
    T_a − T0 = q t / C + (C_m/C) d = 0.025806 t + 7.4922 (1 − e^{−t/9.6774}).
    5 K above 27 °C is reached at t = 9.7235 s, where the one-node hall
    (C = 310 MJ/K) takes C ΔT / q = 193.75 s."""
    t = time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, UA, 0.0, 0.0, INF)
    tau = 1.0 / (UA * (1.0 / C_A + 1.0 / C_M))
    rise = Q * t / (C_A + C_M) + C_M / (C_A + C_M) * Q * tau / C_A * (1.0 - math.exp(-t / tau))
    assert rise == pytest.approx(5.0, abs=1e-9)
    assert t == pytest.approx(9.7235, abs=1e-4)
    assert time_to_limit_s(27.0, 32.0, Q, 20.0, C_A + C_M, 0.0) == pytest.approx(193.75)
    # the mass has then taken up 5 K − T_a + T_m: it lags the air
    assert two_node_air_c(27.0, Q, 20.0, C_A, C_M, UA, 0.0, t) == pytest.approx(32.0, abs=1e-9)


@pytest.mark.parametrize(
    ("ua_o", "t_out", "t_lim"), [(0.0, 20.0, 45.0), (5e5, 20.0, 32.0), (2e5, 40.0, 45.0)]
)
def test_matches_the_matrix_exponential(ua_o, t_out, t_lim):
    """The kernel's T_a(t) equals expm of the 2x2 system (+ constant input) to 1e-9 K
    along the way, and its crossing time puts expm at the limit."""
    for t in (0.5, 5.0, 60.0, 600.0, 3600.0):
        got = two_node_air_c(27.0, Q, t_out, C_A, C_M, UA, ua_o, t)
        assert got == pytest.approx(expm_air_c(27.0, Q, t_out, C_A, C_M, UA, ua_o, t), abs=1e-9)
    t = time_to_air_limit_s(27.0, t_lim, Q, t_out, C_A, C_M, UA, ua_o, 0.0, INF)
    assert math.isfinite(t)
    assert expm_air_c(27.0, Q, t_out, C_A, C_M, UA, ua_o, t) == pytest.approx(t_lim, abs=1e-8)


def test_eigenvalues_are_those_of_the_matrix():
    a = np.array([[-(UA + 5e5) / C_A, UA / C_A], [UA / C_M, -UA / C_M]])
    lam_slow, lam_fast = eigenvalues(C_A, C_M, UA, 5e5)
    np.testing.assert_allclose(sorted(np.linalg.eigvals(a).real), [lam_fast, lam_slow], rtol=1e-12)
    # no envelope: one eigenvalue is exactly 0 (heat is only stored)
    assert eigenvalues(C_A, C_M, UA, 0.0)[0] == 0.0


def test_limits_one_node_and_air_alone():
    """UA_am → ∞: the one-node hall C = C_a + C_m (193.75 s); UA_am = 0: the air
    alone, C_a ΔT / q = 10e6 × 5 / 8e6 = 6.25 s."""
    t_inf = time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, 1e13, 0.0, 0.0, INF)
    assert t_inf == pytest.approx(193.75, rel=1e-5)
    assert time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, 0.0, 0.0, 0.0, INF) == pytest.approx(
        6.25
    )
    t = time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, UA, 0.0, 0.0, INF)
    assert 6.25 < t < 193.75


def test_never_and_already():
    # steady state T_o + q / UA_o = 20 + 8e6 / 1e6 = 28 °C < 32 °C: never
    assert time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, UA, 1e6, 0.0, INF) == math.inf
    assert time_to_air_limit_s(27.0, 32.0, 0.0, 20.0, C_A, C_M, UA, 0.0, 0.0, INF) == math.inf
    assert time_to_air_limit_s(33.0, 32.0, Q, 20.0, C_A, C_M, UA, 0.0, 0.0, INF) == 0.0


def test_start_is_only_a_hint():
    """Newton started at the crossing of a lower limit (or past the root) lands on the
    same time as from 0."""
    t32 = time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, UA, 0.0, 0.0, INF)
    t45 = time_to_air_limit_s(27.0, 45.0, Q, 20.0, C_A, C_M, UA, 0.0, 0.0, INF)
    assert time_to_air_limit_s(27.0, 45.0, Q, 20.0, C_A, C_M, UA, 0.0, t32, INF) == pytest.approx(
        t45, rel=1e-12
    )
    assert time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, UA, 0.0, t45, INF) == pytest.approx(
        t32, rel=1e-12
    )


def test_enough_returns_a_bound_at_or_past_it_unsolved():
    """Told that 5 s is enough, the solve returns its start (the air alone reaches 32 °C
    after C_a ΔT / q = 6.25 s at the earliest) without solving; told 1e9, it solves."""
    t = time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, UA, 0.0, 0.0, 5.0)
    assert t == pytest.approx(6.25)
    exact = time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, UA, 0.0, 0.0, 1e9)
    assert exact == time_to_air_limit_s(27.0, 32.0, Q, 20.0, C_A, C_M, UA, 0.0, 0.0, INF)
    assert 5.0 <= t <= exact


def test_the_hall_modes_computed_once_give_times_at_which_the_air_reaches_its_limit():
    """A run's ride-through computes the hall's eigenvalues once (``hall_modes``) for its
    thousands of failures. Each time it gives equals the one-shot function's, to the bit,
    and is when the matrix exponential (computed here) puts the air at its limit: coupled
    or not, with or without an envelope, with a hint."""
    from kernels.twonode import hall_modes, time_to_air_limit_modes_s

    rng = np.random.default_rng(11)
    halls = [(C_A, C_M, UA, 0.0), (C_A, C_M, UA, 5e5), (C_A, 1.0, 0.0, 2e5), (C_A, C_M, 0.0, 0.0)]
    solved = 0
    for c_a, c_m, ua, ua_o in halls:
        modes = hall_modes(c_a, c_m, ua, ua_o)
        for _ in range(100):
            t0 = rng.uniform(18.0, 30.0)
            t_lim = t0 + rng.uniform(0.5, 20.0)
            q = rng.uniform(1e5, 2e7)
            t_out = rng.uniform(0.0, 45.0)
            start = float(rng.choice([0.0, rng.uniform(0.0, 500.0)]))
            args = (t0, t_lim, q, t_out)
            t = time_to_air_limit_modes_s(*args, modes, start, INF)
            assert t == time_to_air_limit_s(*args, c_a, c_m, ua, ua_o, start, INF)
            if math.isfinite(t) and t > 0.0:
                assert expm_air_c(t0, q, t_out, c_a, c_m, ua, ua_o, t) == pytest.approx(
                    t_lim, abs=1e-6
                )
                solved += 1
    assert solved > 250
