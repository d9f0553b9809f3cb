"""Carbon three ways (twin/results/carbon.py, weather/grid.py): the basis factors, the
marginal profile's merit order, and a day with a known mix and PPA computed by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from kernels import layout as L
from kernels.kpisums import T_MARGINAL_CARBON_G, T_PPA_MATCHED_CARBON_G, run_totals
from tests.totals import par_vector
from twin import KPI_NAMES, Scenario, simulate
from twin.errors import ScenarioError
from twin.results.carbon import carbon_kpis, diesel_lifecycle_ratio, genset_co2_kg
from twin.sweeps.batch import run_batch
from twin.sweeps.chunks import make_scenario
from twin.sweeps.design import plan
from weather.grid import _generation, basis_scale, grid_data, marginal_profile


def test_diesel_combustion_factor_is_the_ipcc_2006_arithmetic():
    """IPCC 2006 Vol. 2: NCV 43.0 TJ/Gg (Table 1.2), 74,100 kg CO2 + 3 kg CH4 + 0.6 kg N2O
    per TJ (Table 2.2), GWP100 28 and 265 (AR5), 0.84 kg/L:
    43.0 x 0.84 = 36.12 MJ/L; 74.1 + 0.084 + 0.159 = 74.343 g/MJ; 36.12 x 74.343 g
    = 2.6853 kg/L. Life-cycle adds 0.62665 kg/L upstream: ratio 3.31165 / 2.685 = 1.23339."""
    d = grid_data()["diesel"]
    assert d["combustion_kg_per_l"] == pytest.approx(43.0 * 0.84 * 74.343e-3, abs=5e-4)
    assert diesel_lifecycle_ratio("lifecycle") == pytest.approx(3.31165 / 2.685, rel=1e-5)
    assert diesel_lifecycle_ratio("combustion") == 1.0
    sc = Scenario(simulation={"days": 1})
    # 100 L on the fuel curve: 268.5 kg burnt + 62.665 kg upstream = 331.165 kg
    assert genset_co2_kg(sc, 100.0, 0.0) == pytest.approx(331.165, rel=1e-9)
    sc_c = Scenario(simulation={"days": 1}, grid={"carbon_basis": "combustion"})
    assert genset_co2_kg(sc_c, 100.0, 0.0) == pytest.approx(268.5, rel=1e-9)


def test_combustion_basis_scales_the_mix_by_the_direct_to_lifecycle_ratio():
    """Shares of demand of the national 2024 year (ANRE: production mix x 0.9562 of
    demand, the rest imports): coal 0.60, gas 0.10, fuel oil 0.03, wind 0.21, solar
    0.04, hydro 0.02 of production. Life-cycle 0.9562 x (0.60 x 820 + 0.10 x 490 +
    0.03 x 982 + 0.21 x 11 + 0.04 x 48 + 0.02 x 24) + 0.0438 x 150 = 556.6 g/kWh;
    direct 0.9562 x (0.60 x 760 + 0.10 x 370 + 0.03 x 796) + 0.0438 x 113 = 499.2;
    ratio 0.8969 (the month x hour cells weigh the hours nearly alike: 1e-3)."""
    p = 0.9562
    life = p * (0.60 * 820 + 0.10 * 490 + 0.03 * 982 + 0.21 * 11 + 0.04 * 48 + 0.02 * 24)
    life += (1 - p) * 150
    direct = p * (0.60 * 760 + 0.10 * 370 + 0.03 * 796) + (1 - p) * 113
    assert basis_scale("combustion") == pytest.approx(direct / life, rel=1e-3)
    assert basis_scale("lifecycle") == 1.0


def test_marginal_unit_follows_the_coal_then_gas_merit_order():
    """The national year's fossil fleet runs in the merit order coal, gas, fuel oil,
    each up to the level of the residual that gives it its 2024 share: every hour's
    marginal factor is one of the three; the month x hour cells are means of them; the
    night trough (January 03:00, no sun, lowest demand) has coal at the margin in
    every hour, the summer evening peak (August 21:00) fuel oil, and a cell with a
    larger mean residual never has a smaller share of gas-or-oil hours than coal's."""
    from weather.national_grid import national_grid

    nat = national_grid()
    assert set(np.unique(nat.marginal_g_per_kwh)) == {490.0, 820.0, 982.0}
    mef = marginal_profile("lifecycle")
    assert mef[0, 3] == 820.0 and mef[7, 21] == 982.0
    assert np.all((mef >= 490.0) & (mef <= 982.0))
    res = _generation(None)["residual"]
    coal_cells = res[mef == 820.0]
    assert coal_cells.max() < res[mef == 982.0].min()
    c, _g = nat.levels_mw
    fossil = nat.residual_mw
    assert np.minimum(fossil, c).sum() == pytest.approx(nat.gen_mw["coal"].sum(), rel=1e-9)
    comb = national_grid(None, "combustion")
    assert set(np.unique(comb.marginal_g_per_kwh)) == {370.0, 760.0, 796.0}


