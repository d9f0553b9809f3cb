"""Scenario tables of the workload model: ``[[it.job_classes]]`` and ``[it.scheduler]``.

Part of ``[it]`` (:mod:`twin.scenario.it` holds ``workload``, ``job_classes``,
``scheduler`` and ``trace_file``); the job model that plays these tables is
:mod:`twin.workload`.

Sources of the defaults
-----------------------
* GB200 NVL72: 72 Blackwell GPUs per rack (NVIDIA GB200 NVL72 product page),
  ~120 kW per rack (``it.groups`` default).
* Training draws near, not at, nameplate: node power at most ~76 % of its
  rating during training (Newkirk et al. 2025, the same source as the
  ``gpu`` group's profile default); ``power_frac = 0.76``.
* Inference draws well below peak: LLM inference clusters rarely reach their
  provisioned power (Patel et al., "Characterizing Power Management
  Opportunities for LLMs in the Cloud", ASPLOS 2024); ``power_frac = 0.55``
  is an assumption inside that range.
* Synchronous training: every GPU of a job computes and communicates in
  lock-step, so the job's power swings together (Llama 3 report, Dubey et al.
  2024, §3.3.4: swings of tens of MW across the data center). The swings are
  sub-second to seconds, far below the 1 min kernel step; the model carries the
  step-mean power of a running job. A checkpoint (all GPUs near idle while the
  state is written) that lasts at least one step is played as two events, the
  whole job dropping to idle and back; a shorter one enters as a duty-cycle
  average of its interval (:func:`twin.workload.jobs.effective_power_frac`).
* Arrival rates, sizes, durations, windows and latency objectives are
  assumptions sized to load the default 40 MW hall to roughly 70 %.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from twin.errors import ScenarioError
from twin.scenario.base import Section


class JobClass(Section):
    """One class of jobs: how they arrive, how big and long they are, what they draw."""

    name: str = Field(..., pattern=r"^[a-z][a-z0-9_]{0,31}$", description="Class id.")
    kind: Literal["training", "inference", "batch"] = Field(..., description="Job kind.")
    group: str = Field(..., description="Target rack group (it.groups name).")
    arrival_rate_per_h: float = Field(
        ..., gt=0, le=1e5, description="Mean Poisson arrival rate [1/h]."
    )
    diurnal_amplitude_frac: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Relative amplitude of the daily cosine on the arrival rate [-].",
    )
    diurnal_peak_h: float = Field(
        14.0, ge=0, lt=24, description="Local hour of the arrival-rate peak [h]."
    )
    size_gpus: int = Field(
        ..., ge=1, le=10_000_000, description="GPUs (servers, for CPU groups) per job [-]."
    )
    duration_mean_h: float = Field(
        ..., gt=0, le=8760, description="Mean run time at full speed [h]."
    )
    duration_dist: Literal["exponential", "lognormal", "fixed"] = Field(
        "exponential", description="Run-time distribution."
    )
    duration_cv: float = Field(
        1.0, gt=0, le=10, description="Coefficient of variation of a lognormal run time [-]."
    )
    power_frac: float = Field(
        ..., gt=0, le=1, description="Power of a running GPU / its share of rack peak [-]."
    )
    checkpoint_interval_h: float = Field(
        0.0,
        ge=0,
        le=8760,
        description="Time between checkpoints, 0 = none, else at least 1 min [h].",
    )
    checkpoint_cost_min: float = Field(
        0.0, ge=0, le=1440, description="Time to write one checkpoint (GPUs near idle) [min]."
    )
    defer_window_h: float = Field(
        0.0, ge=0, le=720, description="How long the start may be deferred, 0 = not deferrable [h]."
    )
    latency_objective_s: float = Field(
        0.0,
        ge=0,
        le=86_400,
        description="Inference: longest acceptable wait to start, 0 = none [s].",
    )


class SchedulerConfig(Section):
    """The scheduler of the job model (``[it.scheduler]``)."""

    backfill: bool = Field(True, description="EASY backfilling behind the queue head.")
    deferral: Literal["none", "clean"] = Field(
        "none",
        description="'clean': start deferrable jobs in the cleanest hours of their window "
        "(on-site PV and grid carbon signal).",
    )
    supply_cap_frac: float = Field(
        0.6,
        gt=0,
        le=1,
        description="Dynamic-power cap when supply is short (battery empty, unmet load) [-] "
        "(assumption).",
    )
    thermal_cap_frac: float = Field(
        0.8,
        gt=0,
        le=1,
        description="Dynamic-power throttle of a group whose inlet or liquid passed its limit [-] "
        "(assumption).",
    )
    cap_hold_min: float = Field(
        15.0,
        gt=0,
        le=1440,
        description="How long a cap holds before it is lifted; re-applied if the limit is "
        "crossed again [min] (assumption).",
    )


def default_job_classes() -> list[JobClass]:
    """Training and inference on the ``gpu`` group, batch on ``cpu`` (assumed mix)."""
    return [
        # 32 NVL72 racks per job, lognormal days-long runs, hourly checkpoints of 2 min
        JobClass(
            name="training",
            kind="training",
            group="gpu",
            arrival_rate_per_h=0.065,
            size_gpus=2304,
            duration_mean_h=72.0,
            duration_dist="lognormal",
            duration_cv=1.0,
            power_frac=0.76,
            checkpoint_interval_h=1.0,
            checkpoint_cost_min=2.0,
            defer_window_h=12.0,
        ),
        # serving replicas of 8 racks that scale with a diurnal demand
        JobClass(
            name="inference",
            kind="inference",
            group="gpu",
            arrival_rate_per_h=3.75,
            diurnal_amplitude_frac=0.5,
            diurnal_peak_h=14.0,
            size_gpus=576,
            duration_mean_h=2.0,
            power_frac=0.55,
            latency_objective_s=60.0,
        ),
        # enterprise batch on 200 servers, deferrable within 12 h
        JobClass(
            name="batch",
            kind="batch",
            group="cpu",
            arrival_rate_per_h=5.0,
            size_gpus=200,
            duration_mean_h=4.0,
            power_frac=0.8,
            defer_window_h=12.0,
        ),
    ]


def check_workload(sc) -> None:
    """Cross-field rules of the job model; raise :class:`ScenarioError` naming the field."""
    it = sc.it
    groups = {g.name: (i, g) for i, g in enumerate(it.groups)}
    if it.workload == "trace" and not it.trace_file:
        msg = "it.workload = 'trace' needs it.trace_file (a CSV of time, value per group)"
        raise ScenarioError(msg)
    if it.workload != "jobs":
        return
    if not it.job_classes:
        msg = "it.workload = 'jobs' needs at least one [[it.job_classes]] table"
        raise ScenarioError(msg)
    names = [c.name for c in it.job_classes]
    if len(set(names)) != len(names):
        msg = f"it.job_classes: class names must be unique, got {names}"
        raise ScenarioError(msg)
    for k, c in enumerate(it.job_classes):
        where = f"it.job_classes.{k}"
        if 0.0 < c.checkpoint_interval_h < 1.0 / 60.0:
            msg = (
                f"{where}.checkpoint_interval_h = {c.checkpoint_interval_h!r} is below one "
                "minute; use 0 for no checkpoints"
            )
            raise ScenarioError(msg)
        if c.group not in groups:
            msg = f"{where}.group = {c.group!r} is not one of the it.groups: {sorted(groups)}"
            raise ScenarioError(msg)
        _, g = groups[c.group]
        cap = g.racks * g.gpus_per_rack
        if c.size_gpus > cap:
            msg = (
                f"{where}.size_gpus = {c.size_gpus} is outside [1, {cap}]: group {g.name} has "
                f"{g.racks} racks x {g.gpus_per_rack} GPUs"
            )
            raise ScenarioError(msg)
        if c.power_frac < g.idle_frac:
            msg = (
                f"{where}.power_frac = {c.power_frac} is outside [{g.idle_frac}, 1]: "
                f"a running GPU draws at least the idle share of group {g.name}"
            )
            raise ScenarioError(msg)
        if c.kind == "inference" and c.defer_window_h > 0:
            msg = f"{where}.defer_window_h = {c.defer_window_h} must be 0 for inference (not deferrable)"
            raise ScenarioError(msg)
        if c.checkpoint_cost_min > 0 and c.checkpoint_interval_h == 0:
            msg = f"{where}.checkpoint_cost_min = {c.checkpoint_cost_min} needs checkpoint_interval_h > 0"
            raise ScenarioError(msg)
