"""The engine: SimPy owns time, one kernel call integrates each interval.

``simulate(scenario)``:

1. compiles the scenario to kernel arrays (:mod:`twin.sim.compile`) and loads the
   exogenous series (:mod:`twin.sim.inputs`);
2. starts the exogenous SimPy processes (:mod:`twin.sim.processes`), each with its
   own random stream spawned from the scenario seed, so adding a process never
   changes another's timeline;
3. drives SimPy itself (:func:`_advance`): it processes every event due, looks at
   the time of the next scheduled event (``env.peek()``) and integrates up to that
   exact time in one call of :func:`kernels.span.integrate_span`. When the kernel
   stops early at a threshold crossing, the event is logged at its own time and a
   SimPy event fires for it (an alarm others may wait on), and the loop carries on.

Events act at their exact time, at any step: the kernel integrates the parts of a
step on either side of an event, and the step's row of ``out`` holds the
time-weighted average of its parts (:func:`kernels.span.integrate_span`); the
utilisation and chillers per step are averaged the same way
(:func:`twin.sim.timeline.segment_steps`). A threshold crossing is found at the end
of the step (or part of a step) in which it happened, and its event is stamped at its
own time inside it: a temperature limit where the RC node's exact solution crosses it,
unmet load at the start of the part it began in (:func:`_crossed_at_s`); the SimPy
alarm itself fires at the step's end, when the kernel has found it. The number of SimPy
events follows the number of real events, never the number of steps.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from kernels import layout as L
from kernels.crossings import ST_NONFINITE
from kernels.memo import MEMO_OFF
from kernels.segments import (
    CR_AIR_BACK_S,
    CR_LIQ_BACK_S,
    CR_SOC1,
    CR_SOC_UPS0,
    CR_SOC_UPS1,
    CR_STATUS,
    CR_T0_S,
    CR_T_STOP_S,
    CR_UNMET0,
    CR_UNMET1,
    CR_UNMET_BACK_S,
    N_CROSS,
    ST_CROSS_FULL,
    integrate_segments,
)
from kernels.span import integrate_span
from twin.errors import EnergyBalanceError
from twin.scenario.limits import check_event_budget, check_run_size
from twin.scenario.model import Scenario
from twin.scenario.supply import PowerConfig
from twin.sim import processes
from twin.sim.compile import Design, compile_scenario, initial_state, without_genset
from twin.sim.inputs import Inputs, load_inputs
from twin.sim.signals import facility_load_w, needs_prerun, supply_signals
from twin.sim.timeline import sample_cached, segment_steps, start_processes, timeline_steps
from twin.workload.run import start_workload

#: A single run shares no demand half (:mod:`kernels.memo`): no memo (numba then compiles
#: the kernels without the memo's code).
NO_MEMO = None

logger = logging.getLogger(__name__)

#: Rows of crossings one kernel call of a sampled run records before it hands them over.
_CROSS_ROWS = 256
#: Columns of a crossing row in the order of :data:`_AFTER`.
_CROSS_AFTER = (CR_AIR_BACK_S, CR_LIQ_BACK_S, CR_UNMET_BACK_S, CR_UNMET1, CR_SOC1, CR_SOC_UPS1)


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it processes."""

    def __init__(self, initial_time: float = 0) -> None:
        super().__init__(initial_time)
        self.events_processed = 0

    def step(self) -> None:
        self.events_processed += 1
        super().step()


