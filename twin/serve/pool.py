"""The simulation processes and the bounded queue in front of them.

Runs go to ``workers`` processes started once (``spawn``) and warmed with one day of the
default scenario (:func:`twin.serve.work.warm`), so a request pays for its simulation
only: no interpreter start, no import, no compilation. At most ``workers + queue``
requests are accepted at a time; the next one is refused with :class:`Busy` (the server
answers 503 with ``Retry-After``) instead of waiting without bound. Sweeps get their own
process, so that a long sweep never delays a what-if.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from twin.serve import work


class Busy(Exception):
    """The queue is full (or a simulation process has just been replaced): try later."""


class SimPool:
    """``workers`` warm simulation processes behind a queue of ``queue`` places."""

    def __init__(self, workers: int, queue: int) -> None:
        self.workers, self.limit = workers, workers + queue
        self._lock = threading.Lock()
        self.pending = 0
        self._ex = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=get_context("spawn"),
            initializer=work.watch_parent,
            initargs=(os.getpid(),),
        )

    def warm(self) -> list[float]:
        """Start every process and warm it; the wall time of each warm-up [s]."""
        futures = [self._ex.submit(work.warm) for _ in range(self.workers)]
        wait(futures)
        return [f.result() for f in futures]

    def pids(self) -> list[int]:
        """The process ids of the simulation processes (for memory figures)."""
        return [p.pid for p in getattr(self._ex, "_processes", {}).values() if p.pid]

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` in a simulation process; :class:`Busy` when the queue is full."""
        with self._lock:
            if self.pending >= self.limit:
                raise Busy
            self.pending += 1
        try:
            return await asyncio.wrap_future(self._ex.submit(fn, *args))
        except BrokenProcessPool:
            with self._lock:  # a process died (killed, out of memory): start afresh
                self._ex.shutdown(wait=False, cancel_futures=True)
                self._ex = self._start()
            raise Busy from None
        finally:
            with self._lock:
                self.pending -= 1

    def close(self) -> None:
        self._ex.shutdown(wait=False, cancel_futures=True)
