"""The one-pass KPI totals (kernels/kpisums.py) against the column-wise definitions
of docs/kpis.md, written out here with numpy on a random run."""

from __future__ import annotations

import numpy as np
import pytest

from kernels import layout as L
from kernels.kpisums import (
    N_PAR,
    P_DT_S,
    P_GENSET_UNIT_KW,
    P_STEPS_PER_HOUR,
    P_T_REC_HI_C,
    P_T_REC_LO_C,
    T_CFE_MATCHED_W,
    T_EXCURSION_STEPS,
    T_FUEL_L,
    T_IMPORT_CARBON_G,
    T_IMPORT_COST_MAD,
    T_LOAD_HOURLY_W,
    T_MARGINAL_CARBON_G,
    T_MAX_ABS_BALANCE_W,
    T_PPA_MATCHED_CARBON_G,
    T_PPA_MATCHED_KWH,
    T_PPA_MATCHED_MAD,
    T_PV_CURTAILED_W,
    T_VIOLATING_STEPS,
    T_WIND_DELIVERED_W,
    run_totals,
)
from tests.totals import GENSET, par_vector
from twin import Scenario
from twin.results.kpis import kpi_params
from twin.sim.compile import compile_scenario

DT_S = 900.0  # 15 min: four steps per hour, and 103 steps leave a partial last hour
N = 103


@pytest.fixture(scope="module")
def run():
    rng = np.random.default_rng(7)
    out = rng.uniform(0.0, 5e6, size=(N, L.N_OUT))
    out[:, L.O_P_WIND_W][::5] = 0.0
    out[:, L.O_P_PV_W][::7] = 0.0  # some steps with no renewable at all
    out[:, L.O_P_WIND_W][::7] = 0.0
    out[:, L.O_P_GENSET_W][::3] = 0.0
    out[:, L.O_T_AIR_C] = rng.uniform(10.0, 40.0, N)
    out[:, L.O_T_LIQ_C] = rng.uniform(20.0, 50.0, N)
    out[:, L.O_BALANCE_W] = rng.normal(0.0, 1.0, N)
    cf = rng.uniform(0.0, 1.0, N)
    carbon = rng.uniform(300.0, 800.0, N)
    price = rng.uniform(0.5, 1.5, N)
    ppa = rng.uniform(0.0, 4e6, N)
    tot = run_totals(
        out, cf, carbon, carbon, price, np.zeros(len(out)), ppa, par_vector(DT_S, 4, True)
    )
    return out, cf, carbon, price, ppa, tot


def test_column_sums(run):
    out, *_, tot = run
    np.testing.assert_allclose(tot[: L.N_OUT], out.sum(axis=0), rtol=1e-12)


def test_curtailment_split_between_pv_and_wind(run):
    out, *_, tot = run
    pv, wind, curt = out[:, L.O_P_PV_W], out[:, L.O_P_WIND_W], out[:, L.O_P_PV_CURTAILED_W]
    share = np.divide(pv, pv + wind, out=np.ones(N), where=pv + wind > 0)
    assert tot[T_PV_CURTAILED_W] == pytest.approx((curt * share).sum(), rel=1e-12)
    assert tot[T_WIND_DELIVERED_W] == pytest.approx((wind - curt * (1 - share)).sum(), rel=1e-12)


def test_hourly_cfe_ppa_carbon_and_cost(run):
    out, cf, carbon, price, ppa, tot = run
    load = out[:, [L.O_P_IT_W, L.O_P_UPS_LOSS_W, L.O_P_COOLING_W, L.O_P_XFMR_LOSS_W]].sum(axis=1)
    g2l = np.maximum(
        np.minimum(
            out[:, L.O_P_GRID_IMPORT_W] - out[:, L.O_P_BESS_CHARGE_GRID_W],
            load - out[:, L.O_P_PV_TO_LOAD_W] - out[:, L.O_P_BESS_DISCHARGE_W],
        ),
        0.0,
    )
    matched = np.minimum(ppa, g2l)
    clean = out[:, L.O_P_PV_TO_LOAD_W] + out[:, L.O_P_BESS_DIS_CFE_W] + (g2l - matched) * cf
    clean += matched
    hours = np.arange(N) // 4  # the 103rd step is the partial 26th hour
    load_h = np.bincount(hours, load)
    clean_h = np.bincount(hours, clean)
    assert tot[T_LOAD_HOURLY_W] == pytest.approx(load.sum(), rel=1e-12)
    assert tot[T_CFE_MATCHED_W] == pytest.approx(np.minimum(load_h, clean_h).sum(), rel=1e-12)
    kwh = out[:, L.O_P_GRID_IMPORT_W] * DT_S / 3.6e6
    assert tot[T_IMPORT_CARBON_G] == pytest.approx((kwh * carbon).sum(), rel=1e-12)
    assert tot[T_IMPORT_COST_MAD] == pytest.approx((kwh * price).sum(), rel=1e-12)
    m_kwh = matched * DT_S / 3.6e6
    assert tot[T_PPA_MATCHED_KWH] == pytest.approx(m_kwh.sum(), rel=1e-12)
    assert tot[T_PPA_MATCHED_MAD] == pytest.approx((m_kwh * price).sum(), rel=1e-12)


