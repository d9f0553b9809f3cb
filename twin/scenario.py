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
import math
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from twin.errors import ScenarioError
from twin.plantlib import list_chillers, load_chiller
from twin.supply_config import PowerConfig, PPAConfig, WindConfig
from twin.workload.config import JobClass, SchedulerConfig, check_workload, default_job_classes

STEPS_S = {"1h": 3600, "15min": 900, "1min": 60}
#: ``site.weather`` values that name a source rather than a file.
WEATHER_KEYWORDS = ("typical", "pvgis")
#: old ``--set`` keys still accepted -> their new names
RENAMED_KEYS = {"battery.capacity_mwh": "battery.energy_mwh"}


def pd_timedelta_s(text: str) -> float:
    """Seconds in a step written like ``1h``, ``15min``, ``1s`` (ValueError otherwise)."""
    import pandas as pd

    try:
        return float(pd.Timedelta(text).total_seconds())
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(text) from exc


#: ASHRAE TC 9.9 (2021) allowable inlet dry bulb, upper limits [°C].
ASHRAE_AIR_MAX_C = {"A1": 32.0, "A2": 35.0, "A3": 40.0, "A4": 45.0}
#: ASHRAE liquid-cooling facility-water classes: the number is the maximum
#: facility supply temperature [°C] (ASHRAE TC 9.9 Liquid Cooling Guidelines;
#: W17/W27 from the 2011 whitepaper; the 2021 bounds are to be confirmed).
ASHRAE_LIQUID_MAX_C = {"W17": 17.0, "W27": 27.0, "W32": 32.0, "W40": 40.0, "W45": 45.0}
#: ASHRAE TC 9.9 allowable inlet dry bulb, lower limits [°C] (Thermal Guidelines
#: for Data Processing Environments, 5th ed., 2021: A1 15-32, A2 10-35, A3 5-40,
#: A4 5-45 °C).
ASHRAE_AIR_MIN_C = {"A1": 15.0, "A2": 10.0, "A3": 5.0, "A4": 5.0}
#: ASHRAE TC 9.9 recommended inlet dry-bulb envelope, all air classes [°C] (same source).
ASHRAE_AIR_RECOMMENDED_C = (18.0, 27.0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True)


class SiteConfig(_Model):
    id: str = Field("casablanca", description="Built-in site id; `twin sites` lists them.")
    weather: str | None = Field(
        None,
        description="'typical' (or empty) for the site's offline typical year, 'pvgis' for "
        "the PVGIS typical year (online, cached on disk), or a weather file path (EPW, "
        "TMY3, PVGIS CSV; relative to the scenario file).",
    )
    year: int = Field(2023, ge=1950, le=2100, description="Calendar year of the time axis.")
    warming_c: float = Field(
        0.0,
        ge=-6,
        le=6,
        description="Climate what-if: dry bulb + warming at constant RH [K] (Belcher 2005 shift).",
    )
    subhourly: Literal["interpolate", "variability"] = Field(
        "interpolate",
        description="15 min / 1 min weather: linear interpolation of the hourly values, or "
        "stochastic cloud variability conserving each hour's irradiation (weather.subhourly).",
    )


class SimulationConfig(_Model):
    step: Literal["1h", "15min", "1min"] = Field("1h", description="Kernel time step.")
    days: int = Field(365, ge=1, le=366, description="Simulated horizon from 1 January [d].")
    seed: int = Field(42, ge=0, le=2**32 - 1, description="Seed of every random draw.")

    @model_validator(mode="before")
    @classmethod
    def _refuse_impossible_horizon(cls, data: Any) -> Any:
        """Name the memory a horizon beyond one year would need, before range checks."""
        if not isinstance(data, dict):
            return data
        days, step = data.get("days"), data.get("step", "1h")
        if isinstance(days, bool) or not isinstance(days, int | float) or not days > 366:
            return data
        from twin.limits import describe_bytes, run_bytes

        try:
            step_s = float(pd_timedelta_s(str(step)))
        except ValueError:
            step_s = 3600.0
        if not math.isfinite(days) or step_s <= 0:
            need = "an unbounded amount of memory"
        else:
            need = f"about {describe_bytes(run_bytes(days * 86400.0 / step_s))}"
        raise PydanticCustomError(
            "horizon_too_long",
            "simulation.days = {days} is outside [1, 366] d: one run covers at most a year "
            "(sweep weather years for longer studies); {days} d at {step} would need {need}",
            {"days": days, "step": step, "need": need},
        )


