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
* the battery's state of charge stays inside ``[soc_min, soc_max]``;
* temperatures are physical (above absolute zero, below 200 °C);
* facility power is never below IT power (PUE ≥ 1 at every step);
* the cooling plant's power is the sum of its end uses.

Violations raise :class:`~twin.errors.EnergyBalanceError` naming the
invariant, the step and the size of the violation. Pure NumPy, O(steps).
"""

from __future__ import annotations

import numpy as np

from kernels import layout as L
from twin.errors import EnergyBalanceError

__all__ = ["BALANCE_TOL", "balance_residual_w", "check_run"]

BALANCE_TOL = 1e-6
"""Largest allowed |supply − demand| relative to the mean facility power [-]."""

_ABS_TOL_W = 1e-3
"""Absolute slack for sign and limit checks [W or -]: round-off of sums of MW terms."""

_NON_NEGATIVE = tuple(
    i for i in range(L.N_OUT) if i not in (L.O_T_AIR_C, L.O_T_LIQ_C, L.O_BALANCE_W)
)
#: per-column slack of the sign check: round-off of W sums, none for volumes
_NEG_TOL = np.array([1e-12 if i == L.O_VDOT_WATER_M3_S else _ABS_TOL_W for i in _NON_NEGATIVE])
_COOLING_END_USES = (L.O_P_CHILLER_W, L.O_P_TOWER_FAN_W, L.O_P_PUMPS_W, L.O_P_AIR_FANS_W)


def _fail(what: str, step: int, detail: str) -> None:
    msg = f"invariant broken: {what} at step {step} ({detail})"
    raise EnergyBalanceError(msg)


def facility_w(out: np.ndarray) -> np.ndarray:
    """IT + UPS losses + cooling + grid transformer losses, per step [W]."""
    return (
        out[:, L.O_P_IT_W]
        + out[:, L.O_P_UPS_LOSS_W]
        + out[:, L.O_P_COOLING_W]
        + out[:, L.O_P_XFMR_LOSS_W]
    )


def balance_residual_w(out: np.ndarray) -> np.ndarray:
    """Supply − demand of the electrical bus per step [W], from the flow columns."""
    supply = (
        out[:, L.O_P_PV_W]
        + out[:, L.O_P_WIND_W]
        + out[:, L.O_P_GRID_IMPORT_W]
        + out[:, L.O_P_GENSET_W]
        + out[:, L.O_P_BESS_DISCHARGE_W]
        + out[:, L.O_P_UPS_DISCHARGE_W]
    )
    demand = (
        facility_w(out)
        + out[:, L.O_P_BESS_CHARGE_W]
        + out[:, L.O_P_UPS_CHARGE_W]
        + out[:, L.O_P_GRID_EXPORT_W]
        + out[:, L.O_P_PV_CURTAILED_W]
    )
    return supply - demand


def check_run(out: np.ndarray, plant: np.ndarray | None = None) -> None:
    """Raise :class:`EnergyBalanceError` if any invariant of the module is broken.

    Parameters
    ----------
    out : (n_steps, N_OUT) array
        Kernel outputs, one row per step.
    plant : (N_PLANT,) array, optional
        The packed plant parameters; when given, the battery's state of charge
        is checked against its limits.
    """
    if out.ndim != 2 or out.shape[1] != L.N_OUT:
        msg = f"output array has shape {out.shape}, expected (steps, {L.N_OUT})"
        raise EnergyBalanceError(msg)
    if out.shape[0] == 0:
        return
    finite = np.isfinite(out)
    if not finite.all():
        k, c = np.argwhere(~finite)[0]
        _fail("finite values", int(k), f"column {int(c)} is {out[k, c]}")

    flows = out[:, _NON_NEGATIVE]
    if (flows < -_NEG_TOL).any():
        k, j = np.unravel_index(int(np.argmax(flows < -_NEG_TOL)), flows.shape)
        _fail("non-negative flows", int(k), f"column {_NON_NEGATIVE[j]} = {flows[k, j]:.6g}")

    fac = facility_w(out)
    scale = max(float(fac.mean()), 1.0)
    resid = balance_residual_w(out)
    k = int(np.argmax(np.abs(resid)))
    if abs(resid[k]) > BALANCE_TOL * scale:
        _fail(
            "energy balance per step",
            k,
            f"|supply - demand| = {abs(resid[k]):.6g} W, {abs(resid[k]) / scale:.3g} of mean facility",
        )
    total = abs(float(resid.sum()))
    if total > BALANCE_TOL * scale * out.shape[0]:
        _fail("energy balance over the horizon", out.shape[0] - 1, f"residual {total:.6g} W·steps")

    below = fac - out[:, L.O_P_IT_W]
    if below.min() < -_ABS_TOL_W:
        k = int(np.argmin(below))
        _fail("facility >= IT (PUE >= 1)", k, f"facility - IT = {below[k]:.6g} W")

    parts = out[:, list(_COOLING_END_USES)].sum(axis=1)
    gap = np.abs(parts - out[:, L.O_P_COOLING_W])
    k = int(np.argmax(gap))
    if gap[k] > BALANCE_TOL * scale + _ABS_TOL_W:
        _fail("cooling = sum of end uses", k, f"gap {gap[k]:.6g} W")

    for col, name in ((L.O_T_AIR_C, "hall air"), (L.O_T_LIQ_C, "liquid loop")):
        t = out[:, col]
        bad = (t < -273.15) | (t > 200.0)
        if bad.any():
            k = int(np.argmax(bad))
            _fail(f"physical {name} temperature", k, f"{t[k]:.6g} °C")

    if plant is not None and plant[L.BESS_E_J] > 0.0:
        soc = out[:, L.O_SOC_BESS]
        lo, hi = plant[L.BESS_SOC_MIN] - 1e-9, plant[L.BESS_SOC_MAX] + 1e-9
        bad = (soc < lo) | (soc > hi)
        if bad.any():
            k = int(np.argmax(bad))
            _fail(
                "battery state of charge within limits",
                k,
                f"soc = {soc[k]:.9g}, limits [{plant[L.BESS_SOC_MIN]}, {plant[L.BESS_SOC_MAX]}]",
            )