@dataclass
class RawRun:
    """Everything a run produced, before it becomes a :class:`~twin.results.result.Result`."""

    scenario: Scenario
    design: Design
    inputs: Inputs
    out: np.ndarray
    #: ``(start [s], utilisation per group, chillers air, chillers liquid)`` of every
    #: kernel call, in time order (:func:`twin.sim.timeline.segment_steps`); or, for a
    #: sampled run, its timeline's ``(starts, utilisation, chillers)`` arrays
    segments: list[tuple[float, np.ndarray, float, float]] | tuple[np.ndarray, ...]
    events: list[tuple[float, str, str]]
    stats: dict[str, float] = field(default_factory=dict)
    workload: Any = None
    _per_step: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def _steps(self) -> tuple[np.ndarray, np.ndarray]:
        # only the step table needs them: computed on first use, not for KPIs alone
        if self._per_step is None:
            dt_s = float(self.scenario.dt_s)
            if isinstance(self.segments, tuple):
                t, u, chillers = self.segments
                self._per_step = timeline_steps(t, u, chillers, len(self.out), dt_s)
            else:
                self._per_step = segment_steps(self.segments, len(self.out), dt_s)
        return self._per_step

    @property
    def u_steps(self) -> np.ndarray:
        """Utilisation per rack group and step (G, n), time-weighted within a step."""
        return self._steps()[0]

    @property
    def n_chillers_steps(self) -> np.ndarray:
        """Chillers in service per loop and step (2, n), time-weighted within a step."""
        return self._steps()[1]


def _step(t_s: float, dt_s: float) -> str:
    """The step that ends at or after ``t_s`` [s], for messages."""
    return f"step {math.ceil(t_s / dt_s - 1e-9) - 1}"


#: What the kernel leaves in the state after an early stop, as :func:`_after` reads it:
#: the times back to each crossing [s], the unmet flag and the states of charge.
_AFTER = (L.S_AIR_BACK_S, L.S_LIQ_BACK_S, L.S_UNMET_BACK_S, L.S_UNMET, L.S_SOC_BESS, L.S_SOC_UPS)


def _after(state: np.ndarray) -> tuple[float, ...]:
    """The state's values of :data:`_AFTER` after an early stop."""
    return tuple(float(state[i]) for i in _AFTER)


def _also_crossed(status: int, before: tuple, after: tuple, plant: np.ndarray) -> list:
    """The crossings of the kernel's last step besides *status*: the liquid loop crossing
    its limit in the step the hall air crossed its own, the battery or the UPS
    battery reaching its floor (within 1e-9 of it, as the kernel counts it empty) and
    unmet load beginning; *before*: (unmet flag, battery and UPS states of charge) at the
    start of the call; *after*: :func:`_after` at the stop."""
    unmet0, soc0, soc_ups0 = before
    _, liq_back_s, _, unmet1, soc1, soc_ups1 = after
    floor = plant[L.BESS_SOC_MIN] + 1e-9
    found = []
    if status != L.ST_LIQUID_HIGH and liq_back_s >= 0.0:
        found.append(L.ST_LIQUID_HIGH)
    if status != L.ST_BESS_EMPTY and soc0 > floor >= soc1:
        found.append(L.ST_BESS_EMPTY)
    if status != L.ST_UPS_EMPTY and soc_ups0 > 1e-9 >= soc_ups1:
        found.append(L.ST_UPS_EMPTY)
    if status != L.ST_UNMET and unmet0 == 0.0 and unmet1 > 0.0:
        found.append(L.ST_UNMET)
    return found


def _crossed_at_s(code: int, t0_s: float, t_stop_s: float, after: tuple) -> float:
    """When the crossing *code* happened [s]: the kernel stopped at the end of the step
    (or part) ``t_stop_s`` and wrote how long before it each temperature limit was crossed
    (closed form, :func:`kernels.crossings.crossing_s`) and unmet load began (*after*,
    :func:`_after`); a store that ran out did so at ``t_stop_s`` (the step is split
    there). Never before the call's start ``t0_s``."""
    back = {L.ST_INLET_HIGH: 0, L.ST_LIQUID_HIGH: 1, L.ST_UNMET: 2}
    back_s = max(after[back[code]], 0.0) if code in back else 0.0
    return max(t_stop_s - back_s, t0_s)


