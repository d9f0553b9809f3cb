"""The ``local`` sweep backend: this machine, in one process or one process per core."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from twin.scenario.model import Scenario
from twin.sweeps.arrays import BufferPool
from twin.sweeps.batch import (
    BATCH_OUT_BYTES,
    Outcome,
    Staged,
    complete,
    compute,
    cpu_runner,
    max_batch,
    stage,
)
from twin.sweeps.chunks import run_chunk, scenarios, worker_cache

#: Scenarios per chunk (one task, one file) unless the step grid forces fewer.
DEFAULT_CHUNK = 256


class LocalBackend:
    """All cores of this machine: the ``prange`` kernels in this process (``workers=1``),
    or one single-threaded process per worker."""

    name = "local"

    def check_available(self) -> None:
        """Always available."""

    def chunk_size(self, n_steps: int) -> int:
        return min(DEFAULT_CHUNK, max_batch(n_steps))

    def execute(self, base, rows, chunks, *, scheduler=None, workers=None, timeseries=False):
        """Yield ``(scenario ids, outcomes)`` chunk by chunk (see :mod:`twin.sweeps.backends`)."""
        n_proc = workers or 1
        if n_proc > 1 and len(chunks) > 1:
            return on_processes(base, rows, chunks, n_proc, timeseries)
        return pipelined(base, rows, chunks, timeseries)


def pipelined(
    base: Scenario,
    rows: list[dict[str, Any]],
    chunks: list[list[int]],
    timeseries: bool = False,
) -> Iterator[tuple[list[int], list[Outcome]]]:
    """The local backend in one process: the kernels of one chunk run in a thread
    (compiled, without the GIL, on every core) while Python stages the next chunk
    and completes the previous one. Same outcomes as :func:`run_chunk` chunk by chunk.
    """
    from concurrent.futures import ThreadPoolExecutor

    buffers = BufferPool()

    def staged(ids: list[int]) -> Staged:
        return stage(scenarios(base, [rows[i] for i in ids]), worker_cache(), BATCH_OUT_BYTES,
                     timeseries, buffers)  # fmt: skip

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: tuple[list[int], Staged, Any] | None = None
        for ids in chunks:
            nxt = staged(ids)
            if pending is not None:
                p_ids, p_staged, fut = pending
                fut.result()
                fut = pool.submit(compute, nxt, cpu_runner)
                yield p_ids, complete(p_staged)
            else:
                fut = pool.submit(compute, nxt, cpu_runner)
            pending = (ids, nxt, fut)
        if pending is not None:
            p_ids, p_staged, fut = pending
            fut.result()
            yield p_ids, complete(p_staged)


def _single_threaded() -> None:
    """Worker start-up: one numba thread per process (the processes share the cores)."""
    import numba

    numba.set_num_threads(1)


def on_processes(
    base: Scenario,
    rows: list[dict[str, Any]],
    chunks: list[list[int]],
    n_proc: int,
    timeseries: bool = False,
) -> Iterator[tuple[list[int], list[Outcome]]]:
    """The local backend on all cores: one process per core, chunks as they finish.

    SimPy sampling, stacking and KPIs are Python and would run on one core in
    a single process; worker processes (``spawn``: safe with numba's threads)
    spread them over the cores, each running the kernel single-threaded.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from multiprocessing import get_context

    pool = ProcessPoolExecutor(
        max_workers=min(n_proc, len(chunks)),
        mp_context=get_context("spawn"),
        initializer=_single_threaded,
    )
    try:
        futures = {
            pool.submit(run_chunk, base, [rows[i] for i in ids], timeseries): ids for ids in chunks
        }
        for fut in as_completed(futures):
            yield futures[fut], fut.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
