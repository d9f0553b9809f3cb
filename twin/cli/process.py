"""The ``twin`` command as a process: what a command-line tool may do that a library may not.

:func:`twin.cli.main` is a function (tests and notebooks call it); :func:`entry`, the
console command and ``python -m twin.cli``, runs it in a process of its own, which
allows two start-up and shut-down savings that would be wrong inside someone else's
Python session:

* **No BLAS probe at start-up.** When numba's CPU target starts (the first compiled
  kernel loaded from the on-disk cache), ``numba.np.arraymath`` probes for a BLAS by
  importing ``scipy.linalg.cython_blas``, which imports all of ``scipy.linalg`` and,
  through SciPy's array-API layer, ``numpy.f2py`` and ``numpy.testing``: about 0.2 s of a
  0.9 s floor on a 2-core machine (``python -X importtime``). The answer only chooses
  how numba compiles ``np.convolve`` and ``np.correlate`` (a BLAS dot product or a
  loop, ``numba.np.arraymath._get_inner_prod``); the twin's kernels call neither, nor
  any other BLAS routine (``tests/test_cli_process.py`` checks their source). So the
  command lets that probe fail and puts SciPy back at once: a later
  ``import scipy.linalg`` (pvlib preparing a new site) works as usual, and numba's own
  linear algebra (``np.linalg``, ``np.dot``) still finds its BLAS, since it probes
  again when such a function is compiled (``numba.np.linalg.ensure_blas``).
* **No huge pages asked for.** On Linux NumPy marks every array of 4 MiB or more
  ``MADV_HUGEPAGE``. Where the kernel's ``transparent_hugepage/defrag`` setting is
  ``madvise`` or ``defer+madvise`` (a common default), the first touch of such memory
  may stall on a synchronous reclaim and compaction instead of falling back to small
  pages (NumPy issue #31590), and a virtual machine must also back each 2 MiB page
  whole. The advice pays off when a long-lived process frees and reuses large arrays;
  a command touches most of its memory once. Measured on a 2-core virtual machine
  (defrag ``madvise``): a ``twin run --step 1min --json`` spent 2.4-2.7 s of system
  time with the advice and 0.4-0.5 s without, 5.2-5.6 s against 2.6-3.3 s in all (runs
  back to back with ``NUMPY_MADVISE_HUGEPAGE=1`` and ``0``; with this round's other
  changes, ``benchmarks/results/run_side_by_side_vs_1ecc69c.json``). NumPy's own switch,
  ``NUMPY_MADVISE_HUGEPAGE``, is honoured when the user sets it (NumPy reads it when
  imported); otherwise the command turns the advice off, except ``twin serve``, a
  long-lived process that allocates alike for every request and gets it back
  (:func:`twin.cli.hugepages.restore_hugepage_advice`).
* **A fast exit.** After the command has written everything and its exit handlers have
  run (temporary folders, logging), the process ends with :func:`os._exit` instead of
  tearing down every module and object: about 0.2-0.3 s after a ``twin run`` on a
  2-core machine, mostly numba's typing and lowering registries. Taken only when no
  other thread or child process is alive, so that nothing is cut short; otherwise the
  interpreter exits as usual. Type checkers and linters do the same (mypy's
  ``--fast-exit``, on by default).
* **No cyclic garbage collection while the libraries load.** Importing NumPy, pandas,
  numba, pydantic and the twin creates a few hundred thousand long-lived objects; the
  collector, triggered by allocation counts, walks them again and again (measured with
  :data:`gc.callbacks` on a 2-core machine: about 390 collections and 0.18-0.24 s of a
  1.4-1.7 s ``twin run --json``, 0.12-0.15 s of it in full collections). The command
  imports what every command needs (:data:`START_UP_MODULES`) with the collector off,
  then moves everything imported to the collector's permanent generation
  (:func:`gc.freeze`: "ignore them in all the future collections") and turns it back
  on: objects made later, by the run itself, are collected as usual. ``import twin``
  itself loads nothing heavy (its public names come on first use), so the switch
  covers the imports.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from twin.cli.hugepages import no_hugepage_advice, restore_hugepage_advice

__all__ = [
    "START_UP_MODULES",
    "collector_paused",
    "entry",
    "fast_exit",
    "no_hugepage_advice",
    "restore_hugepage_advice",
    "skip_blas_probe",
]

#: What every command needs, imported while the collector is paused: the twin's public
#: API (NumPy, pandas, numba, pydantic, the scenario's schema, the kernels' dispatchers),
#: what ``import twin`` imported before its names came on first use.
START_UP_MODULES = ("twin.scenario.model", "twin.results.simulate", "twin.results.result")

#: The module whose import runs numba's BLAS probe, and the one it imports to probe.
_PROBING, _PROBED = "numba.np.arraymath", "scipy.linalg.cython_blas"


def skip_blas_probe() -> bool:
    """Import numba's array maths with its BLAS probe answered "none" (module docstring).

    Returns whether the probe was skipped: not when the module or SciPy's linear algebra
    is already imported (then there is nothing to save), nor when numba is missing.
    """
    if _PROBING in sys.modules or "scipy.linalg" in sys.modules:
        return False
    sys.modules[_PROBED] = None  # type: ignore[assignment]  # makes its import fail
    try:
        __import__(_PROBING)
    except ImportError:
        return False
    finally:
        if sys.modules.get(_PROBED, 0) is None:
            del sys.modules[_PROBED]
    return True


def _alone() -> bool:
    """No other thread and no child process alive: nothing a fast exit could cut short."""
    if threading.active_count() > 1:
        return False
    mp = sys.modules.get("multiprocessing")
    return mp is None or not mp.active_children()


def fast_exit(status: int) -> None:
    """End the process with *status* after flushing the standard streams and running
    the exit handlers, without the interpreter's teardown (when :func:`_alone`);
    otherwise :func:`sys.exit`."""
    run_handlers: Callable[[], None] | None = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None or not _alone():
        sys.exit(status)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (``twin run --json | head -c 10``)
        from twin.cli import _closed_pipe

        status = _closed_pipe()
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    run_handlers()
    logging.shutdown()
    os._exit(status)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside; on leaving, every object it tracks moved
    to its permanent generation (:func:`gc.freeze`) and the collector back as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def entry() -> None:
    """The ``twin`` console command: :func:`twin.cli.main` in a process of its own."""
    with collector_paused():
        skip_blas_probe()
        no_hugepage_advice()
        for name in START_UP_MODULES:
            importlib.import_module(name)
    from twin.cli import main

    fast_exit(main())