def _crossings(
    status: int, times: tuple[float, float, float], before: tuple, after: tuple, plant: np.ndarray
) -> list[tuple[float, str, str]]:
    """The log entries ``(time [s], kind, detail)`` of an early stop of the kernel: the
    crossing it stopped at and those of the same step besides it (the kernel reports one
    crossing per step: a store that ran out or unmet load that began in the same step as
    another crossing is added here; the job scheduler caps on them), each at its own
    time. *times*: the call's start, where the kernel stopped, the step [s]; a
    non-finite state raises :class:`~twin.errors.EnergyBalanceError`."""
    t, t_stop, dt_s = times
    if status == ST_NONFINITE:
        msg = f"non-finite state at {_step(t_stop, dt_s)}: this is a bug, please report it"
        raise EnergyBalanceError(msg)
    step = _step(t_stop, dt_s)
    codes = [status, *_also_crossed(status, before, after, plant)]
    return [(_crossed_at_s(c, t, t_stop, after), L.STATUS_NAMES[c], step) for c in codes]


def _advance(
    env: CountingEnvironment,
    st: processes.RunState,
    design: Design,
    inp: Inputs,
    n_steps: int,
    dt_s: float,
    out: np.ndarray,
    segments: list,
    state: np.ndarray,
    stats: dict[str, float],
    sig: np.ndarray,
) -> None:
    """SimPy and the kernels in turn, from the start to the horizon.

    At each time ``t`` every event due at or before it is processed first
    (``env.step()``), then one kernel call integrates from ``t`` to the next event's
    exact time (``env.peek()``), or stops early at a crossing. The loop drives the
    environment itself rather than sleeping in a process of its own: a plant process
    would add one SimPy timeout per kernel call, about a third of the Python cost of an
    hourly year.
    """
    plant = design.plant
    plant_no_genset = without_genset(plant)
    row = np.zeros((1, L.N_OUT))  # the kernel's scratch row for a part of a step
    horizon_s = n_steps * dt_s
    calls = 0
    t = 0.0
    while t < horizon_s:
        while env.peek() <= t:  # every change scheduled up to this instant happens first
            env.step()
        t_next = min(env.peek(), horizon_s)
        n_air, n_liq = st.n_chillers
        segments.append((t, st.u_groups.copy(), n_air, n_liq))
        before = (state[L.S_UNMET], state[L.S_SOC_BESS], state[L.S_SOC_UPS])
        t_stop, status = integrate_span(
            t,
            t_next,
            plant if st.genset_ok else plant_no_genset,
            design.loops,
            design.groups,
            st.u_groups,
            st.grid_up,
            st.outage_start_s,
            n_air,
            n_liq,
            inp.t_db_c,
            inp.t_wb_c,
            inp.p_pv_w,
            state,
            out,
            sig,
            row,
            NO_MEMO,
            MEMO_OFF,
        )
        calls += 1
        if status != L.ST_DONE:
            times = (t, t_stop, dt_s)
            for time_s, kind, step in _crossings(status, times, before, _after(state), plant):
                st.record(time_s, kind, step, t_stop)
            env.event().succeed(L.STATUS_NAMES[status])  # an alarm others may wait on
        t = t_stop
    stats["kernel_calls"] = calls


