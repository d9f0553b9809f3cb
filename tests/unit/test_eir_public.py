"""Tests for the public scalar kernel ``kernels.chiller.eir_chiller_power_w``.

Reference: EnergyPlus Engineering Reference, Chiller:Electric:EIR (the equations
are re-typed below in plain Python) with the published coefficient sets of
EnergyPlus 25.2 DataSets/Chillers.idf (York YT 1125 kW VSD, McQuay WSC 471 kW,
Carrier 19XR 1213 kW) and DataSets/AirCooledChiller.idf (Trane CGAM30 99.2 kW),
typed in from those data sets.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from kernels.chiller import chiller_eir, eir_chiller_power_w
from twin.scenario.plant_library import load_chiller

YORK = {
    "q_ref_w": 1125300.0,
    "cop_ref": 7.92,
    "capft": (1.034212e-01, 2.327078e-03, -9.117035e-04, 9.104793e-02, -2.678967e-03, 2.274649e-03),
    "eirft": (6.542286e-01, -2.451604e-02, 1.253508e-03, 4.216477e-02, 1.404867e-04, -1.508780e-03),
    "eirfplr": (1.147453e-01, 4.231235e-02, 8.419681e-01),
    "plr_min": 0.09,
}
CGAM = {
    "q_ref_w": 99175.0,
    "cop_ref": 2.96,
    "capft": (1.0472048915, 0.0376359199, 0.0001410524, -0.003384418, -0.0001005721, -0.0002586796),
    "eirft": (0.5309201271, -0.0116007166, 0.0004883252, 0.0053433658, 0.0003937866, -0.0005798762),
    "eirfplr": (0.0604, 0.6778, 0.266),
    "plr_min": 0.15,
}


def reference_power_w(q, x, y, c, plr_max=1.0, min_unload=None):
    """Engineering Reference Chiller:Electric:EIR power, written out term by term."""
    a = c["capft"]
    capft = a[0] + a[1] * x + a[2] * x**2 + a[3] * y + a[4] * y**2 + a[5] * x * y
    e = c["eirft"]
    eirft = e[0] + e[1] * x + e[2] * x**2 + e[3] * y + e[4] * y**2 + e[5] * x * y
    q_avail = c["q_ref_w"] * capft
    plr = max(0.0, min(q / q_avail, plr_max))
    frac = min(1.0, plr / c["plr_min"])
    plr = max(plr, c["plr_min"] if min_unload is None else min_unload)
    p = c["eirfplr"]
    eirfplr = p[0] + p[1] * plr + p[2] * plr**2
    return q_avail / c["cop_ref"] * eirft * eirfplr * frac


def call(c, q, x, y):
    return eir_chiller_power_w(
        q, x, y, c["q_ref_w"], c["cop_ref"], c["capft"], c["eirft"], c["eirfplr"], c["plr_min"]
    )


def test_york_at_reference_point_full_load():
    """At 6.11 / 12.78 °C the York curves are 0.9873 / 0.9952 (Engineering Reference, Chiller:Electric:EIR check):
    P = Q_ref·CAPFT/COP·EIRFT·EIRFPLR(1) with EIRFPLR(1) = 0.9986 (sum of coefficients)."""
    x, y = 6.11, 12.78
    q = 2.0e6  # above the available capacity: PLR capped at 1
    capft = 0.9873
    eirft = 0.9952
    eirfplr_1 = 1.147453e-01 + 4.231235e-02 + 8.419681e-01
    expected = 1125300.0 * capft / 7.92 * eirft * eirfplr_1
    assert call(YORK, q, x, y) == pytest.approx(expected, rel=2e-4)
    assert expected == pytest.approx(1.394e5, rel=1e-3)


@pytest.mark.parametrize("c", [YORK, CGAM], ids=["york_yt_1125_vsd", "trane_cgam30"])
@pytest.mark.parametrize("q_frac", [0.02, 0.09, 0.2, 0.5, 0.8, 1.0])
@pytest.mark.parametrize(("x", "y"), [(6.11, 12.78), (7.0, 20.0), (10.0, 23.0), (6.67, 35.0)])
def test_equals_engineering_reference(c, q_frac, x, y):
    q = q_frac * c["q_ref_w"]
    assert call(c, q, x, y) == pytest.approx(reference_power_w(q, x, y, c), rel=1e-12)


def test_cycling_below_plr_min_is_linear_in_load():
    """Below PLR_min the chiller runs at PLR_min a fraction PLR/PLR_min of the time:
    power is proportional to the load and goes to 0 with it."""
    x, y = 6.67, 35.0
    p1 = call(CGAM, 1000.0, x, y)
    p2 = call(CGAM, 2000.0, x, y)
    assert p2 == pytest.approx(2.0 * p1, rel=1e-12)
    assert call(CGAM, 0.0, x, y) == 0.0
    assert call(CGAM, -5.0, x, y) == 0.0


def test_power_rises_with_condenser_temperature_and_load():
    """Published sets: a hotter condenser and a larger load cost more power."""
    for c in (YORK, CGAM):
        q = 0.6 * c["q_ref_w"]
        assert call(c, q, 7.0, 25.0) > call(c, q, 7.0, 18.0)
        assert call(c, 0.8 * c["q_ref_w"], 7.0, 20.0) > call(c, q, 7.0, 20.0)


@pytest.mark.parametrize("name", ["york_yt_1125_vsd", "mcquay_wsc_471", "carrier_19xr_1213"])
def test_agrees_with_full_kernel_when_unload_equals_plr_min(name):
    """Inside the curve limits and below PLR_max, the public kernel equals chiller_eir
    for the DataSets machines whose minimum unloading ratio equals PLR_min."""
    c = load_chiller(name)
    assert c["min_unload"] == c["plr_min"]
    for q_frac in (0.05, 0.3, 0.7, 0.95):
        q = q_frac * c["q_ref_w"]
        x, y = 8.0, 20.0  # inside every set's curve limits
        full = chiller_eir(
            q, x, y, c["q_ref_w"], c["cop_ref"], c["capft"], c["eirft"], c["eirfplr"],
            c["plr_min"], c["plr_max"], c["min_unload"], *c["t_chw_lim"], *c["t_cond_lim"],
        )[0]  # fmt: skip
        public = eir_chiller_power_w(
            q, x, y, c["q_ref_w"], c["cop_ref"], c["capft"], c["eirft"], c["eirfplr"], c["plr_min"]
        )
        assert public == pytest.approx(full, rel=1e-12)


def test_accepts_arrays_and_lists():
    """A validation script may pass coefficients as tuples, arrays or lists."""
    q, x, y = 500e3, 6.5, 21.0
    ref = call(YORK, q, x, y)
    arr = eir_chiller_power_w(
        q, x, y, YORK["q_ref_w"], YORK["cop_ref"],
        np.array(YORK["capft"]), np.array(YORK["eirft"]), np.array(YORK["eirfplr"]), 0.09,
    )  # fmt: skip
    assert arr == pytest.approx(ref, rel=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's reflected-list deprecation notice
        lst = eir_chiller_power_w(
            q, x, y, YORK["q_ref_w"], YORK["cop_ref"],
            list(YORK["capft"]), list(YORK["eirft"]), list(YORK["eirfplr"]), 0.09,
        )  # fmt: skip
    assert lst == pytest.approx(ref, rel=1e-15)
    assert math.isfinite(ref) and ref > 0.0
