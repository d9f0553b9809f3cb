"""``[wind]`` (on-site wind farm) and ``[ppa]`` (off-site renewable PPA) of a scenario.

A farm of the catalogue (:mod:`weather.windfarms`) brings its own site, turbine, hub
height and a wind calibrated to its published capacity factor; without one, the wind
is the data center's site weather with the ``[wind]`` keys.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from twin.scenario.base import Section


class WindConfig(Section):
    capacity_mw: float = Field(0.0, ge=0, le=100_000, description="Installed wind capacity [MW].")
    turbine: str = Field(
        "SWT113/2300",
        description="Turbine type of windpowerlib's oedb library (default: Siemens 2.3 MW "
        "class, as at Tarfaya).",
    )
    hub_height_m: float = Field(80.0, ge=10, le=250, description="Hub height [m].")
    losses_frac: float = Field(
        0.10, ge=0, le=0.9, description="Wake + electrical + availability losses [-] (assumed)."
    )
    mean_speed_10m_m_s: float = Field(
        0.0,
        ge=0,
        le=20,
        description=(
            "Annual mean wind speed at 10 m of the farm's site [m/s]; 0 = the site's "
            "weather as it is. Station winds (airports) are often far below wind-farm "
            "ridges (e.g. 8-11 m/s at the Tétouan farms, docs/morocco.md): the hourly speeds "
            "are scaled to this mean, keeping their shape. Also used by a wind PPA "
            "without `ppa.wind_farm`. Ignored when `farm` is set."
        ),
    )
    farm: str = Field(
        "",
        description="Wind farm of the catalogue (weather/data/wind_farms.toml: tarfaya, "
        "akhfennir, foum_el_oued, koudia_al_baida, amogdoul, dakhla) whose site, turbine, "
        "hub height and calibrated wind (matching its published capacity factor) the farm "
        "uses; '' = the wind of the data center's site with the keys above.",
    )

    @field_validator("farm")
    @classmethod
    def _known_farm(cls, value: str) -> str:
        return _check_farm(value)


def _check_farm(value: str) -> str:
    """A farm id of :mod:`weather.windfarms` (lowercase), or ''; ValueError naming them."""
    from weather.windfarms import UnknownFarmError, get_farm

    value = str(value).strip().lower()
    if value:
        try:
            get_farm(value)
        except UnknownFarmError as exc:
            raise ValueError(str(exc.args[0])) from None
    return value


class PPAConfig(Section):
    capacity_mw: float = Field(
        0.0,
        ge=0,
        le=100_000,
        description="Off-site renewable PPA wheeled over the grid [MW] (laws 13-09 / 82-21); "
        "0 = none (default: terms depend on the contract).",
    )
    profile: Literal["pv", "wind"] = Field(
        "pv", description="Shape of the contracted supply: the site's PV or wind profile."
    )
    wind_farm: str = Field(
        "",
        description='For `profile = "wind"`: the contracted farm of the catalogue '
        "(as `wind.farm`), with its own site, turbine and calibrated wind; '' = the data "
        "center's own wind with the `[wind]` keys.",
    )
    price_mad_per_kwh: float = Field(
        0.46, ge=0, le=100, description="PPA energy price [MAD/kWh] (Noor IV PV tariff, 2017)."
    )
    wheeling_mad_per_kwh: float = Field(
        0.10,
        ge=0,
        le=100,
        description="Grid-use (wheeling) fee [MAD/kWh] (assumed: no published figure found).",
    )
    certificates_mwh_per_yr: float = Field(
        0.0,
        ge=0,
        le=100_000_000,
        description="Renewable certificates of origin bought apart from any PPA [MWh/yr] "
        "(law 82-21, decree 2.24.761); they lower market-based CO2 and count in the "
        "renewable energy factor, never in location-based CO2. 0 = none.",
    )

    @field_validator("wind_farm")
    @classmethod
    def _known_farm(cls, value: str) -> str:
        return _check_farm(value)
