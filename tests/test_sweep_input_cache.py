"""The sweep's input cache is bounded in bytes and never changes what a scenario gets."""

from __future__ import annotations

import numpy as np

from twin.scenario.model import Scenario
from twin.sweeps.prepare import InputCache, inputs_nbytes


def _arrays(inp) -> dict[str, np.ndarray]:
    return {k: v for k, v in vars(inp).items() if isinstance(v, np.ndarray)}


def test_byte_cap_keeps_newest_and_recomputes_identically():
    a = Scenario().with_overrides(["pv.capacity_mwp=10", "simulation.days=7"])
    b = Scenario().with_overrides(["pv.capacity_mwp=30", "simulation.days=7"])
    cache = InputCache(max_bytes=1)  # room for nothing but the newest set
    key_a, first = cache.get(a)
    key_b, _ = cache.get(b)
    assert key_a != key_b
    assert list(cache._items) == [key_b]  # the older set was dropped
    assert cache.nbytes() == inputs_nbytes(cache._items[key_b])
    _, again = cache.get(a)  # recomputed after eviction: the same series, bit for bit
    assert again is not first
    for name, arr in _arrays(first).items():
        np.testing.assert_array_equal(_arrays(again)[name], arr, strict=True)
    # PV power scales with the PV size (the two sets really differ)
    assert np.max(cache.get(b)[1].p_pv_w) > 2.9 * np.max(again.p_pv_w)


def test_default_cap_holds_many_hourly_sets():
    cache = InputCache()
    for mwp in (5, 10, 15, 20):
        cache.get(Scenario().with_overrides([f"pv.capacity_mwp={mwp}", "simulation.days=7"]))
    assert len(cache._items) == 4
    assert cache.nbytes() <= cache.max_bytes
    # the site's weather is shared: four sets hold less than four times one set
    assert cache.nbytes() < 4 * inputs_nbytes(next(iter(cache._items.values())))


def test_running_byte_count_equals_a_fresh_count_through_evictions():
    """The count kept on insert and eviction is the distinct buffers of the sets held,
    shared weather once, as a walk over every held set gives it."""
    one = inputs_nbytes(InputCache().get(Scenario().with_overrides(["simulation.days=7"]))[1])
    cache = InputCache(max_items=3, max_bytes=int(2.5 * one))
    for mwp in (5, 10, 15, 20, 25, 10, 5):
        cache.get(Scenario().with_overrides([f"pv.capacity_mwp={mwp}", "simulation.days=7"]))
        assert cache.nbytes() == inputs_nbytes(*cache._items.values())
        assert 1 <= len(cache._items) <= 3
    assert cache.nbytes() <= cache.max_bytes or len(cache._items) == 1
    while cache._items:
        cache._evict_oldest()
    assert cache.nbytes() == 0 and cache._held == {}
