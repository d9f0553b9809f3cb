"""numba-JIT physics kernels for Atlas Twin: pure functions over plain arrays and floats (SI units)."""