def test_market_and_marginal_carbon_totals(run):
    """Σ matched PPA [kWh] x average intensity; Σ (import - export - PPA) [kWh] x marginal
    factor, here a second random series (docs/kpis.md, co2_market_t and co2_marginal_t)."""
    out, cf, carbon, price, ppa, _ = run
    mef = np.random.default_rng(11).uniform(370.0, 820.0, N)
    slot = np.zeros(N)
    tot = run_totals(out, cf, carbon, mef, price, slot, ppa, par_vector(DT_S, 4, True))
    load = out[:, [L.O_P_IT_W, L.O_P_UPS_LOSS_W, L.O_P_COOLING_W, L.O_P_XFMR_LOSS_W]].sum(axis=1)
    g2l = np.maximum(
        np.minimum(
            out[:, L.O_P_GRID_IMPORT_W] - out[:, L.O_P_BESS_CHARGE_GRID_W],
            load - out[:, L.O_P_PV_TO_LOAD_W] - out[:, L.O_P_BESS_DISCHARGE_W],
        ),
        0.0,
    )
    m_kwh = np.minimum(ppa, g2l) * DT_S / 3.6e6
    assert tot[T_PPA_MATCHED_CARBON_G] == pytest.approx((m_kwh * carbon).sum(), rel=1e-12)
    net = out[:, L.O_P_GRID_IMPORT_W] - out[:, L.O_P_GRID_EXPORT_W] - ppa
    expect = (net * DT_S / 3.6e6 * mef).sum()
    assert tot[T_MARGINAL_CARBON_G] == pytest.approx(expect, rel=1e-10)


def test_genset_fuel_follows_the_homer_curve(run):
    out, *_, tot = run
    p_kw = out[:, L.O_P_GENSET_W] / 1e3
    rated = np.where(p_kw > 1e-6, np.ceil(p_kw / GENSET[0] - 1e-9) * GENSET[0], 0.0)
    rate = GENSET[2] * rated + GENSET[3] * np.maximum(p_kw, GENSET[1] * rated)
    assert tot[T_FUEL_L] == pytest.approx((rate * DT_S / 3600.0).sum(), rel=1e-12)


def test_envelope_counts_and_balance(run):
    out, *_, tot = run
    t_air, t_liq, it = out[:, L.O_T_AIR_C], out[:, L.O_T_LIQ_C], out[:, L.O_P_IT_W] > 0
    violating = (t_air > 32.0) | (t_liq > 45.0) | ((t_air < 15.0) & it)
    assert tot[T_VIOLATING_STEPS] == violating.sum()
    assert tot[T_EXCURSION_STEPS] == (((t_air < 18.0) | (t_air > 27.0)) & it).sum()
    assert tot[T_MAX_ABS_BALANCE_W] == np.abs(out[:, L.O_BALANCE_W]).max()


def test_no_ppa_and_a_single_step():
    out = np.zeros((1, L.N_OUT))
    out[0, L.O_P_IT_W] = 1e6
    out[0, L.O_P_GRID_IMPORT_W] = 1e6
    z = np.zeros(1)
    tot = run_totals(out, np.ones(1), z, z, z, z, np.zeros(0), par_vector(3600.0, 1, False))
    assert tot[T_CFE_MATCHED_W] == pytest.approx(1e6)  # all grid, all carbon-free
    assert tot[T_PPA_MATCHED_KWH] == 0.0
    assert tot[T_EXCURSION_STEPS] == 0.0  # no air-cooled group


def test_parameter_vector_of_a_scenario():
    sc = Scenario(simulation={"days": 1, "step": "15min"})
    par = kpi_params(sc, compile_scenario(sc))
    assert par.shape == (N_PAR,)
    assert par[P_DT_S] == 900.0 and par[P_STEPS_PER_HOUR] == 4
    assert (par[P_T_REC_LO_C], par[P_T_REC_HI_C]) == (18.0, 27.0)  # ASHRAE recommended
    assert par[P_GENSET_UNIT_KW] == sc.genset.unit_mw * 1e3
