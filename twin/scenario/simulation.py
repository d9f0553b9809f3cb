"""``[simulation]`` (step, window, seed) and ``[faults]`` (Poisson rates of exogenous
faults, and faults scheduled at a local time, ``[[faults.events]]``).

Times a person writes (``simulation.start``, ``faults.events.N.start``) are local wall-clock
times in Africa/Casablanca, to the minute, without a UTC offset: the clock of the weather
index and of the tariff. They are kept as text ``YYYY-MM-DDTHH:MM`` (a TOML local date-time
or date is accepted and normalised), and turned into instants by :func:`local_to_utc`.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from twin.scenario.base import Section

STEPS_S = {"1h": 3600, "15min": 900, "1min": 60}
#: the time zone of every local time of a scenario (weather index, tariff, faults)
TZ = "Africa/Casablanca"


def local_minute(value: Any) -> Any:
    """*value* (text, TOML local date-time or date) as ``YYYY-MM-DDTHH:MM`` local time.

    ValueError (with the rule) for an offset, seconds, or text that is not ISO 8601.
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        when = value
    elif isinstance(value, _dt.date):
        when = _dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            when = _dt.datetime.fromisoformat(value.strip())
        except ValueError:
            msg = "expected a local time YYYY-MM-DDTHH:MM (or a date YYYY-MM-DD)"
            raise ValueError(msg) from None
    else:
        return value  # refused by the field's type
    if when.tzinfo is not None:
        msg = f"give a local time in {TZ} without a UTC offset, e.g. 2023-07-15T20:10"
        raise ValueError(msg)
    if when.second or when.microsecond:
        msg = "times are given to the minute (no seconds)"
        raise ValueError(msg)
    return when.strftime("%Y-%m-%dT%H:%M")


@functools.lru_cache(maxsize=4096)
def local_to_utc(text: str, key: str):
    """The UTC instant (``pandas.Timestamp``) of the local time *text*; ValueError naming
    *key* when the clock change of Ramadan makes it ambiguous or skips it.

    Memoised (a ``Timestamp`` is immutable; an error is not kept, so it is raised again):
    every scenario of a sweep converts the same few times, ~0.1 ms each with pandas.
    """
    import pandas as pd

    try:
        local = pd.Timestamp(text).tz_localize(TZ, ambiguous="raise", nonexistent="raise")
    except ValueError:
        msg = (
            f"{key} = {text!r} is skipped or repeated by a clock change in {TZ} "
            "(Ramadan daylight saving time); give a time outside the changed hour"
        )
        raise ValueError(msg) from None
    return local.tz_convert("UTC")


def pd_timedelta_s(text: str) -> float:
    """Seconds in a step written like ``1h``, ``15min``, ``1s`` (ValueError otherwise)."""
    import pandas as pd

    try:
        return float(pd.Timedelta(text).total_seconds())
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(text) from exc


class SimulationConfig(Section):
    step: Literal["1h", "15min", "1min"] = Field("1h", description="Kernel time step.")
    start: str | None = Field(
        None,
        description="Local time (Africa/Casablanca) the run starts, YYYY-MM-DDTHH:MM, on the "
        "step grid and inside site.year; empty = 1 January 00:00 of site.year. Weather, "
        "prices and schedules are taken from this window.",
    )
    days: int = Field(365, ge=1, le=366, description="Simulated horizon from the start [d].")
    seed: int = Field(
        42,
        ge=0,
        le=2**32 - 1,
        description="Seed of the operational random draws (faults, workload); the weather "
        "has its own stream and does not change with it.",
    )

    @field_validator("start", mode="before")
    @classmethod
    def _normalise_start(cls, value: Any) -> Any:
        return local_minute(value)

    @model_validator(mode="before")
    @classmethod
    def _refuse_impossible_horizon(cls, data: Any) -> Any:
        """Name the memory a horizon beyond one year would need, before range checks."""
        if not isinstance(data, dict):
            return data
        days, step = data.get("days"), data.get("step", "1h")
        if isinstance(days, bool) or not isinstance(days, int | float) or not days > 366:
            return data
        from twin.scenario.limits import describe_bytes, run_bytes

        try:
            step_s = float(pd_timedelta_s(str(step)))
        except ValueError:
            step_s = 3600.0
        if not math.isfinite(days) or step_s <= 0:
            need = "an unbounded amount of memory"
        else:
            need = f"about {describe_bytes(run_bytes(days * 86400.0 / step_s))}"
        raise PydanticCustomError(
            "horizon_too_long",
            "simulation.days = {days} is outside [1, 366] d: one run covers at most a year "
            "(sweep weather years for longer studies); {days} d at {step} would need {need}",
            {"days": days, "step": step, "need": need},
        )


FAULT_KINDS = ("grid_outage", "chiller_trip", "genset_start_failure")
#: the fields of a scheduled fault that only some kinds read
_KIND_FIELDS = {
    "genset_starts": ("grid_outage",),
    "loop": ("chiller_trip",),
    "chillers": ("chiller_trip",),
}


