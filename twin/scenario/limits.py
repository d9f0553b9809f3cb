"""Size limits: refuse impossible runs up front, with the memory they would need.

A run keeps per step the kernel outputs (:data:`kernels.layout.N_OUT`
float64 columns), the inputs on the step grid, the solar geometry and the
result table. :func:`run_bytes` estimates that from the number of steps and
rack groups; :func:`check_run_size` raises :class:`~twin.errors.ScenarioError`
before anything is allocated when the estimate exceeds a share of this
machine's physical memory.
"""

from __future__ import annotations

import os

from kernels import layout as L
from twin.errors import ScenarioError

__all__ = [
    "MAX_EVENTS",
    "MAX_MEMORY_FRAC",
    "check_event_budget",
    "check_run_size",
    "expected_events",
    "physical_memory_bytes",
    "run_bytes",
]

#: Float64 columns per step besides the kernel outputs: weather and solar
#: geometry on the step grid (~16), the result table (~30) and temporaries.
_EXTRA_COLUMNS = 60
#: Share of physical memory one run may take.
MAX_MEMORY_FRAC = 0.5


def run_bytes(n_steps: float, n_groups: int = 1) -> float:
    """Estimated peak memory of one run [bytes]."""
    return 8.0 * float(n_steps) * (L.N_OUT + _EXTRA_COLUMNS + 2 * n_groups)


def physical_memory_bytes() -> float:
    """This machine's physical memory [bytes] (a large default where unknown)."""
    try:
        return float(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 16.0 * 2**30


def describe_bytes(n: float) -> str:
    """``'1.2 GiB'`` style."""
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n / 1024:.0f} KiB"


def check_run_size(n_steps: int, n_groups: int, what: str = "this run") -> None:
    """Raise :class:`ScenarioError` if *what* would not fit in memory."""
    need = run_bytes(n_steps, n_groups)
    have = physical_memory_bytes() * MAX_MEMORY_FRAC
    if need > have:
        msg = (
            f"{what} has {n_steps:,} steps and would need about {describe_bytes(need)} of "
            f"memory; at most {describe_bytes(have)} is allowed on this machine "
            "(shorten simulation.days or use a coarser simulation.step)"
        )
        raise ScenarioError(msg)


#: Most SimPy events one run may expect. Measured rates of the engine's event
#: loop with its kernel calls are 2-3e4 events/s on one core
#: (benchmarks/results/bench_jobs_year.json: 604,587 events in 19.7 s), so this
#: refuses runs that would keep the loop busy for more than ~10-15 minutes.
#: Real campuses need 10^3-10^6 events a year.
MAX_EVENTS = 2e7


def expected_events(sc, n_chillers: int = 1) -> float:
    """Expected number of SimPy events of a run, from the scenario's rates.

    Grid outages and chiller failures, Poisson or scheduled: two events each (start,
    end). Profile
    workload: one event per utilisation change of each group. Job model: about
    five events per job (arrival, start, finish, resource get and put) plus two
    per checkpoint.
    """
    horizon_h = sc.simulation.days * 24.0
    years = horizon_h / 8760.0
    f = sc.faults
    n = 2.0 * f.grid_outages_per_year * years
    n += 2.0 * f.chiller_failures_per_year * years * n_chillers
    n += 2.0 * len(f.events)  # scheduled faults: start and end
    if sc.it.workload == "profile":
        n += sum(horizon_h / g.job_mean_h for g in sc.it.groups)
    elif sc.it.workload == "jobs":
        for c in sc.it.job_classes:
            jobs = c.arrival_rate_per_h * horizon_h
            per_job = 5.0
            if c.checkpoint_interval_h > 0:
                per_job += 2.0 * c.duration_mean_h / c.checkpoint_interval_h
            n += jobs * per_job
    return n


def check_event_budget(sc, n_chillers: int = 1) -> None:
    """Raise :class:`ScenarioError` when a run would expect more than :data:`MAX_EVENTS`."""
    n = expected_events(sc, n_chillers)
    if n > MAX_EVENTS:
        msg = (
            f"this scenario would raise about {n:.3g} SimPy events (job arrivals, "
            f"checkpoints, utilisation changes and faults over {sc.simulation.days} d); "
            f"at most {MAX_EVENTS:.0e} are allowed: lower the rates or shorten the horizon"
        )
        raise ScenarioError(msg)
