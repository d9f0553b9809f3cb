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

from twin.errors import (
    BackendUnavailableError,
    EnergyBalanceError,
    ScenarioError,
    TwinError,
    WeatherError,
)
from twin.results.kpis import KPI_NAMES, KPI_UNITS
from twin.results.result import Result
from twin.results.simulate import simulate
from twin.scenario.model import Scenario


def __getattr__(name: str):
    # imported on first use, so matplotlib and xarray stay out of ``twin run``'s start-up
    import importlib

    if name == "sweep":
        return importlib.import_module("twin.sweeps.front").sweep
    if name == "ensemble":
        return importlib.import_module("twin.sweeps.ensemble").ensemble
    if name == "plots":
        return importlib.import_module("twin.results.plots")
    raise AttributeError(f"module 'twin' has no attribute {name!r}")


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
    "ensemble",
    "plots",
    "simulate",
    "sweep",
]
