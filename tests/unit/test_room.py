"""The lumped RC node against its closed-form solution and the first law."""

import math

import numpy as np
import pytest

from kernels.room import rc_cooling_needed_w, rc_response, rc_step


def closed_form(t0, q, t_out, c, ua, time_s):
    """T(t) = T_eq + (T0 - T_eq) exp(-t UA / C), T_eq = T_out + q / UA."""
    t_eq = t_out + q / ua
    return t_eq + (t0 - t_eq) * math.exp(-time_s * ua / c)


@pytest.mark.parametrize("dt_s", [60.0, 900.0, 3600.0])
def test_matches_closed_form_for_any_step(dt_s):
    c, ua, q, t_out, t0 = 5e8, 2e4, 3e5, 35.0, 27.0
    t = t0
    horizon = 6 * 3600.0
    for _ in range(int(horizon / dt_s)):
        t, _ = rc_response(t, q, t_out, c, ua, dt_s)
    assert t == pytest.approx(closed_form(t0, q, t_out, c, ua, horizon), rel=1e-12)


def test_integral_of_temperature_is_exact():
    c, ua, q, t_out, t0, dt = 2e8, 1e4, 1e5, 20.0, 30.0, 7200.0
    _, integral = rc_response(t0, q, t_out, c, ua, dt)
    times = np.linspace(0.0, dt, 20001)
    values = [closed_form(t0, q, t_out, c, ua, s) for s in times]
    assert integral == pytest.approx(np.trapezoid(values, times), rel=1e-8)


def test_adiabatic_node_heats_linearly():
    # no envelope: dT/dt = q / C exactly (ride-through after a cooling loss)
    t_end, integral = rc_response(27.0, 1e6, 40.0, 1e8, 0.0, 600.0)
    assert t_end == pytest.approx(27.0 + 1e6 * 600.0 / 1e8)
    assert integral == pytest.approx(600.0 * (27.0 + t_end) / 2.0)


def test_ride_through_time_to_limit():
    # a 40 MW hall of heat capacity C reaches +5 K after C*5/q seconds with no cooling
    c, q = 1.2e9, 4e7
    t = 27.0
    steps = 0
    while t <= 32.0:
        t, _, _ = rc_step(t, 27.0, q, 0.0, 30.0, c, 0.0, 1.0)
        steps += 1
    assert abs(steps - c * 5.0 / q) <= 1.0  # 150 s for this hall


@pytest.mark.parametrize("ua", [0.0, 5e4])
def test_cooling_needed_reaches_setpoint(ua):
    args = (29.0, 27.0, 2e6, 38.0, 3e8, ua, 900.0)
    q = rc_cooling_needed_w(*args)
    t_end, _ = rc_response(29.0, 2e6 - q, 38.0, 3e8, ua, 900.0)
    assert t_end == pytest.approx(27.0, abs=1e-9)


def test_capacity_limited_node_energy_balance():
    # first law: C (T1 - T0) = (q_gain - q_cool + q_env) dt
    c, ua, dt, t0 = 4e8, 3e4, 3600.0, 27.0
    t1, q_cool, q_env = rc_step(t0, 27.0, 5e6, 2e6, 40.0, c, ua, dt)
    assert q_cool == pytest.approx(2e6)
    assert c * (t1 - t0) == pytest.approx((5e6 - q_cool + q_env) * dt, rel=1e-10)
    assert t1 > t0


def test_ample_capacity_holds_setpoint():
    t1, q_cool, _ = rc_step(27.0, 27.0, 5e6, 1e9, 20.0, 4e8, 0.0, 3600.0)
    assert t1 == pytest.approx(27.0, abs=1e-9)
    assert q_cool == pytest.approx(5e6)
