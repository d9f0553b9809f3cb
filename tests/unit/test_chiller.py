"""Tests for kernels/chiller.py and the chiller part of twin/scenario/plant_library.py.

Reference numbers come from the EnergyPlus 25.2 DataSets/Chillers.idf and
AirCooledChiller.idf coefficient sets (and their check values at the reference point)
and from the Chiller:Electric:EIR equations of
the EnergyPlus Engineering Reference, re-implemented below in plain Python.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernels.chiller import (
    CHILLER_STAGING_PLR,
    biquadratic,
    chiller_eir,
    chiller_plant,
    quadratic,
)
from twin.scenario.plant_library import list_chillers, load_chiller

IMPLS = ["jit", "py"]


def pick(fn, impl):
    """The compiled kernel or its pure-Python original."""
    return fn if impl == "jit" else getattr(fn, "py_func", fn)


def eir_args(c):
    """Positional chiller arguments after (q_evap, t_chw, t_cond), from plantlib."""
    return (
        c["q_ref_w"],
        c["cop_ref"],
        c["capft"],
        c["eirft"],
        c["eirfplr"],
        c["plr_min"],
        c["plr_max"],
        c["min_unload"],
        *c["t_chw_lim"],
        *c["t_cond_lim"],
    )


# The EnergyPlus DataSets curve sets (Chillers.idf, AirCooledChiller.idf), typed in by hand
# (independent of the TOML file).
ENGREF = {
    "mcquay_wsc_471": {
        "q_ref_w": 471200.0,
        "cop_ref": 5.89,
        "t_chw_ref_c": 8.89,
        "t_cond_ref_c": 26.67,
        "plr_min": 0.10,
        "plr_max": 1.15,
        "plr_opt": 1.0,
        "min_unload": 0.10,
        "capft": (
            2.521130e-01,
            1.324053e-02,
            -8.637329e-03,
            8.581056e-02,
            -4.261176e-03,
            8.661899e-03,
        ),
        "eirft": (
            4.475238e-01,
            -2.588210e-02,
            -1.459053e-03,
            4.342595e-02,
            -1.000651e-03,
            1.920106e-03,
        ),
        "eirfplr": (2.778889e-01, 2.338363e-01, 4.883748e-01),
        "t_chw_lim": (7.22, 12.78),
        "t_cond_lim": (12.78, 26.67),
        "condenser": "water",
    },
    "york_yt_1125_vsd": {
        "q_ref_w": 1125300.0,
        "cop_ref": 7.92,
        "t_chw_ref_c": 6.11,
        "t_cond_ref_c": 12.78,
        "plr_min": 0.09,
        "plr_max": 1.03,
        "plr_opt": 1.0,
        "min_unload": 0.09,
        "capft": (
            1.034212e-01,
            2.327078e-03,
            -9.117035e-04,
            9.104793e-02,
            -2.678967e-03,
            2.274649e-03,
        ),
        "eirft": (
            6.542286e-01,
            -2.451604e-02,
            1.253508e-03,
            4.216477e-02,
            1.404867e-04,
            -1.508780e-03,
        ),
        "eirfplr": (1.147453e-01, 4.231235e-02, 8.419681e-01),
        "t_chw_lim": (6.11, 12.78),
        "t_cond_lim": (12.78, 23.89),
        "condenser": "water",
    },
    "carrier_19xr_1213": {
        "q_ref_w": 1213200.0,
        "cop_ref": 7.78,
        "t_chw_ref_c": 6.11,
        "t_cond_ref_c": 12.78,
        "plr_min": 0.17,
        "plr_max": 1.02,
        "plr_opt": 1.0,
        "min_unload": 0.17,
        "capft": (
            9.070437e-01,
            -7.437456e-03,
            -9.695325e-04,
            1.529092e-02,
            -1.069664e-03,
            1.994583e-03,
        ),
        "eirft": (
            1.002142e00,
            -2.505239e-02,
            5.169707e-04,
            6.321862e-03,
            5.116807e-04,
            -4.794244e-04,
        ),
        "eirfplr": (2.847744e-01, 4.027863e-01, 3.114896e-01),
        "t_chw_lim": (6.11, 12.78),
        "t_cond_lim": (12.78, 23.89),
        "condenser": "water",
    },
    "trane_cgam30": {
        "q_ref_w": 99175.0,
        "cop_ref": 2.96,
        "t_chw_ref_c": 6.67,
        "t_cond_ref_c": 35.0,
        "plr_min": 0.15,
        "plr_max": 1.0,
        "plr_opt": 1.0,
        "min_unload": 0.25,
        "capft": (
            1.0472048915,
            0.0376359199,
            0.0001410524,
            -0.003384418,
            -0.0001005721,
            -0.0002586796,
        ),
        "eirft": (
            0.5309201271,
            -0.0116007166,
            0.0004883252,
            0.0053433658,
            0.0003937866,
            -0.0005798762,
        ),
        "eirfplr": (0.0604, 0.6778, 0.266),
        "t_chw_lim": (5.56, 10.0),
        "t_cond_lim": (4.44, 46.11),
        "condenser": "air",
    },
}


def reference_chiller(q_evap, t_chw, t_cond, d):
    """Chiller:Electric:EIR written straight from Engineering Reference, Chiller:Electric:EIR."""
    x = min(max(t_chw, d["t_chw_lim"][0]), d["t_chw_lim"][1])
    y = min(max(t_cond, d["t_cond_lim"][0]), d["t_cond_lim"][1])
    a = d["capft"]
    capft = a[0] + a[1] * x + a[2] * x**2 + a[3] * y + a[4] * y**2 + a[5] * x * y
    b = d["eirft"]
    eirft = b[0] + b[1] * x + b[2] * x**2 + b[3] * y + b[4] * y**2 + b[5] * x * y
    q_avail = d["q_ref_w"] * capft
    plr = max(0.0, min(q_evap / q_avail, d["plr_max"]))
    cycling = min(plr / d["plr_min"], 1.0)
    plr_e = max(plr, d["min_unload"])
    p = d["eirfplr"]
    eirfplr = p[0] + p[1] * plr_e + p[2] * plr_e**2
    power = q_avail / d["cop_ref"] * eirft * eirfplr * cycling
    q_met = q_avail * plr
    q_false = max(0.0, q_avail * plr_e * cycling - q_met)
    return power, q_avail, plr, power + q_met + q_false, q_met


@pytest.mark.parametrize("name", sorted(ENGREF))
def test_plantlib_matches_equations_md(name):
    """load_chiller returns exactly the numbers of the EnergyPlus DataSets curve sets."""
    c = load_chiller(name)
    for key, value in ENGREF[name].items():
        if isinstance(value, tuple):
            assert isinstance(c[key], tuple)
            np.testing.assert_allclose(c[key], value, rtol=0, atol=0, err_msg=key)
        else:
            assert c[key] == value, key
    assert "Chillers" in c["source"] or "AirCooledChiller" in c["source"]


def test_plantlib_lists_and_rejects_unknown():
    """Four sets are shipped; an unknown name raises KeyError naming the choices."""
    assert list_chillers() == sorted(ENGREF)
    with pytest.raises(KeyError, match="mcquay_wsc_471"):
        load_chiller("no_such_chiller")


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize(
    ("name", "capft_ref", "eirft_ref"),
    [
        ("mcquay_wsc_471", 0.9985, 1.0038),
        ("york_yt_1125_vsd", 0.9873, 0.9952),
        ("carrier_19xr_1213", 1.0019, 0.9953),
    ],
)
def test_curves_at_reference_point(impl, name, capft_ref, eirft_ref):
    """CAPFT/EIRFT at the reference point = the check values of the curve sets at their reference point (4 decimals)."""
    c = load_chiller(name)
    f = pick(biquadratic, impl)
    x, y = c["t_chw_ref_c"], c["t_cond_ref_c"]
    np.testing.assert_allclose(f(c["capft"], x, y), capft_ref, atol=5e-5)
    np.testing.assert_allclose(f(c["eirft"], x, y), eirft_ref, atol=5e-5)


@pytest.mark.parametrize("impl", IMPLS)
def test_quadratic_and_biquadratic_terms(impl):
    """Each coefficient multiplies the documented term (1, x, x², y, y², xy)."""
    bq, q = pick(biquadratic, impl), pick(quadratic, impl)
    x, y = 2.0, 3.0
    terms = (1.0, x, x * x, y, y * y, x * y)
    for i in range(6):
        c = tuple(1.0 if j == i else 0.0 for j in range(6))
        assert bq(c, x, y) == terms[i]
    assert q((1.0, 10.0, 100.0), 0.5) == 1.0 + 5.0 + 25.0


@pytest.mark.parametrize("impl", IMPLS)
def test_power_hand_computed_york(impl):
    """York YT VSD at 7 °C / 20 °C, 600 kW: P from the EnergyPlus equations.

    Worked by hand from Engineering Reference, Chiller:Electric:EIR:
    CAPFT(7, 20) and EIRFT(7, 20) with the York set, Q_avail = 1 125 300·CAPFT,
    PLR = 600 000/Q_avail, EIRFPLR(PLR), P = Q_avail/7.92·EIRFT·EIRFPLR.
    """
    d = ENGREF["york_yt_1125_vsd"]
    x, y = 7.0, 20.0
    capft = (
        0.1034212
        + 0.002327078 * 7
        - 0.0009117035 * 49
        + 0.09104793 * 20
        - 0.002678967 * 400
        + 0.002274649 * 140
    )
    eirft = (
        0.6542286
        - 0.02451604 * 7
        + 0.001253508 * 49
        + 0.04216477 * 20
        + 0.0001404867 * 400
        - 0.00150878 * 140
    )
    q_avail = 1125300.0 * capft
    plr = 600000.0 / q_avail
    eirfplr = 0.1147453 + 0.04231235 * plr + 0.8419681 * plr**2
    p_expected = q_avail / 7.92 * eirft * eirfplr
    p, qa, plr_k, q_cond, q_met = pick(chiller_eir, impl)(
        600000.0, x, y, *eir_args(load_chiller("york_yt_1125_vsd"))
    )
    np.testing.assert_allclose(qa, q_avail, rtol=1e-12)
    np.testing.assert_allclose(plr_k, plr, rtol=1e-12)
    np.testing.assert_allclose(p, p_expected, rtol=1e-12)
    np.testing.assert_allclose(q_cond, p_expected + 600000.0, rtol=1e-12)
    assert q_met == pytest.approx(600000.0, rel=1e-12)
    # plausibility: a VSD centrifugal at 20 °C condenser water, ~60 % load
    assert 7.0 < 600000.0 / p < 14.0
    assert reference_chiller(600000.0, x, y, d)[0] == pytest.approx(p, rel=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("name", sorted(ENGREF))
@pytest.mark.parametrize(
    ("q_frac", "t_chw", "t_cond"),
    [(0.8, 7.0, 20.0), (0.3, 9.0, 35.0), (0.05, 6.0, 10.0), (1.5, 8.0, 24.0), (0.2, 12.0, 30.0)],
)
def test_matches_reference_equations(impl, name, q_frac, t_chw, t_cond):
    """Kernel = plain-Python Engineering Reference model, incl. clamping and overload; chilled
    water warmer than the curves' range is read at equal lift, with the EIR scaled by
    the ratio of absolute evaporator temperatures (kernels.chiller.curve_point)."""
    d = ENGREF[name]
    q = q_frac * d["q_ref_w"]
    got = pick(chiller_eir, impl)(q, t_chw, t_cond, *eir_args(load_chiller(name)))
    hi = d["t_chw_lim"][1]
    if t_chw <= hi:
        want = reference_chiller(q, t_chw, t_cond, d)
    else:
        p, qa, plr, q_cond, q_met = reference_chiller(q, hi, hi + (t_cond - t_chw), d)
        scale = (hi + 273.15) / (t_chw + 273.15)
        want = (p * scale, qa, plr, q_cond - p + p * scale, q_met)
    np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(ENGREF))
def test_warm_water_gains_from_its_smaller_lift_within_carnot(name):
    """A chiller making 30 °C water is not costed as one making the curves' coldest
    limit (10-12.8 °C): at the same condenser temperature its COP is higher than the
    clamped EnergyPlus reading (about twice for the air-cooled set at 35 °C air), rises
    with the water temperature, and stays below the Carnot COP of its lift."""
    c = load_chiller(name)
    d = ENGREF[name]
    t_cond = 35.0 if c["condenser"] == "air" else 25.0
    q = 0.6 * d["q_ref_w"]
    cops = []
    for t_chw in (d["t_chw_lim"][1], 18.0, 24.0, 30.0):
        p, _, _, _, q_met = chiller_eir(q, t_chw, t_cond, *eir_args(c))
        cop = q_met / p
        cops.append(cop)
        carnot = (t_chw + 273.15) / max(t_cond - t_chw, 1e-9)
        assert cop < carnot, (t_chw, cop, carnot)
    assert all(b > a for a, b in zip(cops, cops[1:], strict=False)), cops
    p_clamped = reference_chiller(q, 30.0, t_cond, d)[0]
    assert cops[-1] > 1.3 * q / p_clamped


@pytest.mark.parametrize("impl", IMPLS)
def test_inputs_clamped_to_curve_limits(impl):
    """Morocco summer: 32 °C condenser water = the 23.89 °C curve limit (York)."""
    f = pick(chiller_eir, impl)
    args = eir_args(load_chiller("york_yt_1125_vsd"))
    hot = f(500000.0, 7.0, 32.0, *args)
    edge = f(500000.0, 7.0, 23.89, *args)
    inside = f(500000.0, 7.0, 23.0, *args)
    assert hot == edge
    assert hot != inside
    cold = f(500000.0, 2.0, 15.0, *args)
    assert cold == f(500000.0, 6.11, 15.0, *args)


@pytest.mark.parametrize("impl", IMPLS)
def test_cycling_below_plr_min(impl):
    """McQuay (PLR_min = min unload = 0.10) at PLR 0.05: cycles at 50 %, no false load.

    P = Q_avail/COP·EIRFT·EIRFPLR(0.10)·0.5 and Q_cond = P + Q_evap.
    """
    c = load_chiller("mcquay_wsc_471")
    f = pick(chiller_eir, impl)
    x, y = c["t_chw_ref_c"], c["t_cond_ref_c"]
    q_avail = c["q_ref_w"] * biquadratic(c["capft"], x, y)
    q = 0.05 * q_avail
    p, _qa, plr, q_cond, _q_met = f(q, x, y, *eir_args(c))
    expected = (
        q_avail / c["cop_ref"] * biquadratic(c["eirft"], x, y) * quadratic(c["eirfplr"], 0.10) * 0.5
    )
    assert plr == pytest.approx(0.05)
    assert p == pytest.approx(expected, rel=1e-12)
    assert q_cond == pytest.approx(p + q, rel=1e-12)
    # cycling halves the power compared with running at PLR_min continuously
    p_min = f(0.10 * q_avail, x, y, *eir_args(c))[0]
    assert p == pytest.approx(0.5 * p_min, rel=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
def test_false_loading_below_min_unload(impl):
    """Trane CGAM (PLR_min 0.15 < min unload 0.25): hot-gas bypass between them.

    At PLR 0.20: no cycling, EIRFPLR at 0.25, Q_false = Q_avail·(0.25 − 0.20).
    At PLR 0.10: cycling 0.10/0.15, Q_false = Q_avail·0.25·(2/3) − Q_evap.
    """
    c = load_chiller("trane_cgam30")
    f = pick(chiller_eir, impl)
    x, y = c["t_chw_ref_c"], c["t_cond_ref_c"]
    q_avail = c["q_ref_w"] * biquadratic(c["capft"], x, y)
    eir = biquadratic(c["eirft"], x, y)

    p, _, _, q_cond, _ = f(0.20 * q_avail, x, y, *eir_args(c))
    p_exp = q_avail / c["cop_ref"] * eir * quadratic(c["eirfplr"], 0.25)
    assert p == pytest.approx(p_exp, rel=1e-12)
    assert q_cond == pytest.approx(p + 0.20 * q_avail + 0.05 * q_avail, rel=1e-12)

    p, _, _, q_cond, _ = f(0.10 * q_avail, x, y, *eir_args(c))
    cyc = 0.10 / 0.15
    assert p == pytest.approx(p_exp * cyc, rel=1e-12)
    q_false = q_avail * 0.25 * cyc - 0.10 * q_avail
    assert q_false > 0
    assert q_cond == pytest.approx(p + 0.10 * q_avail + q_false, rel=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
def test_overload_caps_at_plr_max(impl):
    """Load above Q_avail·PLR_max: PLR = PLR_max and the shortfall is visible."""
    c = load_chiller("carrier_19xr_1213")
    p, qa, plr, q_cond, q_met = pick(chiller_eir, impl)(2.0 * c["q_ref_w"], 7.0, 20.0, *eir_args(c))
    assert plr == c["plr_max"]
    assert q_met == pytest.approx(qa * c["plr_max"], rel=1e-12)
    assert q_met < 2.0 * c["q_ref_w"]
    assert q_cond == pytest.approx(p + q_met, rel=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("q", [0.0, -1000.0])
def test_no_load_all_zero(impl, q):
    """q_evap ≤ 0 → all outputs 0 (chiller off)."""
    args = eir_args(load_chiller("york_yt_1125_vsd"))
    assert pick(chiller_eir, impl)(q, 7.0, 20.0, *args) == (0.0,) * 5
    assert pick(chiller_plant, impl)(q, 3, 7.0, 20.0, *args) == (0.0, 0.0, 0, 0.0)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(ENGREF)),
    q_frac=st.floats(0.0, 2.0),
    t_chw=st.floats(0.0, 20.0),
    t_cond=st.floats(0.0, 50.0),
)
def test_energy_balance(name, q_frac, t_chw, t_cond):
    """Q_cond = P + Q_met + Q_false ≥ P + Q_met; equality at/above min unload."""
    c = load_chiller(name)
    q = q_frac * c["q_ref_w"]
    p, _qa, plr, q_cond, q_met = chiller_eir(q, t_chw, t_cond, *eir_args(c))
    assert p >= 0.0 and q_met >= 0.0 and q_met <= q + 1e-9
    assert q_cond >= p + q_met - 1e-6
    if plr >= c["min_unload"]:
        assert q_cond == pytest.approx(p + q_met, rel=1e-12, abs=1e-9)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("t_cond", [12.78, 20.0, 23.89])
def test_staging_counts_and_equal_sharing(impl, t_cond):
    """ceil(Q / (min(Q_ref, Q_avail)·PLR_max)) chillers, each at Q/n: EnergyPlus's
    SequentialUniformPLR counts on the nominal capacity Q_ref·PLR_max; a capacity below
    nominal at the hour's temperatures brings one more."""
    c = load_chiller("york_yt_1125_vsd")
    args = eir_args(c)
    t_chw = 7.0
    q_avail = chiller_eir(1.0, t_chw, t_cond, *args)[1]
    q_stage = min(c["q_ref_w"], q_avail) * c["plr_max"]
    plant = pick(chiller_plant, impl)
    assert CHILLER_STAGING_PLR == 1.0
    for q_units, n_expected in [(0.3, 1), (1.0, 1), (1.01, 2), (2.5, 3), (4.0, 4)]:
        q = q_units * q_stage
        p, q_cond, n_on, q_met = plant(q, 6, t_chw, t_cond, *args)
        assert n_on == n_expected
        p1, _, _, qc1, _qm1 = chiller_eir(q / n_expected, t_chw, t_cond, *args)
        assert p == pytest.approx(n_expected * p1, rel=1e-12)
        assert q_cond == pytest.approx(n_expected * qc1, rel=1e-12)
        assert q_met == pytest.approx(q, rel=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
def test_staging_on_nominal_capacity_when_capacity_is_above_it(impl):
    """Cold condenser water: CAPFT > 1, so one chiller could carry 1.1 Q_ref, yet two
    start (EnergyPlus stages on Q_ref·PLR_max = 1.03 Q_ref) and share it."""
    c = load_chiller("york_yt_1125_vsd")
    args = eir_args(c)
    q_avail = chiller_eir(1.0, 12.78, 12.78, *args)[1]
    assert q_avail * c["plr_max"] > 1.1 * c["q_ref_w"]  # CAPFT 1.08 at the coldest corner
    _, _, n_on, q_met = pick(chiller_plant, impl)(1.1 * c["q_ref_w"], 4, 12.78, 12.78, *args)
    assert n_on == 2
    assert q_met == pytest.approx(1.1 * c["q_ref_w"], rel=1e-12)


@pytest.mark.parametrize("impl", IMPLS)
def test_staging_shortfall_and_availability(impl):
    """More load than n_available·Q_avail·PLR_max: all run at PLR_max, q_met < q."""
    c = load_chiller("mcquay_wsc_471")
    args = eir_args(c)
    plant = pick(chiller_plant, impl)
    q_avail = chiller_eir(1.0, 8.0, 25.0, *args)[1]
    _p, _q_cond, n_on, q_met = plant(5.0 * q_avail, 3, 8.0, 25.0, *args)
    assert n_on == 3
    assert q_met == pytest.approx(3 * q_avail * c["plr_max"], rel=1e-12)
    # staging on the nominal maximum load Q·PLR_max (EnergyPlus SequentialUniformPLR):
    # 1.1 units stay on one chiller (PLR_max 1.15), 1.2 units start a 2nd
    assert plant(1.1 * q_avail, 2, 8.0, 25.0, *args)[2] == 1
    assert plant(1.2 * q_avail, 2, 8.0, 25.0, *args)[2] == 2
    # ...unless only one is available, which then runs at PLR 1.1 and meets it
    _, _, n1, qm1 = plant(1.1 * q_avail, 1, 8.0, 25.0, *args)
    assert n1 == 1
    assert qm1 == pytest.approx(1.1 * q_avail, rel=1e-12)
    assert plant(1.1 * q_avail, 0, 8.0, 25.0, *args) == (0.0, 0.0, 0, 0.0)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(ENGREF)),
    q_units=st.floats(0.0, 8.0),
    n_avail=st.integers(0, 6),
    t_cond=st.floats(10.0, 45.0),
)
def test_staging_properties(name, q_units, n_avail, t_cond):
    """n_on ≤ n_available; load met whenever n_available·Q_avail·PLR_max covers it."""
    c = load_chiller(name)
    args = eir_args(c)
    q_avail = chiller_eir(1.0, 7.0, t_cond, *args)[1]
    q = q_units * q_avail
    p, q_cond, n_on, q_met = chiller_plant(q, n_avail, 7.0, t_cond, *args)
    assert 0 <= n_on <= n_avail
    assert q_met <= q * (1 + 1e-12) + 1e-9
    if q > 0 and n_avail > 0:
        assert n_on >= 1
        if q <= n_avail * q_avail * c["plr_max"]:
            assert q_met == pytest.approx(q, rel=1e-9)
            # staged on the nominal maximum load (or the hour's capacity where lower)
            q_stage = min(c["q_ref_w"], q_avail) * c["plr_max"]
            assert n_on == min(n_avail, max(1, math.ceil(q / q_stage - 1e-9)))
        else:
            assert n_on == n_avail
            assert q_met < q
        assert q_cond >= p + q_met - 1e-6
