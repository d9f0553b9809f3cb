"""Rainflow cycle counting (ASTM E1049-85, reapproved 2017, §5.4.4) and Miner damage.

The three-point stack form of the standard's "Rainflow Counting": the series is
reduced to its reversals (turning points), each reversal is pushed on a stack,
and while the latest range X is at least the previous range Y, Y is counted —
as a half cycle when it contains the starting point, else as a full cycle
whose two points are removed. Ranges left on the stack are half cycles.

:func:`twin.results.components.battery_wear` turns the cycles into battery capacity
fade with a depth-of-discharge life curve and Miner's rule.
"""

from __future__ import annotations

import numpy as np

from kernels._jit import njit


@njit
def reversals(series):
    """Turning points of *series*: flat stretches and monotone interior points dropped."""
    n = series.shape[0]
    rev = np.empty(n)
    m = 0
    for k in range(n):
        x = series[k]
        if m >= 1 and x == rev[m - 1]:
            continue  # flat
        if m >= 2 and (rev[m - 1] - rev[m - 2]) * (x - rev[m - 1]) > 0.0:
            rev[m - 1] = x  # still rising (or falling): the last point is not a reversal
            continue
        rev[m] = x
        m += 1
    return rev[:m]


@njit
def rainflow(series):
    """Rainflow count of *series*.

    Returns
    -------
    ranges, counts : ndarray
        Range of each cycle and its count: 1.0 for a full cycle, 0.5 for a half.
    """
    rev = reversals(series)
    n = rev.shape[0]
    ranges = np.empty(max(n, 1))
    counts = np.empty(max(n, 1))
    if n < 2:
        return ranges[:0], counts[:0]
    stack = np.empty(n)
    top = 0  # number of points on the stack
    start = 0  # stack index of the oldest point still on it
    c = 0
    for i in range(n):
        stack[top] = rev[i]
        top += 1
        while top - start >= 3:
            r_x = abs(stack[top - 1] - stack[top - 2])
            r_y = abs(stack[top - 2] - stack[top - 3])
            if r_x < r_y:
                break
            ranges[c] = r_y
            if top - start == 3:
                counts[c] = 0.5  # Y contains the starting point: half cycle, drop it
                start += 1
            else:
                counts[c] = 1.0  # full cycle: remove its two points, keep the latest
                stack[top - 3] = stack[top - 1]
                top -= 2
            c += 1
    for j in range(start, top - 1):
        ranges[c] = abs(stack[j + 1] - stack[j])
        counts[c] = 0.5
        c += 1
    return ranges[:c], counts[:c]


@njit
def miner_damage(series, cycle_life_at_80, dod_exponent):
    """Life used by the cycles of *series* (Miner's rule) [-].

    Each cycle of depth D uses ``count / N(D)`` of the life with
    ``N(D) = N80 (0.8 / D)^k`` (Xu et al., IEEE Trans. Smart Grid 9(2), 2018);
    depths of 1e-6 and less are ignored.
    """
    ranges, counts = rainflow(series)
    damage = 0.0
    for j in range(ranges.shape[0]):
        depth = ranges[j]
        if depth > 1e-6:
            damage += counts[j] / (cycle_life_at_80 * (0.8 / depth) ** dod_exponent)
    return damage