class FaultEvent(Section):
    """One fault at a local time (``[[faults.events]]``), alongside the Poisson ones."""

    kind: Literal["grid_outage", "chiller_trip", "genset_start_failure"] = Field(
        ...,
        description="grid_outage: the grid is lost; chiller_trip: chillers of one loop trip "
        "and are repaired after duration_min; genset_start_failure: the gensets are out of "
        "service (do not start for any outage) during the window.",
    )
    start: str = Field(
        ..., description="Local time (Africa/Casablanca) the fault begins, YYYY-MM-DDTHH:MM."
    )
    duration_min: float = Field(
        ..., gt=0, le=527_040, description="How long the fault lasts [min] (at most 366 d)."
    )
    genset_starts: bool = Field(
        True, description="grid_outage: whether the gensets start (false: a start failure)."
    )
    loop: Literal["air", "liquid"] = Field(
        "liquid", description="chiller_trip: the cooling loop whose chillers trip."
    )
    chillers: int = Field(
        1, ge=1, le=1000, description="chiller_trip: how many chillers of the loop trip [-]."
    )

    @field_validator("start", mode="before")
    @classmethod
    def _normalise_start(cls, value: Any) -> Any:
        return local_minute(value)

    @model_validator(mode="after")
    def _fields_of_the_kind(self) -> FaultEvent:
        for name, kinds in _KIND_FIELDS.items():
            default = type(self).model_fields[name].default
            if getattr(self, name) != default and self.kind not in kinds:
                msg = f"{name} applies to kind {' or '.join(kinds)} only, not {self.kind}"
                raise ValueError(msg)
        return self


class FaultsConfig(Section):
    grid_outages_per_year: float = Field(
        2.0,
        ge=0,
        le=1000,
        description="Poisson rate of grid outages [1/yr] (no SAIDI/SAIFI published).",
    )
    grid_outage_mean_h: float = Field(1.0, gt=0, le=720, description="Mean outage [h].")
    chiller_failures_per_year: float = Field(
        0.5, ge=0, le=100, description="Failures per chiller [1/yr]."
    )
    chiller_repair_mean_h: float = Field(24.0, gt=0, le=8760, description="Mean repair [h].")
    events: list[FaultEvent] = Field(
        default_factory=list,
        max_length=1000,
        description="Faults at a local time, alongside the Poisson ones ([[faults.events]]).",
    )


def window_utc(sim: SimulationConfig, year: int):
    """UTC instants of 1 January 00:00 of *year*, of the run's start and of its end."""
    return _window_utc(sim.start, sim.days, year)


@functools.lru_cache(maxsize=1024)
def _window_utc(start_local: str | None, days: int, year: int):
    """:func:`window_utc` by the values it reads (memoised: its Timestamps are immutable)."""
    import pandas as pd

    jan1 = local_to_utc(f"{year}-01-01T00:00", "site.year")
    start = jan1 if start_local is None else local_to_utc(start_local, "simulation.start")
    return jan1, start, start + pd.Timedelta(days=days)


def check_window(sim: SimulationConfig, year: int, faults: FaultsConfig) -> None:
    """The run's window lies inside the weather year *year* and starts on the step grid;
    every scheduled fault starts inside the window. ValueError naming the field."""
    dt_s = STEPS_S[sim.step]
    jan1, start, end = window_utc(sim, year)
    next_jan1 = local_to_utc(f"{year + 1}-01-01T00:00", "site.year")
    if sim.start is not None and not jan1 <= start < next_jan1:
        msg = (
            f"simulation.start = {sim.start!r} is outside the weather year site.year = {year} "
            f"([{year}-01-01T00:00, {year + 1}-01-01T00:00) local time)"
        )
        raise ValueError(msg)
    if end > next_jan1:
        last = int((next_jan1 - start).total_seconds() // 86400)
        msg = (
            f"simulation.days = {sim.days} from {sim.start or f'{year}-01-01T00:00'} runs past "
            f"the end of the weather year {year}: at most {last} d from that start"
        )
        raise ValueError(msg)
    offset_s = (start - jan1).total_seconds()
    if offset_s % dt_s:
        msg = (
            f"simulation.start = {sim.start!r} is not on the {sim.step} step grid "
            f"(start at a multiple of {dt_s // 60} min past the hour)"
        )
        raise ValueError(msg)
    for i, ev in enumerate(faults.events):
        when = local_to_utc(ev.start, f"faults.events.{i}.start")
        if not start <= when < end:
            shown_end = end.tz_convert(TZ).strftime("%Y-%m-%dT%H:%M")
            msg = (
                f"faults.events.{i}.start = {ev.start!r} is outside the simulated window "
                f"[{sim.start or f'{year}-01-01T00:00'}, {shown_end}) local time"
            )
            raise ValueError(msg)


def fault_times_s(sim: SimulationConfig, year: int, faults: FaultsConfig) -> list[float]:
    """Start of each scheduled fault in seconds from the run's start (exact, not snapped
    to the step grid) [s]."""
    _, start, _ = window_utc(sim, year)
    return [
        (local_to_utc(ev.start, f"faults.events.{i}.start") - start).total_seconds()
        for i, ev in enumerate(faults.events)
    ]
