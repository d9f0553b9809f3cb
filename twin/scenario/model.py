"""The validated scenario: a pydantic model tree, from TOML, dict or keywords.

Every field carries its unit in the name and in the description, an allowed
range, a default, and (in the description) where the default comes from. The
same keys are used in TOML files, in Python and on the command line
(``--set pv.capacity_mwp=20``). Errors name the field, the value and the
allowed range, e.g. ``pv.capacity_mwp = -5 is outside [0, 10000] MWp``.

Defaults describe the embedded default scenario: a 40 MW AI hall at
Casablanca–Nouaceur, the first phase announced for the Naver / Nvidia / Lloyds
Capital campus (40 MW of Nvidia GB200; Korea Herald, 2025-06-13). Where no
published figure exists the description says "assumption".
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from twin.errors import ScenarioError
from twin.scenario.ashrae import ASHRAE_AIR_MAX_C, ASHRAE_LIQUID_MAX_C
from twin.scenario.base import Section
from twin.scenario.cooling import CoolingConfig, check_plant
from twin.scenario.finance import FinanceConfig
from twin.scenario.it import ITConfig
from twin.scenario.messages import format_validation_error
from twin.scenario.overrides import RENAMED_KEYS, apply_assignment
from twin.scenario.simulation import (
    STEPS_S,
    FaultsConfig,
    SimulationConfig,
    check_window,
    window_utc,
)
from twin.scenario.site import WEATHER_KEYWORDS, SiteConfig
from twin.scenario.supply import (
    BatteryConfig,
    GensetConfig,
    GridConfig,
    PowerConfig,
    PVConfig,
    UPSConfig,
    check_subscription,
)
from twin.scenario.wind import PPAConfig, WindConfig
from twin.scenario.workload import check_workload


class Scenario(Section):
    """A complete, validated what-if: site, IT, cooling, supply, faults."""

    name: str = Field("default", max_length=80, description="Scenario name.")
    site: SiteConfig = Field(default_factory=SiteConfig)
    simulation: SimulationConfig = Field(default_factory=SimulationConfig)
    it: ITConfig = Field(default_factory=ITConfig)
    cooling: CoolingConfig = Field(default_factory=CoolingConfig)
    pv: PVConfig = Field(default_factory=PVConfig)
    battery: BatteryConfig = Field(default_factory=BatteryConfig)
    grid: GridConfig = Field(default_factory=GridConfig)
    genset: GensetConfig = Field(default_factory=GensetConfig)
    ups: UPSConfig = Field(default_factory=UPSConfig)
    faults: FaultsConfig = Field(default_factory=FaultsConfig)
    power: PowerConfig = Field(default_factory=PowerConfig)
    wind: WindConfig = Field(default_factory=WindConfig)
    ppa: PPAConfig = Field(default_factory=PPAConfig)
    finance: FinanceConfig = Field(default_factory=FinanceConfig)

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise ScenarioError(format_validation_error(exc, type(self))) from None
        self.check()

    # -- construction ----------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any], base_dir: Path | None = None) -> Scenario:
        return cls._from_owned_dict(copy.deepcopy(data), base_dir)

    @classmethod
    def _from_owned_dict(cls, data: dict[str, Any], base_dir: Path | None) -> Scenario:
        """:meth:`from_dict` on a dict the caller gives away (resolved paths are written in)."""
        _resolve_paths(data, base_dir)
        return cls(**data)

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            msg = f"scenario file {path} does not exist"
            raise ScenarioError(msg) from None
        except (OSError, UnicodeDecodeError) as exc:
            msg = f"scenario file {path} cannot be read: {exc}"
            raise ScenarioError(msg) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            msg = f"scenario file {path} is not valid TOML: {exc}"
            raise ScenarioError(msg) from None
        return cls.from_dict(data, base_dir=path.parent)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def with_overrides(self, assignments: list[str]) -> Scenario:
        """A copy with ``key=value`` overrides applied (``--set`` syntax)."""
        fast = _with_section_overrides(self, assignments)
        if fast is not None:
            return fast
        data = self.to_dict()
        for item in assignments:
            apply_assignment(data, item)
        return Scenario._from_owned_dict(data, base_dir=Path.cwd())

    # -- cross-field checks ------------------------------------------------------
    def check(self) -> None:
        """Consistency rules that span several fields; raise :class:`ScenarioError`."""
        b = self.battery
        if not b.soc_min <= b.soc_init <= b.soc_max:
            msg = (
                f"battery.soc_init = {b.soc_init} must lie within "
                f"[battery.soc_min, battery.soc_max] = [{b.soc_min}, {b.soc_max}]"
            )
            raise ScenarioError(msg)
        for key in ("energy_mwh", "power_mw"):
            value = getattr(b, key)
            if 0.0 < value < 1e-3:
                msg = (
                    f"battery.{key} = {value!r} is below 0.001 (1 kWh or 1 kW); "
                    "use 0 for no battery"
                )
                raise ScenarioError(msg)
        p_it_mean_kw = sum(
            g.racks * g.p_rack_peak_kw * (g.idle_frac + (1.0 - g.idle_frac) * g.utilisation_mean)
            for g in self.it.groups
        )
        if not p_it_mean_kw > 0.0:
            msg = (
                "it.groups: the IT load is zero (no racks, or no idle power and zero "
                "utilisation); PUE and the per-kWh KPIs need an IT load"
            )
            raise ScenarioError(msg)
        names = [g.name for g in self.it.groups]
        if len(set(names)) != len(names):
            msg = f"it.groups: group names must be unique, got {names}"
            raise ScenarioError(msg)
        for i, g in enumerate(self.it.groups):
            if g.cooling == "liquid" and not (
                self.cooling.liquid.t_supply_c <= ASHRAE_LIQUID_MAX_C[g.liquid_class]
            ):
                msg = (
                    f"cooling.liquid.t_supply_c = {self.cooling.liquid.t_supply_c} °C exceeds "
                    f"the {g.liquid_class} facility-water limit of it.groups.{i} ({g.name}): "
                    f"{ASHRAE_LIQUID_MAX_C[g.liquid_class]} °C"
                )
                raise ScenarioError(msg)
            if g.cooling == "air" and not (
                self.cooling.t_inlet_setpoint_c < ASHRAE_AIR_MAX_C[g.ashrae_class]
            ):
                msg = (
                    f"cooling.t_inlet_setpoint_c = {self.cooling.t_inlet_setpoint_c} °C is "
                    f"not below the {g.ashrae_class} allowable limit of it.groups.{i}: "
                    f"{ASHRAE_AIR_MAX_C[g.ashrae_class]} °C"
                )
                raise ScenarioError(msg)
        check_workload(self)
        check_subscription(self.grid)
        check_plant(self.cooling)
        try:
            check_window(self.simulation, self.site.year, self.faults)
        except ValueError as exc:
            raise ScenarioError(str(exc)) from None

    @property
    def dt_s(self) -> int:
        return STEPS_S[self.simulation.step]

    @property
    def n_steps(self) -> int:
        return self.simulation.days * 86400 // self.dt_s

    @property
    def start_offset_s(self) -> int:
        """Seconds from 1 January 00:00 of ``site.year`` (local) to the run's start: where
        the run's window begins in the weather year [s]."""
        if self.simulation.start is None:
            return 0
        jan1, start, _ = window_utc(self.simulation, self.site.year)
        return int((start - jan1).total_seconds())


