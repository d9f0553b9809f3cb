"""Readers (TMY3, PVGIS TMY, PVGIS online cache), clock check and warming; no network.

``tests/data/pvgis_tmy_rabat.csv.gz`` is a recorded PVGIS TMY response in PVGIS's CSV
format (header, months table, ``time(UTC),T2m,RH,G(h),Gb(n),Gd(h),IR(h),WS10m,WD10m,SP``
rows, footer), written by :func:`weather.pvgis_online.write_pvgis_tmy_csv` from the
Rabat-Salé TMYx 2009-2023 EPW after its clock check (values at HH:30 UTC, so its
"Irradiance Time Offset" is 0.5 h; IR(h) and WD10m are placeholders).
"""

import gzip
import io
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

import weather
from tests.datafiles import RABAT_PVGIS_TMY_CSV as RECORDED
from weather.align import WeatherAlignmentError, align_to_sun, clock_shift_h
from weather.climate import apply_warming
from weather.epw import COLUMNS, WeatherFileError
from weather.files import read_pvgis_tmy, read_tmy3, read_weather_file, sniff_format
from weather.pvgis_online import load_pvgis_tmy

TMY3 = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"  # Greensboro NC, NREL TMY3


def _check_table(d):
    assert list(d.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert str(d.index.tz) == "Africa/Casablanca"
    assert d.index.to_series().diff().dropna().eq(pd.Timedelta("1h")).all()
    assert np.isfinite(d[list(COLUMNS)].to_numpy()).all()
    assert (d["t_wb_c"] <= d["t_air_c"] + 1e-9).all()
    assert (d[["ghi_w_m2", "dni_w_m2", "dhi_w_m2"]] >= 0).all().all()


def test_tmy3_reader_labels_interval_start_and_follows_sun():
    if not TMY3.is_file():
        pytest.skip(f"pvlib test data missing: {TMY3.name}")
    assert sniff_format(TMY3) == "tmy3"
    d, m = read_tmy3(TMY3)
    _check_table(d)
    assert len(d) == 8760 and m["clock_correction_h"] == 0
    # June: the hour with the highest mean GHI contains solar noon (UTC 12 - lon/15)
    june = d[d.index.month == 6]
    utc_h = june.index.tz_convert("UTC").hour
    peak = june["ghi_w_m2"].groupby(utc_h).mean().idxmax()
    assert peak <= 12.0 - m["lon"] / 15.0 < peak + 1


def test_recorded_pvgis_tmy_reads_back_the_epw_values():
    assert sniff_format(RECORDED) == "pvgis_tmy"
    d, m = read_pvgis_tmy(RECORDED, year=2023)
    _check_table(d)
    assert m["clock_correction_h"] == 0 and m["wrapped_h"] == 1
    assert d.index[0] == pd.Timestamp("2023-01-01 00:00", tz="Africa/Casablanca")
    # Rabat TMYx 2009-2023: annual GHI ~1,900 kWh/m² (file value, rounding only)
    assert d["ghi_w_m2"].sum() / 1e3 == pytest.approx(1905, rel=0.03)


def _recorded_bytes() -> io.BytesIO:
    """The recorded response as pvlib's PVGIS TMY CSV parser reads it (bytes)."""
    return io.BytesIO(gzip.decompress(RECORDED.read_bytes()))


def test_pvgis_online_cached_then_offline(tmp_path, monkeypatch):
    calls = []

    def fake_get(lat, lon, **kw):
        calls.append((lat, lon))
        return pvlib.iotools.read_pvgis_tmy(_recorded_bytes(), pvgis_format="csv")

    monkeypatch.setattr(pvlib.iotools, "get_pvgis_tmy", fake_get)
    d1, _ = load_pvgis_tmy(34.051, -6.752, cache=tmp_path)
    assert len(calls) == 1 and len(list(tmp_path.glob("*.csv"))) == 1

    def no_network(*a, **k):
        raise ConnectionError("no network")

    monkeypatch.setattr(pvlib.iotools, "get_pvgis_tmy", no_network)
    d2, m2 = load_pvgis_tmy(34.051, -6.752, cache=tmp_path)
    np.testing.assert_allclose(d2["ghi_w_m2"], d1["ghi_w_m2"], atol=0.01)
    assert "cached" in m2["source"]
    with pytest.raises(WeatherFileError, match="no cached copy"):
        load_pvgis_tmy(31.0, -7.0, cache=tmp_path)


def test_load_weather_pvgis_source(tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_TWIN_CACHE", str(tmp_path))
    monkeypatch.setattr(
        pvlib.iotools,
        "get_pvgis_tmy",
        lambda *a, **k: pvlib.iotools.read_pvgis_tmy(_recorded_bytes(), pvgis_format="csv"),
    )
    d, m = weather.load_weather("rabat", "pvgis")
    assert len(d) == 8760 and m["name"].startswith("Rabat")


def _shifted(d, hours):
    return d.set_axis(d.index + pd.Timedelta(hours=hours))


@pytest.mark.parametrize("hours", [1, -1, 2])
def test_alignment_brings_a_shifted_table_back(hours, caplog):
    caplog.set_level(logging.INFO, logger="weather.align")
    d, m = read_pvgis_tmy(RECORDED)
    bad = _shifted(d, hours)
    fixed, meta = align_to_sun(bad, {}, m["lat"], m["lon"], "shifted")
    assert meta["clock_correction_h"] == -hours
    assert (fixed.index == d.index).all()
    assert f"{-hours:+d} h" in caplog.text  # logged at INFO: corrected, nothing to act on


def test_alignment_rejects_irradiance_that_ignores_the_sun():
    d, m = read_pvgis_tmy(RECORDED)
    rng = np.random.default_rng(0)
    junk = d.copy()
    junk["ghi_w_m2"] = rng.permutation(d["ghi_w_m2"].to_numpy())
    with pytest.raises(WeatherAlignmentError, match="does not follow the sun"):
        align_to_sun(junk, {}, m["lat"], m["lon"], "scrambled")


def test_half_hour_label_error_shows_as_residual():
    d, m = read_pvgis_tmy(RECORDED)
    _, r0, res0 = clock_shift_h(d["ghi_w_m2"].to_numpy(), d.index, m["lat"], m["lon"])
    half = _shifted(d, 0.5)
    _, _, res = clock_shift_h(half["ghi_w_m2"].to_numpy(), half.index, m["lat"], m["lon"])
    assert r0 > 0.9
    assert res == pytest.approx(res0 - 0.5, abs=0.15)


def test_warming_keeps_rh_and_raises_wet_bulb():
    d, _ = read_pvgis_tmy(RECORDED)
    w = apply_warming(d, 3.0)
    np.testing.assert_allclose(w["t_air_c"], d["t_air_c"] + 3.0)
    np.testing.assert_array_equal(w["rh_frac"], d["rh_frac"])
    dwb = (w["t_wb_c"] - d["t_wb_c"]).to_numpy()
    assert (dwb > 0).all() and (dwb <= 3.0 + 1e-9).all()
    with pytest.raises(ValueError, match="warming_c"):
        apply_warming(d, 10.0)


def test_unknown_format_is_a_clear_error(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(WeatherFileError, match="cannot tell the format"):
        read_weather_file(f)
