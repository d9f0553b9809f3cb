"""Moroccan grid data: hourly carbon profile and the ONEE-style tariff."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from weather.grid import grid_data, grid_series, hourly_profile, tou_price_mad_per_kwh


def _weights():
    from weather.grid import _generation

    g = _generation()
    return sum(g[k] for k in g if k not in ("residual", "demand"))


def test_profile_keeps_the_published_annual_means():
    ci, cf = hourly_profile(551.0, 0.26)
    w = _weights()
    # demand-weighted means: LowCarbonPower 2024, 551 g/kWh and 26 % low-carbon
    assert (ci * w).sum() / w.sum() == pytest.approx(551.0, rel=1e-9)
    assert (cf * w).sum() / w.sum() == pytest.approx(0.26, rel=1e-6)
    assert ci.shape == cf.shape == (12, 24)
    assert np.all((cf >= 0) & (cf <= 1))


def test_profile_shape_follows_the_mix():
    ci, cf = hourly_profile(551.0, 0.26)
    # coal-heavy system with coal first in the merit order: a sunny hour (12-15 h local;
    # 15 h in July-August, when summer demand dips in the afternoon) is the cleanest
    # hour of every month; the night trough (no sun, the residual below coal's level,
    # so coal alone) is dirtier; the evening peak adds gas and fuel oil on top
    night = ci[:, 0:6].mean(axis=1)
    midday = ci[:, 11:15].mean(axis=1)
    evening = ci[:, 19:22].mean(axis=1)
    assert np.all(np.isin(ci.argmin(axis=1), [12, 13, 14, 15]))
    assert np.all(night > midday + 10)
    assert np.all(evening > midday)
    assert np.all(cf[:, 11:15].mean(axis=1) > cf[:, 19:22].mean(axis=1))
    # every value lies between the cleanest and dirtiest lifecycle factor (IPCC AR5)
    assert ci.min() > 11.0 and ci.max() < 982.0


def test_flat_option_and_local_time_mapping():
    idx = pd.date_range("2023-07-01", periods=48, freq="h", tz="Africa/Casablanca")
    ci, cf = grid_series(idx, 551.0, 0.26, hourly=False)
    assert np.all(ci == 551.0) and np.all(cf == 0.26)
    ci_h, _ = grid_series(idx, 551.0, 0.26, hourly=True)
    table, _ = hourly_profile(551.0, 0.26)
    assert ci_h[20] == pytest.approx(table[6, 20])
    # same instants in UTC map to the same local hours
    ci_u, _ = grid_series(idx.tz_convert("UTC"), 551.0, 0.26)
    assert np.allclose(ci_u, ci_h)


def test_tariff_file_and_summer_shift():
    t = grid_data()["tariff"]
    assert t["premium_mad_per_kva_yr"] == pytest.approx(2128.60)
    assert t["peak_mad_per_kwh"] > t["full_mad_per_kwh"] > t["offpeak_mad_per_kwh"]
    winter = pd.date_range("2023-01-10", periods=24, freq="h")
    summer = pd.date_range("2023-07-10", periods=24, freq="h")
    pw = tou_price_mad_per_kwh(winter, summer_shift_h=1)
    ps = tou_price_mad_per_kwh(summer, summer_shift_h=1)
    assert pw[17] == ps[18] == t["peak_mad_per_kwh"]
    assert ps[17] == t["full_mad_per_kwh"] and ps[22] == t["peak_mad_per_kwh"]
    # the peak lasts 5 h of 24 in both seasons (ONEE bi-horaire rule)
    assert (pw == t["peak_mad_per_kwh"]).sum() == (ps == t["peak_mad_per_kwh"]).sum() == 5
