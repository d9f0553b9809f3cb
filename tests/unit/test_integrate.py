"""The interval integrator: IT power, thresholds, ride-through, balance, splitting."""

import numpy as np
import pytest

from kernels import layout as L
from kernels.integrate import integrate_interval
from kernels.it_load import inlet_uplift_frac, rack_group_power_w, ups_loss_w
from kernels.memo import MEMO_OFF
from kernels.outage import ups_loss_any_w
from kernels.water_cooled import loop_movers
from twin.scenario.model import Scenario
from twin.sim.compile import compile_scenario
from twin.sim.engine import NO_MEMO


def setup(n_steps=48, dt="1h", **over):
    sc = Scenario(simulation={"step": dt, "days": 2}, **over)
    d = compile_scenario(sc)
    state = np.zeros(L.N_STATE)
    state[L.S_T_AIR_C] = sc.cooling.t_inlet_setpoint_c
    state[L.S_T_LIQ_C] = sc.cooling.liquid.t_supply_c
    state[L.S_SOC_BESS] = sc.battery.soc_init
    state[L.S_SOC_UPS] = 1.0
    n = sc.n_steps
    weather = (np.full(n, 22.0), np.full(n, 16.0), np.zeros(n))
    out = np.zeros((n, L.N_OUT))
    u = np.array([g.utilisation_mean for g in sc.it.groups])
    return sc, d, state, weather, out, u


def run(d, state, weather, out, u, k0, k1, grid_up=True, elapsed=0.0):
    return integrate_interval(
        k0,
        k1,
        d.plant,
        d.loops,
        d.groups,
        u,
        grid_up,
        elapsed,
        float(d.n_chillers[0]),
        float(d.n_chillers[1]),
        *weather,
        state,
        out,
        np.zeros((out.shape[0], L.N_SIG)),
        NO_MEMO,
        MEMO_OFF,
    )


def run_through(d, state, weather, out, u, k0, k1, grid_up=True):
    """Integrate k0..k1 resuming after every threshold stop, as the engine does."""
    statuses = []
    k = k0
    while k < k1:
        k_new, status = run(d, state, weather, out, u, k, k1, grid_up, (k - k0) * d.plant[L.DT_S])
        statuses.append((k_new, status))
        k = k_new
    return statuses


def test_it_power_is_linear_in_utilisation():
    assert rack_group_power_w(10, 1e5, 0.2, 0.0) == pytest.approx(2e5)
    assert rack_group_power_w(10, 1e5, 0.2, 1.0) == pytest.approx(1e6)
    assert rack_group_power_w(10, 1e5, 0.2, 0.5) == pytest.approx(6e5)
    assert rack_group_power_w(10, 1e5, 0.2, 1.7) == pytest.approx(1e6)  # clipped
    assert inlet_uplift_frac(20.0, 23.0, 0.004) == 1.0
    assert inlet_uplift_frac(30.0, 23.0, 0.004) == pytest.approx(1.028)
    assert ups_loss_w(1e6, 0.96) == pytest.approx(1e6 / 0.96 - 1e6)  # 41,667 W, not 40,000


def test_ups_loss_makes_the_efficiency_output_over_input():
    # IEC 62040-3: efficiency = output / input; the input is IT + loss
    for eta in (0.9, 0.94, 0.96, 0.99):
        p_it_w = 2.5e6
        loss_w = ups_loss_w(p_it_w, eta)
        assert p_it_w / (p_it_w + loss_w) == pytest.approx(eta, rel=1e-12)
    assert ups_loss_w(1e6, 1.0) == 0.0


def test_steady_state_it_power_and_heat():
    sc, d, state, weather, out, u = setup()
    # the battery (self-consumption, no PV at night) empties in the first hour
    assert run_through(d, state, weather, out, u, 0, 24) == [(1, L.ST_BESS_EMPTY), (24, L.ST_DONE)]
    gpu, cpu = sc.it.groups
    uplift = 1.0 + 0.004 * (27.0 - 23.0)
    p_gpu = rack_group_power_w(gpu.racks, gpu.p_rack_peak_kw * 1e3, gpu.idle_frac, u[0])
    p_cpu = rack_group_power_w(cpu.racks, cpu.p_rack_peak_kw * 1e3, cpu.idle_frac, u[1])
    p_it = p_gpu * (gpu.liquid_frac + (1 - gpu.liquid_frac) * uplift) + p_cpu * uplift
    assert out[5, L.O_P_IT_W] == pytest.approx(p_it, rel=1e-12)
    assert out[5, L.O_P_UPS_LOSS_W] == pytest.approx(p_it * (1 / 0.96 - 1), rel=1e-12)
    # held at set point: all heat removed, liquid share by the liquid loop
    assert out[5, L.O_T_AIR_C] == pytest.approx(27.0)
    assert out[5, L.O_Q_LIQ_W] == pytest.approx(p_gpu * gpu.liquid_frac, rel=1e-9)
    assert out[5, L.O_Q_AIR_W] + out[5, L.O_Q_LIQ_W] == pytest.approx(out[5, L.O_Q_IT_HEAT_W])
    assert np.abs(out[:24, L.O_BALANCE_W]).max() < 1e-6 * out[:24, L.O_P_IT_W].mean()


