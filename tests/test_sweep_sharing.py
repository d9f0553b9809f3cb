"""Scenarios of a batch that share their demand half (kernels.memo, twin.sweeps.sharing).

A sweep over the supply lets one scenario record the demand half of its steps and the
others replay it where their own key matches bit for bit. Whatever the supply does to
the hall (outages that a grid-forming battery carries in one scenario and not in
another, an islanded plant without battery, a policy that charges from the grid), every
scenario's step table, KPIs and kernel calls must be those of the batch without sharing,
bit for bit, and so those of ``twin run``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from twin import KPI_NAMES, Scenario, simulate
from twin.sweeps import sharing
from twin.sweeps.arrays import BufferPool, stack
from twin.sweeps.batch import run_batch
from twin.sweeps.front import sweep
from twin.sweeps.prepare import InputCache, prepare

# outages, chiller failures and PV x battery x policy x grid: the supply feeds back on
# the hall in some scenarios and not in others
BASE = [
    "simulation.days=20",
    "faults.grid_outages_per_year=150",
    "faults.grid_outage_mean_h=3",
    "faults.chiller_failures_per_year=40",
]
SUPPLY = [
    [],
    ["pv.capacity_mwp=0", "battery.energy_mwh=0"],
    ["pv.capacity_mwp=80", "battery.energy_mwh=200", "battery.power_mw=60"],
    ["battery.grid_forming=false", "genset.capacity_mw=0"],
    ["power.dispatch=tou_arbitrage", "battery.energy_mwh=120", "battery.power_mw=40"],
    ["power.dispatch=peak_shaving", "battery.energy_mwh=80", "grid.import_limit_mw=45"],
    ["ups.carries_cooling=true", "genset.start_delay_s=120"],
    ["wind.capacity_mw=30", "pv.capacity_mwp=10"],
]


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    base = Scenario().with_overrides(BASE)
    return [base.with_overrides(s) for s in SUPPLY]


def _outcomes(scenarios, share: bool, monkeypatch):
    monkeypatch.setattr(sharing, "SHARE", share)
    return run_batch(scenarios, timeseries=True)


def test_supply_scenarios_form_one_group_and_a_cooling_change_leaves_it(scenarios):
    cache = InputCache()
    cooled = scenarios[0].with_overrides(["cooling.liquid.t_supply_c=28"])
    b = stack([prepare(sc, cache) for sc in [*scenarios, cooled]])
    found = sharing.groups_of(b.plant, b.loops, b.groups, b.inp_idx, (b.t_db_c, b.t_wb_c))
    assert sorted(found.values(), key=len, reverse=True) == [
        list(range(len(scenarios))),
        [len(scenarios)],
    ]
    assert b.memo_mode[0] == 1 and set(b.memo_mode[1 : len(scenarios)]) == {2}
    assert b.memo_mode[len(scenarios)] == 0


def test_shared_and_unshared_batches_agree_bit_for_bit(scenarios, monkeypatch):
    shared = _outcomes(scenarios, True, monkeypatch)
    alone = _outcomes(scenarios, False, monkeypatch)
    differs_from_first = False
    for a, b in zip(shared, alone, strict=True):
        assert a.error == "" and b.error == ""
        pd.testing.assert_frame_equal(a.series, b.series, check_exact=True)
        assert a.kernel_calls == b.kernel_calls
        for name in KPI_NAMES:
            x, y = a.kpis[name], b.kpis[name]
            assert x == y or (np.isnan(x) and np.isnan(y)), name
        first = shared[0].series
        differs_from_first |= not a.series["t_inlet_c"].equals(first["t_inlet_c"])
    # the supply did feed back on the hall somewhere: replay had to fall back
    assert differs_from_first


def test_a_shared_scenario_equals_twin_run(scenarios, monkeypatch):
    shared = _outcomes(scenarios[:4], True, monkeypatch)
    for sc, o in zip(scenarios[:4], shared, strict=True):
        assert o.error == ""
        alone = simulate(sc)
        for name in KPI_NAMES:
            x, y = o.kpis[name], alone.kpis[name]
            assert x == y or (np.isnan(x) and np.isnan(y)), name


def test_a_later_batch_of_a_sweep_replays_the_memo_an_earlier_one_recorded(scenarios):
    cache = InputCache()
    pool = BufferPool()
    first = stack([prepare(sc, cache) for sc in scenarios[:3]], pool)
    assert list(first.memo_mode) == [1, 2, 2]
    later = stack([prepare(sc, cache) for sc in scenarios[3:5]], pool)
    assert list(later.memo_mode) == [2, 2]  # none records again
    assert np.shares_memory(later.memo, first.memo)


def test_a_sweep_in_chunks_gives_the_same_dataset_with_and_without_sharing(monkeypatch):
    base = Scenario().with_overrides(BASE)
    vary = {"pv.capacity_mwp": [0.0, 70.0], "battery.energy_mwh": [0.0, 120.0]}
    got = {}
    for share in (True, False):
        monkeypatch.setattr(sharing, "SHARE", share)
        got[share] = sweep(base, vary, design="latin_hypercube", n=7, seed=3, chunk_size=2,
                           progress=False)  # fmt: skip
    for name in got[True].data_vars:
        a, b = got[True][name].values, got[False][name].values
        if a.dtype.kind == "f":
            assert np.array_equal(a, b, equal_nan=True), name


def test_the_post_pass_copies_a_demand_result_only_where_its_inputs_match(scenarios):
    """The first scenario of a memo group computes the ride-through and hall dew point;
    the others copy them only where the output columns, tanks, moisture parameters and
    outdoor air these passes read are the same bit for bit. A scenario whose hall ran
    warmer (here made so after the integration) computes its own."""
    from kernels import layout as L
    from kernels.batch import integrate_batch, post_batch
    from twin.sweeps.arrays import post_args, post_arrays
    from twin.sweeps.batch import stage

    part, arrays, post = stage(scenarios[:3]).parts[0]
    assert list(arrays.memo_mode) == [1, 2, 2]
    integrate_batch(*arrays)
    # the hall of scenario 2 half a kelvin warmer: its shortest ride-through changes
    arrays.out[2][:, L.O_T_AIR_C] += 0.5
    post_batch(*post_args(arrays, post))
    preps = [p for _, p in part]
    alone = post_arrays(preps, False)
    unshared = arrays._replace(memo_mode=np.zeros_like(arrays.memo_mode))
    post_batch(*post_args(unshared, alone))
    shared_p, alone_p = post_args(arrays, post), post_args(unshared, alone)
    for name in ("scan", "totals", "ride_s", "moist"):
        assert np.array_equal(getattr(shared_p, name), getattr(alone_p, name)), name
    assert shared_p.scan[:, 0].tolist() == [0, 0, 0]  # every scan passed: all were due
    assert shared_p.ride_s[2, 0] < shared_p.ride_s[0, 0]  # so 2 did not copy 0's


def test_the_post_demand_passes_do_not_read_the_supply_slots(scenarios):
    """The ride-through and hall dew point read no plant slot of ``SUPPLY_ONLY`` (the memo
    groups, whose plants differ only there, share them): changing each one leaves both
    results as they were, bit for bit."""
    from kernels.batch import integrate_batch, post_demand, post_supply
    from kernels.memo import SUPPLY_ONLY
    from twin.sweeps.arrays import post_args
    from twin.sweeps.batch import stage

    _, arrays, post = stage(scenarios[:1]).parts[0]
    integrate_batch(*arrays)
    p = post_args(arrays, post)
    assert post_supply(0, p)
    post_demand(0, p)
    ride, moist = p.ride_s[0].copy(), p.moist[0].copy()
    for slot in SUPPLY_ONLY:
        saved = p.plant[0, slot]
        p.plant[0, slot] = saved * 1.37 + 1.0
        p.ride_s[0] = np.nan
        p.moist[0] = np.nan
        post_demand(0, p)
        p.plant[0, slot] = saved
        assert np.array_equal(p.ride_s[0], ride) and np.array_equal(p.moist[0], moist), slot
