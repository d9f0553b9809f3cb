"""Tests for kernels/movers.py.

Reference numbers: Fan:VariableVolume and Pump:VariableSpeed objects of the EnergyPlus
example 2ZoneDataCenterHVAC_wEconomizer.idf ("2Zone IDF", tests/data), the
EnergyPlus pump sizing rule (design power = V̇·H·1.282051282 / η_motor; EnergyPlus
unit test Pumps.unit.cc "VariableSpeedPumpSizingPowerDefault": 0.001 m³/s,
default head 179352 Pa, default motor efficiency 0.9 → 255.4872 W) and the fan
affinity law P ∝ flow³.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from kernels.movers import (
    COND_PUMP_ETA_TOTAL,
    COND_PUMP_HEAD_PA,
    CW_PUMP_ETA_TOTAL,
    CW_PUMP_HEAD_PA,
    PUMP_IMPELLER_EFF,
    PUMP_PLR_COEFFS,
    VAV_FAN_COEFFS,
    VAV_FAN_DP_PA,
    VAV_FAN_ETA_TOTAL,
    VAV_FAN_MIN_FLOW_FRAC,
    VAV_FAN_MOTOR_EFF,
    fan_design_power_w,
    fan_vav_power_w,
    pump_design_power_w,
    pump_vs_power_w,
)

IMPLS = ["jit", "py"]


def pick(fn, impl):
    """The compiled kernel or its pure-Python original."""
    return fn if impl == "jit" else getattr(fn, "py_func", fn)


def _idf_object(text, header, name):
    start = text.index(f"{header},\n    {name},")
    block = text[start : text.index(";", start) + 1]
    return {
        m.group(2).strip(): m.group(1)
        for m in re.finditer(r"\n\s*([^,;\n]*)[,;]\s*!- ([^\n]+)", block)
    }


def test_constants_equal_2zone_idf(idf_2zone_text):
    """Fan and pump module constants are the 2Zone IDF's field values."""
    text = idf_2zone_text
    fan = _idf_object(text, "Fan:VariableVolume", "West Zone Supply Fan")
    assert float(fan["Fan Total Efficiency"]) == VAV_FAN_ETA_TOTAL
    assert float(fan["Pressure Rise {Pa}"]) == VAV_FAN_DP_PA
    assert float(fan["Fan Power Minimum Flow Fraction"]) == VAV_FAN_MIN_FLOW_FRAC
    assert float(fan["Motor Efficiency"]) == VAV_FAN_MOTOR_EFF
    coeffs = tuple(float(fan[f"Fan Power Coefficient {i}"]) for i in range(1, 6))
    assert coeffs == VAV_FAN_COEFFS
    for name, head, eta in [
        ("CW Circ Pump", CW_PUMP_HEAD_PA, CW_PUMP_ETA_TOTAL),
        ("Cond Circ Pump", COND_PUMP_HEAD_PA, COND_PUMP_ETA_TOTAL),
    ]:
        pump = _idf_object(text, "Pump:VariableSpeed", name)
        assert float(pump["Design Pump Head {Pa}"]) == head
        assert float(pump["Motor Efficiency"]) * PUMP_IMPELLER_EFF == pytest.approx(eta)
        plc = tuple(
            float(pump[f"Coefficient {i} of the Part Load Performance Curve"]) for i in range(1, 5)
        )
        assert plc == PUMP_PLR_COEFFS


@pytest.mark.parametrize("impl", IMPLS)
def test_fan_design_point(impl):
    """10 m³/s through 300 Pa at η_total 0.7: 10·300/0.7 = 4285.714 W."""
    f = pick(fan_design_power_w, impl)
    assert f(10.0, VAV_FAN_DP_PA, VAV_FAN_ETA_TOTAL) == pytest.approx(3000.0 / 0.7, rel=1e-12)
    assert f(0.0, 300.0, 0.7) == 0.0
    assert f(10.0, 300.0, 0.0) == 0.0


