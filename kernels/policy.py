"""Battery dispatch policies: the limits one step's dispatch runs under.

Each policy turns the per-step signals (grid price, carbon intensity and
carbon-free share, two thresholds, a schedule; :mod:`kernels.layout` ``SIG_*``)
into four numbers for :func:`kernels.supply.dispatch`: the most the battery may
discharge, the most it may charge, how much of that may come from the grid,
and the export cap. The thresholds are set by the twin
(:mod:`twin.sim.signals`), so the kernel only compares.

Policies (``plant[DISPATCH_POLICY]``), while the grid is up:

``self_consumption``
    HOMER's "load following" / SAM's behind-the-meter self-consumption [1]:
    discharge to any shortfall, charge from on-site surplus only.
``tou_arbitrage``
    SAM's "manual dispatch" by TOU period [2]: charge from the grid when the
    price is at or below ``SIG_LO`` (off-peak), discharge only when it is at or
    above ``SIG_HI`` (peak); on-site surplus always charges. Grid charging
    stops at ``SIG_SOC_CEIL``, which leaves room for the on-site surplus the
    twin expects over the next 24 h (a day-ahead forecast, as SAM's
    "look ahead" option).
``peak_shaving``
    SAM's "peak shaving" behind-the-meter dispatch [2]: discharge the net load
    above a grid-import target, recharge from the grid below it (up to the
    same day-ahead ceiling).
``carbon_aware``
    As ``tou_arbitrage`` on the carbon intensity instead of the price (same
    charging ceiling), and the
    battery discharges only while its stored energy is cleaner than the grid
    (carbon-free share of the stored energy > the grid's), so discharging
    never lowers the hourly carbon-free match.
``optimal``
    Follow a precomputed schedule ``SIG_BESS_W`` (+ charge, − discharge), e.g.
    the perfect-foresight linear program of :mod:`twin.sim.optimum`. The schedule is
    an energy per step: in a step that an event splits into parts
    (:mod:`kernels.span`), the battery delivers the step's scheduled energy over its
    parts, taking the on-site surplus (or covering the shortfall) of each part first
    (:func:`schedule_band_w`), as an energy-management system settles a schedule per
    interval. Assumed: the controller meters the energy it has delivered in the step
    but does not know the load of the parts still to come.

In an outage every policy falls back to self-consumption (the battery helps).

References
----------
.. [1] HOMER Pro user manual, "Load Following" dispatch strategy.
.. [2] NREL System Advisor Model help, "Battery Dispatch, Behind the Meter":
   peak shaving, manual dispatch by time-of-use period.
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.layout import (
    BESS_E_J,
    BESS_ETA_C,
    BESS_P_W,
    DISPATCH_POLICY,
    DT_S,
    PEAK_TARGET_W,
    POLICY_CARBON_AWARE,
    POLICY_PEAK_SHAVING,
    POLICY_SCHEDULE,
    POLICY_TOU_ARBITRAGE,
    SIG_CARBON,
    SIG_CF,
    SIG_HI,
    SIG_LO,
    SIG_PRICE,
    SIG_SOC_CEIL,
)

BIG_W = 1e300


@njit
def _grid_charge_to_ceiling_w(plant, sig_k, soc):
    """Grid charging that brings the battery up to ``SIG_SOC_CEIL`` in one step [W]."""
    room = sig_k[SIG_SOC_CEIL] - soc
    if room <= 0.0:
        return 0.0
    return room * plant[BESS_E_J] / (plant[BESS_ETA_C] * plant[DT_S])


@njit
def schedule_band_w(plant, b_w, left_j, left_s, part_s):
    """The scheduled battery power of a part of a step, as a band ``(lo, hi)`` [W].

    ``b_w``: the step's scheduled power (+ charge); ``left_j``: the step's scheduled
    energy not yet delivered [J]; ``left_s``: the time left in the step at the start
    of the part [s]; ``part_s``: the part's length [s]. For a whole step
    (``left_s`` <= 0) the band is ``b_w`` itself. Charging: at most the energy left
    in the part (never past the schedule), at least what the battery's rated power
    could no longer deliver after the part; the dispatch charges the on-site surplus
    inside the band, so a part with more surplus charges more and the next less,
    with the same energy over the step. Discharging: at most the energy left (the
    dispatch covers the part's shortfall up to it). Returns ``(lo, hi)``, both >= 0
    when charging, ``(-hi, 0)`` caps when discharging (``lo`` <= 0).
    """
    if left_s <= 0.0:
        return b_w, b_w
    p_max = plant[BESS_P_W]
    if left_j >= 0.0:
        hi = min(left_j / part_s, p_max)
        lo = max(left_j - p_max * (left_s - part_s), 0.0) / part_s
        return min(lo, hi), hi
    return -min(-left_j / part_s, p_max), 0.0


@njit
def policy_limits(plant, sig_k, p_load_w, p_re_w, frac_cfe, soc, band):
    """Battery limits of one step under the plant's policy.

    Parameters
    ----------
    plant : ndarray (N_PLANT,)
    sig_k : ndarray (N_SIG,)
        This step's signals.
    p_load_w, p_re_w : float
        Load and on-site renewable supply of the step [W].
    frac_cfe : float
        Carbon-free share of the energy in the battery [-].
    soc : float
        State of charge at the start of the step [-].
    band : (float, float)
        ``optimal``: the scheduled power of the step or part (:func:`schedule_band_w`).

    Returns
    -------
    (bess_dis_cap_w, bess_ch_cap_w, grid_charge_w) : tuple of float [W]
    """
    policy = int(plant[DISPATCH_POLICY])
    if policy == POLICY_TOU_ARBITRAGE:
        price = sig_k[SIG_PRICE]
        dis = BIG_W if price >= sig_k[SIG_HI] else 0.0
        gch = _grid_charge_to_ceiling_w(plant, sig_k, soc) if price <= sig_k[SIG_LO] else 0.0
        return dis, BIG_W, gch
    if policy == POLICY_PEAK_SHAVING:
        net = p_load_w - p_re_w
        target = plant[PEAK_TARGET_W]
        # grid charging tops the import up to the target (never above it)
        gch = min(max(target - max(net, 0.0), 0.0), _grid_charge_to_ceiling_w(plant, sig_k, soc))
        return max(net - target, 0.0), BIG_W, gch
    if policy == POLICY_CARBON_AWARE:
        c = sig_k[SIG_CARBON]
        dis = BIG_W if (c >= sig_k[SIG_HI] and frac_cfe > sig_k[SIG_CF]) else 0.0
        gch = _grid_charge_to_ceiling_w(plant, sig_k, soc) if c <= sig_k[SIG_LO] else 0.0
        return dis, BIG_W, gch
    if policy == POLICY_SCHEDULE:
        lo, hi = band
        if lo == hi:  # a whole step (or a part with no room left): the schedule itself
            if hi >= 0.0:
                return 0.0, hi, BIG_W
            return -hi, 0.0, 0.0
        if lo < 0.0:  # a discharging part: cover its shortfall up to the energy left
            return -lo, 0.0, 0.0
        # a charging part: its surplus inside the band, the grid tops it up to the floor
        surplus = max(p_re_w - p_load_w, 0.0)
        return 0.0, hi, max(lo - min(surplus, hi), 0.0)
    return BIG_W, BIG_W, 0.0