class RackGroup(_Model):
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


class ITConfig(_Model):
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


class LoopConfig(_Model):
    t_supply_c: float = Field(..., ge=4, le=45, description="Water supply set point [°C].")
    dt_k: float = Field(6.0, ge=2, le=20, description="Design return - supply [K].")
    chiller: str = Field("york_yt_1125_vsd", description="Chiller curve set (data file).")
    chiller_unit_kw: float = Field(
        3500.0, gt=0, le=20_000, description="Capacity of one chiller [kW]."
    )
    redundancy: int = Field(1, ge=0, le=10, description="Spare chillers (N+x) [-].")
    economizer: bool = Field(True, description="Integrated water-side economizer.")
    hx_approach_k: float = Field(2.0, ge=0.5, le=10, description="Economizer HX approach [K].")
    tower_range_k: float = Field(
        5.6, ge=1.1, le=22.2, description="Tower design range [K] (EnergyPlus IDD default)."
    )
    storage_m3: float = Field(
        0.0,
        ge=0,
        le=100_000,
        description="Chilled-water storage tank on this loop [m³] (ride-through only).",
    )


class CoolingConfig(_Model):
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
        description="Coolant inventory of the liquid loop per kW of liquid heat [L/kW].",
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


class PVConfig(_Model):
    capacity_mwp: float = Field(20.0, ge=0, le=10_000, description="DC nameplate [MWp].")
    tilt_deg: float = Field(25.0, ge=0, le=90, description="Module tilt [deg].")
    azimuth_deg: float = Field(180.0, ge=0, lt=360, description="Azimuth, 180 = south [deg].")
    tracking: Literal["fixed", "single_axis"] = Field("fixed", description="Mounting.")
    dc_ac_ratio: float = Field(
        1.1, ge=0.5, le=3.0, description="DC/AC ratio [-] (PVWatts v5 default 1.1)."
    )
    losses_frac: float = Field(
        0.1408, ge=0, le=0.99, description="System losses [-] (PVWatts v5 default 14.08 %)."
    )
    soiling_frac: float = Field(
        0.0, ge=0, le=0.99, description="Soiling beyond the system losses [-]."
    )
    inverter_efficiency: float = Field(
        0.96, ge=0.5, le=1.0, description="Nominal inverter efficiency [-] (PVWatts default 0.96)."
    )
    soiling_model: Literal["none", "kimber"] = Field(
        "none",
        description="Dust model: none (only losses_frac) or kimber (Kimber 2006, Moroccan "
        "dust rate; weather.pvplant.KIMBER_MOROCCO).",
    )
    cleaning_interval_days: float = Field(
        0.0, ge=0, le=3650, description="Scheduled washing every N days, 0 = never [d]."
    )
    degradation_frac_per_year: float = Field(
        0.005, ge=0, le=0.1, description="Linear degradation [1/yr] (Jordan & Kurtz 2013 median)."
    )
    age_years: float = Field(0.0, ge=0, le=60, description="Plant age at the scenario year [yr].")
    bifaciality: float = Field(
        0.0, ge=0, le=1, description="Rear/front efficiency, 0 = monofacial [-]."
    )
    gcr: float = Field(0.35, ge=0.1, le=0.9, description="Ground coverage ratio [-] (assumption).")


