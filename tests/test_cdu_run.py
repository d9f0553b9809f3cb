"""The CDU temperature step in a run: the rack-coolant (TCS) supply column and KPI."""

from __future__ import annotations

import numpy as np
import pytest

import twin
from twin.scenario.model import Scenario


@pytest.fixture(scope="module")
def runs():
    """The default plant, one week, hourly: with the default CDU (3 K design approach)
    and with no exchanger (``cooling.cdu_approach_k = 0``)."""
    with_cdu = twin.simulate(Scenario(simulation={"days": 7}))
    without = twin.simulate(Scenario(simulation={"days": 7}, cooling={"cdu_approach_k": 0.0}))
    return with_cdu, without


def test_no_exchanger_is_the_facility_water_and_nothing_else_moves(runs):
    with_cdu, without = runs
    ts0 = without.timeseries
    np.testing.assert_array_equal(ts0["t_tcs_supply_c"], ts0["t_liquid_supply_c"])
    np.testing.assert_array_equal(ts0["t_tcs_supply_peak_c"], ts0["t_liquid_supply_peak_c"])
    # the exchanger is reported, it changes no other result
    for name, value in without.kpis.items():
        if name == "max_tcs_supply_c" or not isinstance(value, float):
            continue
        assert with_cdu.kpis[name] == value, name
    np.testing.assert_array_equal(
        with_cdu.timeseries["t_liquid_supply_c"], ts0["t_liquid_supply_c"]
    )


def test_rack_coolant_runs_one_part_load_approach_above_the_facility_water(runs):
    """Every step's load is below the loop's design load (design margin), so the approach
    lies between 0 and the 3 K design approach, and is above 0 while liquid IT runs."""
    with_cdu, _ = runs
    ts = with_cdu.timeseries
    approach = ts["t_tcs_supply_c"] - ts["t_liquid_supply_c"]
    it_on = ts["p_it_mw"] > 0.0
    assert (approach[it_on] > 0.0).all()
    assert (approach <= 3.0 + 1e-9).all()
    assert with_cdu.kpis["max_tcs_supply_c"] == pytest.approx(
        float(ts["t_tcs_supply_peak_c"].max()), rel=1e-12
    )
    assert with_cdu.kpis["max_tcs_supply_c"] > float(ts["t_liquid_supply_peak_c"].max())
