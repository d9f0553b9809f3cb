"""The exogenous timeline of one scenario, sampled by SimPy before any physics.

The exogenous processes of :mod:`twin.sim.processes` (grid outages, workloads,
chiller failures) and a trace's player only *write* the run state; nothing they do
depends on the plant. Their timeline can therefore be sampled first, on its own, and the
physics integrated afterwards, for one scenario (:func:`twin.sim.engine.run_raw`, in one
kernel call, :mod:`kernels.segments`; the job model, which reacts to alarms, interleaves
the two instead) or for many at once (:mod:`twin.sweeps.batch`).

:func:`start_processes` is the one place where the processes are started, with
their random streams, so the engine and the sampler see the same timeline.
:func:`sample_timeline` runs them alone and returns the state in force on
each *segment*: a segment starts at the exact time of every event (inside a step
or not), and the physics is integrated segment by segment with
:func:`kernels.span.integrate_span` (with early stops inside a segment at
threshold crossings, exactly as the engine does). :func:`segment_steps` turns
segments into per-step (time-weighted) utilisation and chillers in service.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import simpy

from twin.errors import ScenarioError
from twin.scenario.model import Scenario
from twin.scenario.simulation import fault_times_s
from twin.sim import processes
from twin.sim.compile import Design

if TYPE_CHECKING:
    from twin.sim.inputs import Inputs


def segment_steps(
    segments: list[tuple[float, np.ndarray, float, float]], n_steps: int, dt_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per-step utilisation (G, n) and chillers in service (2, n) of piecewise-constant
    *segments* ``(start [s], utilisation per group, chillers air, chillers liquid)``,
    in time order.

    A step inside one segment gets its values exactly; a step that segments share
    gets their time-weighted average, as the kernel's rows do. Of segments that start
    at the same time the last holds, and consecutive equal segments are merged first,
    so the result does not depend on how a run was cut into kernel calls.
    """
    n_groups = len(segments[0][1]) if segments else 0
    if not segments:
        return np.zeros((n_groups, n_steps)), np.zeros((2, n_steps))
    t = np.array([seg[0] for seg in segments], dtype=np.float64)
    u = np.array([seg[1] for seg in segments]).reshape(len(segments), n_groups)
    chillers = np.array([(seg[2], seg[3]) for seg in segments], dtype=np.float64)
    return timeline_steps(t, u, chillers, n_steps, dt_s)


