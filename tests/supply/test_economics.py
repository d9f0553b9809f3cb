"""Cost table and levelised costs."""

from __future__ import annotations

import pytest

import twin
from twin import Scenario
from twin.results.economics import cost_table, crf


def test_capital_recovery_factor_textbook_values():
    # i = 10 %, n = 10 yr: 0.16275 (standard annuity tables)
    assert crf(0.10, 10) == pytest.approx(0.162745, rel=1e-5)
    assert crf(0.0, 20) == pytest.approx(0.05)


def test_pv_only_lcoe_follows_the_cost_table():
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
    fx, i = t["finance"]["usd_to_mad"], t["finance"]["wacc"]
    kw = 50e3
    annual = (
        kw * t["pv"]["capex_usd_per_kw"] * fx * crf(i, t["pv"]["life_yr"])
        + kw * t["pv"]["opex_usd_per_kw_yr"] * fx
    )
    mwh_yr = k["pv_energy_mwh"] * 365 / 7
    assert k["capex_mad"] == pytest.approx(kw * t["pv"]["capex_usd_per_kw"] * fx)
    assert k["lcoe_onsite_mad_per_mwh"] == pytest.approx(annual / mwh_yr, rel=1e-9)
    # utility PV in Morocco: a few hundred MAD/MWh (Noor IV PPA 460 MAD/MWh)
    assert 150 < k["lcoe_onsite_mad_per_mwh"] < 700
    assert k["cost_per_mwh_mad"] > 0
