"""Total cost of ownership: replacements, salvage, a hand TCO, NPV and payback against the
grid-only baseline (twin.results.capex, costdata, economics, tco)."""

from __future__ import annotations

import math

import pytest

import twin
from twin import Scenario
from twin.results.capex import capex_by_component
from twin.results.economics import cost_breakdown, economics_kpis
from twin.results.tco import cash_flows, grid_only
from twin.sim.costdata import (
    crf,
    degradation_factors,
    replacement_years,
    salvage_frac,
)

SIZES = {"chiller_kw": 1000.0, "heat_kw": 800.0, "liquid_kw": 0.0}


def test_replacement_timing_and_salvage_homer():
    """HOMER: replaced at R, 2R, ... < N; at N the last unit keeps R - (N - R floor(N/R))."""
    assert replacement_years(7.4, 20) == pytest.approx([7.4, 14.8])
    assert salvage_frac(7.4, 20) == pytest.approx((7.4 - (20 - 14.8)) / 7.4)  # 2.2 / 7.4
    assert replacement_years(15.0, 20) == [15.0]
    assert salvage_frac(15.0, 20) == pytest.approx(10.0 / 15.0)
    assert replacement_years(20.0, 20) == []  # due at N: not bought
    assert salvage_frac(20.0, 20) == 0.0
    assert replacement_years(30.0, 20) == []
    assert salvage_frac(30.0, 20) == pytest.approx(1.0 / 3.0)
    assert salvage_frac(10.0, 20) == 0.0 and replacement_years(10.0, 20) == [10.0]


def test_battery_is_replaced_when_its_wear_model_says():
    """A battery worn out in 7.4 yr (the wear model's life) is bought again at 7.4 and
    14.8 yr of a 20-yr analysis, and 2.2 / 7.4 of the last one is salvaged."""
    sc = Scenario(battery={"energy_mwh": 10.0, "power_mw": 5.0})
    i = sc.finance.wacc
    b = cost_breakdown(sc, {"battery_life_yr": 7.4}, 1.0, SIZES)
    c = b["capex"]["battery"]
    assert c == pytest.approx((10e3 * 165 + 5e3 * 100) * 10.0)
    cap = b["capital"]["battery"]
    assert cap["replacements"] == pytest.approx(c / (1 + i) ** 7.4 + c / (1 + i) ** 14.8)
    assert cap["salvage"] == pytest.approx(c * 2.2 / 7.4 / (1 + i) ** 20)
    # the table life (15 yr) caps a battery the wear model would keep longer
    long = cost_breakdown(sc, {"battery_life_yr": 40.0}, 1.0, SIZES)["capital"]["battery"]
    assert long["replacements"] == pytest.approx(c / (1 + i) ** 15)
    assert cap["total"] > long["total"]


def test_hand_tco_of_a_small_campus():
    """1 MWp of PV, water-cooled chillers of 1,000 kW, a 1 MW connection at cos phi 0.99;
    i = 10 %, no escalation, N = 10 yr, no PV degradation. By hand (MAD, 10 MAD/USD):

    capex: PV 1,000 kW x 758 = 7,580,000; chillers 1,000 x 82.5 = 825,000; towers
    1,000 x 25.6 = 256,000; grid 1,010.1 kVA x 60 = 606,060.6.
    salvage at N (life 30, 20, 20, 40 yr): 20/30, 10/20, 10/20, 30/40 of each, / 1.1^10.
    O&M per year: PV 1,000 x 11 = 110,000; chillers and towers 2 % = 21,620.
    bill 1,000,000 and water 1,000 m3 x 16.48 per year (LF = 1 at g = 0).
    total = CRF(10 %, 10) x (capex - salvage) + O&M + bill + water."""
    sc = Scenario(
        pv={"capacity_mwp": 1.0, "degradation_frac_per_year": 0.0},
        battery={"energy_mwh": 0.0, "power_mw": 0.0},
        genset={"capacity_mw": 0.0},
        grid={"import_limit_mw": 1.0},
        finance={"wacc": 0.10, "escalation_frac_per_yr": 0.0, "analysis_years": 10},
    )
    kp = {"energy_cost_mad": 1e6, "water_m3": 1000.0, "pv_energy_mwh": 1800.0}
    k = economics_kpis(sc, kp, 1.0, SIZES)
    capex = {"pv": 7_580_000.0, "ch": 825_000.0, "tw": 256_000.0, "grid": 1e3 / 0.99 * 600}
    salv = (capex["pv"] * 2 / 3 + (capex["ch"] + capex["tw"]) / 2 + capex["grid"] * 0.75) / 1.1**10
    om = 110_000.0 + 0.02 * (capex["ch"] + capex["tw"])
    total = crf(0.10, 10) * (sum(capex.values()) - salv) + om + 1e6 + 16_480.0
    assert k["capex_mad"] == pytest.approx(sum(capex.values()), rel=1e-12)
    assert k["capex_cooling_mad"] == pytest.approx(capex["ch"] + capex["tw"], rel=1e-12)
    assert k["salvage_mad"] == pytest.approx(salv, rel=1e-12)
    assert k["replacement_mad"] == 0.0
    assert k["total_cost_mad_per_yr"] == pytest.approx(total, rel=1e-12)
    assert crf(0.10, 10) == pytest.approx(0.162745, rel=1e-5)