class BatteryConfig(_Model):
    energy_mwh: float = Field(
        20.0,
        ge=0,
        le=100_000,
        description="Usable energy [MWh] (assumption). Old name `capacity_mwh` is still accepted.",
    )
    power_mw: float = Field(10.0, ge=0, le=100_000, description="Power limit [MW].")
    eta_charge: float = Field(
        0.90, gt=0, le=1, description="Charge efficiency [-] (NREL ATB; typical split 0.90 × 0.98)."
    )
    eta_discharge: float = Field(0.98, gt=0, le=1, description="Discharge efficiency [-].")
    soc_min: float = Field(0.0, ge=0, le=1, description="Minimum state of charge [-].")
    soc_max: float = Field(1.0, ge=0, le=1, description="Maximum state of charge [-].")
    soc_init: float = Field(0.5, ge=0, le=1, description="Initial state of charge [-].")

    cycle_life: float = Field(
        6000.0,
        gt=0,
        le=1e6,
        description="Cycles to end of life at 80 % depth of discharge [-] "
        "(assumed LFP; NREL ATB 2024 utility-scale battery storage).",
    )
    dod_exponent: float = Field(
        1.5,
        ge=0.5,
        le=3,
        description="Exponent k of the cycle-life curve N(DoD) = N80 (0.8/DoD)^k [-] (assumed).",
    )
    calendar_fade_per_yr: float = Field(
        0.01,
        ge=0,
        le=0.2,
        description="Calendar capacity fade [1/yr] (assumed; NREL ATB battery lifetime).",
    )
    end_of_life_fade: float = Field(
        0.2,
        gt=0,
        le=1,
        description="Capacity fade at end of life [-] (80 % remaining, common warranty).",
    )

    @model_validator(mode="before")
    @classmethod
    def _old_name(cls, data: Any) -> Any:
        """Accept ``capacity_mwh``, the name before ``energy_mwh``."""
        if isinstance(data, dict) and "capacity_mwh" in data:
            data = dict(data)
            old = data.pop("capacity_mwh")
            if "energy_mwh" in data and data["energy_mwh"] != old:
                msg = "give battery.energy_mwh or its old name battery.capacity_mwh, not both"
                raise ValueError(msg)
            data["energy_mwh"] = old
        return data

    @property
    def capacity_mwh(self) -> float:
        """Old name of :attr:`energy_mwh`."""
        return self.energy_mwh


class TariffConfig(_Model):
    peak_mad_per_kwh: float = Field(
        1.2039,
        ge=0,
        le=100,
        description="Peak energy price [MAD/kWh] (ONEE HT 'moyenne utilisation', 2017).",
    )
    full_mad_per_kwh: float = Field(
        1.117,
        ge=0,
        le=100,
        description="Full-hours price [MAD/kWh] (placeholder: all-in business average 2024).",
    )
    offpeak_mad_per_kwh: float = Field(
        0.85,
        ge=0,
        le=100,
        description="Off-peak price [MAD/kWh] (placeholder, not found; assumed).",
    )
    peak_start_h: int = Field(17, ge=0, le=23, description="Peak window start, local [h].")
    peak_end_h: int = Field(22, ge=1, le=24, description="Peak window end, local [h].")
    offpeak_start_h: int = Field(22, ge=0, le=23, description="Off-peak start, local [h].")
    offpeak_end_h: int = Field(7, ge=0, le=24, description="Off-peak end, local [h].")
    premium_mad_per_kva_yr: float = Field(
        2128.60, ge=0, le=1e5, description="Fixed premium [MAD/kVA/yr] (ONEE HT)."
    )
    export_mad_per_kwh: float = Field(0.0, ge=0, le=100, description="Export price [MAD/kWh].")
    summer_shift_h: int = Field(
        1,
        ge=0,
        le=3,
        description="Windows move this much later in April-September [h] "
        "(assumed; weather/data/morocco_grid.toml).",
    )


class GridConfig(_Model):
    import_limit_mw: float = Field(60.0, ge=0, le=100_000, description="Import capacity [MW].")
    export_limit_mw: float = Field(0.0, ge=0, le=100_000, description="Export capacity [MW].")
    carbon_g_per_kwh: float = Field(
        551.0, ge=0, le=2000, description="Grid carbon intensity [gCO2/kWh] (LowCarbonPower 2024)."
    )
    carbon_free_frac: float = Field(
        0.26,
        ge=0,
        le=1,
        description="Carbon-free share of grid supply [-] (low-carbon ~26 % in 2024).",
    )
    tariff: TariffConfig = Field(default_factory=TariffConfig)
    carbon_profile: Literal["hourly", "flat"] = Field(
        "hourly",
        description="Hourly (month x hour) intensity and carbon-free share built from the "
        "2024 mix (weather/data/morocco_grid.toml), scaled to the two means above; "
        "or flat at the means.",
    )
    export_share_max: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Law 82-21: cap on exported energy as a share of on-site production, "
        "cumulative over the run [-]; 0.2 per the law's rule (Le360 2025), "
        "1 = no cap (default, the cap depends on the authorisation).",
    )
    transformer_mva: float = Field(
        0.0,
        ge=0,
        le=100_000,
        description="Grid (HV/MV) transformer rating [MVA]; 0 = losses not modelled (default).",
    )
    transformer_noload_frac: float = Field(
        0.0005,
        ge=0,
        le=0.05,
        description="Transformer no-load loss / rating [-] (assumed, IEC 60076-1 loss model; "
        "order of EU 548/2014 Tier-2 large power transformers).",
    )
    transformer_load_loss_frac: float = Field(
        0.004,
        ge=0,
        le=0.05,
        description="Transformer load loss at rated power / rating [-] (assumed, same basis).",
    )


