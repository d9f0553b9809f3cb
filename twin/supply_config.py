"""Scenario sections of the supply side added with the dispatch work: ``power``
(dispatch policy), ``wind`` (on-site wind farm) and ``ppa`` (off-site
renewable supply wheeled over the grid). Same conventions as
:mod:`twin.scenario`: strict, frozen, extra keys forbidden, units in names.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PPAConfig", "PowerConfig", "WindConfig"]


class _SupplyModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, strict=True)


class WindConfig(_SupplyModel):
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
            "ridges (e.g. 8-11 m/s at the Tétouan farms, MOROCCO.md): the hourly speeds "
            "are scaled to this mean, keeping their shape. Also used by a wind PPA."
        ),
    )


class PPAConfig(_SupplyModel):
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
    price_mad_per_kwh: float = Field(
        0.46, ge=0, le=100, description="PPA energy price [MAD/kWh] (Noor IV PV tariff, 2017)."
    )
    wheeling_mad_per_kwh: float = Field(
        0.10,
        ge=0,
        le=100,
        description="Grid-use (wheeling) fee [MAD/kWh] (assumed: no published figure found).",
    )


class PowerConfig(_SupplyModel):
    dispatch: Literal[
        "self_consumption", "tou_arbitrage", "peak_shaving", "carbon_aware", "optimal"
    ] = Field(
        "self_consumption",
        description="Battery dispatch policy (twin/dispatch.py); `optimal` is the "
        "perfect-foresight least-cost linear program (twin/optimal.py).",
    )
    peak_target_mw: float = Field(
        0.0,
        ge=0,
        le=100_000,
        description="Grid import target of `peak_shaving` [MW]; 0 = the mean net load.",
    )