def _sampled(
    sc: Scenario, design: Design, inp: Inputs, sig: np.ndarray, state: np.ndarray, out: np.ndarray
) -> tuple[list[tuple[float, str, str]], tuple[np.ndarray, ...], dict[str, float]]:
    """The run of a scenario whose timeline does not depend on the plant (the
    ``profile`` and ``trace`` workloads): SimPy samples the whole timeline first
    (:func:`twin.sim.timeline.sample_cached`: once per process for a profile's timeline
    key), then one kernel call integrates it
    (:func:`kernels.segments.integrate_segments`, the same calls of ``integrate_span`` as
    :func:`_advance` makes, so the same numbers bit for bit) and its crossings are logged
    in the order :func:`_advance` logs them. Returns the event log, the segments and the
    run's counts."""
    tl, log = sample_cached(sc, design, inp)
    plant = design.plant
    plant_ng = without_genset(plant)
    row = np.zeros((1, L.N_OUT))
    cross = np.empty((_CROSS_ROWS, N_CROSS))
    dt_s = float(sc.dt_s)
    found: list[tuple[float, int, tuple[float, str, str]]] = []
    i, t, calls, status = 0, float(tl.t0_s[0]), 0, ST_CROSS_FULL
    while status == ST_CROSS_FULL:
        i, t, n_rec, n_calls, status = integrate_segments(
            i, t, tl.t0_s, tl.grid_up, tl.genset_ok, tl.outage_start_s, tl.n_chillers,
            tl.u_groups, plant, plant_ng, design.loops, design.groups, inp.t_db_c, inp.t_wb_c,
            inp.p_pv_w, state, out, sig, row, cross, NO_MEMO, MEMO_OFF,
        )  # fmt: skip
        calls += n_calls
        for r in cross[:n_rec]:
            times = (float(r[CR_T0_S]), float(r[CR_T_STOP_S]), dt_s)
            before = tuple(float(x) for x in r[CR_UNMET0 : CR_SOC_UPS0 + 1])
            after = tuple(float(x) for x in r[[*_CROSS_AFTER]])
            entries = _crossings(int(r[CR_STATUS]), times, before, after, plant)
            found += [(times[1], 0, e) for e in entries]
    # _advance logs a crossing when its call stops, before the events due at that time
    logged = [(e[0], 1, e) for e in log] + found
    logged.sort(key=lambda x: (x[0], x[1]))
    # copies: the run's result may be changed by its reader, the kept timeline may not
    segments = (tl.t0_s.copy(), tl.u_groups.copy(), tl.n_chillers.copy())
    counts: dict[str, float] = {"kernel_calls": calls, "simpy_events": tl.simpy_events}
    return [e for _, _, e in logged], segments, counts


def run_raw(sc: Scenario, inputs: Inputs | None = None) -> RawRun:
    """Run the SimPy timeline and kernels; no result post-processing.

    *inputs* replaces the scenario's weather and signals (same step grid), for
    studies that perturb the weather directly.
    """
    t0 = time.perf_counter()
    check_run_size(sc.n_steps, len(sc.it.groups))
    design = compile_scenario(sc)
    check_event_budget(sc, sum(design.n_chillers))
    inp = load_inputs(sc) if inputs is None else inputs
    load_w = prerun_load_w(sc) if needs_prerun(sc) else None
    sig = supply_signals(sc, inp, design.plant, load_w)
    t_inputs = time.perf_counter() - t0
    n_steps, dt_s = sc.n_steps, float(sc.dt_s)
    out = np.zeros((n_steps, L.N_OUT))
    # (start [s], utilisation per group, chillers air, liquid) per call, or the sampled
    # timeline's arrays (RawRun.segments)
    segments: list | tuple[np.ndarray, ...] = []
    state = initial_state(sc)

    stats: dict[str, float] = {"kernel_calls": 0}
    t1 = time.perf_counter()
    workload = None
    if sc.it.workload in ("profile", "trace"):  # nothing in the timeline reacts to the plant
        events, segments, counts = _sampled(sc, design, inp, sig, state, out)
        stats.update(counts)
    else:  # jobs react to alarms: SimPy and the kernels in turn
        env = CountingEnvironment()
        st, rng_jobs = start_processes(env, sc, design)
        workload = start_workload(env, st, sc, design, inp, rng_jobs)
        segments = []
        _advance(env, st, design, inp, n_steps, dt_s, out, segments, state, stats, sig)
        stats["simpy_events"] = env.events_processed
        events = st.log
    t2 = time.perf_counter()
    stats.update(steps=n_steps, inputs_s=t_inputs, loop_s=t2 - t1)
    return RawRun(
        scenario=sc,
        design=design,
        inputs=inp,
        out=out,
        segments=segments,
        events=events,
        stats=stats,
        workload=workload,
    )


def prerun_load_w(sc: Scenario) -> np.ndarray:
    """Facility load per step of *sc* run under ``self_consumption`` [W].

    The forecast that the look-ahead dispatch policies plan on (:mod:`twin.sim.signals`):
    the same run with a battery that only absorbs on-site surplus.
    """
    base = sc.model_copy(update={"power": PowerConfig(dispatch="self_consumption")})
    return facility_load_w(run_raw(base).out)