class GensetConfig(_Model):
    capacity_mw: float = Field(50.0, ge=0, le=100_000, description="Rated power [MW].")
    start_delay_s: float = Field(
        10.0, ge=0, le=3600, description="Start and transfer [s] (NFPA 110 level 1: 10 s)."
    )
    co2_kg_per_kwh: float = Field(
        0.70,
        ge=0,
        le=5,
        description="Emission factor [kgCO2/kWh]: "
        "≈0.26 L/kWh at full load x 2.70 kgCO2/L diesel (US EPA).",
    )
    fuel_curve: bool = Field(
        True,
        description="CO2 from the fuel curve (below) x co2_kg_per_l instead of co2_kg_per_kwh.",
    )
    unit_mw: float = Field(
        2.5, gt=0, le=100, description="Rating of one genset unit [MW] (assumed, ~2.5 MW DC sets)."
    )
    min_load_frac: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Minimum load of a running unit [-] (HOMER default minimum load ratio 25 %).",
    )
    fuel_intercept_l_per_h_per_kw: float = Field(
        0.08145,
        ge=0,
        le=1,
        description="Fuel curve no-load term [L/h per kW rated] (HOMER default intercept).",
    )
    fuel_slope_l_per_kwh: float = Field(
        0.246, ge=0, le=2, description="Fuel curve slope [L/kWh] (HOMER default slope)."
    )
    co2_kg_per_l: float = Field(
        2.70,
        ge=0,
        le=5,
        description="Diesel CO2 [kg/L] (US EPA: 10.21 kg CO2 per US gallon = 2.70 kg/L).",
    )
    start_failure_prob: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Probability that the gensets fail to start at an outage [-] "
        "(off by default: no Moroccan figure; IEEE 493 Gold Book tabulates start failures).",
    )


class UPSConfig(_Model):
    autonomy_min: float = Field(
        5.0, ge=0, le=600, description="UPS battery autonomy at design IT power [min] (assumption)."
    )
    recharge_h: float = Field(
        2.0,
        gt=0,
        le=100,
        description="Time to recharge the UPS battery from empty [h] (assumption).",
    )
    efficiency_curve: bool = Field(
        False,
        description="Load-dependent UPS losses (no-load + proportional + square-law, "
        "APC/Schneider WP 113) instead of it.ups_efficiency.",
    )
    loss_noload_frac: float = Field(
        0.015, ge=0, le=0.2, description="No-load loss / UPS rating [-] (assumed)."
    )
    loss_proportional_frac: float = Field(
        0.02, ge=0, le=0.2, description="Loss proportional to load / load [-] (assumed)."
    )
    loss_square_frac: float = Field(
        0.005, ge=0, le=0.2, description="Square-law loss at rated load / rating [-] (assumed)."
    )


class FaultsConfig(_Model):
    grid_outages_per_year: float = Field(
        2.0,
        ge=0,
        le=1000,
        description="Poisson rate of grid outages [1/yr] (no SAIDI/SAIFI published).",
    )
    grid_outage_mean_h: float = Field(1.0, gt=0, le=720, description="Mean outage [h].")
    chiller_failures_per_year: float = Field(
        0.5, ge=0, le=100, description="Failures per chiller [1/yr]."
    )
    chiller_repair_mean_h: float = Field(24.0, gt=0, le=8760, description="Mean repair [h].")


class Scenario(_Model):
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
        weather = (
            data.get("site", {}).get("weather") if isinstance(data.get("site"), dict) else None
        )
        if (
            base_dir is not None
            and isinstance(weather, str)
            and weather
            and weather not in WEATHER_KEYWORDS
        ):
            path = Path(weather).expanduser()
            if not path.is_absolute():
                data["site"]["weather"] = str((base_dir / path).resolve())
        it = data.get("it")
        trace = it.get("trace_file") if isinstance(it, dict) else None
        if base_dir is not None and isinstance(it, dict) and isinstance(trace, str) and trace:
            if not Path(trace).expanduser().is_absolute():
                it["trace_file"] = str((base_dir / Path(trace).expanduser()).resolve())
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

        _check_plant(self.cooling)

    @property
    def dt_s(self) -> int:
        return STEPS_S[self.simulation.step]

    @property
    def n_steps(self) -> int:
        return self.simulation.days * 86400 // self.dt_s