def test_splitting_an_interval_changes_nothing():
    _, d, s1, weather, o1, u = setup()
    _, _, s2, _, o2, _ = setup()
    run_through(d, s1, weather, o1, u, 0, 48)
    run_through(d, s2, weather, o2, u, 0, 17)
    run_through(d, s2, weather, o2, u, 17, 48)
    np.testing.assert_array_equal(o1, o2)
    np.testing.assert_array_equal(s1, s2)


def test_outage_without_backup_sheds_cooling_and_stops_at_the_limit():
    _, d, state, weather, out, u = setup(
        dt="1min",
        genset={"capacity_mw": 0.0},
        battery={"capacity_mwh": 0.0},
        ups={"autonomy_min": 0.0},
        pv={"capacity_mwp": 0.0},
    )
    k, status = run(d, state, weather, out, u, 0, 600, grid_up=False, elapsed=0.0)
    assert status == L.ST_UNMET and k == 1  # unmet load starts at the first step
    k, status = run(d, state, weather, out, u, k, 600, grid_up=False, elapsed=60.0)
    # no power: IT is down, no heat, no cooling, temperatures stay
    assert out[1, L.O_P_UNMET_W] > 0 and out[1, L.O_P_IT_W] == 0.0
    assert out[1, L.O_COOLING_ON] == 0.0


def test_outage_with_ups_only_rides_through_then_crosses_the_inlet_limit():
    # UPS battery carries IT, the plant is shed: the hall heats at q / C
    sc, d, state, weather, out, u = setup(
        dt="1min",
        genset={"capacity_mw": 0.0},
        battery={"capacity_mwh": 0.0},
        ups={"autonomy_min": 60.0},
        pv={"capacity_mwp": 0.0},
    )
    k, status = run(d, state, weather, out, u, 0, 2880, grid_up=False)
    assert status in (L.ST_INLET_HIGH, L.ST_LIQUID_HIGH)
    assert out[0, L.O_COOLING_ON] == 0.0 and out[0, L.O_P_UNMET_W] == 0.0
    # the UPS carries IT, its losses and the liquid loop's pumps (ups.carries_liquid_pumps)
    gpu = sc.it.groups[0]
    p_gpu = rack_group_power_w(gpu.racks, gpu.p_rack_peak_kw * 1e3, gpu.idle_frac, u[0])
    p_pumps, _, q_pumps = loop_movers(d.loops[L.LIQUID], p_gpu * gpu.liquid_frac, False)
    p_it = out[0, L.O_P_IT_W]
    # at the UPS input: the pumps and the UPS losses they add
    p_pumps_in = p_pumps + ups_loss_any_w(d.plant, p_it + p_pumps) - ups_loss_any_w(d.plant, p_it)
    assert p_pumps > 0.0 and out[0, L.O_P_COOLING_W] == pytest.approx(p_pumps_in, rel=1e-12)
    assert out[0, L.O_P_UPS_DISCHARGE_W] == pytest.approx(
        p_it + out[0, L.O_P_UPS_LOSS_W] + p_pumps_in
    )
    # liquid loop: small inventory, heats fastest; closed form of the adiabatic node, the
    # loop flowing on its pumps (their shaft heat into the water)
    slope = (p_gpu * gpu.liquid_frac + q_pumps) / d.plant[L.LIQ_C_J_K]
    assert out[0, L.O_T_LIQ_C] == pytest.approx(30.0 + slope * 60.0, rel=1e-9)
    # the crossing step is where the closed form says: ceil((32 - 30) / (slope * 60 s))
    assert k == int(np.ceil(2.0 / (slope * 60.0)))


