"""Ride-through (kernels/ridethrough.py, twin/results/ridethrough.py) against closed forms.

The lumped node C dT/dt = q + UA (T_out − T) (Incropera §5.3) is solved for the
time at which it reaches its limit; a stratified tank holds FOM·ρ V c_p ΔT
(ASHRAE Handbook—HVAC Applications ch. 51).
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

from kernels import layout as L
from kernels.ridethrough import (
    RIDE_THROUGH_CAP_S,
    rc_curve_c,
    tank_energy_j,
    time_to_limit_s,
)
from kernels.room import rc_response, rc_step
from twin import Scenario
from twin.results.ridethrough import plot_ride_through, ride_through_kpis, ride_through_series
from twin.sim.engine import run_raw

matplotlib.use("Agg")


def test_adiabatic_node_linear():
    # 300 MJ/K warming 5 K under 10 MW: 150 s
    assert time_to_limit_s(27.0, 32.0, 10e6, 40.0, 300e6, 0.0) == pytest.approx(150.0)
    assert time_to_limit_s(27.0, 32.0, 0.0, 40.0, 300e6, 0.0) == math.inf
    assert time_to_limit_s(33.0, 32.0, 1e6, 40.0, 300e6, 0.0) == 0.0


@pytest.mark.parametrize(("q", "ua", "t_out"), [(2e6, 5e4, 20.0), (1e6, 2e5, 35.0)])
def test_exponential_node_hits_limit_at_the_closed_form_time(q, ua, t_out):
    c, t0, t_lim = 200e6, 25.0, 32.0
    t = time_to_limit_s(t0, t_lim, q, t_out, c, ua)
    assert math.isfinite(t)
    assert rc_response(t0, q, t_out, c, ua, t)[0] == pytest.approx(t_lim, abs=1e-9)
    # the room kernel with no cooling (q_max = 0) floats along the same curve
    assert rc_step(t0, 27.0, q, 0.0, t_out, c, ua, t)[0] == pytest.approx(t_lim, abs=1e-9)


def test_never_reaches_limit_when_equilibrium_below():
    # T_eq = 20 + 1e5/5e4 = 22 °C < 32 °C
    assert time_to_limit_s(25.0, 32.0, 1e5, 20.0, 1e8, 5e4) == math.inf


def test_tank_energy_and_hold():
    # 1000 m3 over 10 K with FOM 0.9: 0.9 · 997.05 · 1000 · 4181.3 · 10 J
    e = tank_energy_j(1000.0, 10.0, 0.9)
    assert e == pytest.approx(0.9 * 997.05 * 1000.0 * 4181.3 * 10.0)
    assert rc_curve_c(27.0, 1e6, 30.0, 1e8, 0.0, 0.5 * e / 1e6, e) == 27.0
    t_after = e / 1e6 + 100.0
    assert rc_curve_c(27.0, 1e6, 30.0, 1e8, 0.0, t_after, e) == pytest.approx(28.0)


@pytest.fixture(scope="module")
def raw():
    sc = Scenario(
        site={"id": "dakhla"},
        simulation={"days": 3},
        cooling={"plant": "air_cooled_chillers"},
    )
    return run_raw(sc)


def test_power_loss_kpi_is_the_closed_form_at_the_worst_step(raw):
    sc, out, d = raw.scenario, raw.out, raw.design
    c_air, c_liq = d.plant[L.HALL_C_J_K], d.plant[L.LIQ_C_J_K]
    t_air = c_air * (d.t_air_limit_c - out[:, L.O_T_AIR_C]) / out[:, L.O_Q_AIR_W]
    t_liq = c_liq * (d.t_liq_limit_c - out[:, L.O_T_LIQ_C]) / out[:, L.O_Q_LIQ_W]
    expected_min = min(t_air.min(), t_liq.min(), RIDE_THROUGH_CAP_S) / 60.0
    k = ride_through_kpis(sc, out, raw.inputs, d)
    assert k["ride_through_power_loss_min"] == pytest.approx(expected_min, rel=1e-12)
    # air-cooled chillers: a chiller trip leaves no compressor-free cooling and no tank
    assert k["ride_through_min"] == pytest.approx(expected_min, rel=1e-12)


def test_tank_adds_its_energy_over_the_net_load(raw):
    sc = raw.scenario
    data = sc.to_dict()
    data["cooling"]["liquid"]["storage_m3"] = 200.0
    sc2 = Scenario(**data)
    rt0 = ride_through_series(sc, raw.out, raw.inputs, raw.design, False)
    rt1 = ride_through_series(sc2, raw.out, raw.inputs, raw.design, False)
    e = tank_energy_j(200.0, sc.cooling.liquid.dt_k, 0.9)
    extra = e / raw.out[:, L.O_Q_LIQ_W]
    np.testing.assert_allclose(rt1[:, 1], np.minimum(rt0[:, 1] + extra, RIDE_THROUGH_CAP_S))
    np.testing.assert_array_equal(rt1[:, 0], rt0[:, 0])  # the air node has no tank


def test_free_cooling_lengthens_ride_through_after_a_chiller_trip():
    sc = Scenario(site={"id": "tetouan"}, simulation={"days": 3}, cooling={"plant": "dry_coolers"})
    r = run_raw(sc)
    trip = ride_through_series(sc, r.out, r.inputs, r.design, False)
    loss = ride_through_series(sc, r.out, r.inputs, r.design, True)
    assert np.all(trip >= loss - 1e-9)
    # January in Tetouan: the 30 °C liquid loop runs compressor-free on dry coolers
    assert (trip[:, 1] == RIDE_THROUGH_CAP_S).any()


def test_plot(raw):
    fig = plot_ride_through(raw, power_loss=True, minutes=5.0)
    assert len(fig.axes[0].lines) >= 2
    matplotlib.pyplot.close(fig)
