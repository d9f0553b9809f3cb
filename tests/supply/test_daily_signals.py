"""The per-day price and carbon bands the dispatch policies plan on (``_daily``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from twin.scenario.model import Scenario
from twin.sim.inputs import load_inputs
from twin.sim.signals import _daily, _daily_grouped


def test_hand_example_two_days():
    index = pd.date_range("2023-01-01", periods=8, freq="6h", tz="Africa/Casablanca")
    v = np.array([4.0, 1.0, 3.0, 2.0, 10.0, 30.0, 20.0, 40.0])
    np.testing.assert_array_equal(_daily(v, index, "min"), [1.0] * 4 + [10.0] * 4)
    np.testing.assert_array_equal(_daily(v, index, "max"), [4.0] * 4 + [40.0] * 4)
    # linear interpolation between order statistics: day 1 sorted 1,2,3,4 -> q25 = 1.75
    np.testing.assert_allclose(_daily(v, index, "q", 0.25), [1.75] * 4 + [17.5] * 4, rtol=0)


def test_same_bits_as_the_pandas_group_by_across_a_clock_change():
    # Morocco moves its clocks around Ramadan: local days of 23 and 25 hours
    sc = Scenario().with_overrides(
        ["simulation.start=2023-03-19T13:00", "simulation.days=40", "simulation.step=15min"]
    )
    inp = load_inputs(sc)
    day = inp.index.tz_convert(inp.index.tz).normalize()
    assert len(set(pd.Series(day).value_counts())) > 1  # days of unequal length
    for values in (inp.carbon_g_per_kwh, inp.price_mad_per_kwh):
        for how, q in (("min", 0.5), ("max", 0.5), ("q", 0.25), ("q", 0.5)):
            fast = _daily(values, inp.index, how, q)
            ref = _daily_grouped(np.asarray(values, dtype=float), day, how, q)
            np.testing.assert_array_equal(fast, ref, strict=True)
