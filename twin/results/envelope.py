"""ASHRAE TC 9.9 envelopes applied to a run's hall-inlet temperatures.

The hall is one air node, so every air-cooled group sees the same inlet; the
strictest class of the groups that put heat into the air sets the envelope
(the upper limits are applied in :func:`twin.sim.compile.compile_scenario`).

References
----------
ASHRAE TC 9.9, Thermal Guidelines for Data Processing Environments, 5th ed.
(2021): recommended 18-27 °C; allowable A1 15-32, A2 10-35, A3 5-40, A4 5-45 °C.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from twin.scenario.ashrae import ASHRAE_AIR_MIN_C

if TYPE_CHECKING:
    from twin.scenario.model import Scenario

__all__ = ["air_envelope", "air_groups"]


def air_groups(sc: Scenario) -> list:
    """Rack groups that release heat into the hall air (air-cooled share > 0)."""
    return [g for g in sc.it.groups if g.racks > 0 and (g.cooling == "air" or g.liquid_frac < 1.0)]


def air_envelope(sc: Scenario) -> tuple[bool, float]:
    """Whether heat reaches the hall air, and the strictest lower allowable inlet [°C].

    The counts themselves (steps below the allowable envelope, hours outside the
    recommended 18-27 °C while IT runs) are taken in the one pass of
    :func:`kernels.kpisums.run_totals`.
    """
    groups = air_groups(sc)
    if not groups:
        return False, -math.inf
    return True, float(max(ASHRAE_AIR_MIN_C[g.ashrae_class] for g in groups))
