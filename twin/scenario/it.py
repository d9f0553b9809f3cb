"""``[it]``: rack groups, their utilisation and the workload that drives them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from twin.scenario.base import Section
from twin.scenario.workload import JobClass, SchedulerConfig, default_job_classes


class RackGroup(Section):
    name: str = Field(..., pattern=r"^[a-z][a-z0-9_]{0,31}$", description="Group id.")
    racks: int = Field(..., ge=0, le=100_000, description="Number of racks [-].")
    p_rack_peak_kw: float = Field(..., gt=0, le=500, description="Peak power of one rack [kW].")
    idle_frac: float = Field(0.15, ge=0, le=1, description="Idle power / peak [-].")
    cooling: Literal["air", "liquid"] = Field("air", description="Heat path.")
    liquid_frac: float = Field(
        0.85, ge=0, le=1, description="Share of heat to liquid, liquid groups [-]."
    )
    ashrae_class: Literal["A1", "A2", "A3", "A4"] = Field("A1", description="Air inlet class.")
    liquid_class: Literal["W17", "W27", "W32", "W40", "W45"] = Field(
        "W32", description="Facility-water class of liquid groups."
    )
    utilisation_mean: float = Field(0.7, ge=0, le=1, description="Mean utilisation [-].")
    utilisation_sd: float = Field(
        0.1, ge=0, le=0.5, description="Spread of the job-level utilisation [-]."
    )
    job_mean_h: float = Field(
        6.0,
        ge=1.0 / 60.0,
        le=8760,
        description=(
            "Mean time between utilisation changes [h] (at least a minute: faster "
            "changes average out within the finest step)."
        ),
    )
    it_mass_kg_per_rack: float = Field(
        1360.0, ge=0, le=10_000, description="Thermal mass of one rack [kg]."
    )
    # Assumption: 5 min, within the "several minutes" measured on servers with their fans
    # running (Erden, Khalifa & Schmidt, IPACK2013-73281 and J. Electron. Packag. 136(3),
    # 2014; a 2U server holds about 12 kJ/K, Ibrahim et al., ITherm 2012). The rack frame
    # outside the air path couples more weakly (Alkharabsheh et al., ITherm 2014), so one
    # time constant for the whole rack mass is an upper bound on the help it gives.
    it_mass_time_constant_s: float = Field(
        300.0,
        ge=1,
        le=86_400,
        description="Time constant of the rack's mass towards the hall air, its fans "
        "running [s]: C / UA of the lumped server (servers: several minutes, Erden, "
        "Khalifa & Schmidt 2014); sets the air-to-mass coupling of the ride-through.",
    )
    priority: int = Field(
        2,
        ge=0,
        le=3,
        description="Shedding priority when supply falls short [-]: groups of priority 0 "
        "are shed first, 3 last; only as much as the shortfall, partly, and groups of one "
        "priority in proportion to their demand.",
    )
    gpus_per_rack: int = Field(
        72,
        ge=1,
        le=1024,
        description="Job-model slots per rack: GPUs, or servers for CPU groups [-] "
        "(GB200 NVL72: 72 GPUs per rack, NVIDIA).",
    )


def _default_groups() -> list[RackGroup]:
    return [
        # GB200 NVL72: ~120 kW per rack, 132 kW power-shelf output (Introl,
        # 2025); 300 racks = 36 MW, the liquid-cooled core of 40 MW.
        RackGroup(
            name="gpu",
            racks=300,
            p_rack_peak_kw=120.0,
            idle_frac=0.15,
            cooling="liquid",
            liquid_frac=0.85,
            ashrae_class="A1",
            liquid_class="W32",
            utilisation_mean=0.72,
            utilisation_sd=0.08,
            job_mean_h=12.0,
        ),
        # air-cooled storage, network and CPU racks: average density < 8–10 kW
        # (Uptime 2024 survey); 400 x 10 kW = 4 MW.
        RackGroup(
            name="cpu",
            racks=400,
            p_rack_peak_kw=10.0,
            idle_frac=0.3,
            cooling="air",
            liquid_frac=0.0,
            ashrae_class="A1",
            utilisation_mean=0.5,
            utilisation_sd=0.15,
            job_mean_h=4.0,
            it_mass_kg_per_rack=900.0,
            # assumed: 20 x 500 W servers fill a 10 kW rack
            gpus_per_rack=20,
        ),
    ]


class ITConfig(Section):
    groups: list[RackGroup] = Field(default_factory=_default_groups, min_length=1, max_length=32)
    ups_efficiency: float = Field(
        0.96, ge=0.5, le=1.0, description="Double-conversion UPS efficiency [-] (94–96 %, Riello)."
    )
    workload: Literal["profile", "jobs", "trace"] = Field(
        "profile", description="What drives utilisation: beta profile, job model or a CSV trace."
    )
    job_classes: list[JobClass] = Field(
        default_factory=default_job_classes, max_length=32, description="Job model classes."
    )
    scheduler: SchedulerConfig = Field(default_factory=SchedulerConfig)
    trace_file: str | None = Field(
        None, description="CSV trace for it.workload = 'trace' (relative to the scenario file)."
    )
