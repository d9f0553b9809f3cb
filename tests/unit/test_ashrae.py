"""ASHRAE TC 9.9 envelopes (twin/ashrae.py): Thermal Guidelines 5th ed. (2021),
recommended 18-27 °C, allowable A1 15-32, A2 10-35, A3 5-40, A4 5-45 °C."""

from __future__ import annotations

import numpy as np
import pytest

from kernels import layout as L
from twin import Scenario
from twin.ashrae import below_allowable, recommended_excursion_h
from twin.scenario import ASHRAE_AIR_MAX_C, ASHRAE_AIR_MIN_C, ASHRAE_AIR_RECOMMENDED_C


def test_published_envelopes():
    assert ASHRAE_AIR_RECOMMENDED_C == (18.0, 27.0)
    ranges = {k: (ASHRAE_AIR_MIN_C[k], ASHRAE_AIR_MAX_C[k]) for k in ASHRAE_AIR_MAX_C}
    assert ranges == {"A1": (15, 32), "A2": (10, 35), "A3": (5, 40), "A4": (5, 45)}


def _out(t_air):
    out = np.zeros((len(t_air), L.N_OUT))
    out[:, L.O_T_AIR_C] = t_air
    out[:, L.O_P_IT_W] = 1e6
    return out


def test_excursions_and_lower_limit_use_the_strictest_air_group():
    sc = Scenario(simulation={"days": 1})  # gpu (liquid 85 %, A1) and cpu (air, A1)
    t = [14.0, 17.0, 20.0, 27.0, 28.0, 33.0]
    out = _out(t)
    assert recommended_excursion_h(sc, out) == pytest.approx(4.0)  # 14, 17, 28, 33
    np.testing.assert_array_equal(below_allowable(sc, out), [True] + [False] * 5)
    out[:, L.O_P_IT_W] = 0.0  # IT off: no exposure
    assert recommended_excursion_h(sc, out) == 0.0


def test_liquid_only_hall_has_no_air_exposure():
    g = {"name": "dlc", "racks": 10, "p_rack_peak_kw": 100.0, "cooling": "liquid",
         "liquid_frac": 1.0}  # fmt: skip
    sc = Scenario(simulation={"days": 1}, it={"groups": [g]})
    assert recommended_excursion_h(sc, _out([10.0, 40.0])) == 0.0
