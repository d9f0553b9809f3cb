"""Local-time fields once per hour (:mod:`weather.localtime`) and the step inputs built on
them (:func:`twin.sim.grid_steps.grid_steps`, :func:`twin.sim.inputs._to_steps`): the same
numbers, element for element, as pandas' own per-stamp fields and as the grid series
computed on every step."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from twin.scenario.model import Scenario
from twin.sim import grid_steps as G
from twin.sim import inputs as I
from weather.localtime import by_hour, hourly_rows

FIELDS = ("year", "month", "day", "hour", "day_of_week", "day_of_year")
CASABLANCA = "Africa/Casablanca"


def _minute_year(tz, year: int = 2023) -> pd.DatetimeIndex:
    """Every minute of *year* from local midnight, 1 January (as the run's step index)."""
    start = pd.Timestamp(f"{year}-01-01", tz=tz).tz_convert("UTC")
    end = pd.Timestamp(f"{year + 1}-01-01", tz=tz).tz_convert("UTC")
    n = int((end - start) / pd.Timedelta(minutes=1))
    return pd.date_range(start, periods=n, freq="60s", tz="UTC").tz_convert(tz)


def _fields(idx: pd.DatetimeIndex) -> tuple:
    return tuple(getattr(idx, f).to_numpy() for f in FIELDS)


def _utc_offsets_h(idx: pd.DatetimeIndex) -> np.ndarray:
    return (idx.tz_localize(None) - idx.tz_convert(None)) / pd.Timedelta(hours=1)


def test_casablanca_year_at_one_minute_has_pandas_fields_through_both_ramadan_changes():
    idx = _minute_year(CASABLANCA)
    # tzdata (IANA "africa", Rule Morocco 2023): UTC+1 all year but UTC+0 from
    # 19 March 02:00 UTC to 23 April 02:00 UTC (Ramadan), both changes on a UTC hour
    off = _utc_offsets_h(idx)
    change = np.flatnonzero(np.diff(off)) + 1
    assert [str(idx[i].tz_convert("UTC")) for i in change] == [
        "2023-03-19 02:00:00+00:00",
        "2023-04-23 02:00:00+00:00",
    ]
    assert set(np.unique(off)) == {0.0, 1.0}
    found = hourly_rows(idx)
    assert found is not None
    hours, rows = found
    assert len(hours) == 8760 and len(idx) == 525_600
    np.testing.assert_array_equal(rows, np.arange(525_600) // 60)
    for fast, slow in zip(by_hour(idx, _fields), _fields(idx), strict=True):
        assert fast.dtype == slow.dtype
        np.testing.assert_array_equal(fast, slow)
    # the local clock goes back from 03:00 to 02:00 on 19 March (UTC+1 -> UTC+0) and
    # forward from 02:00 to 03:00 on 23 April
    back = idx[change[0] - 1 : change[0] + 1]
    assert [t.strftime("%H:%M") for t in back] == ["02:59", "02:00"]
    forward = idx[change[1] - 1 : change[1] + 1]
    assert [t.strftime("%H:%M") for t in forward] == ["01:59", "03:00"]


def test_each_stamp_row_is_the_utc_hour_that_holds_it():
    idx = _minute_year(CASABLANCA)[100_000:160_000]
    hours, rows = hourly_rows(idx)
    start = hours.tz_convert("UTC")[rows]
    assert (start <= idx).all() and (idx < start + pd.Timedelta(hours=1)).all()
    assert (hours.tz_convert("UTC").minute == 0).all() and (
        hours.tz_convert("UTC").second == 0
    ).all()
    assert (np.diff(hours.asi8) == pd.Timedelta(hours=1) / pd.Timedelta(1, hours.unit)).all()
    assert hours.tz == idx.tz and hours.unit == idx.unit


@pytest.mark.parametrize("tz", ["Asia/Kolkata", "Australia/Lord_Howe"])
def test_a_half_hour_zone_falls_back_to_pandas(tz):
    # Kolkata is UTC+05:30 all year; Lord Howe is UTC+10:30, UTC+11 in summer (a
    # half-hour daylight saving): a UTC hour holds two local hours, no per-hour field
    idx = _minute_year(tz)
    assert hourly_rows(idx) is None
    for fast, slow in zip(by_hour(idx, _fields), _fields(idx), strict=True):
        np.testing.assert_array_equal(fast, slow)


def test_a_fixed_half_hour_offset_and_a_coarse_index_fall_back():
    tz = dt.timezone(dt.timedelta(minutes=-30))
    idx = pd.date_range("2023-06-01", periods=600, freq="60s", tz=tz)
    assert hourly_rows(idx) is None
    hourly = pd.date_range("2023-06-01", periods=48, freq="h", tz=CASABLANCA)
    assert hourly_rows(hourly) is None  # no fewer hours than stamps: nothing to gain
    assert hourly_rows(idx[:0]) is None


def test_naive_and_utc_indexes_use_their_own_clock():
    naive = pd.date_range("2023-12-31 22:00", periods=300, freq="60s")
    hours, rows = hourly_rows(naive)
    assert list(hours.hour) == [22, 23, 0, 1, 2]
    assert list(np.bincount(rows)) == [60] * 5
    for fast, slow in zip(by_hour(naive, _fields), _fields(naive), strict=True):
        np.testing.assert_array_equal(fast, slow)
    utc = naive.tz_localize("UTC")
    for fast, slow in zip(by_hour(utc, _fields), _fields(utc), strict=True):
        np.testing.assert_array_equal(fast, slow)


def _scenario(*sets: str) -> Scenario:
    return Scenario().with_overrides(list(sets))


@pytest.mark.parametrize(
    "sets",
    [
        ("simulation.step=1min",),
        ("simulation.step=15min", "grid.tariff.summer_shift_h=1", "grid.carbon_basis=combustion"),
        (
            "simulation.step=1min",
            "grid.carbon_profile=flat",
            "simulation.start=2023-03-18",
            "simulation.days=40",
        ),
    ],
)
def test_grid_steps_equal_the_series_computed_on_every_step(sets):
    sc = _scenario(*sets)
    I._GRID_MEMO.clear()
    index, *series = G.grid_steps(sc, sc.dt_s, sc.n_steps)
    assert len(index) == sc.n_steps
    for fast, slow in zip(series, G.grid_fields(sc, index), strict=True):
        assert fast.dtype == np.float64 and slow.dtype == np.float64
        assert fast.tobytes() == slow.tobytes()
    price, _, _, slot, _ = series
    # the tariff slot is 3 (month - 1) + period, and the price is that period's
    t = sc.grid.tariff
    period = slot.astype(int) % 3
    np.testing.assert_array_equal(
        price, np.array([t.peak_mad_per_kwh, t.full_mad_per_kwh, t.offpeak_mad_per_kwh])[period]
    )
    np.testing.assert_array_equal(slot.astype(int) // 3 + 1, index.month.to_numpy())


def test_to_steps_interpolates_between_hour_centres():
    rng = np.random.default_rng(3)
    hourly = rng.normal(20.0, 5.0, 8760)
    dt_s, n, off = 60, 30 * 1440, 86400 * 40
    got = I._to_steps(hourly, dt_s, n, off)
    # the step midpoints offset + k dt + dt / 2 on the hour centres 3600 i + 1800
    want = np.interp(
        off + np.arange(n) * float(dt_s) + 0.5 * dt_s, np.arange(8760) * 3600.0 + 1800.0, hourly
    )
    assert got.dtype == np.float64 and got.flags.c_contiguous
    assert got.tobytes() == want.tobytes()
    # at 20-min steps every third step is centred on an hour's centre: that hour's value
    third = I._to_steps(hourly, 1200, 3 * 8000, 0)
    np.testing.assert_array_equal(third[1::3], hourly[:8000])
    # and the steps between two centres lie between their values
    between = third[2::3][:7999]
    assert (np.minimum(hourly[:7999], hourly[1:8000]) <= between).all()
    assert (between <= np.maximum(hourly[:7999], hourly[1:8000])).all()


def test_clipping_leaves_an_hourly_series_it_views_unchanged():
    hourly = np.array([-1.0, 2.0, -3.0, 4.0])
    view = I._to_steps(hourly, 3600, 3, 3600)  # a 1-h step: a view of the hours
    clipped = I._nonnegative(view)
    np.testing.assert_array_equal(clipped, [2.0, 0.0, 4.0])
    np.testing.assert_array_equal(hourly, [-1.0, 2.0, -3.0, 4.0])
    own = I._to_steps(hourly, 60, 120, 0)
    assert I._nonnegative(own) is own and (own >= 0.0).all()


def test_signal_rows_are_the_columns_written_one_by_one():
    from twin.sim.signals import BLOCK_ROWS, fill_rows

    n = 2 * BLOCK_ROWS + 17  # blocks of rows and a short last one
    rng = np.random.default_rng(5)
    columns = {0: rng.random(n), 3: 0.95, 8: rng.integers(0, 36, n).astype(float)}
    want = np.zeros((n, 10))
    for j, values in columns.items():
        want[:, j] = values
    dirty = np.full((n, 10), np.nan)  # a recycled buffer: every element is rewritten
    fill_rows(dirty, columns)
    assert dirty.tobytes() == want.tobytes()
    empty = np.empty((0, 10))
    fill_rows(empty, {0: np.zeros(0)})
