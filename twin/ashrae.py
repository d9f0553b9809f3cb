"""ASHRAE TC 9.9 envelopes applied to a run's hall-inlet temperatures.

The hall is one air node, so every air-cooled group sees the same inlet; the
strictest class of the groups that put heat into the air sets the envelope
(the upper limits are applied in :func:`twin.build.compile_scenario`).

References
----------
ASHRAE TC 9.9, Thermal Guidelines for Data Processing Environments, 5th ed.
(2021): recommended 18-27 °C; allowable A1 15-32, A2 10-35, A3 5-40, A4 5-45 °C.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kernels import layout as L
from twin.scenario import ASHRAE_AIR_MIN_C, ASHRAE_AIR_RECOMMENDED_C

if TYPE_CHECKING:
    from twin.scenario import Scenario

__all__ = ["air_groups", "below_allowable", "recommended_excursion_h"]


def air_groups(sc: Scenario) -> list:
    """Rack groups that release heat into the hall air (air-cooled share > 0)."""
    return [g for g in sc.it.groups if g.racks > 0 and (g.cooling == "air" or g.liquid_frac < 1.0)]


def below_allowable(sc: Scenario, out: np.ndarray) -> np.ndarray:
    """Steps with the hall inlet below the strictest lower allowable limit, IT on."""
    groups = air_groups(sc)
    if not groups:
        return np.zeros(out.shape[0], dtype=bool)
    t_min = max(ASHRAE_AIR_MIN_C[g.ashrae_class] for g in groups)
    return (out[:, L.O_T_AIR_C] < t_min) & (out[:, L.O_P_IT_W] > 0.0)


def recommended_excursion_h(sc: Scenario, out: np.ndarray) -> float:
    """Hours with the hall inlet outside the recommended 18-27 °C while IT runs."""
    if not air_groups(sc):
        return 0.0
    lo, hi = ASHRAE_AIR_RECOMMENDED_C
    t = out[:, L.O_T_AIR_C]
    outside = ((t < lo) | (t > hi)) & (out[:, L.O_P_IT_W] > 0.0)
    return float(outside.sum() * sc.dt_s / 3600.0)
