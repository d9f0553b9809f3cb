"""Plant controls as small state machines (scalar, CUDA-safe).

* :func:`hysteresis_on` — economizer changeover with a dead band: free cooling
  is enabled when the free source can precool the return water by more than
  the band, and disabled only when it can no longer precool it at all, so it
  does not chatter around the switch point.
* :func:`supply_reset_c` — chilled-water supply temperature reset by load:
  the supply set point rises linearly as the loop's part-load ratio falls.

References
----------
ANSI/ASHRAE/IES Standard 90.1-2019, §6.5.4.4 (chilled- and hot-water
temperature reset by representative load) and §6.5.1.3 (integrated economizer
control); ASHRAE Guideline 36-2021, §5.20 (plant reset and economizer
enable/disable with dead bands).
"""

from __future__ import annotations

from kernels._jit import njit

__all__ = ["RESET_PLR_FULL", "RESET_PLR_LOW", "hysteresis_on", "supply_reset_c"]

#: Part-load ratios of the linear reset schedule (assumed: no reset at or above
#: 90 % of the loop design load, full reset at or below 50 %; 90.1 §6.5.4.4
#: requires a reset by load and leaves the schedule to the designer).
RESET_PLR_FULL = 0.9
RESET_PLR_LOW = 0.5


@njit
def hysteresis_on(enabled, x, on_below, off_at_or_above):
    """Two-threshold switch.

    Parameters
    ----------
    enabled : bool
        State in the previous step.
    x : float
        Controlled variable (here the temperature the free source can precool
        the return water to) [°C].
    on_below : float
        Switch on when ``x < on_below`` [°C].
    off_at_or_above : float
        Switch off when ``x ≥ off_at_or_above`` [°C] (``≥ on_below``).

    Returns
    -------
    bool
        New state. With ``on_below == off_at_or_above`` it is a plain threshold.
    """
    if enabled:
        return x < off_at_or_above
    return x < on_below


@njit
def supply_reset_c(t_design_c, plr, reset_k, plr_full, plr_low):
    """Supply set point reset by load [°C].

    ``t_design_c + reset_k · f`` with ``f = clamp((plr_full − plr) /
    (plr_full − plr_low), 0, 1)``: the design set point at or above
    ``plr_full``, the fully reset one at or below ``plr_low``.
    """
    if reset_k <= 0.0 or plr_full <= plr_low:
        return t_design_c
    f = (plr_full - plr) / (plr_full - plr_low)
    f = min(max(f, 0.0), 1.0)
    return t_design_c + reset_k * f
