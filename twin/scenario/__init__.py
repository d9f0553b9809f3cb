"""The scenario: a validated, immutable description of one what-if.

One module per TOML table (:mod:`~twin.scenario.site`, :mod:`~twin.scenario.simulation`,
:mod:`~twin.scenario.it`, :mod:`~twin.scenario.workload`, :mod:`~twin.scenario.cooling`,
:mod:`~twin.scenario.supply`), all built on :class:`~twin.scenario.base.Section`, composed
by :class:`~twin.scenario.model.Scenario`. Beside them: ``--set`` overrides
(:mod:`~twin.scenario.overrides`), error messages (:mod:`~twin.scenario.messages`), what a
field says about itself (:mod:`~twin.scenario.fields`), the generated reference
(:mod:`~twin.scenario.reference`), size limits (:mod:`~twin.scenario.limits`), the ASHRAE
classes (:mod:`~twin.scenario.ashrae`) and the plant data library
(:mod:`~twin.scenario.plant_library`). This layer imports nothing of the twin but
:mod:`twin.errors` (``docs/architecture.md``).
"""

from twin.scenario.cooling import CoolingConfig, LoopConfig
from twin.scenario.it import ITConfig, RackGroup
from twin.scenario.model import Scenario
from twin.scenario.overrides import apply_assignment
from twin.scenario.simulation import FaultsConfig, SimulationConfig
from twin.scenario.site import SiteConfig
from twin.scenario.supply import (
    BatteryConfig,
    GensetConfig,
    GridConfig,
    PowerConfig,
    PVConfig,
    TariffConfig,
    UPSConfig,
)
from twin.scenario.wind import PPAConfig, WindConfig
from twin.scenario.workload import JobClass, SchedulerConfig

__all__ = [
    "BatteryConfig",
    "CoolingConfig",
    "FaultsConfig",
    "GensetConfig",
    "GridConfig",
    "ITConfig",
    "JobClass",
    "LoopConfig",
    "PPAConfig",
    "PVConfig",
    "PowerConfig",
    "RackGroup",
    "Scenario",
    "SchedulerConfig",
    "SimulationConfig",
    "SiteConfig",
    "TariffConfig",
    "UPSConfig",
    "WindConfig",
    "apply_assignment",
]
