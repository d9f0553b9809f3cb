"""weather.sites catalogue: ids, coordinates from docs/morocco.md, sourced monthly figures."""

import numpy as np
import pytest

from weather.sites import MONTHLY_FIELDS, SITES, Site, UnknownSiteError, get_site, list_sites

REQUIRED = [
    "casablanca",
    "rabat",
    "tetouan",
    "benguerir",
    "marrakech",
    "ouarzazate",
    "laayoune",
    "dakhla",
]


def test_required_sites_present():
    assert set(REQUIRED) <= set(SITES)
    assert [s.id for s in list_sites()] == list(SITES)


@pytest.mark.parametrize("sid", REQUIRED)
def test_site_fields(sid):
    s = get_site(sid)
    assert isinstance(s, Site)
    assert s.id.isascii() and s.id == s.id.lower()
    assert s.tz == "Africa/Casablanca"
    assert 20.0 < s.lat < 36.0 and -17.5 < s.lon < -1.0
    for key in MONTHLY_FIELDS:
        assert len(s.monthly[key]) == 12
        assert s.sources[key].strip()
    m = {k: np.array(v) for k, v in s.monthly.items()}
    assert np.all(m["t_min_c"] <= m["t_mean_c"]) and np.all(m["t_mean_c"] <= m["t_max_c"])
    assert np.all((m["rh_frac"] > 0) & (m["rh_frac"] <= 1))
    assert np.all((m["ghi_kwh_m2_day"] > 2) & (m["ghi_kwh_m2_day"] < 9))
    assert np.all(m["wind_m_s"] > 0)


def test_coordinates_from_morocco_md():
    """Values of each site's coordinate source, named in weather/data/sites.toml (airport
    reference points and city centres)."""
    assert (get_site("casablanca").lat, get_site("casablanca").lon) == (33.367, -7.590)
    assert get_site("ouarzazate").elevation_m == 1151.0
    assert get_site("dakhla").lat == 23.718


def test_dakhla_annual_ghi_matches_source():
    """docs/morocco.md: Dakhla 5.54 kWh/m²/day annual mean (the catalogue is scaled to it)."""
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    ghi = np.array(get_site("dakhla").monthly["ghi_kwh_m2_day"])
    assert (ghi * days).sum() / 365 == pytest.approx(5.54, abs=0.01)


def test_unknown_site_lists_known_ids():
    with pytest.raises(UnknownSiteError, match="rabat") as err:
        get_site("atlantis")
    assert isinstance(err.value, LookupError)
    assert get_site("RABAT").id == "rabat"
