"""Hall moisture balance and dew point (kernels/moisture.py, twin/results/moisture.py).

Numbers are hand calculations written out in each docstring, or table values (ASHRAE
Handbook—Fundamentals 2017 SI, ch. 1, Table 3: water at saturation, 20 °C: p_ws =
2.3393 kPa).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from kernels import layout as L
from kernels.airecon import (
    AIR_ECON_DIRECT,
    AIR_ECON_NONE,
    DP_MAX_C,
    DP_MIN_C,
    RH_MAX,
)
from kernels.moisture import (
    MP_DP_ALLOW_C,
    MP_DP_REC_C,
    MP_M_DA_KG,
    MP_MDOT_VENT_KG_S,
    N_MOIST,
    N_MPAR,
    R_MAX_DP_C,
    R_STEPS_OVER_ALLOW,
    R_STEPS_OVER_REC,
    coil_bypass_factor,
    direct_outdoor_share,
    hall_moisture_pass,
    hall_w_step,
)
from kernels.psychro import (
    dew_point_c,
    humidity_ratio_from_rh,
    humidity_ratio_from_wet_bulb,
    sat_vapor_pressure_pa,
    wet_bulb_c,
)
from twin import Scenario, simulate
from twin.scenario.ashrae import (
    ASHRAE_AIR_DEW_POINT_MAX_C,
    ASHRAE_AIR_RECOMMENDED_DEW_POINT_C,
    ASHRAE_AIR_RECOMMENDED_RH_MAX,
)

P0 = 101325.0


def test_published_dew_point_limits():
    """ASHRAE TC 9.9 (2021): allowable dew point A1 17, A2 21, A3 24, A4 24 °C; recommended
    −9…15 °C and 70 % RH, the envelope the air-side economizer applies too."""
    assert ASHRAE_AIR_DEW_POINT_MAX_C == {"A1": 17.0, "A2": 21.0, "A3": 24.0, "A4": 24.0}
    assert ASHRAE_AIR_RECOMMENDED_DEW_POINT_C == (DP_MIN_C, DP_MAX_C) == (-9.0, 15.0)
    assert ASHRAE_AIR_RECOMMENDED_RH_MAX == RH_MAX == 0.70


def test_dew_point_of_saturated_air_at_20_c_from_the_ashrae_table():
    """Air whose vapour pressure is p_ws(20 °C) = 2339.3 Pa (ASHRAE 2017 ch. 1 Table 3),
    W = 0.621945 × 2339.3 / (101325 − 2339.3) = 0.0146984 (eq 22), has its dew point at
    20 °C; and the Newton solution equals PsychroLib's dew point (an independent
    implementation of the same ASHRAE equations) to 1e-6 K over −40…40 °C."""
    import psychrolib

    psychrolib.SetUnitSystem(psychrolib.SI)
    assert dew_point_c(0.0146984, P0) == pytest.approx(20.0, abs=0.01)
    for t in np.linspace(-40.0, 40.0, 33):
        w = humidity_ratio_from_rh(t, 1.0, P0)
        assert dew_point_c(w, P0) == pytest.approx(t, abs=1e-6)
        ref = psychrolib.GetTDewPointFromHumRatio(45.0, w, P0)
        assert dew_point_c(w, P0) == pytest.approx(ref, abs=1e-6)


def test_closed_form_step_by_hand():
    """Ventilation only (no coil, bf = 1): M = 1000 kg, ṁ_v = 1 kg/s, W_o = 0.014, W0 =
    0.010, Δt = 600 s: W = 0.014 + (0.010 − 0.014) e^(−1·600/1000) = 0.014 − 0.004 ×
    0.548811636 = 0.011804753456.

    Sealed hall, wet coil: ṁ_s = 10 kg/s, BF = 0.4, x = 0, W_adp = 0.013, W0 = 0.016,
    Δt = 100 s: a = ṁ_s (1 − BF) W_adp, b = ṁ_s (1 − BF) = 6 kg/s, so W = 0.013 + 0.003
    × 0.548811636 = 0.014646434908.
    """
    w = hall_w_step(0.010, 0.014, 1.0, 0.0, 0.0, 0.0, 0.013, 1.0, 1000.0, 600.0)
    assert w == pytest.approx(0.011804753456, rel=1e-9)
    w = hall_w_step(0.016, 0.0, 0.0, 0.0, 0.0, 10.0, 0.013, 0.4, 1000.0, 100.0)
    assert w == pytest.approx(0.014646434908, rel=1e-9)


def _rhs(w, w_o, mdot_v, x, w_oe, mdot_s, w_adp, bf):
    """M dW/dt of the module docstring, written directly (coil line or no coil)."""
    w_mix = x * w_oe + (1.0 - x) * w
    w_leave = w_adp + bf * (w_mix - w_adp) if w_mix > w_adp else w_mix
    return mdot_v * (w_o - w) + mdot_s * (w_leave - w)


def test_step_crossing_wet_to_dry_is_exact_for_any_dt():
    """x = 0.5, W_oe = 0.006, W_o = 0.014, ṁ_v = 0.5, ṁ_s = 10 kg/s, BF = 0.4, W_adp = 0.0129,
    M = 1000 kg, W0 = 0.025. Boundary W* = (0.0129 − 0.003)/0.5 = 0.0198; wet equilibrium
    (0.007 + 10 (0.6·0.0129 + 0.4·0.5·0.006)) / (0.5 + 10 (1 − 0.2)) = 0.0964 / 8.5 =
    0.011341 < W*, so the step crosses to the dry regime, whose equilibrium is
    (0.007 + 0.03) / 5.5 = 0.0067273. One 600-s step equals 600 one-second steps and an
    RK4 integration of the ODE; the hall ends between the dry equilibrium and W*."""
    args = (0.014, 0.5, 0.5, 0.006, 10.0, 0.0129, 0.4, 1000.0)
    one = hall_w_step(0.025, *args, 600.0)
    w = 0.025
    for _ in range(600):
        w = hall_w_step(w, *args, 1.0)
    assert one == pytest.approx(w, rel=1e-10)
    # RK4, 0.05 s steps
    w, h, m = 0.025, 0.05, 1000.0
    f = lambda v: _rhs(v, *args[:-1]) / m  # noqa: E731
    for _ in range(12000):
        k1 = f(w)
        k2 = f(w + h * k1 / 2)
        k3 = f(w + h * k2 / 2)
        k4 = f(w + h * k3)
        w += h * (k1 + 2 * k2 + 2 * k3 + k4) / 6
    assert one == pytest.approx(w, rel=1e-7)
    assert 0.0067273 < one < 0.0198


def _loop(econ=AIR_ECON_NONE, t_chw_c=18.0):
    """Air-loop row: 27 °C supply air, 12 K hot aisle, chilled water t_chw_c, 10 MW design."""
    lp = np.zeros(L.N_LOOP)
    lp[L.L_T_SUPPLY_C] = t_chw_c
    lp[L.L_Q_DESIGN_W] = 10e6
    lp[L.L_AIR_ECON] = econ
    lp[L.L_T_SUP_AIR_C] = 27.0
    lp[L.L_AIR_DT_K] = 12.0
    lp[L.L_AIR_EVAP_EFF] = 0.7
    lp[L.L_P_ATM_PA] = P0
    return lp


def _pass(lp, t_db, t_wb, mdot_v, q_air_w=8e6, econ_mode=1.0, dt_s=3600.0, limits=(17.0, 15.0)):
    n = len(t_db)
    out = np.zeros((n, L.N_OUT))
    out[:, L.O_Q_AIR_W] = q_air_w
    out[:, L.O_ECON_MODE] = econ_mode
    par = np.zeros(N_MPAR)
    par[MP_M_DA_KG] = 8750.0 * 1.204
    par[MP_MDOT_VENT_KG_S] = mdot_v
    par[MP_DP_ALLOW_C], par[MP_DP_REC_C] = limits
    dp, res = np.empty(n), np.zeros(N_MOIST)
    t_db = np.asarray(t_db, dtype=float)
    hall_moisture_pass(par, lp, out, t_db, np.asarray(t_wb, dtype=float), dt_s, dp, res)
    return dp, res


def test_sealed_hall_keeps_its_moisture_and_never_goes_negative():
    """No outdoor air (ṁ_v = 0, no economizer): with the hall dew point (10 °C, the first
    step's outdoor air) below the 18 °C coil, the coil is dry and W is constant whatever
    the outdoor air does afterwards. Starting humid (dew point 22 °C), the wet coil dries
    the hall towards saturation at the 18 °C apparatus dew point and never below it."""
    t_db = np.array([20.0, 35.0, 30.0, 5.0, 25.0] * 10)
    t_wb = np.array([wet_bulb_c(t, 0.3, P0) for t in t_db])
    t_wb[0] = 13.0
    w0 = humidity_ratio_from_wet_bulb(20.0, 13.0, P0)
    dp, _ = _pass(_loop(), t_db, t_wb, 0.0)
    assert np.all(dp == dp[0])
    assert dp[0] == pytest.approx(dew_point_c(w0, P0), abs=1e-12)
    # humid start: outdoor 25 °C at a dew point of 22 °C in step 0 only
    t_wb[0] = wet_bulb_c(25.0, sat_vapor_pressure_pa(22.0) / sat_vapor_pressure_pa(25.0), P0)
    t_db[0] = 25.0
    for dt_s in (60.0, 900.0, 3600.0):
        dp, _ = _pass(_loop(), t_db, t_wb, 0.0, dt_s=dt_s)
        assert np.all(np.diff(dp) <= 1e-12) and dp[-1] >= 18.0 - 1e-9
        assert dp[-1] == pytest.approx(18.0, abs=0.01)


def test_humid_outdoor_air_settles_between_coil_and_outdoor_dew_point():
    """Outdoor 25 °C at a 20 °C dew point, coil at 18 °C, ventilation 0.63 kg/s (ASHRAE
    62.1: 0.3 L/(s m²) × 1,750 m² × 1.204 kg/m³) and 8 MW of air-loop heat (ṁ_s = 8e6 /
    (1006 × 12) = 662.7 kg/s, BF = (27 − 18)/(39 − 18) = 0.4286). Steady state W =
    (ṁ_v W_o + ṁ_s (1 − BF) W_adp) / (ṁ_v + ṁ_s (1 − BF)): a weighted mean of W_adp and
    W_o, so the dew point lies between 18 and 20 °C (just above 18: the coil dominates)."""
    assert coil_bypass_factor(39.0, 27.0, 18.0) == pytest.approx(9.0 / 21.0)
    rh = sat_vapor_pressure_pa(20.0) / sat_vapor_pressure_pa(25.0)
    t_wb = wet_bulb_c(25.0, rh, P0)
    dp, res = _pass(_loop(), [25.0] * 48, [t_wb] * 48, 0.632)
    assert 18.0 < dp[-1] < 20.0
    w_o, w_adp = humidity_ratio_from_wet_bulb(25.0, t_wb, P0), humidity_ratio_from_rh(18.0, 1.0, P0)
    g = 8e6 / (1006.0 * 12.0) * (1.0 - 9.0 / 21.0)
    w_eq = (0.632 * w_o + g * w_adp) / (0.632 + g)
    assert dp[-1] == pytest.approx(dew_point_c(w_eq, P0), abs=1e-6)
    assert res[R_MAX_DP_C] == pytest.approx(dp.max(), abs=1e-9)
    assert res[R_STEPS_OVER_ALLOW] == res[R_STEPS_OVER_REC] == 48
    # no air-cooled group: no limit (1e9 °C), no excursion counted
    _, res = _pass(_loop(), [25.0] * 48, [t_wb] * 48, 0.632, limits=(1e9, 1e9))
    assert res[R_STEPS_OVER_ALLOW] == res[R_STEPS_OVER_REC] == 0


def test_direct_economizer_admits_only_air_inside_its_envelope():
    """Existing behaviour (kernels.airecon): outdoor air enters only with its dew point in
    −9…15 °C and RH ≤ 70 % at the supply temperature; checked over a grid of outdoor
    states, and the outdoor share x is in (0, 1] whenever it enters."""
    lp = _loop(AIR_ECON_DIRECT)
    admitted = 0
    for t_db in np.linspace(-5.0, 45.0, 26):
        for rh in np.linspace(0.05, 1.0, 20):
            t_wb = wet_bulb_c(t_db, rh, P0)
            x, w_oe, _, _ = direct_outdoor_share(lp, 8e6, t_db, t_wb)
            if x <= 0.0:
                continue
            admitted += 1
            assert 0.0 < x <= 1.0
            dp = dew_point_c(w_oe, P0)
            assert DP_MIN_C - 1e-9 <= dp <= DP_MAX_C + 1e-9
            p_w = P0 * w_oe / (0.621945 + w_oe)
            t_supply_air = max(27.0, min(t_db, 27.0))
            assert p_w / sat_vapor_pressure_pa(t_supply_air) <= RH_MAX + 1e-9
    assert admitted > 50


@pytest.fixture(scope="module")
def casablanca_summer():
    """The default hall at Casablanca (the bundled typical year), air loop chilled water
    18 °C, January to August at 1 h."""
    sc = Scenario(simulation={"days": 243})
    assert sc.site.id == "casablanca" and sc.cooling.air.t_supply_c == 18.0
    return simulate(sc)


def test_casablanca_summer_dew_point_exceeds_a1(casablanca_summer):
    """Casablanca's summer outdoor dew point (~19 °C) is above A1's allowable 17 °C and the
    18 °C coil cannot bring the hall below 18 °C: the hall dew point exceeds A1 in summer,
    never in January-March; the KPIs recount from the step table."""
    r = casablanca_summer
    k, ts = r.kpis, r.timeseries
    assert k["max_hall_dew_point_c"] > 17.0
    assert k["dew_point_excursion_h"] > 500.0
    over = ts["t_dew_point_hall_c"] > 17.0
    assert not over[ts.index.month <= 3].any()
    assert over[ts.index.month == 8].mean() > 0.5
    assert k["dew_point_excursion_h"] == pytest.approx(float(over.sum()))
    assert k["dew_point_recommended_excursion_h"] == pytest.approx(
        float((ts["t_dew_point_hall_c"] > 15.0).sum())
    )
    assert k["max_hall_dew_point_c"] == pytest.approx(ts["t_dew_point_hall_c"].max(), abs=1e-9)
    # the coil (18 °C, a lower bound of its surface) caps the hall near its ADP
    assert 18.0 < k["max_hall_dew_point_c"] < 18.1


def test_a_colder_coil_removes_the_excursions():
    """The same hall with chilled water at 14 °C: the coil surface is below A1's 17 °C and
    below the recommended 15 °C, so the hall dew point stays under both (the outdoor dew
    point of the typical year stays below 20 °C and the coil dominates)."""
    k = simulate(Scenario(simulation={"days": 243}, cooling={"air": {"t_supply_c": 14.0}})).kpis
    assert k["dew_point_excursion_h"] == 0.0
    assert k["dew_point_recommended_excursion_h"] == 0.0
    assert math.isfinite(k["max_hall_dew_point_c"]) and k["max_hall_dew_point_c"] < 15.0