def _day(certificates_mwh_per_yr: float):
    """24 hourly steps: IT 10 MW from the grid every hour; average intensity 600 g/kWh
    for hours 0-11 and 400 for 12-23; marginal factor 820 (coal) for hours 0-5 and
    490 (gas) after; a 4 MW PPA delivering in hours 8-17 (all matched: grid to load
    is 10 MW)."""
    out = np.zeros((24, L.N_OUT))
    out[:, L.O_P_IT_W] = 10e6
    out[:, L.O_P_GRID_IMPORT_W] = 10e6
    avg = np.where(np.arange(24) < 12, 600.0, 400.0)
    mef = np.where(np.arange(24) < 6, 820.0, 490.0)
    ppa = np.where((np.arange(24) >= 8) & (np.arange(24) < 18), 4e6, 0.0)
    z = np.zeros(24)
    tot = run_totals(out, z, avg, mef, z, z - 1.0, ppa, par_vector(3600.0, 1, False))
    sc = Scenario(simulation={"days": 1}, ppa={"certificates_mwh_per_yr": certificates_mwh_per_yr})
    energies = {"it": 240.0, "facility": 240.0, "renewable": 0.0}
    return tot, carbon_kpis(sc, tot, 3600.0, 1.0 / 365.0, 0.0, energies)


def test_a_day_with_known_mix_ppa_and_certificates_by_hand():
    """By hand (10 MWh an hour, 240 MWh in the day):
    location: 12 x 10,000 kWh x 600 g + 12 x 10,000 x 400 = 72 t + 48 t = 120 t;
    matched PPA: 4 h x 4,000 kWh x 600 g + 6 h x 4,000 x 400 = 9.6 + 9.6 = 19.2 t;
    certificates 7,300 MWh/yr x 1/365 yr = 20 MWh;
    market: (120 - 19.2) t x (1 - 20 / (240 - 40)) = 100.8 x 0.9 = 90.72 t;
    marginal: 6 h x 10,000 x 820 + 2 h x 10,000 x 490 + 10 h x 6,000 x 490
    + 6 h x 10,000 x 490 = 49.2 + 9.8 + 29.4 + 29.4 = 117.8 t;
    CUE 120 t / 240 MWh = 0.5 kg/kWh, market 90.72 / 240 = 0.378 kg/kWh;
    REF (0 on site + 40 MWh PPA + 20 MWh certificates) / 240 MWh = 0.25."""
    tot, k = _day(7300.0)
    assert tot[T_PPA_MATCHED_CARBON_G] == pytest.approx(19.2e6, rel=1e-12)
    assert tot[T_MARGINAL_CARBON_G] == pytest.approx(117.8e6, rel=1e-12)
    assert k["co2_t"] == pytest.approx(120.0, rel=1e-12)
    assert k["certificates_mwh"] == pytest.approx(20.0, rel=1e-12)
    assert k["co2_market_t"] == pytest.approx(90.72, rel=1e-12)
    assert k["co2_marginal_t"] == pytest.approx(117.8, rel=1e-12)
    assert k["cue_kg_per_kwh"] == pytest.approx(0.5, rel=1e-12)
    assert k["cue_market_kg_per_kwh"] == pytest.approx(0.378, rel=1e-12)
    assert k["renewable_energy_factor"] == pytest.approx(0.25, rel=1e-12)


