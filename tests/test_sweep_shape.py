"""Sweeps shaped like the question: a grid has one dimension per varied key, a sampled
design one ``scenario`` dimension; ``twin.sweep`` has the real signature; the battery's
power can be tied to its energy (``battery.duration_h``)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import twin
from twin import KPI_NAMES, Scenario, simulate
from twin.sweeps.front import sweep

QUIET = {"grid_outages_per_year": 0.0, "chiller_failures_per_year": 0.0}


@pytest.fixture(scope="module")
def small() -> Scenario:
    return Scenario(simulation={"days": 3}, faults=QUIET)


def test_a_grid_has_one_dimension_per_varied_key_and_each_cell_is_its_run(small):
    vary = {"pv.capacity_mwp": [0.0, 40.0, 80.0], "battery.energy_mwh": [0.0, 60.0]}
    ds = twin.sweep(small, vary, progress=False)
    assert ds["pue"].dims == ("pv.capacity_mwp", "battery.energy_mwh")
    assert ds["pue"].shape == (3, 2) and "scenario" not in ds.dims
    np.testing.assert_array_equal(ds["pv.capacity_mwp"].values, [0.0, 40.0, 80.0])
    np.testing.assert_array_equal(ds["scenario"].values, [[0, 1], [2, 3], [4, 5]])
    cell = ds.sel({"pv.capacity_mwp": 40.0, "battery.energy_mwh": 60.0})
    alone = simulate(small.with_overrides(["pv.capacity_mwp=40.0", "battery.energy_mwh=60.0"])).kpis
    for name in KPI_NAMES:  # bit for bit: the same kernels in a sweep and alone
        assert float(cell[name]) == alone[name] or (
            np.isnan(float(cell[name])) and np.isnan(alone[name])
        ), name
    # more PV, less import, at either battery size
    imp = ds["grid_import_mwh"].values
    assert np.all(np.diff(imp, axis=0) < 0)


def test_a_sampled_design_keeps_one_scenario_dimension(small):
    vary = {"pv.capacity_mwp": [0.0, 80.0], "battery.energy_mwh": [0.0, 60.0]}
    ds = twin.sweep(small, vary, design="latin_hypercube", n=3, seed=2, progress=False)
    assert ds["pue"].dims == ("scenario",) and ds.sizes["scenario"] == 3
    assert ds["pv.capacity_mwp"].dims == ("scenario",)


def test_a_grid_with_a_repeated_value_stays_flat(small):
    ds = twin.sweep(small, {"pv.capacity_mwp": [0.0, 0.0]}, progress=False)
    assert ds["pue"].dims == ("scenario",)
    assert float(ds["pue"][0]) == float(ds["pue"][1])


def test_battery_duration_ties_power_to_energy(small):
    sc = small.with_overrides(["battery.duration_h=4", "battery.energy_mwh=100"])
    assert sc.battery.power_mw == 25.0
    # the tie survives a later change of energy (as in a sweep over energy)
    assert sc.with_overrides(["battery.energy_mwh=40"]).battery.power_mw == 10.0
    tied = twin.sweep(
        small.with_overrides(["battery.duration_h=4"]),
        {"battery.energy_mwh": [40.0, 100.0]},
        progress=False,
    )
    explicit = simulate(small.with_overrides(["battery.energy_mwh=100", "battery.power_mw=25"]))
    assert (
        float(tied["battery_cycles_efc"].sel({"battery.energy_mwh": 100.0}))
        == (explicit.kpis["battery_cycles_efc"])
    )
    assert (
        float(tied["grid_import_mwh"].sel({"battery.energy_mwh": 100.0}))
        == (explicit.kpis["grid_import_mwh"])
    )


def test_twin_sweep_has_the_real_signature_and_a_docstring():
    facade = inspect.signature(twin.sweep).parameters
    real = inspect.signature(sweep).parameters
    assert list(facade) == list(real)
    for name, p in real.items():
        assert (facade[name].kind, facade[name].default) == (p.kind, p.default), name
    doc = inspect.getdoc(twin.sweep)
    assert doc and "one dimension per varied key" in doc and "duration_h" in doc
