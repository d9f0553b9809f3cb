"""``cooling.water_source``: the make-up water's energy is in the campus's load and balance."""

from __future__ import annotations

import pytest

import twin
from twin import Scenario
from twin.errors import ScenarioError
from twin.scenario.cooling import WATER_ENERGY_KWH_PER_M3


@pytest.fixture(scope="module")
def runs():
    """Two summer days of the default hall on water-cooled chillers and towers, once on
    the grid's water and once on desalinated water."""
    base = Scenario(simulation={"days": 2, "start": "2023-07-10"})
    grid = twin.simulate(base)
    desal = twin.simulate(base.with_overrides(['cooling.water_source="desalination"']))
    return grid, desal


def test_desalination_adds_water_times_3_5_kwh_per_m3(runs):
    """SWRO at 3.5 kWh/m³: facility, cooling and grid energy rise by water x 3.5 kWh;
    the water itself and the IT energy do not change (the step loop's energy balance
    is checked by every run)."""
    grid, desal = runs
    k0, k1 = grid.kpis, desal.kpis
    assert k0["water_m3"] > 0
    assert k1["water_m3"] == pytest.approx(k0["water_m3"], rel=1e-6)
    added_mwh = k1["water_m3"] * 3.5 / 1e3
    assert k1["facility_energy_mwh"] - k0["facility_energy_mwh"] == pytest.approx(
        added_mwh, rel=1e-3
    )
    assert k1["cooling_energy_mwh"] - k0["cooling_energy_mwh"] == pytest.approx(added_mwh, rel=1e-3)
    assert k1["it_energy_mwh"] == pytest.approx(k0["it_energy_mwh"], rel=1e-9)
    assert abs(k1["energy_balance_error"]) < 1e-6


def test_sources_and_their_defaults():
    assert WATER_ENERGY_KWH_PER_M3 == {"grid": 0.0, "desalination": 3.5, "treated_wastewater": 0.5}
    with pytest.raises(ScenarioError, match="water_source"):
        Scenario(cooling={"water_source": "river"})
    with pytest.raises(ScenarioError, match="water_energy_kwh_per_m3"):
        Scenario(cooling={"water_energy_kwh_per_m3": -1.0})
