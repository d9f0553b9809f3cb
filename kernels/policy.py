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
    the perfect-foresight linear program of :mod:`twin.sim.optimum`.

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
    DISPATCH_POLICY,
    DT_S,
    PEAK_TARGET_W,
    POLICY_CARBON_AWARE,
    POLICY_PEAK_SHAVING,
    POLICY_SCHEDULE,
    POLICY_TOU_ARBITRAGE,
    SIG_BESS_W,
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
def policy_limits(plant, sig_k, p_load_w, p_re_w, frac_cfe, soc):
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
        b = sig_k[SIG_BESS_W]
        if b >= 0.0:
            return 0.0, b, BIG_W
        return -b, 0.0, 0.0
    return BIG_W, BIG_W, 0.0
