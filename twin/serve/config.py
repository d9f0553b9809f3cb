"""What the server was started with, and the size limits of a request."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Largest request body [bytes]: a full scenario with a hundred rack groups is ~60 kB.
MAX_BODY_BYTES = 256 * 1024
#: Most scenarios in one sweep job, and most scenario-steps (scenarios × steps), so that
#: a job answers in minutes on one host (a scenario-year at 1 h is 8,760 steps).
MAX_SWEEP_SCENARIOS = 2_000
MAX_SWEEP_STEPS = 20_000_000
#: Sweep jobs queued or running at once; finished jobs kept for GET /api/sweep/{id}.
MAX_SWEEP_JOBS = 4
KEEP_FINISHED_JOBS = 64
#: Seconds a client is told to wait (``Retry-After``) when the queue is full.
RETRY_AFTER_S = 2


@dataclass(frozen=True)
class ServeConfig:
    """The options of ``twin serve`` (see :mod:`twin.cli.serve`)."""

    data_dir: Path | None = None
    token: str | None = None
    workers: int = 1
    queue: int = 8
    scheduler: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    max_sweep_scenarios: int = MAX_SWEEP_SCENARIOS
    max_sweep_steps: int = MAX_SWEEP_STEPS
    max_sweep_jobs: int = MAX_SWEEP_JOBS
