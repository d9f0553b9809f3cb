"""Local-time calendar fields of a long step index, computed once per hour.

The grid's price, carbon and tariff series depend on the local month and hour of each
step (:mod:`weather.grid`). pandas derives every field (month, hour, weekday ...) of a
tz-aware :class:`pandas.DatetimeIndex` stamp by stamp, converting each stamp to wall
time again for each field: a year at one minute holds 525,600 stamps.

Calendar fact used here: where the zone's offset from UTC is a whole number of hours
and does not change inside a UTC hour, the start of that UTC hour is a local hour
boundary, and a stamp *t* of the hour has wall time ``wall(start) + (t - start)`` with
``t - start`` under one hour, so it falls in the same local hour, hence on the same
local date (year, month, day, weekday, day of year) and hour as the start. A field is
then computed on the hourly index (8,760 rows for a year) and repeated to the stamps.

The condition is checked on every stamp (its own offset, from pandas' wall time, equals
its hour's start's, which is a whole number of hours), never assumed. It holds for
Africa/Casablanca (UTC+1, UTC+0 during Ramadan, changes at 02:00 UTC) and any zone on
whole-hour offsets; a zone with a half-hour offset (Asia/Kolkata, UTC+05:30), or a
change of offset in the middle of a UTC hour, fails it and the caller's function runs
on the index itself (pandas' answer). A tz-naive index is its own wall time: no offset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["by_hour", "hourly_rows"]


def hourly_rows(index: pd.DatetimeIndex) -> tuple[pd.DatetimeIndex, np.ndarray] | None:
    """The UTC hours that *index* spans, as an hourly index in its zone, and the row of
    each stamp in it, when every stamp has the local-time fields of its row (module
    docstring); ``None`` when not, or when the hours are not fewer than the stamps (an
    hourly or coarser step: nothing to gain).

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Stamps, tz-aware or naive, in any order, without NaT.

    Returns
    -------
    (hours, rows) : (pandas.DatetimeIndex, numpy.ndarray of intp) or None
        ``hours[rows[i]]`` starts the UTC hour of ``index[i]`` (the wall-clock hour for a
        naive index); *hours* has the zone and the resolution of *index*.
    """
    idx = pd.DatetimeIndex(index)
    if len(idx) == 0 or idx.hasnans:
        return None
    unit = idx.unit
    hour = int(np.timedelta64(1, "h") / np.timedelta64(1, unit))  # ticks of the unit
    i8 = idx.asi8
    h0 = int(i8.min()) // hour * hour
    rows = (i8 - h0) // hour
    n_hours = int(rows.max()) + 1
    if n_hours >= len(idx):
        return None
    rows = rows.astype(np.intp, copy=False)
    starts = h0 + np.arange(n_hours, dtype=np.int64) * hour
    naive = pd.DatetimeIndex(starts.view(f"M8[{unit}]"))
    if idx.tz is None:
        return naive, rows
    hours = naive.tz_localize("UTC").tz_convert(idx.tz)
    hour_offset = hours.tz_localize(None).asi8 - starts
    if np.any(hour_offset % hour):
        return None
    stamp_offset = idx.tz_localize(None).asi8 - i8
    if not np.array_equal(stamp_offset, hour_offset[rows]):
        return None
    return hours, rows


def by_hour(index: pd.DatetimeIndex, fields: Callable[[pd.DatetimeIndex], Any]) -> Any:
    """``fields(index)``, computed on the hours of *index* and repeated to its stamps
    where :func:`hourly_rows` allows it, else on *index* itself.

    *fields* must give, for each stamp, a value that depends only on the stamp's local
    date and hour (a time-of-use period, a month x hour table's entry): one array, or a
    tuple of arrays, of the index's length. The answer is the same, element for element.
    """
    found = hourly_rows(index)
    if found is None:
        return fields(index)
    hours, rows = found
    values = fields(hours)
    if isinstance(values, tuple):
        return tuple(np.asarray(v)[rows] for v in values)
    return np.asarray(values)[rows]