@pytest.mark.parametrize("impl", IMPLS)
def test_fan_vav_2zone_curve(impl):
    """PLF = c1 + c2 f + c3 f² + c4 f³ + c5 f⁴ with f = max(flow, 0.25)."""
    f = pick(fan_vav_power_w, impl)
    c = VAV_FAN_COEFFS
    plf = lambda x: c[0] + c[1] * x + c[2] * x**2 + c[3] * x**3 + c[4] * x**4  # noqa: E731
    assert f(1000.0, 1.0, 0.25, *c) == pytest.approx(1000.0 * plf(1.0), rel=1e-12)
    assert plf(1.0) == pytest.approx(0.98983217, rel=1e-9)
    assert f(1000.0, 0.6, 0.25, *c) == pytest.approx(1000.0 * plf(0.6), rel=1e-12)
    # below the minimum flow fraction power stays at PLF(0.25)
    assert f(1000.0, 0.1, 0.25, *c) == f(1000.0, 0.25, 0.25, *c)
    assert f(1000.0, 0.25, 0.25, *c) == pytest.approx(1000.0 * plf(0.25), rel=1e-12)
    assert f(1000.0, 0.0, 0.25, *c) == 0.0


@pytest.mark.parametrize("impl", IMPLS)
def test_fan_affinity_law_shape(impl):
    """Coefficients (0, 0, 0, 1, 0) give the affinity law P = P_d·f³ exactly; the
    2Zone curve rises with flow, is ≈ 1 at full flow (0.9898) and stays above the
    ideal f³ above the minimum flow."""
    f = pick(fan_vav_power_w, impl)
    for x in (0.3, 0.5, 0.8, 1.0):
        assert f(1000.0, x, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0) == pytest.approx(1000.0 * x**3)
    flows = np.linspace(0.25, 1.0, 31)
    p = [f(1.0, x, 0.25, *VAV_FAN_COEFFS) for x in flows]
    assert all(a < b for a, b in zip(p, p[1:], strict=False))
    assert all(x**3 - 0.011 <= y <= 1.0 for x, y in zip(flows, p, strict=False))
    assert all(x**3 < y for x, y in zip(flows, p, strict=False) if x <= 0.95)


@pytest.mark.parametrize("impl", IMPLS)
def test_pump_design_power(impl):
    """V̇·H/(η_motor·0.78); EnergyPlus unit test default case = 255.4872 W."""
    f = pick(pump_design_power_w, impl)
    assert f(0.001, 179352.0, 0.9 * PUMP_IMPELLER_EFF) == pytest.approx(255.4872, abs=1e-4)
    # 2Zone CW pump at 0.05 m³/s: 0.05·160000/(0.87·0.78)
    assert f(0.05, CW_PUMP_HEAD_PA, CW_PUMP_ETA_TOTAL) == pytest.approx(
        0.05 * 160000.0 / (0.87 * 0.78), rel=1e-12
    )
    assert f(0.05, COND_PUMP_HEAD_PA, COND_PUMP_ETA_TOTAL) == pytest.approx(
        0.05 * 140000.0 / (0.9 * 0.78), rel=1e-12
    )
    assert f(0.0, 160000.0, 0.7) == 0.0


@pytest.mark.parametrize("impl", IMPLS)
def test_pump_part_load(impl):
    """2Zone curve (0, 1, 0, 0): power ∝ flow; (0, 0, 0, 1): affinity law PLR³."""
    f = pick(pump_vs_power_w, impl)
    assert f(2000.0, 1.0, *PUMP_PLR_COEFFS) == pytest.approx(2000.0)
    assert f(2000.0, 0.4, *PUMP_PLR_COEFFS) == pytest.approx(800.0)
    assert f(2000.0, 0.5, 0.0, 0.0, 0.0, 1.0) == pytest.approx(250.0)
    assert f(2000.0, 0.5, 0.1, 0.2, 0.3, 0.4) == pytest.approx(2000.0 * (0.1 + 0.1 + 0.075 + 0.05))
    assert f(2000.0, 0.0, *PUMP_PLR_COEFFS) == 0.0
    assert f(2000.0, -0.1, *PUMP_PLR_COEFFS) == 0.0
