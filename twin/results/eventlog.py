"""The event log a person reads: faults with their consequences, routine events summarised.

:attr:`twin.results.result.Result.events` holds every event the run recorded, at its exact
time in seconds from the start (``events.csv``). :func:`readable_log` turns it into one row
per *fault* and one row per *kind of routine event*:

* a fault (grid outage, chiller trip, gensets out of service) is one row from its start to
  its end, local time to the minute, with what it did: the energy left unserved, the peak
  IT inlet and facility-water supply temperatures, and the observed ride-through (the
  minutes from the fault's start until the hall air or the liquid loop crossed its
  allowable limit, or "limits held"). A genset that failed to start at an outage is part
  of the outage's row. The consequences are read from the step table over the steps the
  fault covers and the hour after it (the hall's temperatures keep rising for a while
  after cooling returns; the hour is a reporting window, assumed, not physics);
* threshold alarms (inlet or liquid over its limit, battery empty, unmet load) that fall
  inside a fault's window are folded into its consequence (a battery emptying only into
  an outage's: during a chiller trip it is the battery's routine cycling);
* any other alarm kind seen more than ``max_listed`` times (the daily ``battery_empty`` of a
  self-consumption battery) becomes one summary row: how many, first and last, and the
  hour of day it happens most; rarer ones are listed one by one.

Events act on the physics at their exact time, inside a step or not
(:mod:`twin.sim.engine`); the consequences are read from every step that overlaps the
fault, whose rows hold the time-weighted averages of their parts and the peak
temperatures they saw (:func:`kernels.span.integrate_span`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: fault start -> the event that ends it
FAULT_END = {
    "grid_outage": "grid_restored",
    "chiller_trip": "chiller_repaired",
    "genset_start_failure": "genset_available",
}
#: alarms of the kernel (kernels.layout.STATUS_NAMES) and the over-limit names in text
ALARMS = {
    "inlet_over_limit": "inlet over its limit",
    "liquid_over_limit": "facility water over its limit",
    "battery_empty": "battery empty",
    "ups_empty": "UPS battery empty",
    "unmet_load": "load unserved",
}
#: the alarms that count as a fault's consequence (a battery that empties during a chiller
#: trip is routine cycling, not the trip's doing)
FOLDED = {
    "grid_outage": tuple(ALARMS),
    "chiller_trip": ("inlet_over_limit", "liquid_over_limit", "unmet_load"),
    "genset_start_failure": ("inlet_over_limit", "liquid_over_limit", "unmet_load"),
}
#: consequences are counted up to this long after a fault ends [s] (assumed reporting window)
AFTER_S = 3600.0
COLUMNS = [
    "time",
    "end",
    "event",
    "detail",
    "unmet_mwh",
    "peak_inlet_c",
    "peak_liquid_c",
    "ride_through_min",
    "consequence",
]


@dataclass
class Fault:
    """One fault from its start to its end [s from the run's start] (``inf``: not ended)."""

    kind: str
    start_s: float
    detail: str
    end_s: float = math.inf
    genset_failed: bool = False
    alarms: list[tuple[float, str]] = field(default_factory=list)


def fault_episodes(events: pd.DataFrame) -> tuple[list[Fault], pd.DataFrame]:
    """The faults of *events* (start, end, detail) and the events that are not part of one."""
    faults: list[Fault] = []
    rest = []
    for t, kind, detail in zip(events["time_s"], events["kind"], events["detail"], strict=True):
        detail = str(detail)
        if kind == "genset_start_failure" and detail in ("random", "scheduled"):
            outage = next(
                (f for f in reversed(faults) if f.kind == "grid_outage" and f.start_s == t), None
            )
            if outage is not None:
                outage.genset_failed = True
                continue
        if kind in FAULT_END:
            faults.append(Fault(kind, float(t), detail))
            continue
        ended = [k for k, v in FAULT_END.items() if v == kind]
        if ended:
            match = next(
                (
                    f
                    for f in faults
                    if f.kind == ended[0] and math.isinf(f.end_s) and f.detail.endswith(detail)
                ),
                None,
            )
            if match is not None:
                match.end_s = float(t)
                continue
        rest.append((float(t), kind, detail))
    return faults, pd.DataFrame(rest, columns=["time_s", "kind", "detail"])


def _local(t0: pd.Timestamp, t_s: float) -> str:
    return (t0 + pd.Timedelta(seconds=t_s)).strftime("%Y-%m-%d %H:%M")


def _consequence(f: Fault, ts: pd.DataFrame, dt_s: float, horizon_s: float) -> dict:
    """Unmet energy, peak temperatures and ride-through of fault *f* (module docstring)."""
    n = len(ts)
    end_s = min(f.end_s, horizon_s)
    # every step that overlaps the fault or the hour after it (a fault acts at its exact
    # time, inside a step or not: twin.sim.engine)
    k0 = min(n, max(0, math.floor(f.start_s / dt_s + 1e-9)))
    k2 = min(n, max(k0, math.ceil((end_s + AFTER_S) / dt_s - 1e-9)))
    window = ts.iloc[k0:k2]
    unmet = float(window["p_unmet_mw"].sum() * dt_s / 3600.0)
    peak_in = float(window["t_inlet_peak_c"].max()) if len(window) else math.nan
    peak_liq = float(window["t_liquid_supply_peak_c"].max()) if len(window) else math.nan
    over = [t for t, kind in f.alarms if kind in ("inlet_over_limit", "liquid_over_limit")]
    ride = (min(over) - f.start_s) / 60.0 if over else math.nan
    parts = []
    parts.append(f"unmet {unmet:.2f} MWh")
    if len(window):
        parts.append(f"peak inlet {peak_in:.1f} °C, facility water {peak_liq:.1f} °C")
    seen: dict[str, float] = {}
    for t, kind in sorted(f.alarms):
        seen.setdefault(kind, t)
    for kind, t in seen.items():
        parts.append(f"{ALARMS[kind]} after {(t - f.start_s) / 60.0:.0f} min")
    if not over and f.kind != "genset_start_failure":
        parts.append("temperature limits held")
    return {
        "unmet_mwh": unmet,
        "peak_inlet_c": peak_in,
        "peak_liquid_c": peak_liq,
        "ride_through_min": ride,
        "consequence": "; ".join(parts),
    }


#: What a kernel crossing means, for a person (the engine's detail names only the step).
CROSSING_TEXT = {
    "battery_empty": "battery at its minimum state of charge",
    "ups_empty": "UPS battery empty",
    "inlet_over_limit": "hall inlet above the strictest allowable limit of its IT",
    "liquid_over_limit": "facility water above the strictest allowable limit of its IT",
    "unmet_load": "load began to go unserved",
}


def _detail(kind: str, detail: str) -> str:
    """The readable detail of an event outside a fault: the crossing's meaning instead
    of the engine's step number."""
    if detail.startswith("step ") and kind in CROSSING_TEXT:
        return CROSSING_TEXT[kind]
    return detail


def _routine(rest: pd.DataFrame, t0: pd.Timestamp, max_listed: int) -> list[dict]:
    """Rows for the events outside faults: listed, or one summary row per frequent kind."""
    rows = []
    for kind, group in rest.groupby("kind", sort=False):
        times = group["time_s"].to_numpy(dtype=float)
        if len(group) <= max_listed:
            for t, detail in zip(times, group["detail"], strict=True):
                text = _detail(str(kind), str(detail))
                rows.append(
                    {"t": t, "time": _local(t0, t), "end": "", "event": kind, "detail": text}
                )
            continue
        hours = (t0 + pd.to_timedelta(times, unit="s")).hour
        counts = np.bincount(np.asarray(hours), minlength=24)
        h = int(np.argmax(counts))
        rows.append(
            {
                "t": float(times[0]),
                "time": _local(t0, times[0]),
                "end": _local(t0, times[-1]),
                "event": kind,
                "detail": (
                    f"routine: {len(group)} times, most often between {h:02d}:00 and "
                    f"{(h + 1) % 24:02d}:00 ({int(counts[h])} of {len(group)})"
                ),
            }
        )
    return rows


def readable_log(
    events: pd.DataFrame, ts: pd.DataFrame, dt_s: float, max_listed: int = 5
) -> pd.DataFrame:
    """The event log of a run for a person (module docstring), with :data:`COLUMNS`.

    *events*: ``time_s``, ``kind``, ``detail`` (:attr:`Result.events`); *ts*: the step table
    (:attr:`Result.timeseries`, local-time index); *dt_s*: its step [s].
    """
    if not len(ts):
        return pd.DataFrame(columns=COLUMNS)
    t0 = ts.index[0]
    horizon_s = len(ts) * dt_s
    faults, rest = fault_episodes(events)
    inside = np.zeros(len(rest), dtype=bool)
    for f in faults:
        hit = (
            rest["kind"].isin(FOLDED[f.kind])
            & (rest["time_s"] >= f.start_s)
            & (rest["time_s"] <= min(f.end_s, horizon_s) + AFTER_S)
        ).to_numpy()
        f.alarms = list(zip(rest["time_s"][hit], rest["kind"][hit], strict=True))
        inside |= hit
    rows = []
    for f in faults:
        detail = f.detail + ("; genset did not start" if f.genset_failed else "")
        rows.append(
            {
                "t": f.start_s,
                "time": _local(t0, f.start_s),
                "end": _local(t0, f.end_s) if f.end_s <= horizon_s else "after the run",
                "event": f.kind,
                "detail": detail,
                **_consequence(f, ts, dt_s, horizon_s),
            }
        )
    rows += _routine(rest[~inside], t0, max_listed)
    rows.sort(key=lambda r: r["t"])
    out = pd.DataFrame(rows, columns=["t", *COLUMNS]).drop(columns="t")
    return out.reset_index(drop=True)
