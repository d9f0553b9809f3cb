"""Small scalar helpers shared by the kernels (CUDA-safe style)."""

from __future__ import annotations

from kernels._jit import njit


@njit
def clamp(x, lo, hi):
    """``x`` bounded to ``[lo, hi]`` (EnergyPlus clamps curve inputs this way)."""
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x
