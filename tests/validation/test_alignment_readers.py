"""Clock check on real files shifted by ±1 h, and the plane-of-array-only PVGIS series."""

import logging

import numpy as np
import pandas as pd
import pytest

from tests.datafiles import OUARZAZATE_PVGIS_CSV, RABAT_2009_2023_EPW, read_text
from weather.epw import read_epw
from weather.files import read_weather_file
from weather.pvplant import PVPlant, simulate_pv_plant


def _with_tz(path, tmp_path, tz_h):
    lines = read_text(path, encoding="latin-1").splitlines(keepends=True)
    loc = lines[0].split(",")
    loc[8] = f"{tz_h:.1f}"
    out = tmp_path / f"tz_{tz_h:+.0f}.epw"
    out.write_text(",".join(loc) + "".join(lines[1:]), encoding="latin-1")
    return out


@pytest.mark.parametrize("dtz", [1, -1])
def test_epw_shifted_by_one_hour_comes_back(tmp_path, dtz, caplog):
    """Rabat TMYx irradiance follows UTC+0 (its header says +1). With the header set to
    0 the clock is right; shifting the header by ±1 h moves every row by ∓1 h in
    absolute time, and the reader must move them back, saying so."""
    path = RABAT_2009_2023_EPW
    ref, ref_meta = read_epw(_with_tz(path, tmp_path, 0.0))
    assert ref_meta["clock_correction_h"] == 0
    caplog.clear()
    caplog.set_level(logging.INFO, logger="weather.align")
    got, meta = read_epw(_with_tz(path, tmp_path, float(dtz)))
    assert meta["clock_correction_h"] == dtz
    assert f"rows shifted by {dtz:+d} h" in caplog.text
    pd.testing.assert_index_equal(got.index, ref.index)
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy())


def test_pvgis_poa_only_series_is_decomposed_and_used_directly():
    data, meta = read_weather_file(OUARZAZATE_PVGIS_CSV)
    assert meta["format"] == "PVGIS hourly" and meta["clock_correction_h"] == 0
    assert meta["poa_plane"] == {"tilt_deg": 32.0, "azimuth_deg": 176.0}
    assert any("GTI-DIRINT" in f for f in meta["filled"])
    assert len(data) == 8760 and str(data.index.tz) == "Africa/Casablanca"
    # Ouarzazate: annual GHI 2,100-2,400 kWh/m² (SolarGIS/PVGIS range for the Noor site)
    ghi_kwh = data["ghi_w_m2"].sum() / 1e3
    assert 2100 < ghi_kwh < 2400
    # the decomposition is consistent: Perez transposition of the estimated
    # components gives back the measured POA within 3 % over the year
    matching = PVPlant(tilt_deg=32.0, azimuth_deg=176.0, losses_frac=0.0)
    used = simulate_pv_plant(data, meta["lat"], meta["lon"], meta["elevation_m"], matching)
    assert used.attrs["irradiance"] == "measured plane-of-array"
    no_poa = data.drop(columns="poa_w_m2")
    no_poa.attrs = {}
    transposed = simulate_pv_plant(no_poa, meta["lat"], meta["lon"], meta["elevation_m"], matching)
    assert transposed.attrs["irradiance"].startswith("Perez")
    assert transposed["poa_w_m2"].sum() == pytest.approx(used["poa_w_m2"].sum(), rel=0.03)
    # another plane falls back to transposition
    other = simulate_pv_plant(data, meta["lat"], meta["lon"], meta["elevation_m"], PVPlant())
    assert other.attrs["irradiance"].startswith("Perez")
