"""SimPy processes that create the exogenous timeline of a run.

Each process models one thing that happens *to* the plant, on its own clock:
grid outages, rack-group workloads, chiller failures and repairs, and the faults a
person schedules at a given time (:func:`scheduled_fault`). They change
the shared :class:`RunState` and log what they did; they never step the
physics (that is :mod:`twin.sim.engine`'s job, between events) and never tick
periodically. All randomness comes from the ``numpy.random.Generator`` handed
in, itself seeded from the scenario. SimPy time is seconds since the start of
the scenario. Every event is recorded, and acts on the physics, at its exact time (the
engine integrates the parts of a step on either side of it, :mod:`twin.sim.engine`).

Poisson and scheduled faults may overlap, so the state counts what holds it: the grid
is down while any outage lasts (the genset's start delay counts from the first), the
gensets are unavailable while any start failure or out-of-service window lasts, and a
loop has its design chillers less those tripped (never fewer than none).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import simpy

logger = logging.getLogger(__name__)

YEAR_S = 365.0 * 86400.0


@dataclass
class RunState:
    """The exogenous state the kernels see between two events."""

    u_groups: np.ndarray
    grid_up: bool = True
    outage_start_s: float = 0.0
    n_chillers: list[float] = field(default_factory=lambda: [0.0, 0.0])
    genset_ok: bool = True  # False while an outage's genset failed to start
    log: list[tuple[float, str, str]] = field(default_factory=list)
    #: callables ``(time_s, kind, detail)`` told of every recorded event (the job
    #: scheduler turns threshold alarms into power caps)
    listeners: list = field(default_factory=list)
    #: outages in progress, reasons the gensets are unavailable, chillers tripped per loop
    outages: int = 0
    genset_holds: int = 0
    tripped: list[float] = field(default_factory=lambda: [0.0, 0.0])

    def __post_init__(self) -> None:
        self.n_design = list(self.n_chillers)

    def lose_grid(self, now_s: float) -> None:
        if self.outages == 0:
            self.grid_up = False
            self.outage_start_s = now_s
        self.outages += 1

    def restore_grid(self) -> None:
        self.outages -= 1
        self.grid_up = self.outages == 0

    def hold_genset(self, n: int) -> None:
        """``n = +1``: one more reason the gensets do not run; ``-1``: one reason less."""
        self.genset_holds += n
        self.genset_ok = self.genset_holds == 0

    def trip_chillers(self, loop: int, n: float) -> None:
        """Trip *n* chillers of *loop* (a negative *n* repairs them)."""
        self.tripped[loop] += n
        self.n_chillers[loop] = max(0.0, self.n_design[loop] - self.tripped[loop])

    def record(self, time_s: float, kind: str, detail: str, seen_s: float | None = None) -> None:
        """Log *kind* at ``time_s`` [s]; listeners hear of it at ``seen_s`` (default
        ``time_s``): an alarm timed inside a step is logged at its own time but acted on
        when the kernel found it, at the step's end, where the physics already is."""
        self.log.append((float(time_s), kind, detail))
        t_seen = float(time_s if seen_s is None else seen_s)
        for listener in self.listeners:
            listener(t_seen, kind, detail)


def grid_outages(
    env: simpy.Environment,
    state: RunState,
    rng: np.random.Generator,
    per_year: float,
    mean_h: float,
    p_start_fail: float = 0.0,
    rng_start: np.random.Generator | None = None,
):
    """Grid outages as a Poisson process with exponential durations.

    No SAIDI/SAIFI figure is published for ONEE, so the rate and the mean
    duration are scenario parameters (``faults.grid_outages_per_year``,
    ``faults.grid_outage_mean_h``). At each outage the gensets fail to start
    with probability ``p_start_fail`` (``genset.start_failure_prob``); they
    then stay off for that outage. The draws come from their own stream
    ``rng_start``, so the outage timeline does not depend on the option.
    """
    if per_year <= 0.0:
        return
    while True:
        yield env.timeout(rng.exponential(YEAR_S / per_year))
        state.lose_grid(env.now)
        duration_s = rng.exponential(mean_h * 3600.0)
        state.record(env.now, "grid_outage", f"random, {duration_s / 60.0:.0f} min")
        failed = p_start_fail > 0.0 and rng_start is not None and rng_start.random() < p_start_fail
        if failed:
            state.hold_genset(1)
            state.record(env.now, "genset_start_failure", "random")
        yield env.timeout(duration_s)
        state.restore_grid()
        if failed:
            state.hold_genset(-1)
        state.record(env.now, "grid_restored", "")


