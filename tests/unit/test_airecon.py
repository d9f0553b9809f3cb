"""Air-side economizer (kernels/airecon.py).

Psychrometrics against psychrolib (ASHRAE Handbook—Fundamentals 2017 ch. 1);
the split against the integrated-economizer rule with the outdoor (or
evaporatively cooled, T_db − ε (T_db − T_wb)) air as source; the ASHRAE TC 9.9
(2021) humidity envelope, dew point −9 to 15 °C and RH ≤ 70 %, for direct air.
"""

from __future__ import annotations

import psychrolib
import pytest

from kernels.airecon import (
    AIR_ECON_DIRECT,
    AIR_ECON_INDIRECT,
    AIR_ECON_NONE,
    air_econ_split,
    dew_point_c,
    humidity_ratio_from_wb,
)
from kernels.drycooler import H_FG_WATER_J_KG
from twin import Scenario
from twin.results.simulate import simulate

psychrolib.SetUnitSystem(psychrolib.SI)
P = 101325.0


@pytest.mark.parametrize(("t_db", "t_wb"), [(30.0, 20.0), (15.0, 10.0), (40.0, 22.0)])
def test_psychrometrics_match_psychrolib(t_db, t_wb):
    w = humidity_ratio_from_wb(t_db, t_wb, P)
    assert w == pytest.approx(psychrolib.GetHumRatioFromTWetBulb(t_db, t_wb, P), rel=2e-3)
    assert dew_point_c(w, P) == pytest.approx(
        psychrolib.GetTDewPointFromHumRatio(t_db, w, P), abs=0.05
    )


def test_direct_cool_dry_air_is_full_free_cooling():
    q, w = air_econ_split(AIR_ECON_DIRECT, 1e6, 12.0, 7.0, P, 27.0, 12.0, 0.7)[:2]
    assert q == 1e6 and w == 0.0  # mixing with return air, no pads below the set point


def test_direct_blocked_by_humidity_indirect_is_not():
    # 26 °C / 24 °C wet bulb: dew point about 23 °C, above 15 °C
    assert air_econ_split(AIR_ECON_DIRECT, 1e6, 26.0, 24.0, P, 27.0, 12.0, 0.7) == (0.0, 0.0, 0)
    q, _, mode = air_econ_split(AIR_ECON_INDIRECT, 1e6, 26.0, 24.0, P, 27.0, 12.0, 0.7)
    assert q == 1e6 and mode == 2
    assert air_econ_split(AIR_ECON_NONE, 1e6, 10.0, 5.0, P, 27.0, 12.0, 0.7) == (0.0, 0.0, 0)


def test_indirect_partial_split_and_water():
    t_db, t_wb, eps, t_sup, dt = 42.0, 20.0, 0.7, 27.0, 12.0
    q, water, mode = air_econ_split(AIR_ECON_INDIRECT, 1e6, t_db, t_wb, P, t_sup, dt, eps)
    t_src = t_db - eps * (t_db - t_wb)  # 26.6 °C: below the supply, full free
    assert t_src < t_sup and mode == 2 and q == 1e6
    mdot = 1e6 / (1006.0 * dt)
    assert water == pytest.approx(mdot * 1006.0 * (t_db - t_src) / H_FG_WATER_J_KG)
    # hotter and more humid: partial, (T_ret − T_src) / ΔT of the load
    q, _, mode = air_econ_split(AIR_ECON_INDIRECT, 1e6, 45.0, 30.0, P, t_sup, dt, eps)
    t_src = 45.0 - eps * 15.0
    assert mode == 1
    assert q == pytest.approx(1e6 * (t_sup + dt - t_src) / dt)


def test_indirect_economizer_lowers_pue_in_a_run():
    base = {"site": {"id": "ouarzazate"}, "simulation": {"days": 30}}
    k0 = simulate(Scenario(**base)).kpis
    k1 = simulate(Scenario(**base, cooling={"air_economizer": "indirect"})).kpis
    assert k1["pue"] < k0["pue"]
    assert k1["energy_balance_error"] < 1e-6
