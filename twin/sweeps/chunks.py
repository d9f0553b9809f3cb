"""A chunk of a sweep: the scenarios of some rows, run as one batch, KPIs or errors back.

What every backend shares (:mod:`twin.sweeps.backends`): :func:`make_scenario` applies a
row's varied values to the base scenario, :func:`run_chunk` runs a chunk on this host
with one input cache per process (:func:`worker_cache`), and :func:`split` cuts the
scenario ids into chunks. A backend imports this module, never the front door.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from twin.errors import TwinError
from twin.scenario.model import Scenario
from twin.sweeps.batch import BATCH_OUT_BYTES, Outcome, Runner, cpu_runner, run_batch
from twin.sweeps.prepare import InputCache


def make_scenario(base: Scenario, values: dict[str, Any]) -> Scenario:
    """*base* with the varied *values* applied (``--set`` rules and checks)."""
    if not values:
        return base
    sets = []
    for k, v in values.items():
        if isinstance(v, np.generic):
            v = v.item()
        text = ("true" if v else "false") if isinstance(v, bool) else repr(v)
        if isinstance(v, str):
            text = '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        sets.append(f"{k}={text}")
    return base.with_overrides(sets)


def run_chunk(
    base: Scenario,
    rows: Sequence[dict[str, Any]],
    timeseries: bool = False,
    runner: Runner = cpu_runner,
    out_bytes: int = BATCH_OUT_BYTES,
) -> list[Outcome]:
    """KPIs of the scenarios *rows* describe; a failing one is an error, not an exception.

    Top level (and picklable arguments) so a Dask or process-pool worker can run it;
    *runner* integrates the batch (:data:`twin.sweeps.batch.Runner`: the CPU's
    ``prange`` kernels by default, the GPU's for the ``cuda`` backend).
    """
    return run_batch(
        scenarios(base, rows),
        runner=runner,
        cache=worker_cache(),
        out_bytes=out_bytes,
        timeseries=timeseries,
    )


def scenarios(base: Scenario, rows: Sequence[dict[str, Any]]) -> list[Scenario | BaseException]:
    """The scenario of each row, or the error that its values raise."""
    scenarios: list[Scenario | BaseException] = []
    for values in rows:
        try:
            scenarios.append(make_scenario(base, values))
        except TwinError as exc:
            scenarios.append(exc)
    return scenarios


_CACHE: InputCache | None = None


def worker_cache() -> InputCache:
    """One input cache per process, so a worker computes each site's series once."""
    global _CACHE
    if _CACHE is None:
        _CACHE = InputCache()
    return _CACHE


def split(todo: list[int], size: int) -> Iterator[list[int]]:
    """*todo* in chunks of at most *size* scenario ids."""
    for i in range(0, len(todo), size):
        yield todo[i : i + size]
