"""Real Moroccan EPW files (tests/data, gzip): reader contract, clock, typical-year match."""

import numpy as np
import pandas as pd
import pytest

from tests.datafiles import EPWS, RABAT_2009_2023_EPW, plain_name
from weather.epw import COLUMNS, WeatherFileError, _clock_offset_h, read_epw
from weather.sites import get_site
from weather.typical_year import typical_year


@pytest.fixture(scope="module", params=EPWS, ids=plain_name)
def epw(request):
    return read_epw(request.param)


def test_columns_length_tz(epw):
    data, meta = epw
    assert list(data.columns) == list(COLUMNS)
    assert len(data) == 8760
    assert str(data.index.tz) == "Africa/Casablanca"
    assert data.index.to_series().diff().dropna().eq(pd.Timedelta("1h")).all()
    assert (data["t_wb_c"] <= data["t_air_c"] + 1e-9).all()
    assert 27 < meta["lat"] < 35


def test_clock_matches_sun(epw):
    """After reading, GHI lines up with the sun; the peak hour (UTC) brackets solar noon."""
    data, meta = epw
    assert _clock_offset_h(data["ghi_w_m2"].to_numpy(), data.index, meta["lat"], meta["lon"]) == 0
    june = data[data.index.month == 6]
    utc_hour = june.index.tz_convert("UTC").hour
    peak = june["ghi_w_m2"].groupby(utc_hour).mean().idxmax()
    noon_utc = 12.0 - meta["lon"] / 15.0  # ± equation of time (< 3 min in June)
    assert peak <= noon_utc < peak + 1


def test_bad_files_raise_weather_file_error(tmp_path):
    with pytest.raises(WeatherFileError, match="not found"):
        read_epw(tmp_path / "nope.epw")
    empty = tmp_path / "empty.epw"
    empty.write_text("")
    with pytest.raises(WeatherFileError, match="empty"):
        read_epw(empty)
    junk = tmp_path / "junk.epw"
    junk.write_text("this is not\nan epw file\n")
    with pytest.raises(WeatherFileError, match=str(junk.name)):
        read_epw(junk)


def test_typical_year_matches_rabat_epw():
    """Offline rabat year vs the Rabat TMYx 2009-2023 EPW: monthly GHI 5 %, temperature 1 K."""
    epw, _ = read_epw(RABAT_2009_2023_EPW)
    ty = typical_year(get_site("rabat"))
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    g_epw = epw["ghi_w_m2"].groupby(epw.index.month).sum().to_numpy() / days
    g_ty = ty["ghi_w_m2"].groupby(ty.index.month).sum().to_numpy() / days
    np.testing.assert_allclose(g_ty, g_epw, rtol=0.05)
    t_epw = epw["t_air_c"].groupby(epw.index.month).mean().to_numpy()
    t_ty = ty["t_air_c"].groupby(ty.index.month).mean().to_numpy()
    np.testing.assert_allclose(t_ty, t_epw, atol=1.0)
    assert pd.Series(ty["rh_frac"]).mean() == pytest.approx(epw["rh_frac"].mean(), abs=0.06)
