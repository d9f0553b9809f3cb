"""Air-side economizer (kernels/airecon.py).

Psychrometrics against psychrolib (ASHRAE Handbook—Fundamentals 2017 ch. 1);
the split against the integrated-economizer rule with the economizer's leaving air
as source: direct pads T_db − ε (T_db − T_wb), the indirect exchanger
t_ret − ε (t_ret − T_db or T_wb) (EnergyPlus EvaporativeCooler:Indirect:ResearchSpecial);
the ASHRAE TC 9.9 (2021) humidity envelope, dew point −9 to 15 °C and RH ≤ 70 %, for
direct air; make-up water = evaporation × 1.5 (blowdown at concentration ratio 3).
"""

from __future__ import annotations

import psychrolib
import pytest

from kernels.airecon import (
    AIR_ECON_DIRECT,
    AIR_ECON_INDIRECT,
    AIR_ECON_NONE,
    air_econ_split,
)
from kernels.drycooler import H_FG_WATER_J_KG
from kernels.psychro import dew_point_c, humidity_ratio_from_wet_bulb
from twin import Scenario
from twin.results.simulate import simulate

psychrolib.SetUnitSystem(psychrolib.SI)
P = 101325.0


@pytest.mark.parametrize(("t_db", "t_wb"), [(30.0, 20.0), (15.0, 10.0), (40.0, 22.0)])
def test_psychrometrics_match_psychrolib(t_db, t_wb):
    w = humidity_ratio_from_wet_bulb(t_db, t_wb, P)
    assert w == pytest.approx(psychrolib.GetHumRatioFromTWetBulb(t_db, t_wb, P), rel=2e-3)
    assert dew_point_c(w, P) == pytest.approx(
        psychrolib.GetTDewPointFromHumRatio(t_db, w, P), abs=0.05
    )


def test_direct_cool_dry_air_is_full_free_cooling():
    q, w = air_econ_split(AIR_ECON_DIRECT, 1e6, 12.0, 7.0, P, 27.0, 12.0, 0.7)[:2]
    assert q == 1e6 and w == 0.0  # mixing with return air, no pads below the set point


def test_direct_blocked_by_humidity_indirect_is_not():
    """26 °C / 24 °C wet bulb: dew point about 23 °C, above 15 °C, so no direct air. The
    indirect exchanger runs dry below the 27 °C set point: t_out = 39 − 0.7 (39 − 26)
    = 29.9 °C, free share (39 − 29.9) / 12 = 0.7583, no water."""
    assert air_econ_split(AIR_ECON_DIRECT, 1e6, 26.0, 24.0, P, 27.0, 12.0, 0.7) == (0.0, 0.0, 0)
    q, water, mode = air_econ_split(AIR_ECON_INDIRECT, 1e6, 26.0, 24.0, P, 27.0, 12.0, 0.7)
    assert q == pytest.approx(0.758333e6, rel=1e-6) and mode == 1 and water == 0.0
    assert air_econ_split(AIR_ECON_NONE, 1e6, 10.0, 5.0, P, 27.0, 12.0, 0.7) == (0.0, 0.0, 0)


def test_indirect_partial_split_and_water():
    """Wet above the set point, t_out = t_ret − ε (t_ret − T_wb). 42/20 °C: 39 − 0.7 × 19 =
    25.7 °C, below 27 °C: full, modulated to the set point; the hall's heat evaporates
    water, Q / h_fg = 1e6 / 2.442e6 = 0.4095 kg/s, + blowdown (× 1.5) = 0.6143 kg/s.
    45/30 °C: 39 − 0.7 × 9 = 32.7 °C, free share (39 − 32.7) / 12 = 0.525."""
    t_db, t_wb, eps, t_sup, dt = 42.0, 20.0, 0.7, 27.0, 12.0
    q, water, mode = air_econ_split(AIR_ECON_INDIRECT, 1e6, t_db, t_wb, P, t_sup, dt, eps)
    assert mode == 2 and q == 1e6
    assert water == pytest.approx(1.5 * 1e6 / H_FG_WATER_J_KG, rel=1e-12)
    assert water == pytest.approx(0.6143, abs=1e-4)
    q, water, mode = air_econ_split(AIR_ECON_INDIRECT, 1e6, 45.0, 30.0, P, t_sup, dt, eps)
    assert mode == 1
    assert q == pytest.approx(0.525e6, rel=1e-12)
    assert water == pytest.approx(1.5 * q / H_FG_WATER_J_KG, rel=1e-12)


def test_indirect_economizer_lowers_pue_in_a_run():
    base = {"site": {"id": "ouarzazate"}, "simulation": {"days": 30}}
    k0 = simulate(Scenario(**base)).kpis
    k1 = simulate(Scenario(**base, cooling={"air_economizer": "indirect"})).kpis
    assert k1["pue"] < k0["pue"]
    assert k1["energy_balance_error"] < 1e-6
