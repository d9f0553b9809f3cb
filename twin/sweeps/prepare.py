"""Scenarios made ready for a batched kernel call: compiled, timeline sampled, inputs shared.

:class:`InputCache` holds the exogenous series by what they depend on (site, time grid,
PV, tariff, wind, PPA) and the SimPy timelines by theirs, so scenarios that differ
only in plant or storage share one of each; :func:`prepare` makes one
:class:`Prepared` scenario for :func:`twin.sweeps.arrays.stack`.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from twin.scenario.base import Section
from twin.scenario.limits import check_event_budget
from twin.scenario.model import Scenario
from twin.sim.compile import Design, compile_scenario
from twin.sim.engine import prerun_load_w
from twin.sim.inputs import Inputs, load_inputs
from twin.sim.signals import needs_prerun, supply_signals
from twin.sim.timeline import Timeline, TimelineCache


def inputs_key(sc: Scenario) -> str:
    """What the exogenous series depend on: site, time grid, PV, tariff, wind and PPA.

    Not ``simulation.seed``: the weather has its own random stream
    (:data:`weather.WEATHER_SEED`), so scenarios that differ only in seed share inputs.
    The text of ``json.dumps([site, simulation without seed, pv, grid, wind, ppa],
    sort_keys=True)``, each section's part dumped once per section object (the scenarios
    of a sweep share the sections that a row does not change).
    """
    parts = [_section_json(sc.site), _section_json(sc.simulation, drop="seed")]
    parts += [_section_json(s) for s in (sc.pv, sc.grid, sc.wind, sc.ppa)]
    return "[" + ", ".join(parts) + "]"


#: ``{(id(section), dropped key): (section, its JSON text)}``; the section is held so
#: its id stays its own while the entry lives
_JSON: dict[tuple[int, str], tuple[Section, str]] = {}
_JSON_MAX = 1024
_JSON_LOCK = threading.Lock()


def _section_json(sec: Section, drop: str = "") -> str:
    """``json.dumps`` (sorted keys) of a frozen section's JSON dump, less the key *drop*."""
    with _JSON_LOCK:
        hit = _JSON.get((id(sec), drop))
    if hit is not None and hit[0] is sec:
        return hit[1]
    d = sec.model_dump(mode="json")
    d.pop(drop, None)
    text = json.dumps(d, sort_keys=True)
    with _JSON_LOCK:
        if len(_JSON) >= _JSON_MAX:
            _JSON.clear()
        _JSON[(id(sec), drop)] = (sec, text)
    return text


#: Bytes of input series an :class:`InputCache` keeps for reuse. Assumption: 256 MiB, two
#: batches' worth of hourly outputs. Series shared between input sets (the site's weather,
#: prices and carbon, memoised by :mod:`twin.sim.inputs`) count once, so this holds every
#: set of an hourly or 15-minute sweep (64 at most) and about 13 PV sizes at 1 minute
#: (~16 MiB of their own each) instead of up to 64 (~1 GiB). An evicted set costs ~10 ms
#: to prepare again at 1 minute (the weather stays memoised), against ~1 s of kernel.
INPUT_CACHE_BYTES = 256 * 2**20


def _buffers(inp: Inputs) -> dict[int, int]:
    """The memory buffers behind the arrays of *inp*: ``{id: bytes}``, each once."""
    out: dict[int, int] = {}
    for v in [*vars(inp).values(), inp.index.asi8]:
        if isinstance(v, np.ndarray):
            while isinstance(v.base, np.ndarray):
                v = v.base
            out[id(v)] = v.nbytes
    return out


def inputs_nbytes(*inputs: Inputs) -> int:
    """Bytes of the distinct buffers behind the arrays of *inputs* (shared ones once)."""
    seen: dict[int, int] = {}
    for inp in inputs:
        seen.update(_buffers(inp))
    return sum(seen.values())


class InputCache:
    """Exogenous series by :func:`inputs_key` and SimPy timelines by
    :func:`twin.sim.timeline.timeline_key`, least recently used dropped first.

    Scenarios that differ only in plant, storage or PV size share one weather
    series and one exogenous timeline: each is computed once. At most *max_items*
    input sets and *max_bytes* of their arrays are kept (the newest always).
    """

    def __init__(
        self, max_items: int = 64, max_timelines: int = 4096, max_bytes: int = INPUT_CACHE_BYTES
    ) -> None:
        self.max_items = max_items
        self.max_timelines = max_timelines
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, Inputs] = OrderedDict()
        self._timelines = TimelineCache(max_timelines)
        # buffers of the held sets, kept up to date on every insert and eviction (walking
        # every set on each insert made a sweep of distinct PV sizes quadratic in the
        # number of sets): {id: [bytes, sets holding it]}; ids are unique while held
        self._held: dict[int, list[int]] = {}
        self._held_bytes = 0

    def nbytes(self) -> int:
        """Bytes of the input series held (buffers shared between sets counted once)."""
        return self._held_bytes

    def _hold(self, inp: Inputs, sign: int) -> None:
        """Count the buffers of a set that enters (*sign* 1) or leaves (-1) the cache."""
        for buf, size in _buffers(inp).items():
            entry = self._held.get(buf)
            if entry is None:
                entry = self._held[buf] = [size, 0]
                self._held_bytes += size
            entry[1] += sign
            if entry[1] == 0:
                del self._held[buf]
                self._held_bytes -= size

    def _evict_oldest(self) -> None:
        _, old = self._items.popitem(last=False)
        self._hold(old, -1)

    def timeline(self, sc: Scenario, design: Design) -> Timeline:
        return self._timelines.get(sc, design)[0]

    def get(self, sc: Scenario) -> tuple[str, Inputs]:
        key = inputs_key(sc)
        inp = self._items.get(key)
        if inp is None:
            inp = load_inputs(sc)
            self._items[key] = inp
            self._hold(inp, 1)
            while len(self._items) > self.max_items:
                self._evict_oldest()
            while len(self._items) > 1 and self.nbytes() > self.max_bytes:
                self._evict_oldest()
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


def prepare(sc: Scenario, cache: InputCache, sig_out: np.ndarray | None = None) -> Prepared:
    """Compile *sc*, sample its timeline and fetch its input series.

    *sig_out*: an ``(n_steps, N_SIG)`` array for the signals (a sweep takes one from
    its :class:`twin.sweeps.arrays.BufferPool`, and :func:`twin.sweeps.arrays.stack`
    gives it back once copied into the batch: memory the process has already
    touched, instead of fresh pages that the system zeroes one by one).
    """
    design = compile_scenario(sc)
    check_event_budget(sc, sum(design.n_chillers))
    key, inp = cache.get(sc)
    load_w = prerun_load_w(sc) if needs_prerun(sc) else None
    # also sets the plant's dispatch slots
    sig = supply_signals(sc, inp, design.plant, load_w, sig_out)
    return Prepared(sc, design, cache.timeline(sc, design), key, inp, sig)
