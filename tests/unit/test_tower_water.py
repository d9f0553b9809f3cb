"""Tower make-up water by psychrometrics (kernels/tower_water.py, kernels/psychro.py).

Reference: EnergyPlus CondenserLoopTowers.cc (``CalculateWaterUseage``, evaporation mode
``SaturatedExit``; ``SizeTower``, design air flow = fan power × 0.5 × (101325 / p) / 190;
``CalcVariableSpeedTower``, the air-flow ratio of each regime) and ASHRAE Handbook—
Fundamentals 2017 ch. 1 (psychrometrics). Hand calculations use PsychroLib (the ASHRAE
equations, an independent implementation) as the calculator; every test here fails on
the code before (the ``LossFactor`` rule: 0.2 %/K of the water flow times the range,
1.727 kg of water per kWh rejected whatever the weather, and no ``kernels.tower_water``).
"""

from __future__ import annotations

import numpy as np
import psychrolib as ps
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kernels import layout as L
from kernels.psychro import station_pressure_pa
from kernels.psychro_sat import sat_temp_from_enthalpy_c
from kernels.tower import TOWER_FRAC_FREE_CONV, WATER_DENSITY_KG_M3
from kernels.tower_water import (
    TOWER_BLOWDOWN_CONC_RATIO,
    TOWER_DRIFT_PCT,
    tower_design_air_flow_m3_s,
    tower_evaporation_kg_s,
    tower_water_air_ratio,
    tower_water_m3_s,
)

ps.SetUnitSystem(ps.SI)
IMPLS = ["jit", "py"]
P_OUARZAZATE_PA = station_pressure_pa(1151.0)  # weather/data/sites.toml elevation


def pick(fn, impl):
    """The compiled kernel or its pure-Python original."""
    return fn if impl == "jit" else getattr(fn, "py_func", fn)


def states(q_w, vdot_m3_s, t_db, t_wb, p):
    """Inlet and outlet air of a SaturatedExit tower, computed with PsychroLib."""
    w_in = ps.GetHumRatioFromTWetBulb(t_db, t_wb, p)
    m_da = vdot_m3_s / ps.GetMoistAirVolume(t_db, w_in, p)
    h_in = ps.GetMoistAirEnthalpy(t_db, w_in)
    return w_in, m_da, h_in, h_in + q_w / m_da


@pytest.mark.parametrize("impl", IMPLS)
def test_design_air_flow_is_energyplus_autosize(impl):
    """SizeTower: V = P_fan · 0.5 · (101325 / p_std) / 190. 10.5 kW of fan (the autosized
    fan of a 1 MW tower, 0.0105 W/W) moves 10500 · 0.5 / 190 = 27.632 m³/s at sea level
    and 27.632 · 101325 / 88240.5 = 31.729 m³/s at Ouarzazate (1151 m, ASHRAE eq 3)."""
    f = pick(tower_design_air_flow_m3_s, impl)
    assert f(10500.0, 101325.0) == pytest.approx(27.631579, rel=1e-6)
    assert f(10500.0, P_OUARZAZATE_PA) == pytest.approx(31.728834, rel=1e-6)
    assert f(0.0, 101325.0) == 0.0


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize(
    ("t_db", "t_wb", "p", "vdot", "evap_kg_s"),
    [
        # Ouarzazate, a hot dry summer afternoon, 88.24 kPa:
        #   W_in = 0.009427 (eq 33), v = 1.02750 m³/kg (eq 26), ṁ_da = 31.7288/1.0275 =
        #   30.880 kg/s, h_in = 62.47 kJ/kg (eq 32), h_out = 62.47 + 1000/30.880 = 94.86 kJ/kg,
        #   saturated at T_out = 27.164 °C, W_out = 0.026466:
        #   evaporation = 30.880 · (0.026466 − 0.009427) = 0.52616 kg/s = 1.894 kg/kWh
        (38.0, 20.0, P_OUARZAZATE_PA, 31.728834, 0.526157),
        # Casablanca, humid coastal summer, sea level: W_in = 0.014390, v = 0.86127,
        #   ṁ_da = 27.6316/0.86127 = 32.082 kg/s, h_in = 60.78, h_out = 91.95 kJ/kg,
        #   T_out = 28.458 °C, W_out = 0.024792: evaporation = 32.082 · 0.010402 =
        #   0.33372 kg/s = 1.201 kg/kWh
        (24.0, 21.0, 101325.0, 27.631579, 0.333722),
    ],
)
def test_saturated_exit_hand_calculation(impl, t_db, t_wb, p, vdot, evap_kg_s):
    """1 MW through the autosized 1 MW tower at full air flow: the SaturatedExit equations
    worked by hand (numbers in the parameters). The LossFactor rule gave 0.4798 kg/s
    (0.002 · 1e6 / 4181.3 · 997.05 / 997.05) at both sites; dry air evaporates 58 % more
    per unit heat than humid air."""
    evap = pick(tower_evaporation_kg_s, impl)(1.0e6, vdot, t_db, t_wb, p)
    assert evap == pytest.approx(evap_kg_s, rel=2e-6)


