"""The supply side: ``[pv]``, ``[battery]``, ``[grid]`` (with ``[grid.tariff]``), ``[genset]``,
``[ups]`` and ``[power]`` (dispatch policy); ``[wind]`` and ``[ppa]`` are in
:mod:`twin.scenario.wind`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from twin.errors import ScenarioError
from twin.scenario.base import Section


class PVConfig(Section):
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
    anti_islanding: bool = Field(
        True,
        description="PV inverters stop within 2 s when the grid is lost (IEEE 1547-2018 "
        "§8.1, tested by IEC 62116) and run again only behind a grid-forming battery "
        "or a genset on line; false: PV keeps feeding an islanded bus.",
    )


class BatteryConfig(Section):
    energy_mwh: float = Field(
        20.0,
        ge=0,
        le=100_000,
        description="Nominal (nameplate) energy [MWh] (assumption); the state of charge "
        "stays within [soc_min, soc_max] of it, so the usable energy is (soc_max - soc_min) "
        "x this. Old name `capacity_mwh` is still accepted.",
    )
    power_mw: float = Field(
        10.0,
        ge=0,
        le=100_000,
        description="Power limit, charge and discharge [MW]; derived from energy_mwh when "
        "duration_h > 0.",
    )
    duration_h: float = Field(
        0.0,
        ge=0,
        le=1000,
        description="Duration at full power [h]: when > 0, power_mw = energy_mwh / duration_h "
        "(any power_mw given is replaced), which ties power to energy in a sweep over "
        "energy_mwh; 0 = power_mw as given.",
    )
    eta_charge: float = Field(
        0.90, gt=0, le=1, description="Charge efficiency [-] (NREL ATB; typical split 0.90 × 0.98)."
    )
    eta_discharge: float = Field(0.98, gt=0, le=1, description="Discharge efficiency [-].")
    soc_min: float = Field(
        0.0, ge=0, le=1, description="Minimum state of charge, share of the nominal energy [-]."
    )
    soc_max: float = Field(
        1.0, ge=0, le=1, description="Maximum state of charge, share of the nominal energy [-]."
    )
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
    grid_forming: bool = Field(
        True,
        description="The battery inverter forms the bus when the grid is lost (an "
        "intentional island, IEEE 1547-2018 §8.2), so PV keeps running behind it "
        "(assumed true: a campus battery meant to carry outages is specified grid-forming); "
        "false: the battery, like PV, runs in an outage only behind a genset on line.",
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

    @model_validator(mode="before")
    @classmethod
    def _power_from_duration(cls, data: Any) -> Any:
        """``duration_h > 0``: the power limit is the energy over that duration."""
        if not isinstance(data, dict):
            return data
        hours = data.get("duration_h", 0.0)
        if isinstance(hours, int | float) and not isinstance(hours, bool) and hours > 0:
            energy = data.get("energy_mwh", data.get("capacity_mwh"))
            if energy is None:
                energy = cls.model_fields["energy_mwh"].default
            if isinstance(energy, int | float) and not isinstance(energy, bool):
                data = {**data, "power_mw": float(energy) / float(hours)}
        return data

    @property
    def capacity_mwh(self) -> float:
        """Old name of :attr:`energy_mwh`."""
        return self.energy_mwh


class TariffConfig(Section):
    """One ONEE option, as billed: THT "tres longue utilisation" (over about 6,000 h/yr of
    use of the subscribed power, the data-centre profile). Sources in
    ``twin/results/tariff.py``; prices exclude VAT."""

    peak_mad_per_kwh: float = Field(
        0.7833,
        ge=0,
        le=100,
        description="Peak ('heures de pointe') energy price [MAD/kWh] (ONEE THT 'tres longue "
        "utilisation', 2017 grid; LOW source, see twin/results/tariff.py).",
    )
    full_mad_per_kwh: float = Field(
        0.6473,
        ge=0,
        le=100,
        description="Full-hours ('heures pleines') price [MAD/kWh] (same option and source).",
    )
    offpeak_mad_per_kwh: float = Field(
        0.6077,
        ge=0,
        le=100,
        description="Off-peak ('heures creuses') price [MAD/kWh] (same option and source).",
    )
    peak_start_h: int = Field(17, ge=0, le=23, description="Peak window start, local [h].")
    peak_end_h: int = Field(22, ge=1, le=24, description="Peak window end, local [h].")
    offpeak_start_h: int = Field(22, ge=0, le=23, description="Off-peak start, local [h].")
    offpeak_end_h: int = Field(7, ge=0, le=24, description="Off-peak end, local [h].")
    premium_mad_per_kva_yr: float = Field(
        2128.60,
        ge=0,
        le=1e5,
        description="Fixed premium on the subscribed power [MAD/kVA/yr], billed by twelfths "
        "(ONEE THT 'tres longue utilisation' from January 2017, L'Economiste 2014-07-30).",
    )
    subscribed_kva: float = Field(
        0.0,
        ge=0,
        le=1e8,
        description="Subscribed power ('puissance souscrite') [kVA]; 0 = the run's own peak "
        "apparent import (the smallest subscription with no overrun). Monthly peaks above "
        "it pay the ONEE overrun charge.",
    )
    power_factor: float = Field(
        0.99,
        gt=0,
        le=1,
        description="Site power factor cos(phi) [-]: kVA = kW / cos(phi) for the premium and "
        "the overrun; below 0.8 the bill is raised (assumed 0.99: input power factor of "
        "double-conversion UPS rectifiers, manufacturers' data sheets).",
    )
    vat_frac: float = Field(
        0.14,
        ge=0,
        le=1,
        description="VAT on the electricity bill [-], reported apart (energy_vat_mad), not "
        "in the costs: a VAT-registered operator deducts it (14 %, see twin/results/tariff.py).",
    )
    export_mad_per_kwh: float = Field(0.0, ge=0, le=100, description="Export price [MAD/kWh].")
    summer_shift_h: int = Field(
        1,
        ge=0,
        le=3,
        description="Windows move this much later in April-September [h] "
        "(assumed; weather/data/morocco_grid.toml).",
    )


def check_subscription(grid: GridConfig) -> None:
    """The subscribed power cannot exceed what the connection can carry."""
    t = grid.tariff
    cap_kva = grid.import_limit_mw * 1e3 / t.power_factor
    if t.subscribed_kva > cap_kva * (1 + 1e-9):
        msg = (
            f"grid.tariff.subscribed_kva = {t.subscribed_kva:g} kVA is above the connection, "
            f"grid.import_limit_mw / grid.tariff.power_factor = {cap_kva:g} kVA; allowed range "
            f"[0, {cap_kva:g}] (0 = the run's peak import)"
        )
        raise ScenarioError(msg)


class GridConfig(Section):
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
    carbon_basis: Literal["lifecycle", "combustion"] = Field(
        "lifecycle",
        description="One carbon basis for grid and diesel alike: life-cycle (IPCC AR5 "
        "Annex III life-cycle medians; diesel combustion + upstream) or combustion "
        "(direct emissions only). Default life-cycle: the published Moroccan mean "
        "(551 g/kWh) is life-cycle (weather/data/morocco_grid.toml).",
    )
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


class GensetConfig(Section):
    capacity_mw: float = Field(50.0, ge=0, le=100_000, description="Rated power [MW].")
    start_delay_s: float = Field(
        10.0, ge=0, le=3600, description="Start and transfer [s] (NFPA 110 level 1: 10 s)."
    )
    co2_kg_per_kwh: float = Field(
        0.70,
        ge=0,
        le=5,
        description="Combustion emission factor [kgCO2e/kWh]: ≈0.26 L/kWh at full load "
        "x 2.685 kgCO2e/L (IPCC 2006); upstream added on the life-cycle basis.",
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
        0.01508,
        ge=0,
        le=1,
        description="Fuel curve no-load term [L/h per kW rated]: least-squares line through "
        "the 2 MW row of the dealers' diesel fuel chart (162 / 273 / 392 / 537 L/h at 25 / 50 "
        "/ 75 / 100 % load; e.g. hardydiesel.com, eventpower.ca), a MW-class set; HOMER's "
        "default 0.08145 is for small sets.",
    )
    fuel_slope_l_per_kwh: float = Field(
        0.2488,
        ge=0,
        le=2,
        description="Fuel curve slope [L/kWh]: the same fit (HOMER default 0.246).",
    )
    co2_kg_per_l: float = Field(
        2.685,
        ge=0,
        le=5,
        description="Diesel combustion CO2e [kg/L] (IPCC 2006 Vol. 2 Tables 1.2 and 2.2, "
        "0.84 kg/L); the upstream 0.627 kg/L (UK GHG conversion factors 2025, WTT) is "
        "added on the life-cycle basis.",
    )
    start_failure_prob: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Probability that the gensets fail to start at an outage [-] "
        "(off by default: no Moroccan figure; IEEE 493 Gold Book tabulates start failures).",
    )


class UPSConfig(Section):
    autonomy_min: float = Field(
        5.0, ge=0, le=600, description="UPS battery autonomy at design IT power [min] (assumption)."
    )
    carries_cooling: bool = Field(
        False,
        description="The cooling plant is on the UPS output: in an outage it keeps running "
        "on the UPS battery until the genset is on line (or the UPS battery is empty), "
        "instead of stopping until the genset starts.",
    )
    carries_liquid_pumps: bool = Field(
        True,
        description="The liquid loop's CDU and facility-water pumps are on the UPS output: "
        "while the cooling plant has no power the loop keeps flowing on the UPS battery "
        "(which carries the pumps and their UPS losses) and its water takes up the liquid-"
        "cooled IT's heat. False: the pumps stop with the plant; with no coolant flow the "
        "liquid-cooled IT trips at once (assumption) until the plant has power again.",
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


class PowerConfig(Section):
    dispatch: Literal[
        "self_consumption", "tou_arbitrage", "peak_shaving", "carbon_aware", "optimal"
    ] = Field(
        "self_consumption",
        description="Battery dispatch policy (twin/sim/signals.py); `tou_arbitrage` charges "
        "from the grid only on days whose price spread pays the round trip and the battery "
        "wear; `optimal` is the perfect-foresight least-cost linear program with wear, the "
        "premium or overrun, transformer losses and known outages (twin/sim/optimum.py).",
    )
    peak_target_mw: float = Field(
        0.0,
        ge=0,
        le=100_000,
        description="Grid import target of `peak_shaving` [MW]; 0 = automatic: with the "
        "premium on the run's own peak, the target that saves the most premium net of "
        "battery wear and losses; with a fixed subscription, the lowest target the battery "
        "can hold.",
    )
