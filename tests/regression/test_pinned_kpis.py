"""The KPIs of every example campus (and variants over plants, policies, workloads, steps)
stay where they were pinned, unless the pin is regenerated on purpose.

Regenerate with ``python -m tests.regression.pin_kpis --write`` and put the printed diff in
the commit message (see that module). The tolerance only absorbs the last-bit differences
of another CPU's floating point (fused multiply-add, vector width); any change of physics,
data or definition moves a KPI by far more.
"""

from __future__ import annotations

import math

import pytest

from tests.regression.pin_kpis import cases, load_pins, run_case

#: relative tolerance for another CPU's rounding; the pins are exact on the machine that wrote them
REL = 1e-9
#: absolute floor for KPIs that are zero, in the KPI's own unit
ABS = 1e-9


def test_every_case_is_pinned_and_every_pin_is_a_case():
    assert set(load_pins()) == set(cases()), (
        "cases and pins differ: run python -m tests.regression.pin_kpis --write"
    )


@pytest.mark.parametrize("name", sorted(cases()))
def test_kpis_match_the_pin(name):
    pinned = load_pins()[name]
    got = run_case(name)
    assert set(got) == set(pinned), f"KPI names changed: {sorted(set(got) ^ set(pinned))}"
    moved = {
        k: (pinned[k], got[k])
        for k in pinned
        if not (
            math.isclose(got[k], pinned[k], rel_tol=REL, abs_tol=ABS)
            or (math.isnan(got[k]) and math.isnan(pinned[k]))
        )
    }
    assert not moved, (
        f"{name}: KPIs moved from their pin (pinned, now): {moved}; if the physics changed on "
        "purpose, run python -m tests.regression.pin_kpis --write and put its diff in the commit"
    )
