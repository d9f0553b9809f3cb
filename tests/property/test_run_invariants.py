"""Property tests: physical invariants over random valid scenarios.

Each test draws small scenarios (1 h step, a few days, random site, racks,
plant, PV, battery, faults) and checks an invariant that must hold for every
one of them. Example counts are fixed (the ``ci`` Hypothesis profile in
tests/conftest.py derandomises them) so the run time is bounded.
"""

from __future__ import annotations

import copy

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import twin
from twin import Scenario
from twin.results.result import Result
from twin.sim.engine import run_raw

from .checks import assert_kpis_physical, assert_not_more, assert_timeseries_physical
from .strategies import scenarios


@settings(max_examples=40)
@given(data=scenarios())
def test_every_run_is_physical(data):
    sc = Scenario.from_dict(data)
    r = twin.simulate(sc)
    assert_kpis_physical(r.kpis)
    b = sc.battery
    assert_timeseries_physical(
        r.timeseries, b.soc_min, b.soc_max, b.energy_mwh > 0 and b.power_mw > 0
    )


@settings(max_examples=20)
@given(data=scenarios(), extra_mwp=st.floats(1.0, 300.0, allow_nan=False))
def test_adding_pv_never_raises_grid_import(data, extra_mwp):
    base = twin.simulate(Scenario.from_dict(data))
    bigger = copy.deepcopy(data)
    bigger["pv"]["capacity_mwp"] += extra_mwp
    more = twin.simulate(Scenario.from_dict(bigger))
    assert more.kpis["it_energy_mwh"] >= base.kpis["it_energy_mwh"] - 1e-9
    # "at the same load": when supply is short, more PV serves load that was shed
    # (and imports for it), so the comparison needs both runs fully served
    assume(base.kpis["unmet_energy_mwh"] == 0.0 and more.kpis["unmet_energy_mwh"] == 0.0)
    assert_not_more(
        base.kpis["grid_import_mwh"], more.kpis["grid_import_mwh"], "grid import with more PV"
    )
    assert more.timeseries["p_pv_mw"].sum() >= base.timeseries["p_pv_mw"].sum()


def _run_with_weather(sc: Scenario, d_db_k: float = 0.0, d_wb_k: float = 0.0) -> Result:
    """Run *sc* with its weather made hotter (dry bulb) and more humid (wet bulb)."""
    from twin.sim import inputs as inputs_mod

    inp = inputs_mod.load_inputs(sc)
    t_db = inp.t_db_c + d_db_k
    t_wb = np.minimum(inp.t_wb_c + d_wb_k, t_db)
    hot = inputs_mod.Inputs(**{**inp.__dict__, "t_db_c": t_db, "t_wb_c": t_wb})
    return Result.from_raw(run_raw(sc, inputs=hot))


@settings(max_examples=20)
@given(
    data=scenarios(faults=False),
    d_db=st.floats(0.0, 8.0, allow_nan=False),
    d_wb=st.floats(0.0, 8.0, allow_nan=False),
)
def test_hotter_or_more_humid_weather_never_lowers_mechanical_cooling(data, d_db, d_wb):
    # ample supply so that nothing is shed and no IT trips: the same load in both runs
    data["grid"]["import_limit_mw"] = 1000.0
    sc = Scenario.from_dict(data)
    base = _run_with_weather(sc)
    hot = _run_with_weather(sc, d_db, d_wb)
    # a tripped or shed hall releases less heat: not the same load
    assume(base.kpis["unmet_energy_mwh"] == 0.0 and hot.kpis["unmet_energy_mwh"] == 0.0)
    ts0, ts1 = base.timeseries, hot.timeseries
    e_chiller = (ts0["p_chiller_mw"].sum(), ts1["p_chiller_mw"].sum())
    assert_not_more(e_chiller[1], e_chiller[0], "chiller energy in the cooler year")
    e_cooling = (ts0["p_cooling_mw"].sum(), ts1["p_cooling_mw"].sum())
    assert_not_more(e_cooling[1], e_cooling[0], "cooling energy in the cooler year")


@settings(max_examples=10)
@given(data=scenarios())
def test_same_scenario_gives_bit_identical_results(data):
    a = twin.simulate(Scenario.from_dict(data))
    b = twin.simulate(Scenario.from_dict(data))
    assert a.kpis == b.kpis
    np.testing.assert_array_equal(a.timeseries.to_numpy(), b.timeseries.to_numpy())
    assert a.events.equals(b.events)


@settings(max_examples=12)
@given(data=scenarios(), extra_mwp=st.floats(0.0, 50.0, allow_nan=False))
def test_a_scenario_alone_equals_the_same_scenario_in_a_batch(data, extra_mwp):
    from twin.sweeps.batch import run_batch

    sc = Scenario.from_dict(data)
    neighbour = copy.deepcopy(data)
    neighbour["pv"]["capacity_mwp"] += extra_mwp
    alone = twin.simulate(sc).kpis
    batch = run_batch([Scenario.from_dict(neighbour), sc, sc])
    assert batch[1].error == "" and batch[1].kpis == alone
    assert batch[2].kpis == alone
