"""Cost table and levelised costs."""

from __future__ import annotations

import pytest

import twin
from twin import Scenario
from twin.results.capex import capex_by_component
from twin.results.economics import cost_table, crf, levelisation_factor
from twin.scenario.finance import WACC_CONCESSIONAL


def test_capital_recovery_factor_textbook_values():
    # i = 10 %, n = 10 yr: 0.16275 (standard annuity tables)
    assert crf(0.10, 10) == pytest.approx(0.162745, rel=1e-5)
    assert crf(0.0, 20) == pytest.approx(0.05)


def test_pv_only_lcoe_follows_the_cost_table():
    """On-site LCOE = (CRF(i, N) x (capex - PV of salvage) + LF x O&M) / levelised
    delivered energy; PV life 30 yr > N = 20 yr leaves 10/30 of the plant at N; the
    delivered energy falls 0.5 %/yr (Jordan & Kurtz), discounted like the costs."""
    sc = Scenario(
        site={"id": "ouarzazate"},
        simulation={"days": 7},
        pv={"capacity_mwp": 50.0},
        battery={"energy_mwh": 0.0},
        genset={"capacity_mw": 0.0},
        faults={"grid_outages_per_year": 0.0},
    )
    k = twin.simulate(sc).kpis
    t = cost_table()
    fin = sc.finance
    fx, i, n = t["finance"]["usd_to_mad"], fin.wacc, fin.analysis_years
    lev = levelisation_factor(i, fin.escalation_frac_per_yr, n)
    kw = 50e3
    capex = kw * t["pv"]["capex_usd_per_kw"] * fx
    salvage = capex * (10.0 / 30.0) / (1 + i) ** n
    annual = crf(i, n) * (capex - salvage) + kw * t["pv"]["opex_usd_per_kw_yr"] * fx * lev
    # delivered energy: generation less curtailment, fading 0.5 %/yr
    mwh_yr = (k["pv_energy_mwh"] - k["pv_curtailed_mwh"]) * 365 / 7
    levelised = crf(i, n) * sum((1 - 0.005 * (y - 1)) / (1 + i) ** y for y in range(1, n + 1))
    assert capex_by_component(sc)["pv"] == pytest.approx(capex)
    assert k["lcoe_onsite_mad_per_mwh"] == pytest.approx(annual / (mwh_yr * levelised), rel=1e-9)
    # utility PV in Morocco: a few hundred MAD/MWh (Noor IV PPA 460 MAD/MWh)
    assert 150 < k["lcoe_onsite_mad_per_mwh"] < 700
    assert k["cost_per_mwh_mad"] > 0


def test_levelisation_factor_by_hand():
    """No escalation: LF = 1. Escalation equal to the discount rate: every discounted
    term is 1 / (1 + i), so LF = CRF(i, N) N / (1 + i); at i = 8.2 %, N = 20:
    1.082^20 = 4.8369, CRF = 0.082 x 4.8369 / 3.8369 = 0.10337, LF = 0.10337 x 20 /
    1.082 = 1.911."""
    assert levelisation_factor(0.082, 0.0, 20) == pytest.approx(1.0)
    lf = levelisation_factor(0.082, 0.082, 20)
    assert lf == pytest.approx(crf(0.082, 20) * 20 / 1.082, rel=1e-12)
    assert lf == pytest.approx(1.911, abs=1e-3)


def test_total_cost_and_cost_per_it_mwh():
    """total = annualised capex + levelised (O&M + fuel + grid bill + water), per year;
    per IT MWh divides it by the IT energy per year; water is m3 x 16.48 MAD/m3."""
    sc = Scenario(simulation={"days": 7}, faults={"grid_outages_per_year": 0.0})
    k = twin.simulate(sc).kpis
    assert k["water_cost_mad"] == pytest.approx(k["water_m3"] * 16.48)
    assert k["cost_per_it_mwh_mad"] == pytest.approx(
        k["total_cost_mad_per_yr"] / (k["it_energy_mwh"] * 365 / 7), rel=1e-12
    )
    assert k["cost_per_mwh_mad"] == pytest.approx(
        k["total_cost_mad_per_yr"] / (k["facility_energy_mwh"] * 365 / 7), rel=1e-12
    )
    # the grid bill alone, levelised, is part of the total
    lev = levelisation_factor(0.082, 0.021, 20)
    assert k["total_cost_mad_per_yr"] > k["energy_cost_mad"] * 365 / 7 * lev
    cheap = twin.simulate(
        sc.model_copy(update={"finance": sc.finance.model_copy(update={"wacc": WACC_CONCESSIONAL})})
    ).kpis
    assert cheap["total_cost_mad_per_yr"] < k["total_cost_mad_per_yr"]
