"""Each invariant's checker fails when the invariant is broken on purpose.

A real run's outputs are corrupted one invariant at a time; the checks of
:mod:`twin.results.invariants` (run on every simulation) and the property-test
checkers of :mod:`tests.property.checks` must reject every mutant.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import twin
from kernels import layout as L
from twin import Scenario
from twin.errors import EnergyBalanceError
from twin.results.invariants import check_run
from twin.sim.engine import run_raw

from .checks import assert_kpis_physical, assert_not_more, assert_timeseries_physical


@pytest.fixture(scope="module")
def raw():
    sc = Scenario(
        simulation={"days": 3, "seed": 7},
        battery={"energy_mwh": 40.0, "power_mw": 20.0, "soc_min": 0.1, "soc_max": 0.9},
    )
    return run_raw(sc)


@pytest.fixture(scope="module")
def result():
    return twin.simulate(
        Scenario(
            simulation={"days": 3, "seed": 7},
            battery={"energy_mwh": 40.0, "power_mw": 20.0, "soc_min": 0.1, "soc_max": 0.9},
        )
    )


def test_the_unmutated_run_passes(raw, result):
    check_run(raw.out, raw.design.plant)
    assert_kpis_physical(result.kpis)
    assert_timeseries_physical(result.timeseries, 0.1, 0.9, True)


def _mutant(raw, step: int, col: int, value: float) -> np.ndarray:
    out = raw.out.copy()
    out[step, col] = value
    return out


def _scale(raw) -> float:
    o = raw.out
    return float((o[:, L.O_P_IT_W] + o[:, L.O_P_UPS_LOSS_W] + o[:, L.O_P_COOLING_W]).mean())


@pytest.mark.parametrize(
    ("col", "value", "invariant"),
    [
        (L.O_T_AIR_C, math.nan, "finite values"),
        (L.O_P_GRID_IMPORT_W, math.inf, "finite values"),
        (L.O_VDOT_WATER_M3_S, -1e-3, "non-negative flows"),
        (L.O_P_PV_CURTAILED_W, -5.0, "non-negative flows"),
        (L.O_T_LIQ_C, 350.0, "physical liquid loop temperature"),
        (L.O_SOC_BESS, 0.95, "battery state of charge within limits"),
        (L.O_SOC_BESS, 0.05, "battery state of charge within limits"),
    ],
)
def test_check_run_rejects_a_broken_value(raw, col, value, invariant):
    with pytest.raises(EnergyBalanceError, match=invariant):
        check_run(_mutant(raw, 10, col, value), raw.design.plant)


def test_check_run_rejects_an_open_balance_of_ten_ppm_at_one_step(raw):
    out = raw.out.copy()
    out[20, L.O_P_GRID_IMPORT_W] += 1e-5 * _scale(raw)
    with pytest.raises(EnergyBalanceError, match="energy balance per step"):
        check_run(out, raw.design.plant)


def test_check_run_rejects_cooling_that_is_not_the_sum_of_its_end_uses(raw):
    out = raw.out.copy()
    out[5, L.O_P_CHILLER_W] += 1e-4 * _scale(raw)
    with pytest.raises(EnergyBalanceError, match="cooling = sum of end uses"):
        check_run(out, raw.design.plant)


def test_check_run_rejects_heat_sources_that_make_pue_below_one(raw):
    # cooling "generates" power: facility < IT; caught first as a negative flow
    out = raw.out.copy()
    out[5, L.O_P_COOLING_W] = -0.1 * out[5, L.O_P_IT_W]
    with pytest.raises(EnergyBalanceError, match=r"non-negative flows|facility >= IT"):
        check_run(out, raw.design.plant)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("pue", 0.98, "PUE < 1"),
        ("water_m3", -1.0, "negative"),
        ("co2_t", math.nan, "not finite"),
        ("cfe_score", 1.2, "outside"),
        ("energy_balance_error", 2e-6, "energy balance"),
    ],
)
def test_kpi_checker_rejects_a_broken_kpi(result, name, value, message):
    kpis = {**result.kpis, name: value}
    with pytest.raises(AssertionError, match=message):
        assert_kpis_physical(kpis)


@pytest.mark.parametrize(
    ("column", "delta_frac", "message"),
    [
        ("p_grid_import_mw", 1e-5, "energy balance per step"),
        ("p_cooling_mw", -2.0, "negative|facility < IT|energy balance"),
        ("soc_bess_frac", None, "state of charge"),
    ],
)
def test_timeseries_checker_rejects_a_broken_step(result, column, delta_frac, message):
    ts = result.timeseries.copy()
    scale = float(ts[["p_it_mw", "p_ups_loss_mw", "p_cooling_mw"]].sum(axis=1).mean())
    j = ts.columns.get_loc(column)
    if delta_frac is None:  # a state of charge above its maximum (0.9)
        ts.iloc[7, j] = 0.95
    else:
        ts.iloc[7, j] += delta_frac * scale
    with pytest.raises(AssertionError, match=message):
        assert_timeseries_physical(ts, 0.1, 0.9, True)


def test_monotonicity_checker_rejects_more_import_with_more_pv():
    with pytest.raises(AssertionError, match="grid import"):
        assert_not_more(100.0, 100.001, "grid import with more PV")
    assert_not_more(100.0, 100.0 + 1e-12, "round-off is not a violation")


def _scan(raw, out):
    from kernels.checks import scan_invariants
    from twin.results.invariants import ABS_TOL_W, BALANCE_TOL, soc_limits

    lo, hi, check = soc_limits(raw.design.plant)
    code, k, col, _ = scan_invariants(out, BALANCE_TOL, ABS_TOL_W, lo, hi, check,
                                      raw.design.plant)  # fmt: skip
    return int(code), int(k), int(col)


_TEMPERATURES = (L.O_T_AIR_C, L.O_T_LIQ_C, L.O_T_AIR_PEAK_C, L.O_T_LIQ_PEAK_C, L.O_T_TCS_C,
                 L.O_T_TCS_PEAK_C)  # fmt: skip


def test_the_scan_finds_every_broken_value_in_every_column_at_its_step(raw):
    """Every column: a NaN and an infinity are not finite; a negative value is a negative
    flow except in the temperatures (out of their physical range instead) and the signed
    balance residual (allowed); found at the step and column where they are."""
    from kernels import checks as C

    assert _scan(raw, raw.out) == (C.OK, -1, -1)
    for col in range(L.N_OUT):
        for bad in (math.nan, math.inf, -math.inf):
            assert _scan(raw, _mutant(raw, 10, col, bad)) == (C.NOT_FINITE, 10, col), (col, bad)
        if col in _TEMPERATURES:
            assert _scan(raw, _mutant(raw, 10, col, -300.0)) == (C.TEMPERATURE, 10, col)
            assert _scan(raw, _mutant(raw, 10, col, 250.0)) == (C.TEMPERATURE, 10, col)
        elif col == L.O_BALANCE_W:
            assert _scan(raw, _mutant(raw, 10, col, -1e9))[0] == C.OK
        else:
            assert _scan(raw, _mutant(raw, 10, col, -1.0))[:2] == (C.NEGATIVE, 10), col


def test_the_scan_reports_the_first_step_and_within_a_step_the_first_check(raw):
    """A row's checks run in order (finite, sign, balance, PUE, cooling parts, temperature):
    a row with a temperature out of range and a negative flow reports the flow, and an
    earlier step's break comes before a later one's whatever its kind."""
    from kernels import checks as C

    out = _mutant(raw, 10, L.O_T_LIQ_C, 350.0)
    out[10, L.O_P_PV_W] = -1.0
    assert _scan(raw, out) == (C.NEGATIVE, 10, L.O_P_PV_W)
    out = _mutant(raw, 10, L.O_T_LIQ_C, 350.0)
    out[20, L.O_T_AIR_C] = math.nan
    assert _scan(raw, out) == (C.TEMPERATURE, 10, L.O_T_LIQ_C)
    out = _mutant(raw, 10, L.O_T_LIQ_C, 350.0)
    out[10, L.O_P_GRID_IMPORT_W] += 0.01 * _scale(raw)  # the step's balance opens too
    assert _scan(raw, out)[:2] == (C.BALANCE_STEP, 10)
