"""The job scheduler: rack groups as SimPy GPU pools, FIFO with EASY backfilling.

Each rack group is a :class:`simpy.Container` of GPUs (``racks x
gpus_per_rack``). Jobs wait in one queue per group, ordered by priority
(inference first) then arrival (FIFO). Whenever GPUs are freed or a job is
released, the head of the queue starts if it fits; with ``backfill`` a later
job may jump ahead if it fits now and either ends before the head's reserved
start (its *shadow time*) or uses only GPUs the head will not need: EASY
backfilling (Lifka, "The ANL/IBM SP scheduling system", JSSPP 1995; Mu'alem &
Feitelson, IEEE TPDS 12(6), 2001). Run-time estimates are the drawn run times
(perfect estimates: assumed).

Deferral (``deferral = "clean"``): a deferrable job (``defer_window_h > 0``)
starts at the moment in its window that minimises the mean of a *dirt* signal
over its first day of run time (:class:`CleanSignal`), then queues as usual.

Power capping and thermal throttling: the kernels stop at threshold crossings
(battery empty, unmet load, inlet or liquid over limit), the engine records
them on the run state, and :meth:`Scheduler.on_record` caps the dynamic power
of the running GPUs: ``supply_cap_frac`` on every group when load goes unmet
(an import limit or an outage the backup cannot carry) or the battery runs
empty during a grid outage; ``thermal_cap_frac`` on the groups cooled by the
loop that crossed its limit. A capped job progresses at the
capped rate (assumed: throughput proportional to dynamic power, conservative
since GPUs are more efficient at lower clocks). A cap is lifted after
``cap_hold_min`` (and a supply cap when the grid returns); if the limit is
crossed again, the kernel stops again and the cap is re-applied.

Every change is an event: arrival, release, start, finish, cap on/off. None is
periodic, so SimPy events grow with jobs and state changes, never with steps.
The group's utilisation seen by the kernels is written on each change and stays
constant in between.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import simpy

from twin.scenario.workload import JobClass, SchedulerConfig
from twin.workload.jobs import (
    DAY_S,
    H_S,
    Job,
    arrivals,
    draw_duration_s,
    effective_power_frac,
    wall_work_s,
)

THERMAL_ALARMS = {"inlet_over_limit": "air", "liquid_over_limit": "liquid"}


@dataclass
class GroupPool:
    """A rack group as the scheduler sees it."""

    index: int
    name: str
    n_gpus: int
    idle_frac: float
    p_gpu_peak_w: float
    air: bool = True
    liquid: bool = False
    gpus: simpy.Container | None = None
    queue: list[Job] = field(default_factory=list)
    #: jobs running, in the order they started (a dict, not a set: a set of jobs iterates in
    #: the order of their memory addresses, which changes from process to process, and the
    #: sums and rate changes over it would then differ in the last bit between two runs)
    running: dict[Job, None] = field(default_factory=dict)
    supply_cap: float = 1.0
    thermal_cap: float = 1.0

    @property
    def cap(self) -> float:
        return min(self.supply_cap, self.thermal_cap)

    @property
    def free(self) -> int:
        assert self.gpus is not None
        return int(self.gpus.level)


class CleanSignal:
    """Where the marginal kWh is cleanest, step by step, known ahead.

    ``dirt = carbon_g_per_kwh x max(0, 1 - p_pv_w / p_ref_w)``: grid carbon
    intensity, diluted by the share of the site's reference power that on-site
    PV can cover. Any per-step carbon series (flat or hourly) and PV forecast
    (perfect: the run's own PV) can be fed in.
    """

    def __init__(
        self, carbon_g_per_kwh: np.ndarray, p_pv_w: np.ndarray, p_ref_w: float, dt_s: float
    ):
        cover = np.clip(p_pv_w / max(p_ref_w, 1.0), 0.0, 1.0)
        self.dirt = np.asarray(carbon_g_per_kwh, dtype=float) * (1.0 - cover)
        self.dt_s = float(dt_s)
        self._cum = np.concatenate(([0.0], np.cumsum(self.dirt)))

    def best_start_s(self, now_s: float, window_s: float, work_s: float) -> float:
        """Start time in ``[now, now + window]`` with the cleanest first day of run."""
        n = self.dirt.size
        k0 = math.ceil(now_s / self.dt_s - 1e-9)
        k1 = min(n - 1, math.floor((now_s + window_s) / self.dt_s + 1e-9))
        if k1 <= k0:
            return now_s
        span = max(1, round(min(work_s, DAY_S) / self.dt_s))
        ks = np.arange(k0, k1 + 1)
        ends = np.minimum(ks + span, n)
        mean = (self._cum[ends] - self._cum[ks]) / (ends - ks)
        best = int(np.argmin(mean))
        if mean[best] >= mean[0] - 1e-9 * max(abs(mean[0]), 1.0):
            return now_s
        return float(ks[best] * self.dt_s)


class Scheduler:
    """Job arrivals, queues, starts, finishes and caps on a set of GPU pools."""

    def __init__(
        self,
        env: simpy.Environment,
        classes: list[JobClass],
        groups: list[GroupPool],
        cfg: SchedulerConfig,
        rng: np.random.Generator,
        u_groups: np.ndarray,
        until_s: float,
        signal: CleanSignal | None = None,
        log: Callable[[float, str, str], None] | None = None,
        resolve_s: float = math.inf,
    ) -> None:
        self.env = env
        self.classes = classes
        self.groups = groups
        self.cfg = cfg
        self.u = u_groups
        self.until_s = until_s
        self.signal = signal
        self.log = log
        self.jobs: list[Job] = []
        self.cap_events = 0
        self.grid_up = True
        self._cap_token = [0, 0]  # supply, thermal
        by_name = {g.name: g for g in groups}
        self.class_group = [by_name[c.group] for c in classes]
        # checkpoints that last at least one kernel step are played as events (GPUs near
        # idle while they run); shorter ones enter as a duty-cycle mean
        self.class_ckpt = [
            c.checkpoint_interval_h > 0 and 0 < c.checkpoint_cost_min * 60.0 >= resolve_s
            for c in classes
        ]
        self.class_pfrac = [
            c.power_frac if ck else effective_power_frac(c, by_name[c.group].idle_frac)
            for c, ck in zip(classes, self.class_ckpt)
        ]
        for g in groups:
            g.gpus = simpy.Container(env, capacity=g.n_gpus, init=g.n_gpus)
            self.u[g.index] = 0.0
        rngs = rng.spawn(len(classes) + 1)
        self._rng = rngs
        self._defer_rng = rngs[-1]
        for i, c in enumerate(classes):
            env.process(arrivals(env, c, rngs[i], lambda i=i: self.submit(i), until_s))

    # -- arrivals and releases -------------------------------------------------
    def submit(self, cls: int) -> Job:
        c = self.classes[cls]
        now = self.env.now
        work = wall_work_s(c, draw_duration_s(c, self._rng[cls]))
        job = Job(
            id=len(self.jobs),
            cls=cls,
            size=c.size_gpus,
            work_s=work,
            arrival_s=now,
            priority=0 if c.kind == "inference" else 1,
        )
        self.jobs.append(job)
        release = now
        if self.cfg.deferral == "clean" and c.defer_window_h > 0 and self.signal is not None:
            release = self.signal.best_start_s(now, c.defer_window_h * H_S, work)
            if release > now:
                # a uniform point inside the chosen step: the engine applies a change from
                # the next step start, so a release on the step boundary itself would
                # bias the kernels' IT energy by half a step per deferred job
                release += float(self._defer_rng.uniform(0.0, self.signal.dt_s))
        if release > now:
            self._after(release, lambda: self._release(job))
        else:
            self._release(job)
        return job

    def _release(self, job: Job) -> None:
        job.release_s = self.env.now
        g = self.class_group[job.cls]
        at = bisect.bisect(g.queue, (job.priority, job.id), key=lambda j: (j.priority, j.id))
        g.queue.insert(at, job)
        self._schedule(g)

    # -- FIFO + EASY backfilling ---------------------------------------------------
    def _schedule(self, g: GroupPool) -> None:
        changed = False
        while g.queue and g.queue[0].size <= g.free:
            self._start(g.queue.pop(0), g)
            changed = True
        if g.queue and self.cfg.backfill and len(g.queue) > 1:
            head = g.queue[0]
            avail = g.free
            shadow, extra = math.inf, 0
            for end, size in sorted((j.expected_end_s, j.size) for j in g.running):
                avail += size
                if avail >= head.size:
                    shadow, extra = end, avail - head.size
                    break
            for job in list(g.queue[1:]):
                free = g.free
                if job.size > free:
                    continue
                ends_before = self.env.now + job.work_s / max(g.cap, 1e-9) <= shadow
                if ends_before or job.size <= extra:
                    if not ends_before:
                        extra -= job.size
                    g.queue.remove(job)
                    self._start(job, g)
                    changed = True
        if changed:
            self._update_u(g)

    def _start(self, job: Job, g: GroupPool) -> None:
        assert g.gpus is not None
        g.gpus.get(job.size)
        job.start_s = job.last_s = self.env.now
        job.remaining_s = job.work_s
        g.running[job] = None
        self._set_rate(job, g, g.cap)
        if self.class_ckpt[job.cls]:
            c = self.classes[job.cls]
            self._after(self.env.now + c.checkpoint_interval_h * H_S, lambda: self._ckpt(job, True))

    def _ckpt(self, job: Job, on: bool) -> None:
        """Enter or leave a checkpoint: every GPU of the job near idle, all at once."""
        g = self.class_group[job.cls]
        if job not in g.running:
            return
        self._account(job)
        job.in_ckpt = on
        job.power_w = self._job_power_w(job, g, job.rate)
        self._update_u(g)
        c = self.classes[job.cls]
        wait_s = c.checkpoint_cost_min * 60.0 if on else c.checkpoint_interval_h * H_S
        self._after(self.env.now + wait_s, lambda: self._ckpt(job, not on))

    def _job_power_w(self, job: Job, g: GroupPool, rate: float) -> float:
        if job.in_ckpt:
            return job.size * g.p_gpu_peak_w * g.idle_frac
        f = self.class_pfrac[job.cls]
        return job.size * g.p_gpu_peak_w * (g.idle_frac + (f - g.idle_frac) * rate)

    def _account(self, job: Job) -> None:
        dt = self.env.now - job.last_s
        if dt > 0.0:
            job.remaining_s = max(0.0, job.remaining_s - dt * job.rate)
            job.energy_j += dt * job.power_w
            job.last_s = self.env.now

    def _set_rate(self, job: Job, g: GroupPool, rate: float) -> None:
        self._account(job)
        job.rate = rate
        job.power_w = self._job_power_w(job, g, rate)
        job.token += 1
        delay = job.remaining_s / rate
        job.expected_end_s = self.env.now + delay
        token = job.token
        self._after(job.expected_end_s, lambda: self._finish(job, token))

    def _finish(self, job: Job, token: int) -> None:
        if token != job.token:
            return
        g = self.class_group[job.cls]
        self._account(job)
        job.remaining_s = 0.0
        job.end_s = self.env.now
        g.running.pop(job, None)
        assert g.gpus is not None
        g.gpus.put(job.size)
        self._schedule(g)
        self._update_u(g)

    def _update_u(self, g: GroupPool) -> None:
        if g.idle_frac >= 1.0 or g.n_gpus == 0:
            self.u[g.index] = 0.0
            return
        dyn = sum(j.power_w / g.p_gpu_peak_w - j.size * g.idle_frac for j in g.running)
        self.u[g.index] = min(1.0, max(0.0, dyn / ((1.0 - g.idle_frac) * g.n_gpus)))

    # -- caps fed back from the kernels ---------------------------------------------
    def on_record(self, time_s: float, kind: str, detail: str) -> None:
        """Listener on the run's event log: turn threshold alarms into caps."""
        if kind == "grid_outage":
            self.grid_up = False
        elif kind == "grid_restored":
            self.grid_up = True
        # an empty battery is a shortage only in an outage (on the grid it just stops
        # discharging); unmet load is a shortage whatever its cause (import limit too)
        if kind == "unmet_load" or (kind == "battery_empty" and not self.grid_up):
            self._after(time_s, lambda: self._cap(0, self.cfg.supply_cap_frac, kind))
        elif kind in THERMAL_ALARMS:
            self._after(time_s, lambda: self._cap(1, self.cfg.thermal_cap_frac, kind))
        elif kind == "grid_restored":
            self._after(time_s, lambda: self._lift(0, self._cap_token[0]))

    def _after(self, time_s: float, fn: Callable[[], None]) -> None:
        delay = max(0.0, time_s - self.env.now)
        ev = self.env.timeout(delay)
        assert ev.callbacks is not None
        ev.callbacks.append(lambda _e: fn())

    def _cap(self, which: int, frac: float, why: str) -> None:
        self._cap_token[which] += 1
        token = self._cap_token[which]
        loop = THERMAL_ALARMS.get(why)
        for g in self.groups:
            if which == 0:
                g.supply_cap = frac
            elif (loop == "air" and g.air) or (loop == "liquid" and g.liquid):
                g.thermal_cap = frac
        self.cap_events += 1
        if self.log is not None:
            self.log(self.env.now, "power_cap" if which == 0 else "thermal_throttle", why)
        self._apply_caps()
        hold = self.cfg.cap_hold_min * 60.0
        self._after(self.env.now + hold, lambda: self._lift(which, token))

    def _lift(self, which: int, token: int) -> None:
        if token != self._cap_token[which]:
            return
        changed = False
        for g in self.groups:
            if which == 0 and g.supply_cap < 1.0:
                g.supply_cap, changed = 1.0, True
            elif which == 1 and g.thermal_cap < 1.0:
                g.thermal_cap, changed = 1.0, True
        if changed:
            if self.log is not None:
                self.log(self.env.now, "cap_lifted", "supply" if which == 0 else "thermal")
            self._apply_caps()

    def _apply_caps(self) -> None:
        for g in self.groups:
            for job in list(g.running):
                if job.rate != g.cap:
                    self._set_rate(job, g, g.cap)
            self._update_u(g)

    # -- end of run -------------------------------------------------------------
    def close(self) -> None:
        """Account the energy and progress of jobs still running at the end."""
        for g in self.groups:
            for job in g.running:
                self._account(job)
