"""Scenarios made ready for a batched kernel call: compiled, timeline sampled, inputs shared.

:class:`InputCache` holds the exogenous series by what they depend on (site, time grid,
PV, tariff, wind, PPA) and the SimPy timelines by theirs, so scenarios that differ
only in plant or storage share one of each; :func:`prepare` makes one
:class:`Prepared` scenario for :func:`twin.sweeps.arrays.stack`.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from twin.scenario.limits import check_event_budget
from twin.scenario.model import Scenario
from twin.sim.compile import Design, compile_scenario
from twin.sim.engine import prerun_load_w
from twin.sim.inputs import Inputs, load_inputs
from twin.sim.signals import needs_prerun, supply_signals
from twin.sim.timeline import Timeline, sample_timeline, timeline_key


def inputs_key(sc: Scenario) -> str:
    """What the exogenous series depend on: site, time grid, PV, tariff, wind and PPA.

    Not ``simulation.seed``: the weather has its own random stream
    (:data:`weather.WEATHER_SEED`), so scenarios that differ only in seed share inputs.
    """
    d = sc.to_dict()
    sim = {k: v for k, v in d["simulation"].items() if k != "seed"}
    return json.dumps([d["site"], sim, d["pv"], d["grid"], d["wind"], d["ppa"]], sort_keys=True)


class InputCache:
    """Exogenous series by :func:`inputs_key` and SimPy timelines by
    :func:`twin.sim.timeline.timeline_key`, least recently used dropped first.

    Scenarios that differ only in plant, storage or PV size share one weather
    series and one exogenous timeline: each is computed once.
    """

    def __init__(self, max_items: int = 64, max_timelines: int = 4096) -> None:
        self.max_items = max_items
        self.max_timelines = max_timelines
        self._items: OrderedDict[str, Inputs] = OrderedDict()
        self._timelines: OrderedDict[tuple, Timeline] = OrderedDict()

    def timeline(self, sc: Scenario, design: Design) -> Timeline:
        key = timeline_key(sc, design)
        tl = self._timelines.get(key)
        if tl is None:
            tl = sample_timeline(sc, design)
            self._timelines[key] = tl
            while len(self._timelines) > self.max_timelines:
                self._timelines.popitem(last=False)
        else:
            self._timelines.move_to_end(key)
        return tl

    def get(self, sc: Scenario) -> tuple[str, Inputs]:
        key = inputs_key(sc)
        inp = self._items.get(key)
        if inp is None:
            inp = load_inputs(sc)
            self._items[key] = inp
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return key, inp


@dataclass
class Prepared:
    """One scenario, ready for the batched kernel."""

    scenario: Scenario
    design: Design
    timeline: Timeline
    inputs_key: str
    inputs: Inputs
    sig: np.ndarray


def prepare(sc: Scenario, cache: InputCache) -> Prepared:
    """Compile *sc*, sample its timeline and fetch its input series."""
    design = compile_scenario(sc)
    check_event_budget(sc, sum(design.n_chillers))
    key, inp = cache.get(sc)
    load_w = prerun_load_w(sc) if needs_prerun(sc) else None
    sig = supply_signals(sc, inp, design.plant, load_w)  # also sets the plant's dispatch slots
    return Prepared(sc, design, cache.timeline(sc, design), key, inp, sig)
