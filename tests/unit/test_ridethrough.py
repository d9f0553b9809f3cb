"""Ride-through (kernels/ridethrough.py, kernels/twonode.py, twin/results/ridethrough.py)
against closed forms written here by hand.

The lumped node C dT/dt = q + UA (T_out − T) (Incropera §5.3) is solved for the
time at which it reaches its limit; a stratified tank holds FOM·ρ V c_p ΔT
(ASHRAE Handbook—HVAC Applications ch. 51). The hall is two nodes, air and IT
mass, coupled by UA_am (tests/unit/test_twonode.py checks the kernel against the
hand solution and a matrix exponential; here the KPIs are checked against them).
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest
from scipy.optimize import brentq

from kernels import layout as L
from kernels.ridethrough import (
    RIDE_THROUGH_CAP_S,
    rc_curve_c,
    tank_energy_j,
    time_to_limit_s,
)
from kernels.room import rc_response, rc_step
from kernels.tower import WATER_CP_J_KG_K, WATER_DENSITY_KG_M3
from twin import Scenario
from twin.results.ridethrough import plot_ride_through, ride_through_kpis, ride_through_series
from twin.sim.compile import IT_TRIP_C, compile_scenario
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


def hand_air_rise_k(t_s, q_w, c_air, c_mass, ua_am):
    """Air rise of the two-node hall with no envelope, solved by hand.

    With d = T_a − T_m: C_a d' = q − UA d (1 + C_a/C_m), so
    d = (q τ / C_a)(1 − e^{−t/τ}) with τ = 1 / (UA (1/C_a + 1/C_m)); the heat
    stored is C_a T_a + C_m T_m = C T0 + q t with C = C_a + C_m, hence
    T_a − T0 = q t / C + (C_m / C) d.
    """
    c = c_air + c_mass
    tau = 1.0 / (ua_am * (1.0 / c_air + 1.0 / c_mass))
    return q_w * t_s / c + c_mass / c * q_w * tau / c_air * (1.0 - math.exp(-t_s / tau))


def hand_air_time_s(dt_lim_k, q_w, c_air, c_mass, ua_am):
    """Root of :func:`hand_air_rise_k` = dt_lim_k, bracketed by the air alone and the
    one-node hall (the air warms faster than the lumped hall, slower than air alone)."""
    lo = c_air * dt_lim_k / q_w * 0.999
    hi = (c_air + c_mass) * dt_lim_k / q_w
    return brentq(lambda t: hand_air_rise_k(t, q_w, c_air, c_mass, ua_am) - dt_lim_k, lo, hi,
                  xtol=1e-12, rtol=1e-14)  # fmt: skip


def test_power_loss_kpis_are_the_two_node_and_loop_water_solutions_at_the_worst_step(raw):
    """After a plant power loss each step's air time is the root of the hand two-node
    solution (no envelope: HALL_UA_W_K = 0) and the liquid time is C_liq ΔT / q; the KPIs
    are their minima, to the class limit and to the 45 °C IT trip. The one-node hall of
    the old code (C = air + mass) gave times 5 to 30 times longer for the air."""
    sc, out, d = raw.scenario, raw.out, raw.design
    p = d.plant
    c_air, c_mass, ua = p[L.HALL_AIR_C_J_K], p[L.HALL_MASS_C_J_K], p[L.HALL_MASS_UA_W_K]
    assert p[L.HALL_UA_W_K] == 0.0
    q_air, q_liq = out[:, L.O_Q_AIR_W], out[:, L.O_Q_LIQ_W]

    def air(t_lim):
        return np.array([hand_air_time_s(t_lim - t0, q, c_air, c_mass, ua)
                         for t0, q in zip(out[:, L.O_T_AIR_C], q_air, strict=True)])  # fmt: skip

    def liq(t_lim):
        return p[L.LIQ_C_J_K] * (t_lim - out[:, L.O_T_LIQ_C]) / q_liq

    k = ride_through_kpis(sc, out, raw.inputs, d)
    cls_min = min(air(d.t_air_limit_c).min(), liq(d.t_liq_limit_c).min()) / 60.0
    it_min = min(air(IT_TRIP_C).min(), liq(IT_TRIP_C).min()) / 60.0
    assert k["ride_through_power_loss_min"] == pytest.approx(cls_min, rel=1e-9)
    assert k["ride_through_power_loss_it_trip_min"] == pytest.approx(it_min, rel=1e-9)
    # air-cooled chillers: a chiller trip leaves no compressor-free cooling and no tank
    assert k["ride_through_min"] == pytest.approx(cls_min, rel=1e-9)
    assert k["ride_through_it_trip_min"] == pytest.approx(it_min, rel=1e-9)
    # the one-pass minima (which skip steps that cannot set them) are the series' minima
    rt = ride_through_series(sc, out, raw.inputs, d, True)
    assert k["ride_through_power_loss_min"] == rt[:, :2].min() / 60.0
    assert k["ride_through_power_loss_it_trip_min"] == rt[:, 2:].min() / 60.0
    # the air alone (seconds) sets the class excursion, far before the one-node hall
    one_node_s = p[L.HALL_C_J_K] * (d.t_air_limit_c - out[:, L.O_T_AIR_C]) / q_air
    assert air(d.t_air_limit_c).min() < 0.2 * one_node_s.min()


def test_liquid_loop_water_is_the_cdu_coolant_plus_the_facility_loop():
    """Default hall: 300 racks × 120 kW × 0.85 = 30.6 MW of liquid heat.

    * CDU secondary coolant: 1 L/kW × 30,600 kW = 30.6 m³;
    * facility-water loop: design flow 1.1 × 30.6 MW / (997.05 × 4181.3 × 10 K)
      = 0.80740 m³/s, times the 2-min circulation time (EnergyPlus PlantLoop
      default) = 96.888 m³;
    * C = 997.05 × 4181.3 × 127.488 m³ = 531.49 MJ/K (the old 30.6 m³ gave
      127.57 MJ/K).
    """
    d = compile_scenario(Scenario())
    rho_cp = WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K
    v_m3 = 30.6 + 1.1 * 30.6e6 / (rho_cp * 10.0) * 120.0
    assert v_m3 == pytest.approx(127.488, abs=1e-3)
    assert d.plant[L.LIQ_C_J_K] == pytest.approx(rho_cp * v_m3, rel=1e-12)
    assert d.plant[L.LIQ_C_J_K] == pytest.approx(531.49e6, rel=1e-4)
    # a longer circulation time holds more water, linearly
    d2 = compile_scenario(Scenario(cooling={"liquid_circulation_min": 4.0}))
    extra = d2.plant[L.LIQ_C_J_K] - d.plant[L.LIQ_C_J_K]
    assert extra == pytest.approx(rho_cp * (v_m3 - 30.6), rel=1e-12)


def test_hall_nodes_split_the_one_node_capacity():
    """Default hall: 700 racks × 2.5 m² × 5 m = 8,750 m³ of air × 1.204 kg/m³ ×
    1006 J/(kg K) = 10.598 MJ/K; the mass is 300 × 1360 kg + 400 × 900 kg of steel at
    434 J/(kg K) = 333.312 MJ/K, so the air is 3.1 % of the one-node 343.91 MJ/K;
    with the 300-s time constant UA_am = 333.312e6 / 300 = 1.11104 MW/K."""
    p = compile_scenario(Scenario()).plant
    assert p[L.HALL_AIR_C_J_K] + p[L.HALL_MASS_C_J_K] == pytest.approx(p[L.HALL_C_J_K])
    assert p[L.HALL_MASS_C_J_K] == pytest.approx((300 * 1360.0 + 400 * 900.0) * 434.0)
    assert p[L.HALL_MASS_UA_W_K] == pytest.approx(333.312e6 / 300.0)
    assert p[L.HALL_AIR_C_J_K] == pytest.approx(8750.0 * 1.204 * 1006.0)
    assert p[L.HALL_AIR_C_J_K] / p[L.HALL_C_J_K] == pytest.approx(0.0308, abs=1e-4)


def test_tank_adds_its_energy_over_the_net_load(raw):
    sc = raw.scenario
    data = sc.to_dict()
    data["cooling"]["liquid"]["storage_m3"] = 200.0
    sc2 = Scenario(**data)
    rt0 = ride_through_series(sc, raw.out, raw.inputs, raw.design, False)
    rt1 = ride_through_series(sc2, raw.out, raw.inputs, raw.design, False)
    e = tank_energy_j(200.0, sc.cooling.liquid.dt_k, 0.9)
    extra = e / raw.out[:, L.O_Q_LIQ_W]
    for col in (1, 3):  # the liquid node, to its class limit and to the IT trip
        np.testing.assert_allclose(rt1[:, col], np.minimum(rt0[:, col] + extra, RIDE_THROUGH_CAP_S))
    np.testing.assert_array_equal(rt1[:, [0, 2]], rt0[:, [0, 2]])  # the air node has no tank


def test_free_cooling_lengthens_ride_through_after_a_chiller_trip():
    sc = Scenario(site={"id": "tetouan"}, simulation={"days": 3}, cooling={"plant": "dry_coolers"})
    r = run_raw(sc)
    trip = ride_through_series(sc, r.out, r.inputs, r.design, False)
    loss = ride_through_series(sc, r.out, r.inputs, r.design, True)
    assert np.all(trip >= loss - 1e-9)
    assert np.all(trip[:, 2:] >= trip[:, :2])  # the 45 °C trip comes after the class limit
    # January in Tetouan: the 30 °C liquid loop runs compressor-free on dry coolers
    assert (trip[:, 1] == RIDE_THROUGH_CAP_S).any()


@pytest.mark.parametrize(
    "cooling",
    [
        ["cooling.plant=water_cooled_chillers", "cooling.air.storage_m3=300"],
        [
            "cooling.plant=dry_coolers",
            "cooling.liquid.storage_m3=50",
            "ups.carries_liquid_pumps=true",
        ],
        ["cooling.plant=adiabatic_coolers"],
    ],
)
def test_one_pass_minima_are_the_series_minima_after_a_chiller_trip(cooling):
    """The one pass skips the chiller trip where the power loss's times (a lower bound:
    the same heat without the free-cooling share, no tank) already reach the trip's
    minima; the minima stay those of the exact per-step series, bit for bit, with free
    cooling, tanks, and the liquid loop's pumps on or off the UPS."""
    sets = ["site.id=ouarzazate", "simulation.days=20", "simulation.step=15min"]
    sc = Scenario().with_overrides([*sets, "simulation.start=2023-05-01", *cooling])
    r = run_raw(sc)
    k = ride_through_kpis(sc, r.out, r.inputs, r.design)
    trip = ride_through_series(sc, r.out, r.inputs, r.design, False)
    loss = ride_through_series(sc, r.out, r.inputs, r.design, True)
    assert k["ride_through_min"] == trip[:, :2].min() / 60.0
    assert k["ride_through_it_trip_min"] == trip[:, 2:].min() / 60.0
    assert k["ride_through_power_loss_min"] == loss[:, :2].min() / 60.0
    assert k["ride_through_power_loss_it_trip_min"] == loss[:, 2:].min() / 60.0
    assert k["ride_through_min"] >= k["ride_through_power_loss_min"]


def test_plot(raw):
    fig = plot_ride_through(raw, power_loss=True, minutes=5.0)
    assert len(fig.axes[0].lines) >= 2
    matplotlib.pyplot.close(fig)
