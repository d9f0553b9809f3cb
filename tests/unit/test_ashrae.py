"""ASHRAE TC 9.9 envelopes (twin/results/envelope.py): Thermal Guidelines 5th ed. (2021),
recommended 18-27 °C, allowable A1 15-32, A2 10-35, A3 5-40, A4 5-45 °C."""

from __future__ import annotations

import numpy as np
import pytest

from kernels import layout as L
from kernels.kpisums import (
    P_T_REC_HI_C,
    P_T_REC_LO_C,
    T_EXCURSION_STEPS,
    T_VIOLATING_STEPS,
    run_totals,
)
from tests.totals import par_vector
from twin import Scenario
from twin.results.envelope import air_envelope
from twin.scenario.ashrae import ASHRAE_AIR_MAX_C, ASHRAE_AIR_MIN_C, ASHRAE_AIR_RECOMMENDED_C


def test_published_envelopes():
    assert ASHRAE_AIR_RECOMMENDED_C == (18.0, 27.0)
    ranges = {k: (ASHRAE_AIR_MIN_C[k], ASHRAE_AIR_MAX_C[k]) for k in ASHRAE_AIR_MAX_C}
    assert ranges == {"A1": (15, 32), "A2": (10, 35), "A3": (5, 40), "A4": (5, 45)}


def _out(t_air):
    out = np.zeros((len(t_air), L.N_OUT))
    out[:, L.O_T_AIR_C] = t_air
    out[:, L.O_P_IT_W] = 1e6
    return out


def _hours(sc, out):
    """(recommended excursion, below-or-above allowable) hours of 1-h steps."""
    has_air, t_min = air_envelope(sc)
    n = len(out)
    par = par_vector(3600.0, 1, has_air, t_min)
    assert (par[P_T_REC_LO_C], par[P_T_REC_HI_C]) == ASHRAE_AIR_RECOMMENDED_C
    tot = run_totals(
        out, np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(0), par
    )
    return tot[T_EXCURSION_STEPS], tot[T_VIOLATING_STEPS]


def test_excursions_and_lower_limit_use_the_strictest_air_group():
    sc = Scenario(simulation={"days": 1})  # gpu (liquid 85 %, A1) and cpu (air, A1)
    t = [14.0, 17.0, 20.0, 27.0, 28.0, 33.0]
    out = _out(t)
    assert air_envelope(sc) == (True, 15.0)  # A1
    # recommended: 14, 17, 28, 33 outside; allowable (A1 15-32): 14 below, 33 above
    assert _hours(sc, out) == pytest.approx((4.0, 2.0))
    out[:, L.O_P_IT_W] = 0.0  # IT off: no exposure, and no lower-limit violation
    assert _hours(sc, out) == pytest.approx((0.0, 1.0))


def test_liquid_only_hall_has_no_air_exposure():
    g = {"name": "dlc", "racks": 10, "p_rack_peak_kw": 100.0, "cooling": "liquid",
         "liquid_frac": 1.0}  # fmt: skip
    sc = Scenario(simulation={"days": 1}, it={"groups": [g]})
    assert air_envelope(sc)[0] is False
    assert _hours(sc, _out([10.0, 30.0]))[0] == 0.0
