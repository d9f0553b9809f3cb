"""The national hourly year (weather/national_grid.py) against its published figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from weather.grid import hourly_profile, marginal_profile
from weather.national_grid import SOURCES, align_hourly, national_data, national_grid, redispatch


def test_demand_has_anre_energy_and_the_peak_in_a_summer_evening():
    """ANRE 2024: 45,713 GWh over 8,784 h; peak 7,310 MW x 1.04 = 7,602 MW. The peak
    lands on a summer evening at 21:00-22:00 local, as every published record
    (2018-08-07 21:45, 2019-07-25 21:45, 2021-07-12 21:45, 2023-08-11 21:00)."""
    g = national_grid()
    assert len(g.index) == 8784
    assert g.demand_mw.sum() == pytest.approx(45_713e3, rel=1e-12)
    assert g.demand_mw.max() == pytest.approx(7310 * 1.04, abs=1.0)
    t = g.index[int(np.argmax(g.demand_mw))]
    assert t.month in (7, 8) and t.hour in (21, 22)


def test_peak_day_energy_agrees_with_onee_2018_record_day():
    """Not used to build the curve: ONEE's record day of 7 August 2018 had 125,843 MWh
    and a 6,310 MW evening peak, mean / peak = 125,843 / 24 / 6,310 = 0.831."""
    g = national_grid()
    i = int(np.argmax(g.demand_mw))
    day = g.index.normalize() == g.index[i].normalize()
    ratio = g.demand_mw[day].mean() / g.demand_mw[day].max()
    assert ratio == pytest.approx(125_843 / 24 / 6_310, rel=0.03)


def test_stack_meets_demand_with_the_published_shares_under_the_link_limit():
    """Every hour supply = demand; each source has its ANRE 2024 share of production x
    0.9562 of demand; imports 4.38 % and never above REE's 900 MW; no negative source."""
    g = national_grid()
    d = national_data()
    supply = sum(g.gen_mw[k] for k in SOURCES)
    assert np.allclose(supply, g.demand_mw, rtol=1e-12)
    total = g.demand_mw.sum()
    for k in ("coal", "gas", "fuel_oil", "wind", "solar", "hydro"):
        assert g.gen_mw[k].sum() / total == pytest.approx(d["mix"][k] * 0.9562, rel=1e-6), k
        assert g.gen_mw[k].min() >= 0.0
    assert g.gen_mw["imports"].sum() / total == pytest.approx(1 - 0.9562, rel=1e-9)
    assert g.gen_mw["imports"].max() <= 900.0
    assert g.gen_mw["solar"][g.index.hour == 2].max() == 0.0


def test_average_factor_keeps_the_published_mean_and_grid_profiles_come_from_it():
    """Demand-weighted mean 551 g/kWh (LowCarbonPower 2024); weather.grid's month x hour
    tables are the cell means of this year (one stack for campus and nation)."""
    g = national_grid()
    assert (g.average_g_per_kwh * g.demand_mw).sum() / g.demand_mw.sum() == pytest.approx(551.0)
    mef = marginal_profile()
    assert mef[7, 21] == pytest.approx(g.month_hour(g.marginal_g_per_kwh)[7, 21])
    ci, _ = hourly_profile(551.0)
    # the month x hour intensity follows the hourly one (same shape, rescaled)
    r = ci / g.month_hour(g.average_g_per_kwh)
    assert r.max() / r.min() < 1.05


def test_redispatch_of_nothing_is_the_year_and_a_big_load_reaches_fuel_oil():
    g = national_grid()
    same = redispatch(g, np.zeros(len(g.index)))
    for k in SOURCES:
        assert np.array_equal(same[k], g.gen_mw[k])
    big = redispatch(g, np.full(len(g.index), 2000.0))
    # coal is capped at its level C: 2 GW more goes to coal only below C
    assert big["coal"].max() == pytest.approx(g.levels_mw[0])
    assert big["fuel_oil"].sum() > g.gen_mw["fuel_oil"].sum()


def test_align_hourly_maps_another_year_and_fills_the_leap_day():
    """A 2027 hourly series (no 29 February) onto 2024: 1 March 2027 10:00 lands on
    1 March 2024 10:00; 29 February 2024 takes 28 February's last value; quarter-hours
    average within the hour."""
    g = national_grid()
    idx = pd.date_range("2027-01-01", periods=8760 * 4, freq="15min", tz="Africa/Casablanca")
    v = np.arange(len(idx), dtype=float)
    out = align_hourly(idx, v, g)
    k = int(np.flatnonzero(g.index == pd.Timestamp("2024-03-01 10:00", tz="Africa/Casablanca"))[0])
    j = int(np.flatnonzero(idx == pd.Timestamp("2027-03-01 10:00", tz="Africa/Casablanca"))[0])
    assert out[k] == pytest.approx(v[j : j + 4].mean())
    leap = g.index.normalize() == pd.Timestamp("2024-02-29", tz="Africa/Casablanca")
    assert np.all(out[leap] == out[np.flatnonzero(leap)[0] - 1])
