"""The automatic grid-import target of the ``peak_shaving`` policy.

:func:`lowest_peak_target_w` finds by bisection the lowest import the battery can hold
over a run given the net load (facility load minus on-site renewables): a peak-shaving
controller tuned on the year with perfect foresight, as SAM's behind-the-meter "peak
shaving" dispatch sets its target from a look-ahead of the load [1]. Each trial target
is checked by :func:`peak_target_holds`, which plays the rule of
:mod:`kernels.policy` (``peak_shaving``) on an ideal battery: discharge the net load
above the target, recharge from the grid below it, within the power rating and the
state-of-charge window, with the charge and discharge efficiencies.

Every trial walks the whole run, and the bisection makes 30 of them: at 1-minute steps
that is some 15 million steps, which is why it is compiled (it was a Python loop:
14 s for a 1-minute year, measured on a 2-core machine).

References
----------
[1] NREL System Advisor Model, Battery Storage, "Behind-the-meter dispatch: peak
    shaving" (SAM Help, Battery Dispatch Options).
"""

from __future__ import annotations

from kernels._jit import njit

__all__ = ["BISECTIONS", "lowest_peak_target_w", "peak_target_holds"]

#: Halvings of the bracket [0, peak]: the target to peak / 2³⁰ (0.04 W at 40 MW).
BISECTIONS = 30


@njit
def peak_target_holds(
    target_w, net_w, e_j, p_w, dt_s, soc_init, soc_min, soc_max, eta_charge, eta_discharge
):
    """Can the battery keep the grid import at or below ``target_w`` over the run?

    Parameters
    ----------
    target_w : float
        Grid-import target [W].
    net_w : ndarray
        Net load of each step [W] (facility load minus on-site renewables).
    e_j : float
        Nameplate energy [J]; ``p_w``: power rating [W]; ``dt_s``: step [s].
    soc_init, soc_min, soc_max : float
        Initial state of charge and its window [-].
    eta_charge, eta_discharge : float
        Charge and discharge efficiencies [-].

    Returns
    -------
    bool
        False at the first step whose excess over the target the battery cannot deliver
        (to 1e-9 relative and 1 µW).
    """
    soc = soc_init
    for k in range(net_w.shape[0]):
        net = net_w[k]
        if net > target_w:
            need = net - target_w
            avail = min(p_w, max(soc - soc_min, 0.0) * e_j * eta_discharge / dt_s)
            if need > avail * (1 + 1e-9) + 1e-6:
                return False
            soc -= need / eta_discharge * dt_s / e_j
        else:
            room = min(p_w, target_w - net, max(soc_max - soc, 0.0) * e_j / (eta_charge * dt_s))
            soc += eta_charge * room * dt_s / e_j
    return True


@njit
def lowest_peak_target_w(
    net_w, e_j, p_w, dt_s, soc_init, soc_min, soc_max, eta_charge, eta_discharge
):
    """Lowest grid-import target in ``[0, max(peak net load, 0)]`` the battery holds
    (:func:`peak_target_holds`), by :data:`BISECTIONS` halvings [W]; the upper end of
    the last bracket, so the target returned always holds."""
    hi = 0.0
    for k in range(net_w.shape[0]):
        hi = max(hi, net_w[k])
    lo = 0.0
    for _ in range(BISECTIONS):
        mid = 0.5 * (lo + hi)
        if peak_target_holds(
            mid, net_w, e_j, p_w, dt_s, soc_init, soc_min, soc_max, eta_charge, eta_discharge
        ):
            hi = mid
        else:
            lo = mid
    return hi
