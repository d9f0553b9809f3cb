"""Sweeps as jobs: ``POST /api/sweep`` queues one, ``GET /api/sweep/{id}`` reports on it.

A job is checked whole before it is queued (every varied value alone on the base, by
:func:`twin.frontdoor.check_vary`; its size against :data:`~twin.serve.config.MAX_SWEEP_SCENARIOS`
and :data:`~twin.serve.config.MAX_SWEEP_STEPS`), then runs in a process of its own with
:func:`twin.sweep`: the ``local`` backend, or ``dask`` on the scheduler ``twin serve
--scheduler`` names. At most :data:`~twin.serve.config.MAX_SWEEP_JOBS` jobs wait or run
at once; the finished ones are kept (the newest first) for their clients to collect.
"""

from __future__ import annotations

import math
import os
import threading
import uuid
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from twin.errors import ScenarioError, TwinError
from twin.serve import work
from twin.serve.config import KEEP_FINISHED_JOBS, ServeConfig
from twin.serve.pool import Busy


def sweep_table(
    base: dict[str, Any],
    vary: dict[str, list[Any]],
    design: str,
    n: int | None,
    seed: int,
    scheduler: str | None,
) -> dict[str, Any]:
    """Run a sweep (in the sweep process); its KPI table as columns and rows."""
    from twin.scenario.model import Scenario
    from twin.sweeps.front import sweep

    ds = sweep(
        Scenario.from_dict(base),
        vary,
        design=design,
        n=n,
        seed=seed,
        backend="dask" if scheduler else "local",
        scheduler=scheduler,
        workers=1,
        progress=False,
    )
    df = ds.to_dataframe().reset_index()
    columns = [str(c) for c in df.columns]
    rows = [
        [None if isinstance(v, float) and not math.isfinite(v) else _plain(v) for v in row]
        for row in df.itertuples(index=False)
    ]
    return {"columns": columns, "rows": rows}


def _plain(v: Any) -> Any:
    return v.item() if hasattr(v, "item") else v


class SweepJobs:
    """The sweep jobs of one server."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._ex: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._ex is None:
            self._ex = ProcessPoolExecutor(
                1,
                mp_context=get_context("spawn"),
                initializer=work.watch_parent,
                initargs=(os.getpid(),),
            )
        return self._ex

    def check_size(self, n_scenarios: int, n_steps: int) -> None:
        """:class:`ScenarioError` if a sweep is larger than a job may be."""
        c = self.config
        if n_scenarios > c.max_sweep_scenarios:
            msg = (
                f"the sweep has {n_scenarios:,} scenarios; at most {c.max_sweep_scenarios:,} "
                "are allowed in one job (use `twin sweep` for larger ones)"
            )
            raise ScenarioError(msg)
        if n_scenarios * n_steps > c.max_sweep_steps:
            msg = (
                f"the sweep has {n_scenarios:,} scenarios of {n_steps:,} steps; at most "
                f"{c.max_sweep_steps:,} scenario-steps are allowed in one job (shorten "
                "simulation.days, use a coarser simulation.step or fewer scenarios)"
            )
            raise ScenarioError(msg)

    def submit(self, base: dict[str, Any], vary: dict[str, list[Any]], design: str,
               n: int | None, seed: int, n_scenarios: int) -> str:  # fmt: skip
        """Queue a checked sweep; its id. :class:`Busy` when too many jobs are active."""
        with self._lock:
            active = sum(j["status"] in ("queued", "running") for j in self._jobs.values())
            if active >= self.config.max_sweep_jobs:
                raise Busy
            job_id = uuid.uuid4().hex[:16]
            job = {"id": job_id, "status": "queued", "n_scenarios": n_scenarios}
            self._jobs[job_id] = job
            self._trim()
        fut = self._executor().submit(
            sweep_table, base, vary, design, n, seed, self.config.scheduler
        )
        job["_future"] = fut
        fut.add_done_callback(lambda f: self._finish(job, f))
        return job_id

    def _finish(self, job: dict[str, Any], fut: Future) -> None:
        try:
            job.update(fut.result(), status="done")
        except TwinError as exc:
            job.update(status="failed", error=str(exc))
        except Exception as exc:  # a broken process or a bug: reported, never raised here
            job.update(status="failed", error=f"the sweep stopped: {type(exc).__name__}")
            if self._ex is not None and "Broken" in type(exc).__name__:
                self._ex = None

    def _trim(self) -> None:
        done = [k for k, j in self._jobs.items() if j["status"] in ("done", "failed")]
        for k in done[: max(0, len(done) - KEEP_FINISHED_JOBS)]:
            del self._jobs[k]

    def get(self, job_id: str) -> dict[str, Any] | None:
        """The job's public fields (status queued, running, done or failed), or None."""
        job = self._jobs.get(job_id)
        if job is None:
            return None
        out = {k: v for k, v in job.items() if not k.startswith("_")}
        fut = job.get("_future")
        if out["status"] == "queued" and fut is not None and fut.running():
            out["status"] = "running"
        return out

    def close(self) -> None:
        if self._ex is not None:
            self._ex.shutdown(wait=False, cancel_futures=True)