@pytest.mark.parametrize("impl", IMPLS)
def test_saturation_temperature_from_enthalpy(impl):
    """The inverse of the saturated-air enthalpy (PsychroLib GetSatAirEnthalpy) to 1e-6 K
    (the solver stops after a Halley step under 0.1 K; convergence is cubic), over ice and
    water, at sea level and Ouarzazate, from starts 40 K off."""
    f = pick(sat_temp_from_enthalpy_c, impl)
    for p in (101325.0, P_OUARZAZATE_PA):
        for t in (-20.0, -1.0, 0.5, 12.0, 27.0, 45.0, 60.0):
            h = ps.GetSatAirEnthalpy(t, p)
            for start in (t - 40.0, t + 15.0):
                assert f(h, p, start) == pytest.approx(t, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(
    t_db=st.floats(-5.0, 48.0),
    depression=st.floats(0.0, 25.0),
    q_frac=st.floats(0.02, 1.5),
    fr=st.floats(0.125, 1.0),
    elevation=st.floats(0.0, 2000.0),
)
def test_mass_and_energy_balance(t_db, depression, q_frac, fr, elevation):
    """The air leaves with the water evaporated (W_out = W_in + E / ṁ_da) and the heat
    (h_out = h_in + Q / ṁ_da), and it leaves saturated: PsychroLib's relative humidity of
    (h_out, W_out) is 1."""
    t_wb = t_db - depression
    p = station_pressure_pa(elevation)
    vdot = fr * tower_design_air_flow_m3_s(10500.0, p)
    q = q_frac * 1.0e6
    assume(t_wb > -10.0)
    w_in, m_da, _, h_out = states(q, vdot, t_db, t_wb, p)
    assume(w_in > 1e-4)  # a depression too large for the dry bulb has no air (W < 0)
    evap = tower_evaporation_kg_s(q, vdot, t_db, t_wb, p)
    w_out = w_in + evap / m_da
    t_out = ps.GetTDryBulbFromEnthalpyAndHumRatio(h_out, w_out)
    assert ps.GetRelHumFromHumRatio(t_out, w_out, p) == pytest.approx(1.0, abs=1e-6)


def test_evaporation_between_its_physical_bounds():
    """Sensible-only limit < evaporation ≤ latent limits. A dry cooler evaporates
    nothing; a wet tower in saturated air (t_db = t_wb) warms the air, so less than all
    the heat is latent: 0 < E h_fg < Q (h_fg ≥ 2501 kJ/kg at and above 0 °C, eq 32's
    vapour term). In dry air the air also gives up sensible heat, at most down to its wet
    bulb: E · 2501 kJ/kg ≤ Q + ṁ_da c_p (t_db − t_wb), and E exceeds Q / h_fg."""
    p = 101325.0
    vdot = tower_design_air_flow_m3_s(10500.0, p)
    q = 1.0e6
    for t in (5.0, 15.0, 25.0, 30.0):
        e = tower_evaporation_kg_s(q, vdot, t, t, p)
        assert 0.5 * q / 2501e3 < e < q / 2501e3
    t_db, t_wb = 40.0, 18.0
    e = tower_evaporation_kg_s(q, vdot, t_db, t_wb, p)
    w_in, m_da, _, _ = states(q, vdot, t_db, t_wb, p)
    assert q / 2501e3 < e <= (q + m_da * (1006.0 + 1860.0 * w_in) * (t_db - t_wb)) / 2501e3


def test_evaporation_per_unit_heat_rises_with_dry_air():
    """At one wet bulb (about one inlet enthalpy) drier, hotter air evaporates more per
    unit heat: the exit state is nearly the same, the inlet humidity lower. The LossFactor
    rule gave the same water whatever the dry bulb."""
    p = 101325.0
    vdot = tower_design_air_flow_m3_s(10500.0, p)
    e = [tower_evaporation_kg_s(1.0e6, vdot, 20.0 + d, 20.0, p) for d in (0.0, 5.0, 10.0, 20.0)]
    assert all(b > a * 1.05 for a, b in zip(e, e[1:], strict=False))


def test_zero_heat_or_zero_air_evaporates_nothing():
    """No heat rejected (plant off, no water flow) or no air: no evaporation, no drift,
    no blowdown."""
    assert tower_evaporation_kg_s(0.0, 30.0, 30.0, 20.0, 101325.0) == 0.0
    assert tower_evaporation_kg_s(1.0e6, 0.0, 30.0, 20.0, 101325.0) == 0.0
    assert tower_water_m3_s(0.0, 1.0, 30.0, 0.05, 30.0, 20.0, 101325.0, 0.008, 3.0) == (
        0.0,
        0.0,
        0.0,
    )


@pytest.mark.parametrize("impl", IMPLS)
def test_air_ratio_of_each_regime(impl):
    """CalcVariableSpeedTower: full speed 1, modulating the solved ratio, fan off the
    free-convection fraction (0.125), cycling at minimum speed 0.2 for 40 % of the step
    0.4 · 0.2 + 0.6 · 0.125 = 0.155."""
    f = pick(tower_water_air_ratio, impl)
    assert f(1.0, 1.0, 0.125) == 1.0
    assert f(0.63, 1.0, 0.125) == 0.63
    assert f(0.0, 0.0, 0.125) == 0.125
    assert f(0.2, 0.4, 0.125) == pytest.approx(0.155, rel=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
def test_drift_and_blowdown_by_concentration_ratio(impl):
    """Drift = V̇_w,design · 0.008 % · FRair; blowdown = evap / (R − 1) − drift (R = 3 → a
    half of the evaporation less the drift); 0 for R ≤ 1, floored at 0."""
    f = pick(tower_water_m3_s, impl)
    vdot_air = tower_design_air_flow_m3_s(10500.0, 101325.0)
    e, d, b = f(1.0e6, 0.5, vdot_air, 0.05, 24.0, 21.0, 101325.0, 0.008, 3.0)
    assert e == pytest.approx(
        tower_evaporation_kg_s(1.0e6, 0.5 * vdot_air, 24.0, 21.0, 101325.0) / WATER_DENSITY_KG_M3
    )
    assert d == pytest.approx(0.05 * 0.00008 * 0.5, rel=1e-12)
    assert b == pytest.approx(e / 2.0 - d, rel=1e-12)
    assert f(1.0e6, 0.5, vdot_air, 0.05, 24.0, 21.0, 101325.0, 0.008, 1.0)[2] == 0.0
    assert f(1.0e3, 1.0, vdot_air, 50.0, 24.0, 21.0, 101325.0, 0.05, 4.0)[2] == 0.0
    assert (TOWER_DRIFT_PCT, TOWER_BLOWDOWN_CONC_RATIO) == (0.008, 3.0)


@settings(max_examples=200, deadline=None)
@given(
    q=st.floats(-1e6, 1e8),
    fr=st.floats(0.0, 1.0),
    t_db=st.floats(-10.0, 50.0),
    dep=st.floats(0.0, 30.0),
    conc=st.floats(0.5, 10.0),
)
def test_water_flows_non_negative(q, fr, t_db, dep, conc):
    """Every water flow is finite and ≥ 0, whatever the inputs."""
    r = tower_water_m3_s(q, fr, 30.0, 0.05, t_db, t_db - dep, 95000.0, 0.008, conc)
    assert all(np.isfinite(v) and v >= 0.0 for v in r)


def test_loop_water_follows_the_weather():
    """The default hall's air loop at 60 % load and a 20 °C wet bulb: the tower water at a
    40 °C dry bulb exceeds that at 21 °C (before: the same water at both, the loss factor
    saw only the heat); the compiled loop row carries the design air flow of the
    autosized fan at the site pressure."""
    import twin
    from kernels.water_cooled import loop_power
    from twin.sim.compile import compile_scenario

    d = compile_scenario(twin.Scenario(site={"id": "ouarzazate"}))
    lp = d.loops[L.AIR]
    assert lp[L.L_P_ATM_PA] == pytest.approx(P_OUARZAZATE_PA)
    assert lp[L.L_VDOT_TOWER_AIR_M3_S] == pytest.approx(
        tower_design_air_flow_m3_s(lp[L.L_P_TOWER_FAN_W], P_OUARZAZATE_PA), rel=1e-12
    )
    q = 0.6 * lp[L.L_Q_DESIGN_W]
    n = d.n_chillers[L.AIR]
    humid = loop_power(lp, q, 21.0, 20.0, n)
    dry = loop_power(lp, q, 40.0, 20.0, n)
    assert dry[0] == humid[0] and dry[1] == humid[1]  # same chillers and fans
    assert dry[5] > 1.15 * humid[5]


def test_free_convection_evaporates_at_the_free_convection_air_flow():
    """Fan off (free convection): EnergyPlus sets the air-flow ratio to the free-convection
    capacity fraction, so the air is 12.5 % of design and leaves hotter and wetter."""
    vdot = tower_design_air_flow_m3_s(10500.0, 101325.0)
    fr = tower_water_air_ratio(0.0, 0.0, TOWER_FRAC_FREE_CONV)
    e, d, _ = tower_water_m3_s(2.0e5, fr, vdot, 0.05, 10.0, 8.0, 101325.0, 0.008, 3.0)
    assert d == pytest.approx(0.05 * 0.00008 * 0.125, rel=1e-12)
    assert e * WATER_DENSITY_KG_M3 == pytest.approx(
        tower_evaporation_kg_s(2.0e5, 0.125 * vdot, 10.0, 8.0, 101325.0), rel=1e-12
    )


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize(
    ("t_db", "t_wb", "q_w", "fr"),
    [(35.0, 18.0, 2.0e6, 1.0), (24.0, 21.0, 1.0e6, 0.4), (-5.0, -7.0, 5.0e5, 0.2),
     (40.0, 24.0, 3.0e7, 0.01), (12.0, 9.0, 1.0e6, 0.0)],
)  # fmt: skip
def test_inlet_air_shared_by_both_towers_is_each_towers_own(impl, t_db, t_wb, q_w, fr):
    """Two towers of one step breathe the same outdoor air: the water of a tower handed the
    step's inlet air (humidity ratio, dry-air density, enthalpy and the exit air's first
    Halley iterate at the wet bulb, ASHRAE 2017 ch. 1 eqs 26, 32, 33) is the water it
    computes alone, to the last bit, frost (wet bulb below 0 °C, eq 35), an air flow far
    too small for the heat (the exit air at the solver's ceiling) and no air included;
    and the exit air is saturated at h_in + Q / m_da (PsychroLib)."""
    from kernels.tower_water import NO_INLET_AIR, tower_inlet_air, tower_water_air_m3_s

    p = P_OUARZAZATE_PA
    air = pick(tower_inlet_air, impl)(t_db, t_wb, p)
    args = (q_w, fr, 30.0, 0.05, t_db, t_wb, p, TOWER_DRIFT_PCT, TOWER_BLOWDOWN_CONC_RATIO)
    alone = pick(tower_water_m3_s, impl)(*args)
    assert pick(tower_water_air_m3_s, impl)(*args, air) == alone
    assert pick(tower_water_air_m3_s, impl)(*args, NO_INLET_AIR) == alone
    w_in, rho_da, h_in, _ = air
    assert w_in == pytest.approx(max(ps.GetHumRatioFromTWetBulb(t_db, t_wb, p), 0.0), rel=1e-9)
    assert rho_da == pytest.approx(1.0 / ps.GetMoistAirVolume(t_db, w_in, p), rel=1e-6)
    assert h_in == pytest.approx(ps.GetMoistAirEnthalpy(t_db, w_in), rel=1e-9)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("h_j_kg", [-2.0e4, 3.0e4, 9.0e4, 2.5e5, 5.0e6])
def test_halley_from_a_shared_start_is_the_solve_from_that_start(impl, h_j_kg):
    """sat_temp_halley_c from the terms at the start (sat_enthalpy_terms) is
    sat_temp_from_enthalpy_c from that start, to the last bit, and the temperature found
    is saturated air of that enthalpy (PsychroLib's h_s(T), within the solver's 2e-7 K)."""
    from kernels.psychro import sat_vapor_pressure_pa
    from kernels.psychro_sat import sat_enthalpy_terms, sat_temp_halley_c

    p, t0 = 101325.0, 18.0
    start = pick(sat_enthalpy_terms, impl)(t0, p, sat_vapor_pressure_pa(t0))
    t = pick(sat_temp_halley_c, impl)(h_j_kg, p, start)
    assert t == pick(sat_temp_from_enthalpy_c, impl)(h_j_kg, p, t0)
    if -60.0 < t < 80.0:
        h_s = ps.GetSatAirEnthalpy(t, p)
        dh_dt = (ps.GetSatAirEnthalpy(t + 1e-3, p) - ps.GetSatAirEnthalpy(t - 1e-3, p)) / 2e-3
        assert abs(h_s - h_j_kg) / dh_dt < 1e-5
