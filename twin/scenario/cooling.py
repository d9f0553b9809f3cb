"""``[cooling]``: the two cooling loops (hall air, liquid) and the heat-rejection plant."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kernels.cdu import CDU_APPROACH_K
from kernels.drycooler import DRY_COOLER_AIR_DT_K
from kernels.tower import WATER_CP_J_KG_K, WATER_DENSITY_KG_M3
from twin.errors import ScenarioError
from twin.scenario.base import Section
from twin.scenario.plant_library import list_chillers, load_chiller


class LoopConfig(Section):
    t_supply_c: float = Field(..., ge=4, le=45, description="Water supply set point [°C].")
    dt_k: float = Field(6.0, ge=2, le=20, description="Design return - supply [K].")
    chiller: str = Field("york_yt_1125_vsd", description="Chiller curve set (data file).")
    chiller_unit_kw: float = Field(
        3500.0, gt=0, le=20_000, description="Capacity of one chiller [kW]."
    )
    redundancy: int = Field(1, ge=0, le=10, description="Spare chillers (N+x) [-].")
    economizer: bool | None = Field(
        None,
        description="Free-cooling stage ahead of the chillers: the integrated water-side "
        "economizer of tower plants, the coolers of dry and adiabatic plants (none: the "
        "plant's own, on for them and off for air-cooled chillers, which have none).",
    )
    hx_approach_k: float = Field(2.0, ge=0.5, le=10, description="Economizer HX approach [K].")
    tower_range_k: float = Field(
        5.6, ge=1.1, le=22.2, description="Tower design range [K] (EnergyPlus IDD default)."
    )
    condenser_flow: Literal["variable", "constant"] = Field(
        "variable",
        description="Condenser water of tower plants: 'variable' (variable-speed condenser "
        "pumps delivering what the running chillers and the economizer's exchanger ask "
        "for; idle chillers isolated, ASHRAE 90.1 §6.5.4.1) or 'constant' (design flow "
        "through the towers whenever the plant runs).",
    )
    storage_m3: float = Field(
        0.0,
        ge=0,
        le=100_000,
        description="Chilled-water storage tank on this loop [m³] (ride-through only).",
    )


class CoolingConfig(Section):
    t_inlet_setpoint_c: float = Field(
        27.0,
        ge=15,
        le=35,
        description="IT inlet set point [°C] (ASHRAE recommended upper limit 27 °C).",
    )
    air: LoopConfig = Field(default_factory=lambda: LoopConfig(t_supply_c=18.0))
    liquid: LoopConfig = Field(default_factory=lambda: LoopConfig(t_supply_c=30.0, dt_k=10.0))
    design_margin_frac: float = Field(
        0.1, ge=0, le=1, description="Loop design load above peak IT heat [-]."
    )
    hall_height_m: float = Field(5.0, gt=0, le=50, description="Hall clear height [m].")
    hall_m2_per_rack: float = Field(2.5, gt=0, le=50, description="White space per rack [m²].")
    liquid_litres_per_kw: float = Field(
        1.0,
        gt=0,
        le=100,
        description="Coolant of the technology cooling system (cold plates, rack "
        "manifolds, CDU secondary loop) per kW of liquid heat [L/kW].",
    )
    liquid_circulation_min: float = Field(
        2.0,
        gt=0,
        le=60,
        description="Circulation time of the liquid loop's facility water [min]: its "
        "volume is the design flow times this (EnergyPlus PlantLoop: autocalculated "
        "loop volume = maximum loop flow x circulation time, default 2 min).",
    )
    plant: Literal[
        "water_cooled_chillers", "air_cooled_chillers", "dry_coolers", "adiabatic_coolers"
    ] = Field(
        "water_cooled_chillers",
        description="Heat rejection of both loops: water-cooled chillers + towers + "
        "water-side economizer; air-cooled chillers; dry coolers with air-cooled trim "
        "chillers; adiabatic (spray) dry coolers with trim chillers.",
    )
    air_cooled_chiller: str = Field(
        "trane_cgam30",
        description="Air-cooled EIR curve set of air-cooled and trim chillers (data file).",
    )
    dry_cooler_approach_k: float = Field(
        6.0, ge=1, le=20, description="Dry-cooler design approach, fluid out - air in [K]."
    )
    spray_switch_c: float = Field(
        25.0, ge=0, le=50, description="Adiabatic coolers spray above this dry bulb [°C]."
    )
    pad_effectiveness: float = Field(
        0.8, ge=0.3, le=1.0, description="Adiabatic pad saturation effectiveness [-]."
    )
    economizer_deadband_k: float = Field(
        0.0,
        ge=0,
        le=10,
        description="Economizer enable dead band [K]: on when the free source precools the "
        "return by more than this, off when it cannot precool it (0: no hysteresis).",
    )
    chw_reset_k: float = Field(
        0.0,
        ge=0,
        le=10,
        description="Air-loop chilled-water supply reset at low load [K] (ASHRAE 90.1 "
        "6.5.4.4): full at <= 50 % of design load, none at >= 90 %.",
    )
    air_economizer: Literal["none", "direct", "indirect"] = Field(
        "none",
        description="Air-side economizer of the hall air loop: direct outdoor air (with "
        "evaporative pads, ASHRAE humidity limits) or indirect evaporative.",
    )
    air_economizer_effectiveness: float = Field(
        0.7, ge=0.3, le=1.0, description="Pad / wet-side effectiveness of that economizer [-]."
    )
    hot_aisle_dt_k: float = Field(
        12.0, ge=3, le=30, description="Return (hot-aisle) - supply air temperature [K]."
    )
    cdu_flow_lpm_per_kw: float = Field(
        1.5,
        gt=0,
        le=10,
        description="Rack-loop (CDU secondary) design flow per kW of liquid IT [L/min/kW] "
        "(OCP / NVIDIA GB200 NVL72 reference: 1.5).",
    )
    cdu_pump_head_kpa: float = Field(
        365.0,
        ge=0,
        le=1000,
        description="CDU pump design head [kPa] (CoolIT CHx2000 data: 53 psi = 365 kPa).",
    )
    cdu_approach_k: float = Field(
        CDU_APPROACH_K,
        ge=0,
        le=15,
        description="CDU plate exchanger design approach: rack-coolant (TCS) supply - "
        "facility-water supply at the design load [K]; fixes the exchanger's UA, so the "
        "approach shrinks at part load (kernels.cdu). Default 3 K: 'approach temperature "
        "(typically <= 3 C)' of the CDU specification guidance drawn from the ASHRAE TC 9.9 "
        "proposed rating conditions (STULZ USA, 'CDU specifications for liquid cooling', "
        "2025), kernels.cdu.CDU_APPROACH_K. 0 = no exchanger, the racks see the facility water.",
    )
    water_source: Literal["grid", "desalination", "treated_wastewater"] = Field(
        "grid",
        description="Where the plant's make-up water comes from: the utility's network "
        "(its energy is the utility's, not the campus's), seawater desalination on site "
        "(Dakhla's wind-powered plant is the precedent) or treated wastewater.",
    )
    water_energy_kwh_per_m3: float | None = Field(
        None,
        ge=0,
        le=20,
        description="Electricity to produce one m³ of make-up water on site, added to the "
        "plant's pumping power [kWh/m³] (none: the source's default, "
        "twin.scenario.cooling.WATER_ENERGY_KWH_PER_M3).",
    )


#: Default electricity per m³ of make-up water by ``cooling.water_source`` [kWh/m³].
#: grid: 0, the utility's network (its pumping and treatment are the utility's load).
#: desalination: 3.5, seawater reverse osmosis, whole plant (intake, pre-treatment,
#: high-pressure pumps with energy recovery, post-treatment) [assumed within published
#: ranges]: low-SEC RO units run at 2-4 kWh/m³ (review, Scientific Research Publishing,
#: https://html.scirp.org/file/_2-5500439_2.htm); state-of-the-art SWRO plants 2.5-3.0 and
#: most operating ones 3-6 kWh/m³ (biologyinsights.com, LOW). No figure of the Dakhla
#: wind-powered plant was published.
#: treated_wastewater: 0.5, tertiary filtration and disinfection of municipal effluent
#: for cooling-tower make-up [assumed: no Moroccan figure found; an order of magnitude].
WATER_ENERGY_KWH_PER_M3 = {"grid": 0.0, "desalination": 3.5, "treated_wastewater": 0.5}


def water_energy_kwh_per_m3(c: CoolingConfig) -> float:
    """Electricity per m³ of the plant's make-up water on site [kWh/m³]: the scenario's
    ``water_energy_kwh_per_m3``, or the default of its ``water_source``."""
    if c.water_energy_kwh_per_m3 is not None:
        return c.water_energy_kwh_per_m3
    return WATER_ENERGY_KWH_PER_M3[c.water_source]


def free_cooling_on(c: CoolingConfig, loop: LoopConfig) -> bool:
    """Whether a loop has its free-cooling stage (``economizer``, unset: the plant's own)."""
    if loop.economizer is None:
        return c.plant != "air_cooled_chillers"
        # a water-cooled loop may go without one; dry and adiabatic coolers are one
    return loop.economizer


def _check_free_cooling(c: CoolingConfig) -> None:
    """An air-cooled chiller has no free-cooling stage and a dry-cooler plant is one: a
    setting that says otherwise is refused (it used to be ignored)."""
    for name, loop in (("air", c.air), ("liquid", c.liquid)):
        if c.plant == "air_cooled_chillers" and loop.economizer:
            msg = (
                f"cooling.{name}.economizer = true: air-cooled chillers have no free-cooling "
                "stage; an air-cooled chiller with a free-cooling coil is "
                "cooling.plant = 'dry_coolers' (or set the economizer to false)"
            )
            raise ScenarioError(msg)
        if c.plant in ("dry_coolers", "adiabatic_coolers") and loop.economizer is False:
            msg = (
                f"cooling.{name}.economizer = false: the coolers of "
                f"cooling.plant = '{c.plant}' are its free-cooling stage; for chillers "
                "alone choose cooling.plant = 'air_cooled_chillers'"
            )
            raise ScenarioError(msg)


def check_plant(c: CoolingConfig) -> None:
    """Set points make sense; chiller curve sets exist and suit their condenser.

    The air loop's chilled water must be colder than the inlet it holds: a coil cannot
    cool air below the water that feeds it (before this check, ``cooling.air.t_supply_c
    = 40`` ran, with a better PUE, a hall no plant could hold).
    """
    if not c.air.t_supply_c < c.t_inlet_setpoint_c:
        msg = (
            f"cooling.air.t_supply_c = {c.air.t_supply_c} °C must be below "
            f"cooling.t_inlet_setpoint_c = {c.t_inlet_setpoint_c} °C: chilled water at or "
            "above the inlet set point cannot hold it"
        )
        raise ScenarioError(msg)
    _check_free_cooling(c)
    check_dry_cooler_design(c)
    check_cdu_design(c)
    names = list_chillers()
    for key, name in (
        ("cooling.air.chiller", c.air.chiller),
        ("cooling.liquid.chiller", c.liquid.chiller),
        ("cooling.air_cooled_chiller", c.air_cooled_chiller),
    ):
        if name not in names:
            msg = f"{key} = {name!r} is not a known curve set; choose one of {names}"
            raise ScenarioError(msg)
    if load_chiller(c.air_cooled_chiller)["condenser"] != "air":
        air_sets = [n for n in names if load_chiller(n)["condenser"] == "air"]
        msg = (
            f"cooling.air_cooled_chiller = {c.air_cooled_chiller!r} is a water-cooled set; "
            f"choose an air-cooled one: {air_sets}"
        )
        raise ScenarioError(msg)


def check_cdu_design(c: CoolingConfig) -> None:
    """The CDU exchanger's design point must obey the second law (:mod:`kernels.cdu`).

    At design the rack coolant enters the CDU ``cdu_approach_k`` + its own rise across the
    racks (``1 kW / (ρ c_p · cdu_flow_lpm_per_kw)``) above the facility-water supply, and
    the facility water leaves ``cooling.liquid.dt_k`` above it: in counter-flow the
    facility water cannot leave warmer than the rack coolant enters.
    """
    if c.cdu_approach_k <= 0.0:
        return
    tcs_rise_k = 1e3 / (WATER_DENSITY_KG_M3 * WATER_CP_J_KG_K * c.cdu_flow_lpm_per_kw / 60e3)
    if c.cdu_approach_k + tcs_rise_k <= c.liquid.dt_k:
        msg = (
            f"cooling.cdu_approach_k = {c.cdu_approach_k} K must exceed "
            f"{c.liquid.dt_k - tcs_rise_k:.2f} K (cooling.liquid.dt_k less the rack "
            "coolant's rise at cooling.cdu_flow_lpm_per_kw), or be 0 for no exchanger: the "
            "facility water cannot leave the CDU warmer than the rack coolant enters it"
        )
        raise ScenarioError(msg)


def check_dry_cooler_design(c: CoolingConfig) -> None:
    """A dry cooler's design point must obey the second law.

    At design the air rises by ``DRY_COOLER_AIR_DT_K`` (10 K) and the fluid enters
    ``dry_cooler_approach_k`` + the loop's range above the entering air: the air can
    never leave warmer than the fluid enters, so that sum must exceed the air rise
    (:func:`kernels.drycooler.dry_cooler_design_ua_w_k`).
    """
    if c.plant not in ("dry_coolers", "adiabatic_coolers"):
        return
    for key, loop in (("cooling.air.dt_k", c.air), ("cooling.liquid.dt_k", c.liquid)):
        if c.dry_cooler_approach_k + loop.dt_k <= DRY_COOLER_AIR_DT_K:
            msg = (
                f"cooling.dry_cooler_approach_k + {key} = "
                f"{c.dry_cooler_approach_k + loop.dt_k} K must exceed the dry coolers' "
                f"{DRY_COOLER_AIR_DT_K} K design air rise: the air cannot leave the coil "
                "warmer than the fluid enters it"
            )
            raise ScenarioError(msg)
