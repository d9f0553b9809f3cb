"""Sub-hourly weather (weather.subhourly) and the `twin weather` export (twin.cli.weather)."""

import numpy as np
import pandas as pd
import pytest

from kernels.psychro import wet_bulb_c_array
from twin.cli import main
from weather.epw import COLUMNS
from weather.sites import get_site
from weather.subhourly import MAX_CLEAR_SKY_RATIO, to_subhourly
from weather.typical_year import typical_year

SITE = get_site("benguerir")


@pytest.fixture(scope="module")
def hourly():
    return typical_year(SITE, year=2023, seed=4).iloc[: 24 * 20]  # 20 January days


@pytest.mark.parametrize(("step", "n"), [("15min", 4), ("1min", 60)])
def test_subhourly_conserves_hourly_irradiation(hourly, step, n):
    sub = to_subhourly(hourly, SITE.lat, SITE.lon, SITE.elevation_m, step, seed=1)
    assert list(sub.columns) == list(COLUMNS) and len(sub) == n * len(hourly)
    assert (
        np.isfinite(sub.to_numpy()).all()
        and (sub[["ghi_w_m2", "dni_w_m2", "dhi_w_m2"]] >= 0).all().all()
    )
    assert sub.index.to_series().diff().dropna().eq(pd.Timedelta(60 * 60 // n, "s")).all()
    for col in ("ghi_w_m2", "dni_w_m2", "dhi_w_m2"):
        means = sub[col].to_numpy().reshape(-1, n).mean(axis=1)
        np.testing.assert_allclose(means, hourly[col].to_numpy(), atol=1e-6)
    # temperature stays within the hourly range (interpolation), wet bulb below dry bulb
    t = sub["t_air_c"].to_numpy()
    assert hourly["t_air_c"].min() - 1e-9 <= t.min() and t.max() <= hourly["t_air_c"].max() + 1e-9
    assert (sub["t_wb_c"] <= sub["t_air_c"] + 1e-9).all()
    exact = wet_bulb_c_array(
        sub["t_air_c"].to_numpy(), sub["rh_frac"].to_numpy(), sub["p_air_pa"].to_numpy()
    )
    assert np.abs(exact - sub["t_wb_c"].to_numpy()).max() < 0.15


def test_minute_series_varies_within_cloudy_hours_only(hourly):
    sub = to_subhourly(hourly, SITE.lat, SITE.lon, SITE.elevation_m, "1min", seed=2)
    g = sub["ghi_w_m2"].to_numpy().reshape(-1, 60)
    spread = g.std(axis=1) / np.maximum(g.mean(axis=1), 1.0)
    assert spread.max() > 0.05  # broken-cloud hours vary minute to minute
    assert g.max() <= MAX_CLEAR_SKY_RATIO * 1400  # below 1.5 x any clear sky
    # seeded: same seed, same series
    again = to_subhourly(hourly, SITE.lat, SITE.lon, SITE.elevation_m, "1min", seed=2)
    np.testing.assert_array_equal(again["ghi_w_m2"], sub["ghi_w_m2"])


def test_cli_weather_exports_the_columns(tmp_path, capsys):
    out = tmp_path / "w.csv"
    assert main(["weather", "tarfaya", "--step", "15min", "--out", str(out)]) == 0
    df = pd.read_csv(out, index_col="time")
    assert list(df.columns) == [
        "ghi_w_m2",
        "dni_w_m2",
        "dhi_w_m2",
        "t_drybulb_c",
        "t_wetbulb_c",
        "rh_frac",
        "wind_m_s",
        "pressure_pa",
    ]
    assert len(df) == 4 * 8760
    pq = tmp_path / "w.parquet"
    assert main(["weather", "fes", "--warming-c", "1.5", "--out", str(pq)]) == 0
    warm, base = pd.read_parquet(pq), typical_year(get_site("fes"), seed=0)
    np.testing.assert_allclose(warm["t_drybulb_c"], base["t_air_c"] + 1.5)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["weather", "atlantis", "--out", "x.csv"], "unknown site"),
        (["weather", "rabat", "--out", "x.xlsx"], ".csv or .parquet"),
        (["weather", "rabat", "--source", "nope.epw", "--out", "x.csv"], "--source"),
        (["weather", "rabat", "--warming-c", "9", "--out", "x.csv"], "warming_c"),
    ],
)
def test_cli_weather_errors_exit_2_without_output(tmp_path, monkeypatch, capsys, argv, needle):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())
