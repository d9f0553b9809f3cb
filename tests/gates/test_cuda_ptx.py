"""The GPU backend's device code compiles for an H100 (sm_90) on a machine without a GPU.

The CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``, used by ``tests/test_sweep.py``)
runs the kernels as Python, so it cannot tell whether numba-cuda can *compile*
them: an unsupported construct (a numpy call, an allocation, a keyword argument)
in any function the batch reaches would only fail on a real GPU. Here both
kernels of ``twin.sweeps.backends.cuda`` — the integration (``integrate_timeline``) and
the post pass (``post_scenario``: invariant scan, KPI totals, ride-through) —
are typed, lowered and translated to PTX by NVVM for compute capability 9.0.
No driver is needed; NVVM and NVRTC are (the ``test`` extra installs NVRTC on
Linux x86-64; NVVM comes with a CUDA toolkit or the ``nvidia-nvvm`` wheel).
"""

from __future__ import annotations

import sys

import pytest

H100_CC = (9, 0)


class _H100:
    """Stands in for the current device: numba-cuda reads only its compute capability."""

    compute_capability = H100_CC


def _signatures():
    """Argument types of both kernels (one tuple of arrays each: a ``Batch``, a ``Post``),
    taken from the arrays a real (two-day) batch holds."""
    from numba import typeof

    from twin import Scenario
    from twin.sweeps.arrays import post_args, post_arrays, stack
    from twin.sweeps.prepare import InputCache, prepare

    prepared = [prepare(Scenario(simulation={"days": 2}), InputCache())]
    arrays = stack(prepared)
    post = post_arrays(prepared, True)
    return (typeof(arrays),), (typeof(post_args(arrays, post)),)


def test_both_gpu_kernels_compile_to_ptx_for_sm90(monkeypatch):
    pytest.importorskip("numba.cuda", reason="numba-cuda is not installed")
    from numba import config, cuda

    if getattr(config, "ENABLE_CUDASIM", False):
        pytest.skip("NUMBA_ENABLE_CUDASIM=1: the simulator does not compile")
    import twin.sweeps.backends.cuda as cb
    from kernels.batch import integrate_timeline, post_scenario

    monkeypatch.setattr(sys.modules["numba.cuda.dispatcher"], "get_current_device", _H100)
    done: dict = {}
    monkeypatch.setattr(cb, "_TIMELINE", cb._device(integrate_timeline, done))
    monkeypatch.setattr(cb, "_POST", cb._device(post_scenario, done))
    integrate_sig, post_sig = _signatures()
    try:
        ptx_integrate, _ = cuda.compile_ptx(cb._batch_kernel, integrate_sig, cc=H100_CC)
    except Exception as exc:  # only a missing NVVM / NVRTC library is a reason to skip
        text = f"{type(exc).__name__}: {exc}"
        if any(k in text for k in ("libnvvm", "NVVM", "nvrtc", "NVRTC", "DynamicLibNotFound")):
            pytest.skip(f"no NVVM/NVRTC library to compile with: {text.splitlines()[0]}")
        raise
    ptx_post, _ = cuda.compile_ptx(cb._post_kernel_fn, post_sig, cc=H100_CC)
    for ptx in (ptx_integrate, ptx_post):
        assert ".target sm_90" in ptx
        assert ".entry" in ptx
    # the whole plant, supply and storage step is in the integration kernel
    assert len(ptx_integrate) > 100_000
