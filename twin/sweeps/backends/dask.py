"""The ``dask`` sweep backend: chunks of scenarios as tasks on a Dask distributed cluster.

By default a ``LocalCluster`` of ``workers`` single-threaded worker processes
listening on 127.0.0.1 only; with ``scheduler="tcp://HOST:PORT"`` the chunks go
to an existing cluster (its workers need this package installed). Each task
is :func:`twin.sweeps.chunks.run_chunk` on one chunk; results come back as tasks
finish, so the caller writes them chunk by chunk. A task whose worker dies is
retried by Dask on another worker (``retries=2``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from twin.errors import BackendUnavailableError
from twin.scenario.model import Scenario
from twin.sweeps.backends.local import LocalBackend
from twin.sweeps.batch import Outcome
from twin.sweeps.chunks import run_chunk


class DaskBackend(LocalBackend):
    """Chunks as tasks on a Dask distributed cluster (``LocalCluster`` on loopback by default,
    or the cluster at ``scheduler``); chunks are sized as for the local backend."""

    name = "dask"

    def check_available(self) -> None:
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise BackendUnavailableError(NEEDS_DASK) from None

    def execute(self, base, rows, chunks, *, scheduler=None, workers=None, timeseries=False):
        return run_on_dask(base, rows, chunks, scheduler, workers, timeseries)


NEEDS_DASK = (
    "backend = 'dask' needs dask[distributed]: pip install 'atlas-twin[dask]' "
    "(or 'dask[distributed]')"
)


def _client(scheduler: str | None, workers: int | None):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise BackendUnavailableError(NEEDS_DASK) from None
    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except OSError as exc:
            msg = f"--scheduler {scheduler}: cannot connect ({exc})"
            raise BackendUnavailableError(msg) from None
    n = workers or max(1, os.cpu_count() or 1)
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    return Client(cluster), cluster


def run_on_dask(
    base: Scenario,
    rows: list[dict[str, Any]],
    chunks: list[list[int]],
    scheduler: str | None,
    workers: int | None,
    timeseries: bool = False,
) -> Iterator[tuple[list[int], list[Outcome]]]:
    """Yield ``(scenario ids, outcomes)`` for every chunk, in completion order."""
    from dask.distributed import as_completed

    if not chunks:
        return
    client, cluster = _client(scheduler, workers)
    try:
        base_f = client.scatter(base, broadcast=True)
        futures = []
        ids_of = {}
        for ids in chunks:
            fut = client.submit(
                run_chunk,
                base_f,
                [rows[i] for i in ids],
                timeseries,
                pure=False,
                retries=2,
            )
            futures.append(fut)
            ids_of[fut.key] = ids
        for fut in as_completed(futures):
            yield ids_of[fut.key], fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