def test_certificates_are_capped_at_the_uncovered_import():
    """100,000 MWh/yr is 274 MWh in a day, above the 200 MWh the PPA leaves: the market
    figure falls to the genset's (0 here) and REF to (40 + 200) / 240 = 1."""
    _, k = _day(100_000.0)
    assert k["certificates_mwh"] == pytest.approx(200.0)
    assert k["co2_market_t"] == pytest.approx(0.0, abs=1e-9)
    assert k["renewable_energy_factor"] == pytest.approx(1.0)
    assert k["co2_t"] == pytest.approx(120.0)  # location-based: instruments change nothing


def test_bad_basis_and_negative_certificates_name_the_field():
    with pytest.raises(ScenarioError, match="carbon_basis"):
        Scenario(grid={"carbon_basis": "marginal"})
    with pytest.raises(ScenarioError, match="certificates_mwh_per_yr"):
        Scenario(ppa={"certificates_mwh_per_yr": -1.0})


# -- whole runs: the step table and sweeps give the same numbers --------------------------
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def base() -> Scenario:
    """The default hall over 3 days with 50,000 MWh/yr of certificates of origin."""
    return Scenario.from_toml(REPO / "examples" / "default.toml").with_overrides(
        ["simulation.days=3", "ppa.certificates_mwh_per_yr=50000"]
    )


def test_a_run_recomputes_from_its_step_table(base):
    """co2_t = Σ import [MWh] x average [g/kWh] / 1e3 and, with no PPA, co2_marginal_t =
    Σ (import - export) [MWh] x marginal [g/kWh] / 1e3 (+ genset, none without
    outages); certificates: 50,000 MWh/yr x 3/365 yr = 410.96 MWh; market =
    co2_t x (1 - 410.96 / import)."""
    r = simulate(base)
    k, ts = r.kpis, r.timeseries
    imp, exp = ts["p_grid_import_mw"], ts["p_grid_export_mw"]
    assert k["genset_co2_t"] == 0.0
    assert k["co2_t"] == pytest.approx((imp * ts["carbon_g_per_kwh"]).sum() / 1e3, rel=1e-9)
    marginal = ((imp - exp) * ts["carbon_marginal_g_per_kwh"]).sum() / 1e3
    assert k["co2_marginal_t"] == pytest.approx(marginal, rel=1e-9)
    cert = 50_000.0 * 3 / 365
    assert k["certificates_mwh"] == pytest.approx(cert, rel=1e-9)
    share = 1.0 - cert / k["grid_import_mwh"]
    assert k["co2_market_t"] == pytest.approx(k["co2_t"] * share, rel=1e-9)
    assert k["cue_kg_per_kwh"] == pytest.approx(k["co2_t"] / k["it_energy_mwh"], rel=1e-12)
    # month x hour means of the hourly marginal units (gas 490, coal 820, fuel oil 982)
    mef = ts["carbon_marginal_g_per_kwh"]
    assert mef.min() >= 490.0 and mef.max() <= 982.0


def test_sweep_gives_the_single_run_numbers(base):
    """Both bases, with and without a wind PPA: every KPI of the batch equals the single
    run's, bit for bit (the marginal factor travels in the supply signals)."""
    rows = plan({"grid.carbon_basis": ["lifecycle", "combustion"], "ppa.capacity_mw": [0.0, 20.0]})
    scenarios = [make_scenario(base, r) for r in rows]
    for sc, o in zip(scenarios, run_batch(scenarios)):
        assert o.error == "" and o.kpis is not None
        alone = simulate(sc).kpis
        for name in KPI_NAMES:
            a, b = o.kpis[name], alone[name]
            assert a == b or (math.isnan(a) and math.isnan(b)), (name, a, b)
        if sc.ppa.capacity_mw > 0:
            assert alone["co2_market_t"] < alone["co2_t"] - 1.0
            assert alone["renewable_energy_factor"] > alone["renewable_fraction"]
