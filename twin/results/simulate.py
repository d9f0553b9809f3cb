"""``twin.simulate``: one scenario from its description to its :class:`~twin.results.result.Result`.

The whole data flow of a run (``docs/architecture.md``): the engine
(:func:`twin.sim.engine.run_raw`) compiles the scenario, prepares its inputs and lets
SimPy and the kernels produce the raw per-step outputs; :meth:`Result.from_raw` checks
the invariants and computes the KPIs, the time series and the events.
"""

from __future__ import annotations

import time

from twin.results.result import Result
from twin.scenario.model import Scenario
from twin.sim.engine import run_raw


def simulate(scenario: Scenario) -> Result:
    """Simulate one scenario: the public entry point, see :class:`twin.Result`."""
    t0 = time.perf_counter()
    raw = run_raw(scenario)
    result = Result.from_raw(raw)
    result.meta["wall_s"] = round(time.perf_counter() - t0, 4)
    return result