def _resolve_paths(data: dict[str, Any], base_dir: Path | None) -> None:
    """Write into *data* the weather file and the trace file resolved against *base_dir*
    (relative paths only; keywords, empty and absolute paths are left as they are)."""
    if base_dir is None:
        return
    site, it = data.get("site"), data.get("it")
    if isinstance(site, dict):
        weather = site.get("weather")
        if isinstance(weather, str) and weather and weather not in WEATHER_KEYWORDS:
            path = Path(weather).expanduser()
            if not path.is_absolute():
                site["weather"] = str((base_dir / path).resolve())
    if isinstance(it, dict):
        trace = it.get("trace_file")
        if isinstance(trace, str) and trace and not Path(trace).expanduser().is_absolute():
            it["trace_file"] = str((base_dir / Path(trace).expanduser()).resolve())


def _paths_settled(sc: Scenario) -> bool:
    """Would :func:`_resolve_paths` leave the paths of *sc* as they are, whatever the base?"""
    data = {"site": {"weather": sc.site.weather}, "it": {"trace_file": sc.it.trace_file}}
    _resolve_paths(data, Path("/"))
    return (
        data["site"]["weather"] == sc.site.weather and data["it"]["trace_file"] == sc.it.trace_file
    )


def _with_section_overrides(sc: Scenario, assignments: list[str]) -> Scenario | None:
    """:meth:`Scenario.with_overrides` re-validating only the sections that *assignments*
    change, or None where that is not the same scenario (then the whole dict is validated).

    The same scenario: the other sections are those of *sc* (frozen, validated: the
    whole-dict path dumps and validates them back to equal values), the changed ones are
    validated from their dumped and overridden dicts by the same validator (same location,
    same message), the cross-field checks run as always. Not taken when a path of *sc*
    would be resolved again (a relative weather or trace file) or a key is not in a section;
    an error of any kind is raised again by the whole-dict path, so messages do not change.
    """
    sections: dict[str, None] = {}
    for item in assignments:
        key = RENAMED_KEYS.get(item.partition("=")[0].strip(), item.partition("=")[0].strip())
        name = key.split(".")[0]
        if name == key or not isinstance(getattr(sc, name, None), Section):
            return None
        sections[name] = None
    if not _paths_settled(sc):
        return None
    try:
        data: dict[str, Any] = {
            name: getattr(sc, name).model_dump(mode="json") for name in sections
        }
        for item in assignments:
            apply_assignment(data, item)
        _resolve_paths(data, Path.cwd())
        return Scenario(
            **{name: data.get(name, getattr(sc, name)) for name in type(sc).model_fields}
        )
    except Exception:  # the whole-dict path raises the error, as before
        return None
