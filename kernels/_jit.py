"""Compiler options for every kernel, decided in one place.

``njit`` is ``numba.njit`` with:

* ``cache=True``: compiled machine code is written next to the module, so a
  second process starts in milliseconds instead of recompiling.
* ``error_model="numpy"``: a division by zero yields ``inf``/``nan`` instead of
  raising; kernels guard their divisions and report non-finite states through
  status codes, never through exceptions (kernels never raise for a physical
  state).

Scalar physics functions are written CUDA-safe (only :mod:`math`, no numpy, no
default or keyword arguments, tuples instead of small arrays) so that a device
build can be made later from ``fn.py_func`` with ``numba.cuda.jit(device=True)``.
"""

from __future__ import annotations

import numba

__all__ = ["njit"]


def njit(fn=None, **overrides):
    """Decorate *fn* as a CPU kernel with the project's options."""
    options: dict = {"cache": True, "error_model": "numpy"}
    options.update(overrides)
    if fn is None:
        return lambda f: numba.njit(**options)(f)
    return numba.njit(**options)(fn)
