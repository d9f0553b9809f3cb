"""Atlas Twin: an energy-and-cooling digital twin for data centers in Morocco.

>>> import twin
>>> result = twin.simulate(twin.Scenario(simulation={"days": 2}))  # doctest: +SKIP
>>> result.kpis["pue"]  # doctest: +SKIP

The public API is this module: :class:`Scenario`, :func:`simulate`, :class:`Result`,
:func:`sweep`, :func:`ensemble` (many weather years), :mod:`twin.plots` and the errors. The package is laid out in one-way
layers (``docs/architecture.md``): ``cli`` on top, then ``report`` and ``sweeps``,
``results``, ``sim``, ``workload``, ``scenario`` and ``errors``, over the ``weather``
and ``kernels`` packages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from twin.errors import (
    BackendUnavailableError,
    EnergyBalanceError,
    ScenarioError,
    TwinError,
    WeatherError,
)
from twin.provenance import package_version as _package_version

if TYPE_CHECKING:
    import xarray

    from twin.results.kpis import KPI_NAMES, KPI_UNITS
    from twin.results.result import Result
    from twin.results.simulate import simulate
    from twin.scenario.model import Scenario
#: The installed package's version (``importlib.metadata``; ``pyproject.toml`` in a
#: source tree that is not installed). The git revision: :func:`twin.provenance.git_revision`.
__version__ = _package_version()


def sweep(
    base: Scenario | None = None,
    vary: dict[str, list[Any]] | None = None,
    design: str = "grid",
    n: int | None = None,
    backend: str = "local",
    seed: int = 0,
    *,
    out: str | Path | None = None,
    resume: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    progress: bool | None = None,
    timeseries: bool = False,
) -> xarray.Dataset:
    """Run many scenarios around *base* and return their KPIs as an xarray Dataset.

    >>> ds = twin.sweep(twin.Scenario(), {"pv.capacity_mwp": [0, 20, 40],
    ...                                   "battery.energy_mwh": [0, 40]})  # doctest: +SKIP
    >>> ds["pue"].sel({"pv.capacity_mwp": 20})  # doctest: +SKIP

    Parameters
    ----------
    base : Scenario, optional
        The scenario every run starts from (default: the embedded default).
    vary : dict
        Scenario key (``--set`` syntax) -> values. ``battery.duration_h`` ties the
        battery's power to its energy (power = energy / duration).
    design : {"grid", "latin_hypercube", "random"}
        ``grid``: every combination, returned with one dimension per varied key (the
        keys' values as coordinates, a ``scenario`` variable numbering the cells).
        ``latin_hypercube`` / ``random``: *n* scenarios along one ``scenario``
        dimension, the varied keys as coordinates; a key with two numbers is a range.
    n, seed : int
        Number of scenarios and seed of a sampled design.
    backend : {"local", "dask", "cuda"}
        Where the batched kernels run; every backend gives the KPIs of ``twin.simulate``
        bit for bit (the CUDA device to the last bits).
    out : path, optional
        Write ``plan.json``, chunk files, ``kpis.csv`` and ``sweep.nc`` (one
        ``scenario`` dimension) there; *resume* skips the finished chunks.
    scheduler, workers, chunk_size, progress, timeseries
        A Dask scheduler address; worker processes; scenarios per chunk; a progress
        line on stderr (default: when it is a terminal); per-scenario step tables
        under ``out/timeseries`` (needs *out*).

    Returns
    -------
    xarray.Dataset
        One variable per KPI of :data:`KPI_UNITS` (``units``, ``long_name``), ``error``
        (empty where the scenario ran) and ``simpy_events``. Details:
        :func:`twin.sweeps.front.sweep` and ``docs/sweeps.md``.
    """
    # imported on first use, so xarray stays out of ``twin run``'s start-up
    import importlib

    front = importlib.import_module("twin.sweeps.front")
    return front.sweep(
        base,
        vary,
        design,
        n,
        backend,
        seed,
        out=out,
        resume=resume,
        scheduler=scheduler,
        workers=workers,
        chunk_size=chunk_size,
        progress=progress,
        timeseries=timeseries,
    )


#: The public names imported on first use (PEP 562), so that ``import twin`` (and the
#: ``twin`` command, whose process starts in :mod:`twin.cli.process`) costs nothing until
#: one is asked for: name -> (module, attribute, or None for the module itself).
_LAZY: dict[str, tuple[str, str | None]] = {
    "KPI_NAMES": ("twin.results.kpis", "KPI_NAMES"),
    "KPI_UNITS": ("twin.results.kpis", "KPI_UNITS"),
    "Result": ("twin.results.result", "Result"),
    "simulate": ("twin.results.simulate", "simulate"),
    "Scenario": ("twin.scenario.model", "Scenario"),
    # matplotlib, the sweep machinery and the portfolio stay out of ``twin run``'s start-up
    "portfolio": ("twin.portfolios.run", "portfolio"),
    "ensemble": ("twin.sweeps.ensemble", "ensemble"),
    "plots": ("twin.results.plots", None),
}


def __getattr__(name: str) -> Any:
    import importlib

    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'twin' has no attribute {name!r}") from None
    value = importlib.import_module(module)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value  # the next look-up is an ordinary one
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "KPI_NAMES",
    "KPI_UNITS",
    "BackendUnavailableError",
    "EnergyBalanceError",
    "Result",
    "Scenario",
    "ScenarioError",
    "TwinError",
    "WeatherError",
    "__version__",
    "ensemble",
    "plots",
    "portfolio",
    "simulate",
    "sweep",
]
