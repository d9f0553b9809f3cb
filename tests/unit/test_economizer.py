"""Tests for kernels/economizer.py.

Reference numbers: the counter-flow ε-NTU relation and its C_r = 0 and C_r = 1
limits (EnergyPlus Engineering Reference, "Plant Loop Fluid-to-Fluid Heat Exchanger";
Incropera, Table 11.3), and
the integrated-economizer split defined in the kernel docstring.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from kernels.economizer import (
    WSE_MODE_FULL,
    WSE_MODE_OFF,
    WSE_MODE_PARTIAL,
    hx_effectiveness_counterflow,
    wse_design_ua_w_k,
    wse_full_free_cond_c,
    wse_split,
    wse_split_ntu,
)

IMPLS = ["jit", "py"]


def pick(fn, impl):
    """The compiled kernel or its pure-Python original."""
    return fn if impl == "jit" else getattr(fn, "py_func", fn)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("ntu", [0.1, 1.0, 3.0, 10.0])
def test_effectiveness_limits(impl, ntu):
    """C_r = 0: ε = 1 − e^(−NTU); C_r = 1: ε = NTU/(1 + NTU)."""
    f = pick(hx_effectiveness_counterflow, impl)
    assert f(ntu, 0.0) == pytest.approx(1.0 - math.exp(-ntu), rel=1e-12)
    assert f(ntu, 1.0) == pytest.approx(ntu / (1.0 + ntu), rel=1e-12)
    # continuous through the C_r → 1 switch
    assert f(ntu, 1.0 - 1e-4) == pytest.approx(ntu / (1.0 + ntu), rel=1e-3)
    assert f(ntu, 1.0 - 1e-7) == pytest.approx(ntu / (1.0 + ntu), rel=1e-6)


@pytest.mark.parametrize("impl", IMPLS)
def test_effectiveness_general_value(impl):
    """NTU = 2, C_r = 0.5: ε = (1 − e^(−1))/(1 − 0.5 e^(−1)) = 0.77460."""
    e = math.exp(-1.0)
    expected = (1.0 - e) / (1.0 - 0.5 * e)
    got = pick(hx_effectiveness_counterflow, impl)(2.0, 0.5)
    assert got == pytest.approx(expected, rel=1e-12)
    assert got == pytest.approx(0.77460, abs=1e-5)


@pytest.mark.parametrize("impl", IMPLS)
def test_effectiveness_bounds_and_monotonic(impl):
    """0 ≤ ε ≤ 1, rising with NTU, falling with C_r; NTU ≤ 0 gives 0."""
    f = pick(hx_effectiveness_counterflow, impl)
    assert f(0.0, 0.5) == 0.0
    assert f(-1.0, 0.5) == 0.0
    ntus = np.linspace(0.05, 20.0, 50)
    for cr in (0.0, 0.3, 0.9, 1.0):
        eps = [f(n, cr) for n in ntus]
        assert all(0.0 <= x <= 1.0 for x in eps)
        assert all(a < b for a, b in zip(eps, eps[1:], strict=False))
    crs = np.linspace(0.0, 1.0, 21)
    eps = [f(2.0, cr) for cr in crs]
    assert all(a >= b for a, b in zip(eps, eps[1:], strict=False))
    assert f(2.0, 1.5) == f(2.0, 1.0)  # C_r clamped to 1


@pytest.mark.parametrize("impl", IMPLS)
def test_wse_full_free_cooling(impl):
    """Condenser water + approach ≤ supply: HX takes the whole load (mode 2)."""
    f = pick(wse_split, impl)
    assert f(1.0e6, 24.0, 18.0, 12.0, 1.5) == (1.0e6, WSE_MODE_FULL)
    # boundary: t_cond + approach == t_supply is still full free cooling
    assert f(1.0e6, 24.0, 18.0, 16.5, 1.5) == (1.0e6, WSE_MODE_FULL)


@pytest.mark.parametrize("impl", IMPLS)
def test_wse_partial(impl):
    """Between: q_free = q·(t_ret − t_pre)/(t_ret − t_sup), mode 1."""
    f = pick(wse_split, impl)
    q_free, mode = f(1.0e6, 24.0, 18.0, 19.5, 1.5)  # t_pre = 21
    assert mode == WSE_MODE_PARTIAL
    assert q_free == pytest.approx(1.0e6 * (24.0 - 21.0) / 6.0, rel=1e-12)
    q_free, mode = f(1.0e6, 24.0, 18.0, 16.6, 1.5)  # just above full
    assert mode == WSE_MODE_PARTIAL
    assert q_free == pytest.approx(1.0e6 * (24.0 - 18.1) / 6.0, rel=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
def test_wse_off(impl):
    """t_cond + approach ≥ return (boundary included), or no load: mode 0."""
    f = pick(wse_split, impl)
    assert f(1.0e6, 24.0, 18.0, 22.5, 1.5) == (0.0, WSE_MODE_OFF)
    assert f(1.0e6, 24.0, 18.0, 30.0, 1.5) == (0.0, WSE_MODE_OFF)
    assert f(0.0, 24.0, 18.0, 10.0, 1.5) == (0.0, WSE_MODE_OFF)
    assert f(1.0e6, 18.0, 18.0, 10.0, 1.5) == (0.0, WSE_MODE_OFF)


@pytest.mark.parametrize("impl", IMPLS)
def test_wse_monotonic_in_condenser_temperature(impl):
    """Free share falls from 1 to 0 as the condenser water warms."""
    f = pick(wse_split, impl)
    temps = np.linspace(10.0, 25.0, 61)
    shares = [f(1.0, 24.0, 18.0, t, 1.5)[0] for t in temps]
    assert shares[0] == 1.0 and shares[-1] == 0.0
    assert all(a >= b for a, b in zip(shares, shares[1:], strict=False))


# --- fixed-UA exchanger (EnergyPlus HeatExchanger:FluidToFluid, counter-flow) -------------


def test_wse_ntu_design_point_is_the_design_approach():
    """UA = Q_d / approach with balanced design flows: at the design load, condenser water
    exactly `approach` below the supply gives full free cooling, and 0.5 K warmer water
    leaves a share the hand calculation gives: C = Q/ΔT = 500 kW/K, NTU = 6/2 = 3,
    ε = 3/4, q = 0.75 · 500 kW/K · (24 − 16.5) K = 2.8125 MW of 3 MW."""
    q_d, approach = 3.0e6, 2.0
    ua = wse_design_ua_w_k(q_d, approach)
    assert ua == pytest.approx(1.5e6)
    c = q_d / 6.0
    q, mode = wse_split_ntu(q_d, 24.0, 18.0, 16.0, ua, c)
    assert mode == WSE_MODE_FULL and q == pytest.approx(q_d)
    q, mode = wse_split_ntu(q_d, 24.0, 18.0, 16.5, ua, c)
    assert mode == WSE_MODE_PARTIAL
    assert q == pytest.approx(0.75 * c * 7.5, rel=1e-12)
    assert wse_full_free_cond_c(q_d, 24.0, 18.0, ua, c) == pytest.approx(16.0, abs=1e-9)


def test_wse_ntu_approach_shrinks_at_part_flow():
    """Half the chilled-water flow through the same exchanger (same UA, same condenser
    flow): C_min = 250 kW/K, NTU = 6, C_r = 0.5, ε = (1 − e^−3) / (1 − 0.5 e^−3) = 0.9260;
    the warmest water for full free cooling is 24 − 6/ε = 17.52 °C, 1.5 K warmer than the
    design's 16 °C (a fixed 2 K approach would still ask for 16 °C)."""
    q_d, ua, c_cond = 3.0e6, 1.5e6, 3.0e6 / 6.0
    e = math.exp(-3.0)
    eps = (1.0 - e) / (1.0 - 0.5 * e)
    t_full = wse_full_free_cond_c(0.5 * q_d, 24.0, 18.0, ua, c_cond)
    assert t_full == pytest.approx(24.0 - 6.0 / eps, rel=1e-12)
    assert t_full > 16.0 + 1.4
    q, mode = wse_split_ntu(0.5 * q_d, 24.0, 18.0, t_full - 1e-9, ua, c_cond)
    assert mode == WSE_MODE_FULL and q == pytest.approx(0.5 * q_d)