def test_pv_degradation_lowers_the_levelised_energy():
    """0.5 %/yr over 20 yr at 8.2 %: the levelised energy is CRF x sum (1 - d(t-1))/1.082^t
    of the first year's (below 1), and the lost energy is bought at an escalating price."""
    e, lost = degradation_factors(0.082, 0.021, 20, 0.005)
    c = crf(0.082, 20)
    assert e == pytest.approx(c * sum((1 - 0.005 * (t - 1)) / 1.082**t for t in range(1, 21)))
    assert 0.95 < e < 1.0
    assert lost == pytest.approx(
        c * sum(0.005 * (t - 1) * 1.021 ** (t - 1) / 1.082**t for t in range(1, 21))
    )
    assert degradation_factors(0.082, 0.021, 20, 0.0) == (pytest.approx(1.0), 0.0)


def test_grid_only_baseline_keeps_everything_but_the_onsite_supply():
    sc = Scenario.from_toml("examples/casablanca_nouaceur.toml")
    base = grid_only(sc)
    assert base.pv.capacity_mwp == 0 and base.wind.capacity_mw == 0
    assert base.battery.energy_mwh == 0 and base.battery.power_mw == 0
    assert base.ppa.capacity_mw == 0 and base.ppa.certificates_mwh_per_yr == 0
    assert base.it == sc.it and base.cooling == sc.cooling and base.grid == sc.grid
    assert base.genset == sc.genset and base.faults == sc.faults
    assert base.finance == sc.finance and base.site == sc.site
    cap, cap_b = capex_by_component(sc), capex_by_component(base)
    for k in ("genset", "chillers", "heat_rejection", "cdus", "grid_connection"):
        assert cap[k] == cap_b[k]


def test_npv_is_the_difference_of_net_present_costs_and_payback_interpolates():
    """NPV = (total_base - total_design) / CRF(i, N). With a flat saving S and no
    replacements the discounted payback solves S (1 - 1.1^-T) / 0.1 = capex, T =
    -ln(1 - 0.1 capex / S) / ln 1.1 (linear within a year: within 0.05 yr)."""
    sc = Scenario(
        pv={"capacity_mwp": 1.0, "degradation_frac_per_year": 0.0},
        battery={"energy_mwh": 0.0, "power_mw": 0.0},
        finance={"wacc": 0.10, "escalation_frac_per_yr": 0.0, "analysis_years": 25},
    )
    base_sc = grid_only(sc)
    kd = {"energy_cost_mad": 2.0e6, "battery_life_yr": 0.0}
    kb = {"energy_cost_mad": 3.5e6}
    d = cost_breakdown(sc, kd, 1.0, SIZES)
    b = cost_breakdown(base_sc, kb, 1.0, SIZES)
    f = cash_flows(sc, d, b)
    assert f["npv"] == pytest.approx((b["total"] - d["total"]) / crf(0.10, 25), rel=1e-9)
    extra = d["capex"]["pv"]
    saving = 1.5e6 - d["om"]["pv"]
    expect = -math.log(1 - 0.1 * extra / saving) / math.log(1.1)
    assert f["payback_yr"] == pytest.approx(expect, abs=0.05)
    # a design that only costs more never pays back
    worse = cost_breakdown(sc, {"energy_cost_mad": 3.6e6}, 1.0, SIZES)
    assert cash_flows(sc, worse, b)["payback_yr"] == math.inf


def test_a_whole_run_reports_the_tco_kpis():
    sc = Scenario(simulation={"days": 7}, faults={"grid_outages_per_year": 0.0})
    k = twin.simulate(sc).kpis
    parts = capex_by_component(sc)
    assert k["capex_mad"] == pytest.approx(sum(parts.values()), rel=1e-12)
    assert k["capex_cooling_mad"] == pytest.approx(
        parts["chillers"] + parts["heat_rejection"] + parts["cdus"], rel=1e-12
    )
    assert k["capex_grid_connection_mad"] == pytest.approx(parts["grid_connection"])
    assert k["capex_cooling_mad"] > 0 and k["salvage_mad"] > 0
