"""Catalogue of Moroccan wind farms, each calibrated to its published output.

A wind farm stands on a ridge or a coastal plateau, not at the airport whose
10 m station winds describe a data center's site: the Tétouan and Casablanca
station winds give a farm a capacity factor near 0.09 where the farms near
Tétouan and on the Saharan coast report 0.40-0.45. Each farm of
``weather/data/wind_farms.toml`` therefore carries its own place, the built-in
site whose typical year gives the hourly shape of its wind (the nearest one with
a wind record), its turbine and hub height, its published annual output as a
capacity factor with the source, and the annual mean 10 m speed that makes the
model (:mod:`weather.wind`: the site's wind scaled to that mean, an hourly
Weibull series drawn around it, the log profile to the hub, the power curve,
losses) reproduce that capacity factor. :func:`calibrate_speed` finds that speed
by bisection (``python -m weather.windfarms`` prints every farm's); the TOML
keeps the result and the tests check that it still reproduces the published
figure.

Each farm's synthetic wind is drawn with its own seed (:func:`farm_seed`, from
:data:`weather.WEATHER_SEED` and the farm's id), so two farms do not share one
random series.
"""

from __future__ import annotations

import tomllib
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

__all__ = [
    "FARM_LOSSES_FRAC",
    "UnknownFarmError",
    "WindFarm",
    "calibrate_speed",
    "farm_seed",
    "get_farm",
    "list_farms",
    "model_capacity_factor",
    "year_seed",
]

#: Wake, electrical and availability losses used for the calibration [-] (the
#: assumed default of :data:`weather.wind.FARM_LOSSES_FRAC`).
FARM_LOSSES_FRAC = 0.10


class UnknownFarmError(LookupError):
    """A farm id that is not in the catalogue."""


@dataclass(frozen=True)
class WindFarm:
    """One farm of the catalogue (units in the names; see the TOML for sources)."""

    id: str
    name: str
    lat: float
    lon: float
    site: str
    capacity_mw: float
    turbine: str
    hub_height_m: float
    capacity_factor: float
    cf_low: float
    cf_high: float
    mean_speed_10m_m_s: float
    source: str
    note: str


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, WindFarm]:
    text = resources.files("weather").joinpath("data/wind_farms.toml").read_text("utf-8")
    farms = {}
    for rec in tomllib.loads(text)["farm"]:
        farms[rec["id"]] = WindFarm(
            id=rec["id"],
            name=rec["name"],
            lat=float(rec["lat"]),
            lon=float(rec["lon"]),
            site=rec["site"],
            capacity_mw=float(rec["capacity_mw"]),
            turbine=rec["turbine"],
            hub_height_m=float(rec["hub_height_m"]),
            capacity_factor=float(rec["capacity_factor"]),
            cf_low=float(rec["cf_low"]),
            cf_high=float(rec["cf_high"]),
            mean_speed_10m_m_s=float(rec["mean_speed_10m_m_s"]),
            source=rec["source"],
            note=rec.get("note", ""),
        )
    return farms


def list_farms() -> list[WindFarm]:
    """Every farm of the catalogue, in file order."""
    return list(_catalogue().values())


def get_farm(farm_id: str) -> WindFarm:
    """The farm *farm_id*; :class:`UnknownFarmError` lists the known ids."""
    farms = _catalogue()
    key = str(farm_id).strip().lower()
    if key not in farms:
        msg = f"unknown wind farm {farm_id!r}; known farms: {', '.join(farms)}"
        raise UnknownFarmError(msg)
    return farms[key]


def farm_seed(farm_id: str, weather_seed: int) -> int:
    """Seed of a farm's synthetic wind: the weather seed and a checksum of its id."""
    return int(weather_seed) + zlib.crc32(farm_id.encode("utf-8"))


def year_seed(seed: int, weather_year: int) -> int:
    """Seed of the hourly wind draws of ensemble year *weather_year* of *seed*."""
    return zlib.crc32(f"{int(seed)}/{int(weather_year)}".encode())


def farm_hourly_w(
    farm: WindFarm,
    capacity_w: float,
    mean_speed_10m_m_s: float | None = None,
    weather_year: int | None = None,
    seed: int = 0,
):
    """Hourly AC output [W] of *capacity_w* of *farm*'s turbines at its site, a year
    of the typical weather (the site's wind scaled to the farm's mean 10 m speed), or
    of ensemble year *weather_year* of *seed* (:mod:`weather.ensemble`: scaled by the
    same factor, so a windy or calm year stays so)."""
    import weather
    from weather.wind import wind_farm_w

    v = farm.mean_speed_10m_m_s if mean_speed_10m_m_s is None else mean_speed_10m_m_s
    if weather_year is None:
        data, _ = weather.load_weather(farm.site)
        ref = float(data["wind_m_s"].mean())
        draw_seed = farm_seed(farm.id, weather.WEATHER_SEED)
    else:
        from weather.ensemble import typical_wind_mean

        data, _ = weather.load_weather(farm.site, seed=seed, weather_year=weather_year)
        ref = typical_wind_mean(weather.get_site(farm.site))
        draw_seed = farm_seed(farm.id, year_seed(seed, weather_year))
    data = data.assign(wind_m_s=data["wind_m_s"] * (v / ref))
    return wind_farm_w(
        data,
        capacity_w,
        farm.turbine,
        farm.hub_height_m,
        FARM_LOSSES_FRAC,
        synthetic_seed=draw_seed,
    )


def model_capacity_factor(farm: WindFarm, mean_speed_10m_m_s: float | None = None) -> float:
    """Annual capacity factor of *farm* in the model [-] (energy / capacity / 8760 h)."""
    p = farm_hourly_w(farm, 1e6, mean_speed_10m_m_s)
    return float(np.mean(p) / 1e6)


def calibrate_speed(farm: WindFarm, tol: float = 1e-3) -> float:
    """The annual mean 10 m speed [m/s] at which the model gives the farm's published
    capacity factor (bisection on 2-15 m/s; the capacity factor rises with the speed)."""
    lo, hi = 2.0, 15.0
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if model_capacity_factor(farm, mid) < farm.capacity_factor:
            lo = mid
        else:
            hi = mid
    return round(0.5 * (lo + hi), 2)


if __name__ == "__main__":  # pragma: no cover - calibration helper
    for f in list_farms():
        v = calibrate_speed(f)
        print(f"{f.id}: mean_speed_10m_m_s = {v:.2f}  (CF {model_capacity_factor(f, v):.3f})")
