"""Jobs: what arrives, how long it runs, what its GPUs draw.

A :class:`Job` is one unit of work of a :class:`~twin.scenario.workload.JobClass`:
``size_gpus`` GPUs held together for ``work_s`` seconds of full-speed run time.
Arrivals are Poisson; inference arrivals follow a daily cosine
(non-homogeneous Poisson, sampled by thinning: Lewis & Shedler, "Simulation of
nonhomogeneous Poisson processes by thinning", Naval Res. Logistics Q. 26(3),
1979), so the number of SimPy events grows with jobs, not with time steps.

Power of a running job (per GPU, as a share of the GPU's part of the rack peak)
is the class's ``power_frac``; while a checkpoint is written the GPUs sit near
idle. Checkpoints last minutes and come every hour or so; the run time is
stretched by ``1 + cost / interval`` (:func:`wall_work_s`). A checkpoint that
lasts at least one kernel step (e.g. 2 min at a 1 min step) is played as two
events, every GPU of the job dropping to idle together and back: the
synchronous swing of a training job as far as the step resolves it. A shorter
one enters as its step-mean (:func:`effective_power_frac`). Both are exact for
the energy and the completion time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import simpy

from twin.scenario.workload import JobClass

H_S = 3600.0
DAY_S = 86400.0


@dataclass(eq=False)
class Job:
    """One job's life: arrival, optional deferral, start, end, energy."""

    id: int
    cls: int
    size: int
    work_s: float
    arrival_s: float
    priority: int
    deferrable_until_s: float = math.inf
    release_s: float = math.nan
    start_s: float = math.nan
    end_s: float = math.nan
    remaining_s: float = 0.0
    rate: float = 1.0
    power_w: float = 0.0
    last_s: float = 0.0
    energy_j: float = 0.0
    token: int = 0
    expected_end_s: float = math.inf
    in_ckpt: bool = False
    extra: dict = field(default_factory=dict)


def checkpoint_overhead_frac(c: JobClass) -> float:
    """Share of wall time spent writing checkpoints: cost / (interval + cost) [-]."""
    if c.checkpoint_interval_h <= 0.0 or c.checkpoint_cost_min <= 0.0:
        return 0.0
    cost_h = c.checkpoint_cost_min / 60.0
    return cost_h / (c.checkpoint_interval_h + cost_h)


def effective_power_frac(c: JobClass, idle_frac: float) -> float:
    """Step-mean power share of a running GPU with checkpoint pauses near idle [-]."""
    ov = checkpoint_overhead_frac(c)
    return c.power_frac * (1.0 - ov) + idle_frac * ov


def wall_work_s(c: JobClass, compute_s: float) -> float:
    """Run time at full speed including checkpoint pauses [s]."""
    ov = checkpoint_overhead_frac(c)
    return compute_s / (1.0 - ov)


def draw_duration_s(c: JobClass, rng: np.random.Generator) -> float:
    """One compute duration from the class distribution (mean ``duration_mean_h``) [s]."""
    mean_s = c.duration_mean_h * H_S
    if c.duration_dist == "fixed":
        return mean_s
    if c.duration_dist == "exponential":
        return float(rng.exponential(mean_s))
    # lognormal with the given mean and coefficient of variation
    sigma2 = math.log1p(c.duration_cv**2)
    mu = math.log(mean_s) - 0.5 * sigma2
    return float(rng.lognormal(mu, math.sqrt(sigma2)))


def arrival_rate_per_s(c: JobClass, t_s: float) -> float:
    """Instantaneous arrival rate at SimPy time ``t_s`` (local clock from midnight) [1/s]."""
    base = c.arrival_rate_per_h / H_S
    if c.diurnal_amplitude_frac <= 0.0:
        return base
    hour = (t_s % DAY_S) / H_S
    return base * (
        1.0 + c.diurnal_amplitude_frac * math.cos(2 * math.pi * (hour - c.diurnal_peak_h) / 24.0)
    )


def arrivals(env: simpy.Environment, c: JobClass, rng: np.random.Generator, submit, until_s: float):
    """Poisson (or diurnal, by thinning) arrivals of class ``c``; ``submit(t)`` per job."""
    lam_max = c.arrival_rate_per_h / H_S * (1.0 + c.diurnal_amplitude_frac)
    while True:
        gap = rng.exponential(1.0 / lam_max)
        if env.now + gap >= until_s:
            return
        yield env.timeout(gap)
        if c.diurnal_amplitude_frac > 0.0 and rng.random() * lam_max > arrival_rate_per_s(
            c, env.now
        ):
            continue
        submit()