def timeline_steps(
    t: np.ndarray, u: np.ndarray, chillers: np.ndarray, n_steps: int, dt_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`segment_steps` of segments given as arrays: starts ``t`` [s] (n_seg,),
    utilisation ``u`` (n_seg, G) and chillers in service ``chillers`` (n_seg, 2), as a
    :class:`Timeline` holds them."""
    v = np.hstack([u, chillers])
    keep = np.append(t[1:] > t[:-1], True)  # the last of those starting together
    t, v = t[keep], v[keep]
    keep = np.insert(np.any(v[1:] != v[:-1], axis=1), 0, True)  # drop repeats
    t, v = t[keep], v[keep]
    res = v[np.searchsorted(t, np.arange(n_steps) * dt_s + 1e-9 * dt_s, side="right") - 1]
    x = t[1:] / dt_s
    mixed = np.unique(np.floor(x[np.abs(x - np.round(x)) > 1e-9]).astype(np.int64))
    mixed = mixed[mixed < n_steps]
    if mixed.size:
        a_s, b_s = mixed * dt_s, (mixed + 1) * dt_s
        i0 = np.maximum(np.searchsorted(t, a_s, side="right") - 1, 0)  # in force at a_s
        n_in = np.searchsorted(t, b_s, side="left") - i0  # segments overlapping the step
        row = np.repeat(np.arange(mixed.size), n_in)
        seg = np.repeat(i0 - np.cumsum(n_in) + n_in, n_in) + np.arange(row.size)
        ends = np.append(t[1:], n_steps * dt_s)
        w = (np.minimum(ends[seg], b_s[row]) - np.maximum(t[seg], a_s[row])) / dt_s
        res[mixed] = np.add.reduceat(w[:, None] * v[seg], np.cumsum(n_in) - n_in, axis=0)
    return res[:, :-2].T.copy(), res[:, -2:].T.copy()


def start_processes(
    env: simpy.Environment, sc: Scenario, design: Design
) -> tuple[processes.RunState, np.random.Generator]:
    """Start every exogenous process of *sc* on *env*; return the state they write
    and the random stream reserved for the job model (:mod:`twin.workload`).

    Random streams are spawned from ``simulation.seed`` in a fixed order (grid,
    then one per rack group, then one per chiller, then the job model's, then the
    genset start failures'); ``SeedSequence.spawn`` keeps earlier children
    unchanged, so adding a stream at the end never changes another's timeline.
    The per-group utilisation profile runs only with ``it.workload = "profile"``.
    The scheduled faults (``[[faults.events]]``) draw nothing and start last.
    """
    n_groups = len(sc.it.groups)
    st = processes.RunState(
        u_groups=np.array([g.utilisation_mean for g in sc.it.groups]),
        n_chillers=[float(n) for n in design.n_chillers],
    )
    n_streams = 1 + n_groups + sum(design.n_chillers)
    seeds = np.random.SeedSequence(sc.simulation.seed).spawn(n_streams + 2)
    rng_start = np.random.default_rng(seeds[-1])
    rngs = iter(np.random.default_rng(s) for s in seeds[:-1])
    f = sc.faults
    env.process(
        processes.grid_outages(
            env,
            st,
            next(rngs),
            f.grid_outages_per_year,
            f.grid_outage_mean_h,
            sc.genset.start_failure_prob,
            rng_start,
        )
    )
    for i, g in enumerate(sc.it.groups):
        rng_group = next(rngs)
        if sc.it.workload != "profile":
            continue
        env.process(
            processes.workload(
                env, st, rng_group, i, g.utilisation_mean, g.utilisation_sd, g.job_mean_h
            )
        )
    for loop, n in enumerate(design.n_chillers):
        for unit in range(n):
            env.process(
                processes.chiller_failures(
                    env,
                    st,
                    next(rngs),
                    loop,
                    unit,
                    f.chiller_failures_per_year,
                    f.chiller_repair_mean_h,
                )
            )
    _start_scheduled(env, st, sc, design)
    return st, next(rngs)


def _start_scheduled(
    env: simpy.Environment, st: processes.RunState, sc: Scenario, design: Design
) -> None:
    """One :func:`twin.sim.processes.scheduled_fault` per ``[[faults.events]]`` table, at
    its exact time; :class:`ScenarioError` when it trips more chillers than its loop has."""
    times_s = fault_times_s(sc.simulation, sc.site.year, sc.faults)
    for i, (ev, at_s) in enumerate(zip(sc.faults.events, times_s, strict=True)):
        loop = ("air", "liquid").index(ev.loop)
        if ev.kind == "chiller_trip" and ev.chillers > design.n_chillers[loop]:
            have = design.n_chillers[loop]
            msg = (
                f"faults.events.{i}.chillers = {ev.chillers} is outside [1, {have}]: the "
                f"{ev.loop} loop has {have} chiller(s) in this design"
            )
            raise ScenarioError(msg)
        env.process(
            processes.scheduled_fault(
                env,
                st,
                at_s,
                ev.kind,
                ev.duration_min * 60.0,
                genset_starts=ev.genset_starts,
                loop=loop,
                chillers=ev.chillers,
            )
        )


def timeline_key(sc: Scenario, design: Design) -> tuple:
    """Everything :func:`start_processes` reads: equal keys give equal timelines.

    Keep in step with :func:`start_processes` when a process is added.
    """
    groups = tuple((g.utilisation_mean, g.utilisation_sd, g.job_mean_h) for g in sc.it.groups)
    f = sc.faults
    faults = (
        f.grid_outages_per_year,
        f.grid_outage_mean_h,
        f.chiller_failures_per_year,
        f.chiller_repair_mean_h,
        sc.genset.start_failure_prob,
    )
    scheduled = tuple(
        (ev.kind, at_s, ev.duration_min, ev.genset_starts, ev.loop, ev.chillers)
        for ev, at_s in zip(
            sc.faults.events, fault_times_s(sc.simulation, sc.site.year, sc.faults), strict=True
        )
    )
    return (
        sc.simulation.seed,
        sc.dt_s,
        sc.n_steps,
        sc.it.workload,
        groups,
        faults,
        scheduled,
        tuple(design.n_chillers),
    )


@dataclass(frozen=True)
class Timeline:
    """Exogenous state per segment of the run (arrays of length ``n_seg``).

    Segment ``i`` covers the time from ``t0_s[i]`` to ``t0_s[i + 1]`` (the last one
    runs to the end of the run), at any time of a step.
    """

    t0_s: np.ndarray  # float64 (n_seg,): exact start [s]
    grid_up: np.ndarray  # bool (n_seg,)
    genset_ok: np.ndarray  # bool (n_seg,): False while an outage's genset failed to start
    outage_start_s: np.ndarray  # float64 (n_seg,)
    n_chillers: np.ndarray  # float64 (n_seg, 2): air, liquid
    u_groups: np.ndarray  # float64 (n_seg, G)
    simpy_events: int

    @property
    def n_segments(self) -> int:
        return int(self.t0_s.size)


def sample_timeline(sc: Scenario, design: Design) -> Timeline:
    """Run the exogenous SimPy processes of *sc* alone over its horizon."""
    return sample(sc, design)[0]


def sample(
    sc: Scenario, design: Design, inp: Inputs | None = None
) -> tuple[Timeline, processes.RunState]:
    """:func:`sample_timeline`, and the run state the processes left (its ``log``: the
    events they recorded, at their times). With the run's inputs *inp* (their time index
    places a trace's rows), a ``trace`` workload is sampled too: its player only replays
    the file, nothing in it reacts to the plant."""
    dt_s = float(sc.dt_s)
    n_steps = sc.n_steps
    horizon_s = n_steps * dt_s
    env = simpy.Environment()
    if sc.it.workload != "profile" and not (sc.it.workload == "trace" and inp is not None):
        msg = "the job workload reacts to the plant and cannot be sampled ahead (a trace can, "
        msg += "given the run's inputs)"
        raise ValueError(msg)
    st, _ = start_processes(env, sc, design)
    if sc.it.workload == "trace" and inp is not None:
        from twin.workload.trace import load_trace, play_trace

        times_s, u = load_trace(sc, inp.index)
        env.process(play_trace(env, st.u_groups, times_s, u))
    t0: list[float] = []
    rows: list[tuple] = []
    n_events = 0
    while True:
        t = env.peek()
        if t >= horizon_s:
            break
        env.step()
        n_events += 1
        row = (
            st.grid_up,
            st.outage_start_s,
            st.n_chillers[0],
            st.n_chillers[1],
            st.u_groups.copy(),
            st.genset_ok,
        )
        if t0 and t0[-1] == t:
            rows[-1] = row
        else:
            t0.append(t)
            rows.append(row)
    if not t0 or t0[0] != 0.0:  # no process at all: the initial state holds throughout
        t0.insert(0, 0.0)
        rows.insert(0, (True, 0.0, st.n_chillers[0], st.n_chillers[1], st.u_groups.copy(), True))
    n_groups = len(sc.it.groups)
    u = np.empty((len(rows), n_groups))
    for i, r in enumerate(rows):
        u[i] = r[4]
    timeline = Timeline(
        t0_s=np.asarray(t0, dtype=np.float64),
        grid_up=np.array([r[0] for r in rows], dtype=np.bool_),
        genset_ok=np.array([r[5] for r in rows], dtype=np.bool_),
        outage_start_s=np.array([r[1] for r in rows], dtype=np.float64),
        n_chillers=np.array([(r[2], r[3]) for r in rows], dtype=np.float64),
        u_groups=u,
        simpy_events=n_events,
    )
    return timeline, st


class TimelineCache:
    """Sampled timelines of ``profile`` scenarios by :func:`timeline_key`, with the events
    their processes recorded; at most *max_items*, the least recently used dropped first.

    A profile's timeline is a function of its key alone (nothing in it depends on the
    plant, the supply or the site): an input of the run, like the weather, so scenarios
    with one key share one sample. One lock guards the table (``twin serve`` runs
    scenarios in threads). A ``trace`` (its player reads the run's inputs) is sampled
    every time.
    """

    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self.items: OrderedDict[tuple, tuple[Timeline, tuple]] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, sc: Scenario, design: Design, inp: Inputs | None = None
    ) -> tuple[Timeline, list[tuple[float, str, str]]]:
        """:func:`sample`'s timeline and a fresh list of the events its processes
        recorded; the timeline's arrays are shared with every scenario of the key: read,
        never written."""
        if sc.it.workload != "profile":
            tl, st = sample(sc, design, inp)
            return tl, st.log
        key = timeline_key(sc, design)
        with self._lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
        if hit is None:
            tl, st = sample(sc, design)
            hit = (tl, tuple(st.log))
            with self._lock:
                self.items[key] = hit
                while len(self.items) > self.max_items:
                    self.items.popitem(last=False)
        return hit[0], list(hit[1])


#: The timelines this process's single runs sampled (a year of the default campus's two
#: rack groups: about 3,000 segments, well under 1 MB each).
_SAMPLED = TimelineCache(16)


def sample_cached(
    sc: Scenario, design: Design, inp: Inputs | None = None
) -> tuple[Timeline, list[tuple[float, str, str]]]:
    """:meth:`TimelineCache.get` of this process's cache of single runs: a what-if that
    keeps the seed, step, horizon, workload and faults integrates the timeline the
    previous run sampled (the sweeps share theirs by the same key,
    :class:`twin.sweeps.prepare.InputCache`)."""
    return _SAMPLED.get(sc, design, inp)