@pytest.mark.parametrize("t_cond", [24.0, 25.0, 30.0])
def test_wse_ntu_off_when_condenser_water_is_not_colder(t_cond):
    assert wse_split_ntu(3.0e6, 24.0, 18.0, t_cond, 1.5e6, 5e5) == (0.0, WSE_MODE_OFF)


@pytest.mark.parametrize("t_cond", [12.0, 16.0, 16.5, 20.0, 24.0])
@pytest.mark.parametrize("q_w", [3.0e6, 1.5e6, 4.0e5])
def test_exchanger_at_a_load_shared_by_target_and_passes(q_w, t_cond):
    """ε and C_min depend on the load, not on the condenser water, so the tower's target and
    both substitutions of a loop balance share wse_hx_at_load: with it, the split and the
    warmest full-free-cooling water are those computed alone, to the last bit; ε is the
    counter-flow ε-NTU value (Incropera Table 11.3)."""
    from kernels.economizer import (
        NO_HX,
        wse_full_free_cond_hx_c,
        wse_hx_at_load,
        wse_split_hx,
    )

    ua, c_cond = 1.5e6, 3.0e6 / 6.0
    hx = wse_hx_at_load(q_w, 6.0, ua, c_cond)
    c_min, c_max = min(q_w / 6.0, c_cond), max(q_w / 6.0, c_cond)
    ntu, cr = ua / c_min, c_min / c_max
    e = math.exp(-ntu * (1.0 - cr))
    eps = ntu / (1.0 + ntu) if cr == 1.0 else (1.0 - e) / (1.0 - cr * e)
    assert hx[0] == pytest.approx(eps, rel=1e-12) and hx[1] == c_min
    for shared in (hx, NO_HX):
        assert wse_split_hx(q_w, 24.0, 18.0, t_cond, ua, c_cond, shared) == wse_split_ntu(
            q_w, 24.0, 18.0, t_cond, ua, c_cond
        )
        assert wse_full_free_cond_hx_c(q_w, 24.0, 18.0, ua, c_cond, shared) == (
            wse_full_free_cond_c(q_w, 24.0, 18.0, ua, c_cond)
        )