def _check_plant(c: CoolingConfig) -> None:
    """Chiller curve sets exist and suit their condenser (water or air)."""
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


# ---------------------------------------------------------------------------
def _parse_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_assignment(data: dict[str, Any], item: str) -> None:
    """Apply one ``dotted.key=value`` to a scenario dict, checking the key exists."""
    if "=" not in item:
        msg = f"--set {item!r}: expected KEY=VALUE, e.g. pv.capacity_mwp=20"
        raise ScenarioError(msg)
    key, _, raw = item.partition("=")
    key = RENAMED_KEYS.get(key.strip(), key.strip())
    parts = key.split(".")
    if not key or any(not p for p in parts):
        msg = f"--set {item!r}: empty key"
        raise ScenarioError(msg)
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = ".".join(parts[: depth + 1])
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                msg = f"unknown key {where!r}: index must be 0..{len(node) - 1}"
                raise ScenarioError(msg)
            idx = int(part)
            if last:
                node[idx] = _parse_value(raw.strip())
            node = node[idx]
        elif isinstance(node, dict):
            if part not in node:
                allowed = ", ".join(sorted(node))
                msg = f"unknown key {where!r}; allowed here: {allowed}"
                raise ScenarioError(msg)
            if last:
                node[part] = _parse_value(raw.strip())
            node = node[part]
        else:
            msg = f"unknown key {where!r}: {'.'.join(parts[:depth])} has no sub-keys"
            raise ScenarioError(msg)


def _field_info(model: type[BaseModel], loc: tuple[Any, ...]):
    """Walk a pydantic model tree along an error location to its FieldInfo."""
    info = None
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        ann = info.annotation
        args = getattr(ann, "__args__", ())
        current = next(
            (a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)), ann
        )
    return info


def _bounds(info) -> tuple[str, str, str]:
    lo, hi, lo_b, hi_b = "-inf", "inf", "[", "]"
    for m in getattr(info, "metadata", []):
        for attr, is_lo, bracket in (
            ("ge", True, "["),
            ("gt", True, "("),
            ("le", False, "]"),
            ("lt", False, ")"),
        ):
            val = getattr(m, attr, None)
            if val is not None:
                if is_lo:
                    lo, lo_b = f"{val:g}", bracket
                else:
                    hi, hi_b = f"{val:g}", bracket
    unit = ""
    desc = getattr(info, "description", "") or ""
    if "[" in desc and "]" in desc:
        unit = " " + desc[desc.rindex("[") + 1 : desc.rindex("]")]
        if unit.strip() == "-":
            unit = ""
    return f"{lo_b}{lo}, {hi}{hi_b}", unit, desc


def format_validation_error(exc: ValidationError, model: type[BaseModel]) -> str:
    """One line per problem: field, value, and what is allowed."""
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "scenario"
        value = err.get("input")
        kind = err["type"]
        info = _field_info(model, loc)
        if kind == "extra_forbidden":
            parent = _field_info(model, loc[:-1]) if len(loc) > 1 else None
            sub = (
                model
                if parent is None
                else next(
                    (
                        a
                        for a in (parent.annotation, *getattr(parent.annotation, "__args__", ()))
                        if isinstance(a, type) and issubclass(a, BaseModel)
                    ),
                    None,
                )
            )
            allowed = ", ".join(sorted(sub.model_fields)) if sub else ""
            lines.append(f"unknown key {field!r}; allowed here: {allowed}")
        elif (
            kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal") and info
        ):
            rng, unit, _ = _bounds(info)
            lines.append(f"{field} = {value!r} is outside {rng}{unit}")
        elif kind == "literal_error":
            lines.append(f"{field} = {value!r} is not one of {err['ctx']['expected']}")
        elif kind == "value_error":
            lines.append(f"{field} = {value!r}: {err.get('ctx', {}).get('error', err['msg'])}")
        elif kind == "horizon_too_long":
            lines.append(err["msg"])
        elif kind == "missing":
            lines.append(f"{field} is required")
        else:
            lines.append(f"{field} = {value!r}: {err['msg']}")
    return "; ".join(lines)
