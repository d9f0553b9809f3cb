"""Day-by-day statistics of a weather table: what the ensemble is fitted on and checked against.

One definition serves the calibration (:mod:`weather.calibrate`), the check of the
ensemble against real files (``benchmarks/weather_ensemble_check.py``) and the tests,
so the synthetic years and the data are always measured the same way.

Every statistic works *within calendar months*: the TMYx files splice real months of
different years, so only pairs of days inside one month are consecutive days of one
real month. Within a month:

* daily clearness relative to the month, ``kc_rel = kc / mean(kc)``, with
  ``kc = H / H_cs`` the daily global irradiation over the clear-sky one;
* temperature anomaly, the daily mean temperature minus a straight line through the
  month's days [K];
* wind ratio, the daily mean 10 m speed over the month's mean.

A *cloudy day* has ``kc_rel <`` :data:`CLOUDY_KC_REL` (a quarter below its month's
mean); a *calm day* has a wind ratio below :data:`CALM_WIND_RATIO`. Spells are runs of
such days inside one month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "CALM_WIND_RATIO",
    "CLOUDY_KC_REL",
    "SEASONS",
    "daily_table",
    "lag1_within_month",
    "longest_runs",
    "run_lengths",
    "spells",
    "within_month",
]

#: Season of each month (meteorological seasons).
SEASONS = {
    12: "DJF",
    1: "DJF",
    2: "DJF",
    3: "MAM",
    4: "MAM",
    5: "MAM",
    6: "JJA",
    7: "JJA",
    8: "JJA",
    9: "SON",
    10: "SON",
    11: "SON",
}
#: A cloudy (or dusty) day: daily clearness below this fraction of its month's mean [-].
CLOUDY_KC_REL = 0.75
#: A calm day: daily mean wind below this fraction of its month's mean [-].
CALM_WIND_RATIO = 0.6


def daily_table(
    hourly: pd.DataFrame, ghi_cs_w_m2: np.ndarray | None = None, yr: int = 0
) -> pd.DataFrame:
    """Daily values of an hourly table (local days of its index).

    Columns: ``yr`` (*yr*, a label of the year: a weather year, or 0), ``month``,
    ``season``, ``h_kwh_m2`` (daily GHI), ``kc`` (over the clear sky, when
    *ghi_cs_w_m2* is given), ``t_mean_c``, ``wind_m_s`` and ``precip_mm`` where the
    table has them.
    """
    local = hourly.index.tz_convert("Africa/Casablanca")
    key = pd.Index(local.date, name="date")
    cols = {}
    if "ghi_w_m2" in hourly:
        cols["h_kwh_m2"] = hourly["ghi_w_m2"].to_numpy(float) / 1000.0
        if ghi_cs_w_m2 is not None:
            cols["h_cs_kwh_m2"] = np.asarray(ghi_cs_w_m2, float) / 1000.0
    for name in ("t_air_c", "wind_m_s"):
        if name in hourly:
            cols[name] = hourly[name].to_numpy(float)
    if "precip_mm" in hourly:
        cols["precip_mm"] = hourly["precip_mm"].to_numpy(float)
    frame = pd.DataFrame(cols, index=key)
    agg = {c: ("sum" if c in ("h_kwh_m2", "h_cs_kwh_m2", "precip_mm") else "mean") for c in cols}
    day = frame.groupby(level=0).agg(agg)
    # keep whole days only (the first/last local day of a UTC-labelled file may be partial)
    counts = frame.groupby(level=0).size()
    day = day[counts.reindex(day.index).to_numpy() >= 23]
    day = day.rename(columns={"t_air_c": "t_mean_c"})
    if "h_cs_kwh_m2" in day:
        day["kc"] = day["h_kwh_m2"] / day["h_cs_kwh_m2"].where(day["h_cs_kwh_m2"] > 0)
    dates = pd.to_datetime(day.index)
    day.insert(0, "season", [SEASONS[m] for m in dates.month])
    day.insert(0, "month", dates.month.to_numpy())
    day.insert(0, "yr", yr)
    day.index = dates
    return day


def within_month(day: pd.DataFrame, col: str, ratio: bool) -> pd.Series:
    """*col* relative to its (year, month): a ratio to the month's mean, or (*ratio*
    False, temperature) the residual of a straight line fitted through the month's
    days, so the seasonal warming or cooling within a month (up to ~5 K in spring and
    autumn) is not read as a persistent anomaly."""
    key = [day["yr"].to_numpy(), day.index.year, day["month"].to_numpy()]
    if ratio:
        return day[col] / day[col].groupby(key).transform("mean")
    return day[col].groupby(key).transform(_detrend)


def _detrend(v: pd.Series) -> np.ndarray:
    y = v.to_numpy(float)
    x = np.arange(y.size, dtype=float)
    ok = np.isfinite(y)
    if ok.sum() < 3:
        return y - np.nanmean(y)
    return y - np.polyval(np.polyfit(x[ok], y[ok], 1), x)


def _same_month_next(day: pd.DataFrame) -> np.ndarray:
    """True where row i+1 is the next day of row i in the same (year, month)."""
    d = day.index.to_numpy()
    nxt = (d[1:] - d[:-1]) == np.timedelta64(1, "D")
    same = (day["yr"].to_numpy()[1:] == day["yr"].to_numpy()[:-1]) & (
        day["month"].to_numpy()[1:] == day["month"].to_numpy()[:-1]
    )
    return nxt & same


def lag1_within_month(day: pd.DataFrame, values: pd.Series, season: str | None = None) -> float:
    """Lag-1 autocorrelation of *values* over consecutive days of one month [-].

    With *season*, only pairs whose first day is in that season.
    """
    v = values.to_numpy(float)
    ok = _same_month_next(day) & np.isfinite(v[1:]) & np.isfinite(v[:-1])
    if season is not None:
        ok &= day["season"].to_numpy()[:-1] == season
    a, b = v[:-1][ok], v[1:][ok]
    if a.size < 3:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def run_lengths(flag: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """Lengths of the runs of True in *flag*; a run ends where *breaks* is True
    (a new month begins at that row)."""
    out = []
    n = 0
    for f, b in zip(flag, breaks):
        if b and n:
            out.append(n)
            n = 0
        if f:
            n += 1
        elif n:
            out.append(n)
            n = 0
    if n:
        out.append(n)
    return np.asarray(out, dtype=int)


def _breaks(day: pd.DataFrame) -> np.ndarray:
    return np.r_[True, ~_same_month_next(day)]


def spells(day: pd.DataFrame, flag: pd.Series | np.ndarray) -> np.ndarray:
    """Lengths of the spells of flagged days inside months [days] (*flag* row-aligned)."""
    return run_lengths(np.asarray(flag, dtype=bool), _breaks(day))


def longest_runs(day: pd.DataFrame, flag: pd.Series | np.ndarray) -> np.ndarray:
    """The longest spell of flagged days of each year label ``yr`` (0 when none) [days]."""
    f = np.asarray(flag, dtype=bool)
    yr = day["yr"].to_numpy()
    brk = _breaks(day)
    out = []
    for y in np.unique(yr):
        sel = yr == y
        runs = run_lengths(f[sel], brk[sel])
        out.append(int(runs.max()) if runs.size else 0)
    return np.asarray(out, dtype=int)
