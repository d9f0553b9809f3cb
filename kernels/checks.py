"""One-pass scan of a run's outputs for broken physical invariants.

The invariants are those of ``twin.results.invariants`` (which formats the messages):
finite values, non-negative flows and water, the electrical bus balanced at
every step and over the horizon (first law, recomputed from the flow columns),
facility power at least IT power (PUE >= 1), cooling equal to the sum of its
end uses, physical temperatures, and the battery's state of charge within its
limits. One compiled pass over the rows, O(steps x columns), no allocation.
"""

from __future__ import annotations

import math

from kernels._jit import njit
from kernels.layout import (
    N_OUT,
    O_BALANCE_W,
    O_P_AIR_FANS_W,
    O_P_BESS_CHARGE_W,
    O_P_BESS_DISCHARGE_W,
    O_P_CHILLER_W,
    O_P_COOLING_W,
    O_P_GENSET_W,
    O_P_GRID_EXPORT_W,
    O_P_GRID_IMPORT_W,
    O_P_IT_W,
    O_P_PUMPS_W,
    O_P_PV_CURTAILED_W,
    O_P_PV_W,
    O_P_TOWER_FAN_W,
    O_P_UPS_CHARGE_W,
    O_P_UPS_DISCHARGE_W,
    O_P_UPS_LOSS_W,
    O_P_WIND_W,
    O_P_XFMR_LOSS_W,
    O_SOC_BESS,
    O_T_AIR_C,
    O_T_LIQ_C,
    O_VDOT_WATER_M3_S,
)

#: violation codes returned by :func:`scan_invariants`
OK = 0
NOT_FINITE = 1
NEGATIVE = 2
BALANCE_STEP = 3
BALANCE_HORIZON = 4
PUE_BELOW_ONE = 5
COOLING_PARTS = 6
TEMPERATURE = 7
SOC_LIMITS = 8


@njit
def facility_w(row):
    """IT + UPS losses + cooling + transformer losses of one output row [W]."""
    return row[O_P_IT_W] + row[O_P_UPS_LOSS_W] + row[O_P_COOLING_W] + row[O_P_XFMR_LOSS_W]


@njit
def residual_w(row):
    """Supply - demand of the electrical bus in one output row [W]."""
    supply = (
        row[O_P_PV_W]
        + row[O_P_WIND_W]
        + row[O_P_GRID_IMPORT_W]
        + row[O_P_GENSET_W]
        + row[O_P_BESS_DISCHARGE_W]
        + row[O_P_UPS_DISCHARGE_W]
    )
    demand = (
        facility_w(row)
        + row[O_P_BESS_CHARGE_W]
        + row[O_P_UPS_CHARGE_W]
        + row[O_P_GRID_EXPORT_W]
        + row[O_P_PV_CURTAILED_W]
    )
    return supply - demand


@njit
def scan_invariants(out, balance_tol, abs_tol_w, soc_lo, soc_hi, check_soc):
    """First broken invariant of *out* as ``(code, step, column, value)``; code 0 if none.

    ``balance_tol`` is relative to the mean facility power; ``abs_tol_w`` is the
    slack of sign and sum checks on powers (water volumes get none).
    """
    n = out.shape[0]
    if n == 0:
        return OK, -1, -1, 0.0
    total = 0.0
    for k in range(n):
        total += facility_w(out[k])
    scale = max(total / n, 1.0)
    tol = balance_tol * scale
    resid_sum = 0.0
    for k in range(n):
        row = out[k]
        for c in range(N_OUT):
            if not math.isfinite(row[c]):
                return NOT_FINITE, k, c, row[c]
        for c in range(N_OUT):
            if c == O_T_AIR_C or c == O_T_LIQ_C or c == O_BALANCE_W:
                continue
            slack = 0.0 if c == O_VDOT_WATER_M3_S else abs_tol_w
            if row[c] < -slack:
                return NEGATIVE, k, c, row[c]
        r = residual_w(row)
        if abs(r) > tol:
            return BALANCE_STEP, k, -1, r / scale
        resid_sum += r
        gap_it = facility_w(row) - row[O_P_IT_W]
        if gap_it < -abs_tol_w:
            return PUE_BELOW_ONE, k, -1, gap_it
        parts = row[O_P_CHILLER_W] + row[O_P_TOWER_FAN_W] + row[O_P_PUMPS_W] + row[O_P_AIR_FANS_W]
        gap = parts - row[O_P_COOLING_W]
        if abs(gap) > tol + abs_tol_w:
            return COOLING_PARTS, k, -1, gap
        for c in (O_T_AIR_C, O_T_LIQ_C):
            if row[c] < -273.15 or row[c] > 200.0:
                return TEMPERATURE, k, c, row[c]
        if check_soc and (row[O_SOC_BESS] < soc_lo or row[O_SOC_BESS] > soc_hi):
            return SOC_LIMITS, k, O_SOC_BESS, row[O_SOC_BESS]
    if abs(resid_sum) > tol * n:
        return BALANCE_HORIZON, n - 1, -1, resid_sum / (scale * n)
    return OK, -1, -1, 0.0
