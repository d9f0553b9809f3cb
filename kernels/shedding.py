"""Graceful shedding: which IT is switched off when supply falls short.

When the supplies cannot carry the IT load (the cooling plant has already been shed,
:mod:`kernels.integrate`), the dispatch (:mod:`kernels.supply`) says how much IT power
is served; :func:`shed_by_priority` says whose. Rack groups carry a priority level
(``G_PRIORITY``, 0 … ``N_PRIORITY`` - 1): the lowest level is shed first, and only as
much as the shortfall, so a level may be shed in part; groups of one level are shed
in proportion to their demand (assumed: a load-shedding controller that caps each
group's power, as a power-capping controller of a GPU pool does, rather than
switching whole rows off). This is the priority-ordered load shedding of an
islanded microgrid (IEEE 1547-2018 §8 and IEEE 2030.7-2017, "load management" of a
microgrid controller: non-critical loads first). Pure scalar arithmetic on the group
rows, no allocation, CUDA-safe.
"""

from __future__ import annotations

from kernels._jit import njit
from kernels.it_load import inlet_uplift_frac, rack_group_power_w
from kernels.layout import (
    G_IDLE_FRAC,
    G_LIQUID_FRAC,
    G_N_RACKS,
    G_P_PEAK_W,
    G_PRIORITY,
    IT_TEMP_COEF_PER_K,
    IT_TEMP_REF_C,
    N_PRIORITY,
)


@njit
def level_power_w(plant, groups, u_groups, t_air0_c, level):
    """IT power of the groups of priority ``level``: ``(air-cooled share with the
    inlet-temperature uplift, liquid-cooled share)`` [W], as :mod:`kernels.integrate`
    computes the hall's IT load."""
    uplift = inlet_uplift_frac(t_air0_c, plant[IT_TEMP_REF_C], plant[IT_TEMP_COEF_PER_K])
    p_air = 0.0
    p_liq = 0.0
    for g in range(groups.shape[0]):
        if int(groups[g, G_PRIORITY] + 0.5) != level:
            continue
        p_g = rack_group_power_w(
            groups[g, G_N_RACKS], groups[g, G_P_PEAK_W], groups[g, G_IDLE_FRAC], u_groups[g]
        )
        lf = groups[g, G_LIQUID_FRAC]
        p_air += p_g * (1.0 - lf) * uplift
        p_liq += p_g * lf
    return p_air, p_liq


@njit
def shed_by_priority(plant, groups, u_groups, t_air0_c, shed_w):
    """Shed ``shed_w`` of IT power [W], lowest priority first (module docstring).

    Returns ``(air-cooled IT shed, liquid-cooled IT shed, (shed of level 0, 1, 2, 3))``
    [W]; their sum is ``shed_w`` (at most the IT power of all groups).
    """
    left = shed_w
    shed_air = 0.0
    shed_liq = 0.0
    s0 = 0.0
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    for level in range(N_PRIORITY):
        if left <= 0.0:
            break
        p_air, p_liq = level_power_w(plant, groups, u_groups, t_air0_c, level)
        total = p_air + p_liq
        if total <= 0.0:
            continue
        x = min(left, total)
        f = x / total
        shed_air += f * p_air
        shed_liq += f * p_liq
        left -= x
        if level == 0:
            s0 = x
        elif level == 1:
            s1 = x
        elif level == 2:
            s2 = x
        else:
            s3 = x
    return shed_air, shed_liq, (s0, s1, s2, s3)
