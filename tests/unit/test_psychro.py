"""kernels.psychro against psychrolib (ASHRAE 2017 ch. 1 implementation) and physics."""

import numpy as np
import pytest

from kernels import psychro

psychrolib = pytest.importorskip("psychrolib")
psychrolib.SetUnitSystem(psychrolib.SI)

# (t_db_c, rh_frac, p_pa): hot-dry desert, humid coast, Ouarzazate altitude, below 0 °C
POINTS = [
    (45.0, 0.10, 101325.0),
    (30.0, 0.80, 101325.0),
    (35.0, 0.25, 88240.0),
    (20.0, 0.50, 101325.0),
    (0.5, 0.90, 101325.0),
    (-5.0, 0.60, 101325.0),
    (-20.0, 0.30, 101325.0),
    (10.0, 1.00, 101325.0),
    (40.0, 0.05, 95000.0),
]


@pytest.mark.parametrize(
    "fn", [psychro.wet_bulb_c, getattr(psychro.wet_bulb_c, "py_func", psychro.wet_bulb_c)]
)
@pytest.mark.parametrize(("t", "rh", "p"), POINTS)
def test_wet_bulb_matches_psychrolib(fn, t, rh, p):
    """psychrolib solves the same eqs 33/35 by bisection to ~1e-3 K; allow 3e-3 K."""
    np.testing.assert_allclose(fn(t, rh, p), psychrolib.GetTWetBulbFromRelHum(t, rh, p), atol=3e-3)


@pytest.mark.parametrize("t", [-40.0, -10.0, -0.5, 0.0, 0.5, 5.0, 25.0, 45.0, 60.0])
def test_sat_vapor_pressure_matches_psychrolib(t):
    """Hyland–Wexler eqs 5/6, same coefficients: agreement to 1e-9 relative."""
    np.testing.assert_allclose(
        psychro.sat_vapor_pressure_pa(t), psychrolib.GetSatVapPres(t), rtol=1e-9
    )


@pytest.mark.parametrize(("t", "rh", "p"), POINTS)
def test_humidity_ratio_and_enthalpy_match_psychrolib(t, rh, p):
    w = psychro.humidity_ratio_from_rh(t, rh, p)
    np.testing.assert_allclose(w, psychrolib.GetHumRatioFromRelHum(t, rh, p), rtol=1e-9)
    np.testing.assert_allclose(
        psychro.moist_air_enthalpy_j_kg(t, w), psychrolib.GetMoistAirEnthalpy(t, w), rtol=1e-9
    )


@pytest.mark.parametrize("z", [-100.0, 0.0, 200.0, 1151.0, 3000.0])
def test_station_pressure_eq3(z):
    np.testing.assert_allclose(
        psychro.station_pressure_pa(z), psychrolib.GetStandardAtmPressure(z), rtol=1e-12
    )


def test_sea_level_pressure_is_standard():
    """ASHRAE eq 3 at Z = 0 gives 101.325 kPa exactly."""
    assert psychro.station_pressure_pa(0.0) == pytest.approx(101325.0)


def test_wet_bulb_physical_truths():
    rng = np.random.default_rng(1)
    t = rng.uniform(-15, 50, 500)
    rh = rng.uniform(0.02, 1.0, 500)
    p = rng.uniform(85000, 102000, 500)
    twb = psychro.wet_bulb_c_array(t, rh, p)
    assert np.all(twb <= t + 1e-9)
    sat = psychro.wet_bulb_c_array(t, np.ones_like(t), p)
    np.testing.assert_allclose(sat, t, atol=1e-6)
    # wet bulb rises with humidity at fixed dry bulb
    lo = psychro.wet_bulb_c_array(t, rh * 0.5, p)
    assert np.all(lo <= twb + 1e-9)


def test_wet_bulb_array_shape_and_broadcast():
    out = psychro.wet_bulb_c_array(np.array([[30.0, 20.0]]), 0.5, 101325.0)
    assert out.shape == (1, 2)
    np.testing.assert_allclose(out[0, 0], psychro.wet_bulb_c(30.0, 0.5, 101325.0))


def test_numba_cache_enabled():
    """Kernels compile with cache=True (kernels/_jit.py) so later processes skip compilation."""
    from numba.core.caching import FunctionCache

    # numba's per-function cache, or the project's subclass locating it in the keyed folder
    assert isinstance(psychro.wet_bulb_c._cache, FunctionCache)
