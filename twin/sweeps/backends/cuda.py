"""The ``cuda`` sweep backend: one GPU thread per scenario (numba-cuda).

The kernels are written CUDA-safe (see :mod:`kernels._jit`): scalar math only,
tuples instead of small arrays, no numpy calls. This module compiles the
*same Python functions* for the device: starting from
:func:`kernels.batch.integrate_timeline`, every ``njit`` function it calls is
recompiled from its ``py_func`` with ``numba.cuda.jit(device=True)``, its
global references to other kernels replaced by their device builds. A thin
``@cuda.jit`` kernel then runs ``integrate_timeline`` for scenario
``cuda.grid(1)``, and a second one :func:`kernels.batch.post_scenario` (invariant
scan, KPI totals, ride-through), so the per-step outputs never leave the
device. Nothing of the physics is written twice, nor the lists of arrays: each
kernel takes its arrays as one tuple of device arrays, a
:class:`kernels.batch.Batch` or :class:`kernels.batch.Post`.

Without a GPU, set ``NUMBA_ENABLE_CUDASIM=1`` (before numba is imported) to
run the same code in numba's CUDA simulator, as the tests do. On a real GPU,
the device math library and fused multiply-adds may change the last bits of
a result, so KPIs agree with the CPU to rounding, not bit for bit.
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np

from twin.errors import BackendUnavailableError
from twin.sweeps.batch import CUDA_BATCH_OUT_BYTES, max_batch
from twin.sweeps.chunks import run_chunk

#: Threads per block (assumed: a multiple of the 32-thread warp; the kernel is
#: register-heavy, so small blocks keep occupancy up).
THREADS_PER_BLOCK = 64

_KERNEL: Any = None
_TIMELINE: Any = None  # device build of kernels.batch.integrate_timeline
_POST_KERNEL: Any = None
_POST: Any = None  # device build of kernels.batch.post_scenario

cuda: Any
try:
    from numba import cuda
except ImportError:  # pragma: no cover - numba-cuda absent
    cuda = None


def _cuda():
    if cuda is None:  # pragma: no cover - numba-cuda absent
        msg = "backend = 'cuda' needs numba-cuda: pip install 'atlas-twin[cuda]'"
        raise BackendUnavailableError(msg) from None
    return cuda


def simulated() -> bool:
    """True when numba's CUDA simulator is on (``NUMBA_ENABLE_CUDASIM=1``)."""
    from numba import config

    return bool(getattr(config, "ENABLE_CUDASIM", False))


def check_available() -> None:
    """Raise :class:`BackendUnavailableError` unless a GPU (or the simulator) is usable."""
    cu = _cuda()
    if simulated():
        return
    try:
        ok = cu.is_available()
    except Exception:  # the driver itself may fail to load
        ok = False
    if not ok:
        msg = (
            "backend = 'cuda': no CUDA GPU is available on this machine (numba-cuda found "
            "no device); use --backend local, or NUMBA_ENABLE_CUDASIM=1 to simulate"
        )
        raise BackendUnavailableError(msg)


def _device(fn, done: dict):
    """Device build of the njit function *fn* and of every njit function it calls."""
    from numba.core.registry import CPUDispatcher

    if fn in done:
        return done[fn]
    py = fn.py_func
    glb = dict(py.__globals__)
    for name in py.__code__.co_names:  # only the globals the function uses
        value = py.__globals__.get(name)
        if isinstance(value, CPUDispatcher) and value is not fn:
            glb[name] = _device(value, done)
    clone = types.FunctionType(py.__code__, glb, py.__name__, py.__defaults__, py.__closure__)
    done[fn] = _cuda().jit(device=True)(clone)
    return done[fn]


def _batch_kernel(b):
    # b: the device arrays of a kernels.batch.Batch
    s = cuda.grid(1)
    if s < b.plant.shape[0]:
        _TIMELINE(s, b)


def _post_kernel_fn(p):
    # p: the device arrays of a kernels.batch.Post
    s = cuda.grid(1)
    if s < p.plant.shape[0]:
        _POST(s, p)


def _kernel():
    global _KERNEL, _TIMELINE, _POST_KERNEL, _POST
    if _KERNEL is None:
        from kernels.batch import integrate_timeline, post_scenario

        done: dict = {}
        _TIMELINE = _device(integrate_timeline, done)
        _POST = _device(post_scenario, done)
        _KERNEL = _cuda().jit(_batch_kernel)
        _POST_KERNEL = _cuda().jit(_post_kernel_fn)
    return _KERNEL, _POST_KERNEL


def cuda_runner(arrays, post, keep_out: bool = False) -> None:
    """Integrate and post-process the batch on the GPU (see :data:`twin.sweeps.batch.Runner`).

    The per-step outputs stay on the device: the invariant scan, the KPI totals,
    the ride-through minima and the state-of-charge series are computed there
    (:func:`kernels.batch.post_scenario`) and only they, and ``info``, are copied
    back; ``out`` too when *keep_out* (per-scenario time series asked for).
    """
    from kernels.batch import BATCH_ARRAYS, POST_OUTPUTS, Batch
    from kernels.memo import MEMO_OFF
    from twin.sweeps.arrays import post_args

    check_available()
    cu = _cuda()
    kernel, post_kernel = _kernel()
    host = Batch(*arrays)
    n_sc = host.plant.shape[0]
    # its scenarios run at once: none can record before the others replay (kernels.memo)
    host = host._replace(
        memo=host.memo[:1, :0],  # no rows
        memo_idx=np.zeros_like(host.memo_idx),
        memo_mode=np.full_like(host.memo_mode, MEMO_OFF),
    )
    # ``out`` is only allocated on the device: the kernel writes every row
    dev = Batch._make(
        cu.device_array(a.shape, dtype=a.dtype) if name == "out" else cu.to_device(a)
        for name, a in zip(BATCH_ARRAYS, host, strict=True)
    )
    blocks = (n_sc + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK
    kernel[blocks, THREADS_PER_BLOCK](dev)
    dpost = post_args(dev, [cu.to_device(a) for a in post])
    post_kernel[blocks, THREADS_PER_BLOCK](dpost)
    dev.info.copy_to_host(host.info)
    hpost = post_args(host, post)
    for name in POST_OUTPUTS:
        getattr(dpost, name).copy_to_host(getattr(hpost, name))
    if keep_out:
        dev.out.copy_to_host(host.out)


class CudaBackend:
    """One GPU thread per scenario; chunks as large as the GPU batch memory allows."""

    name = "cuda"

    def check_available(self) -> None:
        check_available()

    def chunk_size(self, n_steps: int) -> int:
        return max_batch(n_steps, CUDA_BATCH_OUT_BYTES)

    def execute(self, base, rows, chunks, *, scheduler=None, workers=None, timeseries=False):
        """Chunk after chunk on this host's GPU (``scheduler`` and ``workers`` do not apply)."""
        for ids in chunks:
            outcomes = run_chunk(
                base, [rows[i] for i in ids], timeseries, cuda_runner, CUDA_BATCH_OUT_BYTES
            )
            yield ids, outcomes
