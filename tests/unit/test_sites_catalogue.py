"""All 14 built-in sites (issue 3): fields, sources, plausible climate, a typical year each."""

import numpy as np
import pytest

from weather.sites import MONTHLY_FIELDS, SITES, get_site
from weather.typical_year import typical_year

ALL14 = [
    "casablanca",
    "rabat",
    "tetouan",
    "benguerir",
    "marrakech",
    "ouarzazate",
    "laayoune",
    "dakhla",
    "tangier",
    "fes",
    "agadir",
    "oujda",
    "errachidia",
    "tarfaya",
]


def test_fourteen_sites():
    assert set(ALL14) <= set(SITES) and len(SITES) >= 14


@pytest.mark.parametrize("sid", ALL14)
def test_site_is_sourced_and_plausible(sid):
    s = get_site(sid)
    assert 20.0 < s.lat < 36.0 and -17.5 < s.lon < -1.0 and 0 <= s.elevation_m < 2000
    for key in MONTHLY_FIELDS:
        assert len(s.monthly[key]) == 12 and s.sources[key].strip()
    m = {k: np.array(v) for k, v in s.monthly.items()}
    assert np.all(m["t_min_c"] <= m["t_mean_c"]) and np.all(m["t_mean_c"] <= m["t_max_c"])
    assert np.all((m["rh_frac"] > 0) & (m["rh_frac"] <= 1)) and np.all(m["wind_m_s"] > 0)
    # Morocco: 1,700-2,400 kWh/m²/yr GHI (Global Solar Atlas range for the country)
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    assert 1700 < (m["ghi_kwh_m2_day"] * days).sum() < 2400
    # northern hemisphere: June days beat December days
    assert m["ghi_kwh_m2_day"][5] > m["ghi_kwh_m2_day"][11]


@pytest.mark.parametrize("sid", ["tangier", "fes", "agadir", "oujda", "errachidia", "tarfaya"])
def test_new_sites_typical_year_hits_monthly_figures(sid):
    s = get_site(sid)
    ty = typical_year(s, year=2023, seed=2)
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    ghi = ty["ghi_w_m2"].groupby(ty.index.month).sum().to_numpy() / 1e3 / days
    np.testing.assert_allclose(ghi, s.monthly["ghi_kwh_m2_day"], rtol=0.02)
    t = ty["t_air_c"].groupby(ty.index.month).mean().to_numpy()
    np.testing.assert_allclose(t, s.monthly["t_mean_c"], atol=0.5)
    w = ty["wind_m_s"].groupby(ty.index.month).mean().to_numpy()
    np.testing.assert_allclose(w, s.monthly["wind_m_s"], rtol=0.05)
