"""Long time series drawn as a reader can see them, and the week worth showing.

A year of one-minute steps has 525,600 points on a figure about 1,000 pixels wide:
drawn as lines it is a solid block, and matplotlib's conversion of a tz-aware pandas
index of that length costs tens of seconds. Spans longer than :data:`DAYS_AS_LINES`
are drawn as one band per day (the day's minimum to maximum, shaded) with the day's
mean as a line; shorter spans as the steps themselves. Either way the time axis is
converted once, to naive local wall-clock ``datetime64`` (the axes say
Africa/Casablanca).

:func:`eventful_week_start` picks the week a supply plot shows: where something happens
(the largest unmet load, else the longest grid outage, else the hottest inlet above its
recommended range, else the peak grid import).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: the report's views drawn from the time series, in its order (the PNG names in a run
#: folder; :func:`twin.results.plots.report_figures` draws them). Here, not in the
#: plots module, so that reading a run folder does not import matplotlib.
REPORT_FIGURES = (
    "supply_and_demand_week",
    "inlet_temperature_heatmap",
    "pue_heatmap",
    "load_duration_curve",
    "battery_state_of_charge",
    "water_by_month",
)
#: spans of more days than this are drawn as daily bands
DAYS_AS_LINES = 31
_NS_PER_DAY = 86_400 * 10**9


_LAST: list[Any] = [None, None]  # the last index converted and its local times


def local_times(index: pd.DatetimeIndex) -> np.ndarray:
    """Naive local wall-clock ``datetime64[ns]`` of *index*: one vectorised conversion,
    kept for the next figure of the same run (the same index object)."""
    if _LAST[0] is index:
        return _LAST[1]
    local = index.tz_localize(None) if index.tz is not None else index
    times = local.to_numpy(dtype="datetime64[ns]")
    _LAST[0], _LAST[1] = index, times
    return times


def span_days(index: pd.DatetimeIndex) -> float:
    """Length of *index* in days (0 for fewer than two steps)."""
    if len(index) < 2:
        return 0.0
    return float((index[-1] - index[0]).total_seconds() / 86_400.0)


def daily_envelope(times: np.ndarray, values: np.ndarray):
    """``(day starts, minimum, mean, maximum)`` of *values* per local calendar day.

    *times*: naive local ``datetime64[ns]``, sorted. NaN values are ignored; a day with
    no finite value gives NaN.
    """
    v = np.asarray(values, dtype=float)
    ns = times.astype("datetime64[ns]").astype(np.int64)
    day = ns // _NS_PER_DAY
    starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    finite = np.isfinite(v)
    count = np.add.reduceat(finite.astype(float), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo = np.fmin.reduceat(np.where(finite, v, np.nan), starts)
        hi = np.fmax.reduceat(np.where(finite, v, np.nan), starts)
        mean = np.add.reduceat(np.where(finite, v, 0.0), starts) / count
    days = (day[starts] * _NS_PER_DAY).astype("datetime64[ns]")
    return days, lo, mean, hi


def draw_series(ax, index: pd.DatetimeIndex, values: Any, colour: str, label: str, lw=1.0):
    """Draw *values* over *index* on *ax*: the steps for short spans, daily bands (min to
    max, shaded, with the daily mean as a line) for spans over :data:`DAYS_AS_LINES`."""
    times = local_times(index)
    v = np.asarray(values, dtype=float)
    if span_days(index) <= DAYS_AS_LINES:
        ax.plot(times, v, color=colour, lw=lw, label=label)
        return
    days, lo, mean, hi = daily_envelope(times, v)
    mid = days + np.timedelta64(12, "h")
    ax.fill_between(mid, lo, hi, color=colour, alpha=0.25, lw=0)
    ax.plot(mid, mean, color=colour, lw=lw, label=f"{label} (daily mean, band: min-max)")


def eventful_week_start(ts: pd.DataFrame, t_rec_hi_c: float = 27.0) -> pd.Timestamp:
    """Local midnight that starts the week to plot: around the largest unmet load, else
    the longest grid outage, else the hottest IT inlet above *t_rec_hi_c* (the ASHRAE
    recommended upper inlet), else the peak grid import; clipped to the run."""
    idx = ts.index
    k = None
    if "p_unmet_mw" in ts and ts["p_unmet_mw"].max() > 0:
        k = int(np.argmax(ts["p_unmet_mw"].to_numpy()))
    elif "grid_up" in ts and not ts["grid_up"].all():
        down = ~ts["grid_up"].to_numpy(dtype=bool)
        edges = np.flatnonzero(np.diff(np.r_[0, down.astype(np.int8), 0]))
        runs = edges.reshape(-1, 2)
        k = int(runs[np.argmax(runs[:, 1] - runs[:, 0]), 0])
    elif "t_inlet_c" in ts and ts["t_inlet_c"].max() > t_rec_hi_c:
        k = int(np.argmax(ts["t_inlet_c"].to_numpy()))
    elif "p_grid_import_mw" in ts and len(ts):
        k = int(np.argmax(ts["p_grid_import_mw"].to_numpy()))
    if k is None or span_days(idx) <= 7:
        return idx[0].normalize() if len(idx) else pd.Timestamp(0)
    start = (idx[k] - pd.Timedelta(days=3.5)).normalize()
    last = (idx[-1] - pd.Timedelta(days=7)).normalize() + pd.Timedelta(days=1)
    return max(min(start, last), idx[0])
