"""Atlas Twin: an energy-and-cooling digital twin for data centers in Morocco.

>>> import twin
>>> result = twin.simulate(twin.Scenario(simulation={"days": 2}))  # doctest: +SKIP
>>> result.kpis["pue"]  # doctest: +SKIP
"""

from twin.engine import simulate
from twin.errors import (
    BackendUnavailableError,
    EnergyBalanceError,
    ScenarioError,
    TwinError,
    WeatherError,
)
from twin.results import KPI_NAMES, KPI_UNITS, Result
from twin.scenario import Scenario


def __getattr__(name: str):
    # ``twin.sweep(...)``: imported on first use (xarray stays out of ``twin run``'s start-up);
    # the module itself is callable, see the end of :mod:`twin.sweep`
    if name == "sweep":
        import importlib

        return importlib.import_module("twin.sweep")
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
    "simulate",
    "sweep",
]
