"""Recycled signal rows never change what a scenario gets.

:func:`twin.sweeps.prepare.prepare` writes a scenario's signals into a row taken from
the sweep's :class:`twin.sweeps.arrays.BufferPool` (by :func:`twin.sweeps.batch.stage`)
and :func:`twin.sweeps.arrays.stack` gives it back: the next scenario's signals land on memory holding the last one's.
"""

from __future__ import annotations

import numpy as np

from kernels import layout as L
from twin.scenario.model import Scenario
from twin.sweeps.arrays import BufferPool, stack
from twin.sweeps.prepare import InputCache, prepare


def _scenarios() -> list[Scenario]:
    base = Scenario().with_overrides(["simulation.days=7", "simulation.step=15min"])
    return [
        base.with_overrides(["power.dispatch=tou_arbitrage", "battery.energy_mwh=40"]),
        base.with_overrides(["grid.carbon_free_frac=0.3", "battery.energy_mwh=0"]),
    ]


def test_a_recycled_row_gives_the_signals_of_a_fresh_one():
    cache, pool = InputCache(), BufferPool()
    fresh = [prepare(sc, cache) for sc in _scenarios()]
    # the first scenario's row goes back to the pool holding its (non-zero) signals
    n = _scenarios()[0].n_steps
    first = prepare(_scenarios()[0], cache, pool.take_row(pool.SIG_ROW, n, L.N_SIG))
    row = first.sig
    assert np.any(row != 0.0)
    stack([first], pool)
    second = prepare(_scenarios()[1], cache, pool.take_row(pool.SIG_ROW, n, L.N_SIG))
    assert np.shares_memory(second.sig, row)  # the same memory, refilled
    np.testing.assert_array_equal(second.sig, fresh[1].sig, strict=True)
    arrays = stack([second], pool)
    np.testing.assert_array_equal(arrays.sig[0], fresh[1].sig, strict=True)
    assert arrays.sig.shape == (1, _scenarios()[1].n_steps, L.N_SIG)
    # the dispatch slots of the plant are set as with a fresh row
    np.testing.assert_array_equal(second.design.plant, fresh[1].design.plant, strict=True)
