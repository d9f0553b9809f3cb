"""Utilisation or power traces per rack group (``it.workload = "trace"``).

File format (CSV, UTF-8, comma separated, one header line)::

    time,gpu_u_frac,cpu_p_mw
    2023-01-01 00:00,0.62,2.4
    2023-01-01 00:15,0.71,2.5
    ...

* ``time``: ISO 8601 timestamps, strictly increasing. Without a UTC offset
  they are local time, Africa/Casablanca; with one (``2023-01-01T00:00+01:00``
  or ``...Z``) they are converted. Either every row has an offset or none. The first row must be at or before the scenario start.
* one column per rack group (every ``it.groups`` name, once), either
  ``<group>_u_frac``: utilisation in [0, 1], or ``<group>_p_mw``: the group's
  IT power at the design inlet [MW], between its idle and peak power
  (``racks x p_rack_peak_kw x idle_frac`` and ``racks x p_rack_peak_kw``). Power
  is turned into utilisation through the group's linear power curve
  (:func:`kernels.it_load.rack_group_power_w`), inverted.
* a value holds from its time stamp until the next row (piecewise constant);
  the last one holds to the end of the run. Rows repeating the previous values
  cause no event.

Any other column, a missing group, a bad time or a value out of range raises a
:class:`~twin.errors.ScenarioError` naming the file, the line and the column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import simpy

from twin.errors import ScenarioError

TZ = "Africa/Casablanca"


def _err(path: Path, text: str) -> ScenarioError:
    return ScenarioError(f"it.trace_file {path.name}: {text}")


def load_trace(sc, index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """``(times_s from the run start, utilisation [rows, groups])`` of the scenario's trace."""
    path = Path(sc.it.trace_file or "")
    if not path.is_file():
        msg = f"it.trace_file = {str(path)!r}: file not found"
        raise ScenarioError(msg)
    try:
        df = pd.read_csv(path, dtype=str, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise _err(path, f"not a readable CSV ({exc})") from None
    if "time" not in df.columns:
        raise _err(path, f"first column must be 'time', got columns {list(df.columns)}")
    if df.empty:
        raise _err(path, "no data rows")
    groups = sc.it.groups
    cols: dict[str, tuple[int, str]] = {}
    for col in df.columns:
        if col == "time":
            continue
        name = ""
        for suffix in ("_u_frac", "_p_mw"):
            if col.endswith(suffix):
                name = col[: -len(suffix)]
        known = {g.name: i for i, g in enumerate(groups)}
        if name not in known:
            allowed = ", ".join(f"{g.name}_u_frac | {g.name}_p_mw" for g in groups)
            raise _err(path, f"unknown column {col!r}; allowed: time, {allowed}")
        if name in cols:
            raise _err(path, f"group {name!r} has two columns")
        cols[name] = (known[name], col)
    missing = [g.name for g in groups if g.name not in cols]
    if missing:
        raise _err(path, f"no column for group(s) {missing} (use <group>_u_frac or <group>_p_mw)")
    text = df["time"].fillna("").str.strip()
    has_offset = text.str.contains(r"(?:Z|[+-]\d\d(?::?\d\d)?)$", regex=True)
    if has_offset.any() and not has_offset.all():
        line = int(np.argmax((has_offset != has_offset.iloc[0]).to_numpy())) + 2
        raise _err(path, f"line {line}: every time needs a UTC offset, or none (local time)")
    aware = bool(has_offset.iloc[0])
    times = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=aware)
    bad = times.isna().to_numpy()
    if bad.any():
        line = int(np.argmax(bad)) + 2
        raise _err(path, f"line {line}: time {df['time'].iloc[line - 2]!r} is not ISO 8601")
    if aware:
        times = times.dt.tz_convert(TZ)
    else:
        times = times.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")
    if times.isna().any():
        line = int(np.argmax(times.isna().to_numpy())) + 2
        raise _err(path, f"line {line}: time does not exist or is ambiguous in {TZ}")
    t_s = (times - index[0]).dt.total_seconds().to_numpy(dtype=float, copy=True)
    if np.any(np.diff(t_s) <= 0):
        line = int(np.argmax(np.diff(t_s) <= 0)) + 3
        raise _err(path, f"line {line}: time must be strictly increasing")
    if t_s[0] > 0:
        raise _err(path, f"first time {times.iloc[0]} is after the scenario start {index[0]}")
    u = np.zeros((len(df), len(groups)))
    for i, col in cols.values():
        vals = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
        if np.isnan(vals).any():
            line = int(np.argmax(np.isnan(vals))) + 2
            raise _err(
                path, f"line {line}, column {col}: {df[col].iloc[line - 2]!r} is not a number"
            )
        g = groups[i]
        if col.endswith("_u_frac"):
            lo, hi, unit = 0.0, 1.0, ""
            u[:, i] = vals
        else:
            p_peak_mw = g.racks * g.p_rack_peak_kw / 1e3
            lo, hi, unit = p_peak_mw * g.idle_frac, p_peak_mw, " MW"
            span = p_peak_mw * (1.0 - g.idle_frac)
            u[:, i] = (vals - lo) / span if span > 0 else 0.0
        out = (vals < lo - 1e-9) | (vals > hi + 1e-9)
        if out.any():
            k = int(np.argmax(out))
            raise _err(
                path,
                f"line {k + 2}, column {col}: {vals[k]:g} is outside [{lo:g}, {hi:g}]{unit}",
            )
    u = np.clip(u, 0.0, 1.0)
    # start: the last row at or before t = 0 holds at the start
    first = int(np.searchsorted(t_s, 0.0, side="right")) - 1
    t_s, u = t_s[first:], u[first:]
    t_s[0] = 0.0
    keep = np.ones(len(t_s), dtype=bool)
    keep[1:] = np.any(u[1:] != u[:-1], axis=1)
    return t_s[keep], u[keep]


def play_trace(env: simpy.Environment, u_groups: np.ndarray, times_s: np.ndarray, u: np.ndarray):
    """Set the groups' utilisation at each change of the trace: one event per change."""
    for t, row in zip(times_s, u):
        if t > env.now:
            yield env.timeout(t - env.now)
        u_groups[:] = row
