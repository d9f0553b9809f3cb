"""Tests for kernels/tower.py and the tower part of twin/scenario/plant_library.py.

Reference numbers: EnergyPlus Engineering Reference, "Cooling Towers and Evaporative
Fluid Coolers" (YorkCalc coefficients and term order, validity ranges, control sequence)
and the Energy+.idd of EnergyPlus 25.2 (defaults; the make-up water is tested in
test_tower_water.py), the Curve:Cubic and CoolingTowerPerformance:YorkCalc objects of
the EnergyPlus example 2ZoneDataCenterHVAC_wEconomizer.idf (tests/data), and the 0.0105
W/W fan-power sizing factor of EnergyPlus CondenserLoopTowers.cc.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels import tower
from kernels.tower import (
    TOWER_FAN_CURVE,
    TOWER_FR_AIR_MIN,
    TOWER_FRAC_FREE_CONV,
    YORKCALC_COEFFS,
    tower_design_fan_power_w,
    tower_fan_control,
    tower_fan_power_w,
    tower_leaving_water_c,
    yorkcalc_approach_k,
)
from twin.scenario.plant_library import (
    list_tower_fan_curves,
    list_yorkcalc,
    load_tower_fan_curve,
    load_yorkcalc,
)

IMPLS = ["jit", "py"]

# Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed, typed in by hand.
YORKCALC_ENGREF = (
    -0.359741205,
    -0.055053608,
    0.0023850432,
    0.173926877,
    -0.0248473764,
    0.00048430224,
    -0.005589849456,
    0.0005770079712,
    -1.342427256e-05,
    2.84765801111111,
    -0.121765149,
    0.0014599242,
    1.680428651,
    -0.0166920786,
    -0.0007190532,
    -0.025485194448,
    4.87491696e-05,
    2.719234152e-05,
    -0.06537662555556,
    -0.002278167,
    0.0002500254,
    -0.0910565458,
    0.00318176316,
    3.8621772e-05,
    -0.0034285382352,
    8.56589904e-06,
    -1.516821552e-06,
)


def pick(fn, impl):
    """The compiled kernel or its pure-Python original."""
    return fn if impl == "jit" else getattr(fn, "py_func", fn)


def yorkcalc_reference(twb, tr, lg, c=YORKCALC_ENGREF):
    """27-term YorkCalc sum written term by term in the Engineering Reference order."""
    out = 0.0
    k = 0
    for lg_pow in range(3):
        for tr_pow in range(3):
            for twb_pow in range(3):
                out += c[k] * twb**twb_pow * tr**tr_pow * lg**lg_pow
                k += 1
    return out


def test_yorkcalc_constant_equals_data_file_and_equations_md():
    """YORKCALC_COEFFS = towers.toml [yorkcalc.default] = Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed list."""
    assert len(YORKCALC_COEFFS) == 27
    assert load_yorkcalc("default")["coeffs"] == YORKCALC_COEFFS
    np.testing.assert_allclose(YORKCALC_COEFFS, YORKCALC_ENGREF, rtol=1e-12)
    np.testing.assert_allclose(
        load_yorkcalc("twozone_example")["coeffs"], YORKCALC_COEFFS, rtol=1e-12
    )
    assert list_yorkcalc() == ["default", "twozone_example"]


def test_yorkcalc_limits_in_data_file_match_module():
    """Validity ranges: data file = module constants = Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed."""
    d = load_yorkcalc("default")
    assert d["t_wb_lim"] == (tower.YORKCALC_T_WB_MIN_C, tower.YORKCALC_T_WB_MAX_C)
    assert d["range_lim"] == (tower.YORKCALC_RANGE_MIN_K, tower.YORKCALC_RANGE_MAX_K)
    assert d["fr_water_lim"] == (tower.YORKCALC_FR_WATER_MIN, tower.YORKCALC_FR_WATER_MAX)
    assert d["lg_max"] == tower.YORKCALC_LG_MAX == 8.0


def test_constants_equal_2zone_idf(idf_2zone_text):
    """YorkCalc coefficients and the fan cubic equal the objects in the 2Zone IDF."""
    text = idf_2zone_text
    start = text.index("CoolingTowerPerformance:YorkCalc,")
    block = text[start : text.index("\n", text.index(";", start))]
    coeffs = [float(v) for v in re.findall(r"([-\d.Ee+]+)[,;]\s*!- Coefficient \d+", block)]
    np.testing.assert_allclose(coeffs, YORKCALC_COEFFS, rtol=1e-12)
    block = text[text.index("CoolingTowerFanRatioCurve,  !- Name") :]
    block = block[: block.index(";") + 1]
    nums = [float(v) for v in re.findall(r"\n\s*([-\d.Ee+]+)[,;]", block)]
    np.testing.assert_allclose(nums[:4], TOWER_FAN_CURVE, rtol=1e-15)
    fc = load_tower_fan_curve()
    assert fc["cubic"] == TOWER_FAN_CURVE
    assert fc["x_lim"] == (nums[4], nums[5]) == (0.15, 1.0)
    assert list_tower_fan_curves() == ["twozone_tower_fan_ratio"]


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize(
    ("twb", "tr", "lg"),
    [(25.6, 5.6, 1.0), (20.0, 5.0, 0.8), (10.0, 8.0, 2.5), (-5.0, 3.0, 1.2)],
)
def test_yorkcalc_hand_expansion(impl, twb, tr, lg):
    """Kernel = explicit 27-term sum (Engineering Reference order C1..C27)."""
    got = pick(yorkcalc_approach_k, impl)(twb, tr, lg)
    np.testing.assert_allclose(got, yorkcalc_reference(twb, tr, lg), rtol=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
def test_yorkcalc_hand_computed_point(impl):
    """Twb = 20 °C, Tr = 5 K, LG = 1: the three 9-term groups added by hand."""
    c = YORKCALC_ENGREF
    twb, tr = 20.0, 5.0
    g = [
        c[k]
        + c[k + 1] * 20
        + c[k + 2] * 400
        + c[k + 3] * 5
        + c[k + 4] * 100
        + c[k + 5] * 2000
        + c[k + 6] * 25
        + c[k + 7] * 500
        + c[k + 8] * 10000
        for k in (0, 9, 18)
    ]
    expected = g[0] + g[1] + g[2]
    assert pick(yorkcalc_approach_k, impl)(twb, tr, 1.0) == pytest.approx(expected, rel=1e-12)
    # plausibility: a few kelvin at moderate wet bulb and design-like flows
    assert 3.0 < expected < 8.0


@pytest.mark.parametrize("impl", IMPLS)
def test_yorkcalc_design_point_near_idd_design_approach(impl):
    """At the IDD design point (Twb 25.6 °C, range 5.6 K, LG 1) the correlation gives
    ≈ the IDD default design approach 3.9 K (Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed), i.e. FRwater,ref ≈ 1."""
    assert pick(yorkcalc_approach_k, impl)(25.6, 5.6, 1.0) == pytest.approx(3.9, abs=0.1)


@pytest.mark.parametrize("impl", IMPLS)
def test_yorkcalc_inputs_clamped(impl):
    """Twb, range and LG are clamped to the YorkCalc validity ranges."""
    f = pick(yorkcalc_approach_k, impl)
    assert f(30.0, 5.0, 1.0) == f(26.6667, 5.0, 1.0)
    assert f(20.0, 30.0, 1.0) == f(20.0, 22.2222, 1.0)
    assert f(20.0, 0.5, 1.0) == f(20.0, 1.1111, 1.0)
    assert f(20.0, 5.0, 12.0) == f(20.0, 5.0, 8.0)
    assert f(20.0, 5.0, 1.0) != f(20.0, 5.0, 1.1)


@pytest.mark.parametrize("impl", IMPLS)
def test_leaving_water_uses_lg_ratio(impl):
    """T_out = Twb + Approach(LG = FRwater/FRair); FRwater not capped (EnergyPlus skips the
    water-flow cap for YorkCalc, checkModelBounds), so doubling both ratios keeps LG."""
    f = pick(tower_leaving_water_c, impl)
    assert f(20.0, 5.0, 0.5, 1.0) == pytest.approx(20.0 + yorkcalc_reference(20, 5, 2.0))
    assert f(20.0, 5.0, 1.0, 2.0) == pytest.approx(f(20.0, 5.0, 0.5, 1.0), abs=1e-12)
    assert f(20.0, 5.0, 1.0, 0.5) < f(20.0, 5.0, 1.0, 0.75)  # less water per air: colder
    # more air, lower leaving water
    temps = [f(20.0, 5.0, fr, 1.0) for fr in np.linspace(0.2, 1.0, 9)]
    assert all(a > b for a, b in zip(temps, temps[1:], strict=False))


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize(("twb", "t_set"), [(20.0, 29.0), (10.0, 29.0), (10.0, 35.0), (18.0, 26.0)])
def test_fan_control_holds_setpoint_when_reachable(impl, twb, t_set):
    """Variable-speed region: FRair in [min, 1], fan on all step, T_out = T_set
    (to round-off: the speed is the closed-form root of the YorkCalc quadratic in LG)."""
    fr, plr, t_out = pick(tower_fan_control, impl)(
        twb, 5.6, 1.0, t_set, TOWER_FR_AIR_MIN, TOWER_FRAC_FREE_CONV
    )
    assert TOWER_FR_AIR_MIN <= fr <= 1.0
    assert plr == 1.0
    assert t_out == pytest.approx(t_set, abs=1e-9)
    assert tower_leaving_water_c(twb, 5.6, fr, 1.0) == pytest.approx(t_set, abs=1e-9)


@pytest.mark.parametrize("impl", IMPLS)
def test_fan_control_full_speed_when_setpoint_unreachable(impl):
    """Setpoint below T_wb + approach at full air: FRair = 1, FanPLR = 1."""
    fr, plr, t_out = pick(tower_fan_control, impl)(24.0, 5.6, 1.0, 25.0, 0.2, 0.125)
    assert (fr, plr) == (1.0, 1.0)
    assert t_out == pytest.approx(24.0 + yorkcalc_reference(24.0, 5.6, 1.0), rel=1e-12)
    assert t_out > 25.0


@pytest.mark.parametrize("impl", IMPLS)
def test_fan_control_free_convection(impl):
    """T_off = T_in − 0.125·(T_in − T_max) ≤ T_set: fan off, T_out = T_off."""
    twb, rng, t_set = 5.0, 2.0, 30.0
    t_in = t_set + rng
    t_max = twb + yorkcalc_reference(twb, rng, 1.0)
    t_off = t_in - 0.125 * (t_in - t_max)
    assert t_off <= t_set  # the case is set up to be in free convection
    fr, plr, t_out = pick(tower_fan_control, impl)(twb, rng, 1.0, t_set, 0.2, 0.125)
    assert (fr, plr) == (0.0, 0.0)
    assert t_out == pytest.approx(t_off, rel=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
def test_fan_control_cycles_at_minimum_speed(impl):
    """T_min < T_set < T_off: FanPLR = (T_off − T_set)/(T_off − T_min), T_out = T_set.

    Minimum air flow ratio 0.5 (the top of the IDD range 0.2-0.5).
    """
    twb, rng, t_set, fr_min = 10.0, 6.0, 27.0, 0.5
    t_in = t_set + rng
    t_max = twb + yorkcalc_reference(twb, rng, 1.0)
    t_off = t_in - 0.125 * (t_in - t_max)
    t_min = twb + yorkcalc_reference(twb, rng, 1.0 / fr_min)
    assert t_min < t_set < t_off  # the case is set up to cycle
    fr, plr, t_out = pick(tower_fan_control, impl)(twb, rng, 1.0, t_set, fr_min, 0.125)
    assert fr == fr_min
    assert plr == pytest.approx((t_off - t_set) / (t_off - t_min), rel=1e-12)
    assert 0.0 < plr < 1.0
    assert t_out == t_set


@pytest.mark.parametrize("impl", IMPLS)
def test_fan_control_no_water_flow(impl):
    """No water flow: fan off, water leaves at its entering temperature."""
    assert pick(tower_fan_control, impl)(20.0, 5.0, 0.0, 29.0, 0.2, 0.125) == (0.0, 0.0, 34.0)


@settings(max_examples=300, deadline=None)
@given(
    twb=st.floats(-10.0, 30.0),
    rng=st.floats(1.0, 12.0),
    frw=st.floats(0.75, 1.25),
    t_set=st.floats(10.0, 40.0),
)
def test_fan_control_properties(twb, rng, frw, t_set):
    """Outputs stay in range; setpoint held unless the fan is at full speed."""
    fr, plr, t_out = tower_fan_control(twb, rng, frw, t_set, 0.2, 0.125)
    assert 0.0 <= fr <= 1.0 and 0.0 <= plr <= 1.0
    if fr == 1.0:
        assert t_out >= t_set - 1e-9
    elif fr == 0.0:
        assert t_out <= t_set + 1e-9
    else:
        assert t_out == pytest.approx(t_set, abs=1e-5)


@pytest.mark.parametrize("impl", IMPLS)
def test_fan_power_curve(impl):
    """P = P_design·FanPLR·cubic(FRair), cubic from the 2Zone IDF, x clamped ≥ 0.15."""
    f = pick(tower_fan_power_w, impl)
    c = TOWER_FAN_CURVE
    cubic = lambda x: c[0] + c[1] * x + c[2] * x**2 + c[3] * x**3  # noqa: E731
    assert f(10000.0, 1.0, 1.0) == pytest.approx(10000.0 * cubic(1.0), rel=1e-12)
    assert cubic(1.0) == pytest.approx(1.0, abs=1e-6)  # the curve is normalised
    assert f(10000.0, 0.5, 1.0) == pytest.approx(10000.0 * cubic(0.5), rel=1e-12)
    assert f(10000.0, 0.5, 0.4) == pytest.approx(4000.0 * cubic(0.5), rel=1e-12)
    assert f(10000.0, 0.1, 1.0) == f(10000.0, 0.15, 1.0)
    assert f(10000.0, 0.0, 1.0) == 0.0
    assert f(10000.0, 0.5, 0.0) == 0.0
    # near-cubic: half air flow costs about an eighth of full power
    assert 0.10 < f(1.0, 0.5, 1.0) < 0.15


def test_control_defaults_are_idd_defaults():
    """IDD defaults of Engineering Reference and Energy+.idd, CoolingTower:VariableSpeed: minimum air-flow ratio 0.2, free convection 0.125."""
    assert (TOWER_FR_AIR_MIN, TOWER_FRAC_FREE_CONV) == (0.2, 0.125)


@pytest.mark.parametrize("impl", IMPLS)
def test_design_fan_power(impl):
    """EnergyPlus SizeTower: design fan power = 0.0105 × design tower load."""
    f = pick(tower_design_fan_power_w, impl)
    assert f(1.0e6) == pytest.approx(10500.0, rel=1e-12)
    assert f(0.0) == 0.0
    assert f(-5.0) == 0.0
