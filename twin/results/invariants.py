"""Physical invariants every run must satisfy, checked after the kernels.

The kernels write one row of :mod:`kernels.layout` output columns per step.
These checks recompute the facts that must hold from those columns, without
trusting the kernel's own residual column:

* every value is finite;
* energy flows, water and curtailment are non-negative;
* the electrical bus balances at every step and over the horizon
  (first law: on-site generation + imports + storage discharge =
  IT + UPS losses + cooling + transformer losses + storage charge + export +
  curtailment), to
  :data:`BALANCE_TOL` of the mean facility power;
* the battery's state of charge stays inside ``[soc_min, soc_max]`` and follows
  its flows, ``soc_k = soc_{k-1} + (η_c P_ch − P_dis / η_d) Δt / E``;
* the metered grid import (transformer losses included) stays within
  ``grid.import_limit_mw``, the export within ``grid.export_limit_mw``, the
  battery's charge and discharge within ``battery.power_mw``;
* temperatures are physical (above absolute zero, below 200 °C);
* facility power is never below IT power (PUE ≥ 1 at every step);
* the cooling plant's power is the sum of its end uses.

Violations raise :class:`~twin.errors.EnergyBalanceError` naming the
invariant, the step and the size of the violation. The scan is one compiled
pass over the rows (:mod:`kernels.checks`), so checking costs little next to
the run itself.
"""

from __future__ import annotations

import numpy as np

from kernels import checks
from kernels import layout as L
from twin.errors import EnergyBalanceError

__all__ = ["BALANCE_TOL", "check_run", "raise_if_broken", "soc_limits"]

BALANCE_TOL = 1e-6
"""Largest allowed |supply − demand| relative to the mean facility power [-]."""

ABS_TOL_W = 1e-3
"""Absolute slack for sign and limit checks [W or -]: round-off of sums of MW terms."""


def _fail(what: str, step: int, detail: str) -> None:
    msg = f"invariant broken: {what} at step {step} ({detail})"
    raise EnergyBalanceError(msg)


_WHAT = {
    checks.NOT_FINITE: "finite values",
    checks.NEGATIVE: "non-negative flows",
    checks.BALANCE_STEP: "energy balance per step",
    checks.BALANCE_HORIZON: "energy balance over the horizon",
    checks.PUE_BELOW_ONE: "facility >= IT (PUE >= 1)",
    checks.COOLING_PARTS: "cooling = sum of end uses",
    checks.TEMPERATURE: "physical temperature",
    checks.SOC_LIMITS: "battery state of charge within limits",
    checks.IMPORT_LIMIT: "grid import (with transformer losses) within grid.import_limit_mw",
    checks.EXPORT_LIMIT: "grid export within grid.export_limit_mw",
    checks.BESS_POWER: "battery charge and discharge within battery.power_mw",
    checks.SOC_FLOWS: "battery state of charge consistent with its flows",
}


def soc_limits(plant: np.ndarray | None) -> tuple[float, float, bool]:
    """State-of-charge bounds the scan checks, with round-off slack, and whether to check."""
    if plant is not None and plant[L.BESS_E_J] > 0.0:
        return plant[L.BESS_SOC_MIN] - 1e-9, plant[L.BESS_SOC_MAX] + 1e-9, True
    return 0.0, 1.0, False


def check_run(out: np.ndarray, plant: np.ndarray | None = None) -> None:
    """Raise :class:`EnergyBalanceError` if any invariant of the module is broken.

    Parameters
    ----------
    out : (n_steps, N_OUT) array
        Kernel outputs, one row per step.
    plant : (N_PLANT,) array, optional
        The packed plant parameters; when given, the battery's state of charge
        is checked against its limits and its flows, and the grid and battery flows
        against their ratings.

    The scan is one compiled pass (:func:`kernels.checks.scan_invariants`).
    """
    if out.ndim != 2 or out.shape[1] != L.N_OUT:
        msg = f"output array has shape {out.shape}, expected (steps, {L.N_OUT})"
        raise EnergyBalanceError(msg)
    lo, hi, check_soc = soc_limits(plant)
    code, k, col, value = checks.scan_invariants(
        np.ascontiguousarray(out, dtype=np.float64),
        BALANCE_TOL,
        ABS_TOL_W,
        lo,
        hi,
        check_soc,
        np.zeros(0) if plant is None else np.ascontiguousarray(plant, dtype=np.float64),
    )
    raise_if_broken(code, k, col, value, plant)


def raise_if_broken(code: int, k: int, col: int, value: float, plant: np.ndarray | None) -> None:
    """Raise the :class:`EnergyBalanceError` a scan result names (nothing when OK)."""
    if code == checks.OK:
        return
    lo, hi, _ = soc_limits(plant)
    what = _WHAT[code]
    if code == checks.TEMPERATURE:
        air = col in (L.O_T_AIR_C, L.O_T_AIR_PEAK_C)
        what = f"physical {'hall air' if air else 'liquid loop'} temperature"
    if code == checks.SOC_LIMITS:
        detail = f"soc = {value:.9g}, limits [{lo + 1e-9:g}, {hi - 1e-9:g}]"
    elif code in (checks.BALANCE_STEP, checks.BALANCE_HORIZON):
        detail = f"|supply - demand| = {abs(value):.3g} of mean facility power"
    elif col >= 0:
        detail = f"column {col} = {value:.6g}"
    else:
        detail = f"{value:.6g} W"
    _fail(what, int(k), detail)