def test_genset_takes_over_after_its_start_delay():
    _, d, state, weather, out, u = setup(
        dt="1min", battery={"capacity_mwh": 0.0}, pv={"capacity_mwp": 0.0}
    )
    _k, status = run(d, state, weather, out, u, 0, 30, grid_up=False, elapsed=0.0)
    assert status == L.ST_DONE
    # first minute: genset on for 50 of 60 s, the UPS battery bridges IT for the other 10 s;
    # the plant runs only while the genset is on
    # (and the liquid loop's pumps, ups.carries_liquid_pumps, until the plant has power)
    it0 = out[0, L.O_P_IT_W] + out[0, L.O_P_UPS_LOSS_W]
    p_liq = sum(
        rack_group_power_w(*d.groups[g, [L.G_N_RACKS, L.G_P_PEAK_W, L.G_IDLE_FRAC]], u[g])
        * d.groups[g, L.G_LIQUID_FRAC]
        for g in range(len(u))
    )
    p_pumps, _, q_pumps = loop_movers(d.loops[L.LIQUID], p_liq, False)
    assert p_pumps > 0.0
    # the pumps' UPS losses: those of IT and the pumps' 10 s, less those of IT alone
    p_it = out[0, L.O_P_IT_W]
    p_lp = p_pumps * 10.0 / 60.0
    loss_lp = ups_loss_any_w(d.plant, p_it + p_lp) - ups_loss_any_w(d.plant, p_it)
    assert out[0, L.O_P_UPS_DISCHARGE_W] == pytest.approx(
        it0 * 10.0 / 60.0 + p_lp + loss_lp, rel=1e-9
    )
    # it catches up within the step: the heat of the whole minute is removed in 50 s, with
    # the pumps' shaft heat of the 10 s they ran on the UPS and their UPS losses (to the hall)
    assert out[0, L.O_T_AIR_C] == pytest.approx(27.0)
    assert out[0, L.O_Q_AIR_W] + out[0, L.O_Q_LIQ_W] == pytest.approx(
        out[0, L.O_Q_IT_HEAT_W] + q_pumps * 10.0 / 60.0 + loss_lp
    )
    assert out[0, L.O_P_COOLING_W] > 0.0
    assert out[5, L.O_P_UPS_DISCHARGE_W] == 0.0
    assert out[:, L.O_P_UNMET_W].max() == 0.0
    assert out[:, L.O_P_GRID_IMPORT_W].max() == 0.0


def test_it_trips_inside_the_step_where_the_liquid_loop_reaches_the_trip_temperature():
    """Grid up, every liquid-loop chiller out, hot air: no free cooling can carry the
    liquid loop (capacity 0) while the air loop keeps running. The adiabatic liquid node
    heats at q / C until, inside one step, it reaches the IT trip temperature; the IT of
    that step runs only for the share that takes the node exactly there,
    ``(T_trip - T0) C / (q_liq dt)`` (hand computation), and the plant still cools the
    hall for that share."""
    sc, d, state, _, out, u = setup(dt="1min", pv={"capacity_mwp": 0.0})
    n = out.shape[0]
    weather = (np.full(n, 45.0), np.full(n, 30.0), np.zeros(n))
    sig = np.zeros((n, L.N_SIG))
    k, dt_s = 0, d.plant[L.DT_S]
    while k < 600:
        k, _ = integrate_interval(
            k, 600, d.plant, d.loops, d.groups, u, True, 0.0, float(d.n_chillers[0]), 0.0,
            *weather, state, out, sig, NO_MEMO, MEMO_OFF,
        )  # fmt: skip
    t_trip = d.plant[L.T_TRIP_C]
    trip = int(np.argmax(out[:600, L.O_P_UNMET_W] > 0.0))
    assert trip > 0 and out[trip - 1, L.O_T_LIQ_C] < t_trip
    assert out[trip, L.O_T_LIQ_C] == pytest.approx(t_trip, rel=1e-9)
    assert out[:trip, L.O_Q_LIQ_W].max() == 0.0  # no capacity on the liquid loop
    gpu = sc.it.groups[0]
    p_liq = rack_group_power_w(gpu.racks, gpu.p_rack_peak_kw * 1e3, gpu.idle_frac, u[0])
    p_liq *= gpu.liquid_frac
    share = (t_trip - out[trip - 1, L.O_T_LIQ_C]) * d.plant[L.LIQ_C_J_K] / (p_liq * dt_s)
    p_it_full = out[trip - 1, L.O_P_IT_W]  # same inlet temperature, whole step served
    assert out[trip, L.O_P_IT_W] == pytest.approx(share * p_it_full, rel=1e-9)
    assert out[trip, L.O_COOLING_ON] == 1.0 and out[trip, L.O_P_COOLING_W] > 0.0
    assert out[trip, L.O_T_AIR_C] == pytest.approx(27.0)  # the hall still at its set point
    assert abs(out[trip, L.O_BALANCE_W]) < 1e-6 * out[trip, L.O_P_IT_W]
