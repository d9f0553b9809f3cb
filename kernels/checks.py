"""One-pass scan of a run's outputs for broken physical invariants.

The invariants are those of ``twin.results.invariants`` (which formats the messages):
finite values, non-negative flows and water, the electrical bus balanced at
every step and over the horizon (first law, recomputed from the flow columns),
facility power at least IT power (PUE >= 1), cooling equal to the sum of its
end uses, physical temperatures, the battery's state of charge within its
limits and, given the plant vector, the flows within their ratings: metered grid
import (transformer losses included) within the connection's import limit, export
within the export limit, battery charge and discharge within its power rating, and
the state of charge following the flows, ``soc_k = soc_{k-1} + (η_c P_ch −
P_dis / η_d) Δt / E`` (:func:`kernels.storage.soc_update`). One compiled pass over
the rows, O(steps x columns), no allocation.
"""

from __future__ import annotations

import math
import sys

from kernels._jit import njit
from kernels.layout import (
    BESS_E_J,
    BESS_ETA_C,
    BESS_ETA_D,
    BESS_P_W,
    DT_S,
    GRID_EXPORT_W,
    GRID_IMPORT_W,
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
    O_P_PV_W,
    O_P_RE_CURTAILED_W,
    O_P_TOWER_FAN_W,
    O_P_UPS_CHARGE_W,
    O_P_UPS_DISCHARGE_W,
    O_P_UPS_LOSS_W,
    O_P_WIND_W,
    O_P_XFMR_LOSS_W,
    O_SOC_BESS,
    O_T_AIR_C,
    O_T_AIR_PEAK_C,
    O_T_LIQ_C,
    O_T_LIQ_PEAK_C,
    O_T_TCS_C,
    O_T_TCS_PEAK_C,
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
IMPORT_LIMIT = 9
EXPORT_LIMIT = 10
BESS_POWER = 11
SOC_FLOWS = 12

#: tolerance of the state-of-charge recursion check [-] (round-off of a year of steps)
SOC_FLOW_TOL = 1e-9


@njit
def flow_limits(row, soc_prev, plant, abs_tol_w):
    """First broken flow limit of one output row as ``(code, column, value)``; code 0 if
    none. *soc_prev* is the state of charge at the end of the previous step (negative
    to skip the recursion check)."""
    if row[O_P_GRID_IMPORT_W] > plant[GRID_IMPORT_W] + abs_tol_w:
        return IMPORT_LIMIT, O_P_GRID_IMPORT_W, row[O_P_GRID_IMPORT_W]
    if row[O_P_GRID_EXPORT_W] > plant[GRID_EXPORT_W] + abs_tol_w:
        return EXPORT_LIMIT, O_P_GRID_EXPORT_W, row[O_P_GRID_EXPORT_W]
    e_j = plant[BESS_E_J]
    if e_j <= 0.0:
        return OK, -1, 0.0
    for c in (O_P_BESS_CHARGE_W, O_P_BESS_DISCHARGE_W):
        if row[c] > plant[BESS_P_W] + abs_tol_w:
            return BESS_POWER, c, row[c]
    if soc_prev >= 0.0:
        flows = plant[BESS_ETA_C] * row[O_P_BESS_CHARGE_W]
        flows -= row[O_P_BESS_DISCHARGE_W] / plant[BESS_ETA_D]
        gap = row[O_SOC_BESS] - (soc_prev + flows * plant[DT_S] / e_j)
        if abs(gap) > SOC_FLOW_TOL:
            return SOC_FLOWS, O_SOC_BESS, gap
    return OK, -1, 0.0


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
        + row[O_P_RE_CURTAILED_W]
    )
    return supply - demand


#: The largest finite float64: a value within ``[-F_MAX, F_MAX]`` is finite.
F_MAX = sys.float_info.max
#: The physical range of a temperature column [°C].
T_MIN_C, T_MAX_C = -273.15, 200.0


@njit(inline="always")
def _is_temperature(c):
    return c in (O_T_AIR_C, O_T_LIQ_C, O_T_AIR_PEAK_C, O_T_LIQ_PEAK_C, O_T_TCS_C, O_T_TCS_PEAK_C)


@njit(inline="always")
def _bounds(c, abs_tol_w):
    """The range of column *c* that passes the finite, sign and temperature checks."""
    if c == O_BALANCE_W:
        return -F_MAX, F_MAX  # a signed residual: finite only
    if _is_temperature(c):
        return T_MIN_C, T_MAX_C
    if c == O_VDOT_WATER_M3_S:
        return 0.0, F_MAX  # water gets no slack
    return -abs_tol_w, F_MAX


@njit(inline="always")
def _in_bounds(row, abs_tol_w):
    """True if every column of *row* is finite, every flow non-negative (within the slack)
    and every temperature physical: one comparison pair per column without a branch (a NaN
    fails both), so the common row costs no more than a pass over its values."""
    ok = True
    for c in range(N_OUT):
        lo, hi = _bounds(c, abs_tol_w)
        v = row[c]
        ok &= (v >= lo) & (v <= hi)
    return ok


@njit
def _bound_violation(row, abs_tol_w):
    """The first finite or sign check that *row* breaks, in the scan's order: ``(code,
    column, value)``, code 0 if none."""
    for c in range(N_OUT):
        if not math.isfinite(row[c]):
            return NOT_FINITE, c, row[c]
    for c in range(N_OUT):
        if c == O_BALANCE_W or _is_temperature(c):
            continue
        slack = 0.0 if c == O_VDOT_WATER_M3_S else abs_tol_w
        if row[c] < -slack:
            return NEGATIVE, c, row[c]
    return OK, -1, 0.0


@njit
def scan_invariants(out, balance_tol, abs_tol_w, soc_lo, soc_hi, check_soc, plant):
    """First broken invariant of *out* as ``(code, step, column, value)``; code 0 if none.

    ``balance_tol`` is relative to the mean facility power; ``abs_tol_w`` is the
    slack of sign and sum checks on powers (water volumes get none). *plant* is the
    packed plant vector of the run, or an empty array to skip the flow limits. The
    checks of a row run in a fixed order (finite, sign, step balance, PUE, cooling
    parts, temperatures, state of charge, flow limits); the value checks (finite, sign,
    temperature) run one by one only on a row whose values leave their ranges
    (:func:`_in_bounds`), with the same result as running them on every row.
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
        suspect = not _in_bounds(row, abs_tol_w)
        if suspect:
            code, c, value = _bound_violation(row, abs_tol_w)
            if code != OK:
                return code, k, c, value
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
        if suspect:
            for c in (O_T_AIR_C, O_T_LIQ_C, O_T_AIR_PEAK_C, O_T_LIQ_PEAK_C, O_T_TCS_C,
                      O_T_TCS_PEAK_C):  # fmt: skip
                if row[c] < T_MIN_C or row[c] > T_MAX_C:
                    return TEMPERATURE, k, c, row[c]
        if check_soc and (row[O_SOC_BESS] < soc_lo or row[O_SOC_BESS] > soc_hi):
            return SOC_LIMITS, k, O_SOC_BESS, row[O_SOC_BESS]
        if plant.shape[0] > 0:
            soc_prev = out[k - 1, O_SOC_BESS] if k > 0 else -1.0
            code, col, value = flow_limits(row, soc_prev, plant, abs_tol_w)
            if code != OK:
                return code, k, col, value
    if abs(resid_sum) > tol * n:
        return BALANCE_HORIZON, n - 1, -1, resid_sum / (scale * n)
    return OK, -1, -1, 0.0