def _beta_params(mean: float, sd: float) -> tuple[float, float] | None:
    """Beta shape parameters with *mean* and *sd* (method of moments), or ``None``
    for a constant level: no spread, a mean at a bound, or a spread so small
    (sd < 1e-6) that the shape parameters would overflow."""
    var = sd * sd
    if var < 1e-12 or mean <= 0.0 or mean >= 1.0 or var >= mean * (1.0 - mean):
        return None
    common = mean * (1.0 - mean) / var - 1.0
    return mean * common, (1.0 - mean) * common


def workload(
    env: simpy.Environment,
    state: RunState,
    rng: np.random.Generator,
    index: int,
    mean: float,
    sd: float,
    job_mean_h: float,
):
    """Utilisation of one rack group, piecewise constant between job changes.

    A change happens after an exponential holding time of mean ``job_mean_h``
    (jobs start and finish as a Poisson stream); the new level is drawn from a
    beta distribution with the group's mean and spread (bounded to [0, 1] by
    construction). The full job/queue model is the workload issue's.
    """
    params = _beta_params(mean, sd)
    while True:
        level = mean if params is None else float(rng.beta(*params))
        state.u_groups[index] = level
        yield env.timeout(rng.exponential(job_mean_h * 3600.0))


def chiller_failures(
    env: simpy.Environment,
    state: RunState,
    rng: np.random.Generator,
    loop: int,
    unit: int,
    per_year: float,
    repair_mean_h: float,
):
    """Failures and repairs of one chiller (exponential up and down times)."""
    if per_year <= 0.0:
        return
    name = ("air", "liquid")[loop]
    while True:
        yield env.timeout(rng.exponential(YEAR_S / per_year))
        state.trip_chillers(loop, 1.0)
        state.record(env.now, "chiller_trip", f"random, {name} loop, chiller {unit}")
        yield env.timeout(rng.exponential(repair_mean_h * 3600.0))
        state.trip_chillers(loop, -1.0)
        state.record(env.now, "chiller_repaired", f"{name} loop, chiller {unit}")


def scheduled_fault(
    env: simpy.Environment,
    state: RunState,
    at_s: float,
    kind: str,
    duration_s: float,
    genset_starts: bool = True,
    loop: int = 1,
    chillers: int = 1,
):
    """One fault of ``[[faults.events]]`` at *at_s* seconds from the run's start, for
    *duration_s*: a grid outage (with or without its gensets starting), *chillers*
    chillers of *loop* tripping and repaired, or the gensets out of service (they do
    not start for any outage in the window; assumed back on line at once at its end).
    """
    yield env.timeout(at_s)
    lasting = f"scheduled, {duration_s / 60.0:g} min"
    if kind == "grid_outage":
        state.lose_grid(env.now)
        state.record(env.now, "grid_outage", lasting)
        if not genset_starts:
            state.hold_genset(1)
            state.record(env.now, "genset_start_failure", "scheduled")
        yield env.timeout(duration_s)
        state.restore_grid()
        if not genset_starts:
            state.hold_genset(-1)
        state.record(env.now, "grid_restored", "")
    elif kind == "chiller_trip":
        what = f"{('air', 'liquid')[loop]} loop, {chillers} chiller(s)"
        state.trip_chillers(loop, float(chillers))
        state.record(env.now, "chiller_trip", f"{lasting}, {what}")
        yield env.timeout(duration_s)
        state.trip_chillers(loop, -float(chillers))
        state.record(env.now, "chiller_repaired", what)
    elif kind == "genset_start_failure":
        state.hold_genset(1)
        state.record(env.now, "genset_start_failure", f"{lasting} out of service")
        yield env.timeout(duration_s)
        state.hold_genset(-1)
        state.record(env.now, "genset_available", "")
    else:  # the scenario's Literal refuses any other kind
        msg = f"unknown fault kind {kind!r}"
        raise ValueError(msg)
