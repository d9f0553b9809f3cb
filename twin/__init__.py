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
from twin.sweep import sweep  # the function; the module is sys.modules['twin.sweep']

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
