"""The Moroccan national electricity system, hour by hour: demand, supply stack, carbon.

Data, not the twin: :func:`national_grid` builds one year of hourly national demand and
generation by source from ``weather/data/morocco_national.toml`` (sources and dates in
the file), and from them the average and the marginal emission factor of each hour.
:mod:`weather.grid` takes its month x hour carbon factors from this same year, so the
carbon of a campus (``twin run``) and the national view (``twin portfolio``) rest on
one stack.

Demand
    The shape of each hour (summer or winter day by local hour, month, day of week; the
    summer day from ONEE's published record days) stretched linearly about its mean so
    that the year's energy is ANRE's 2024 net demand (45,713 GWh over 8,784 h) and its
    maximum the peak of the data file (the 2023 record, 7,310 MW, grown with demand):
    ``d = mean x (1 + k (s / mean(s) - 1))`` with ``k`` set by the peak.
Supply
    Each source at its 2024 share (ANRE: shares of national production, which met
    95.56 % of demand; the rest is net imports). Solar follows the sun (cos of the
    zenith angle, Cooper's declination and the hour angle, Duffie & Beckman 4th ed.
    §1.6), wind its month x hour shape, hydro and pumped storage the demand, imports
    are flat and must stay under the Spain -> Morocco commercial capacity (REE, 900 MW).
    The residual (demand - those) is met by the fossil fleet in the ASSUMED merit order
    coal, gas, fuel oil: coal up to the level C of the residual at which it makes its
    annual share, gas from C to G, fuel oil above G.
Carbon
    Average factor of an hour = Σ generation x factor / demand (IPCC AR5 Annex III
    medians on the chosen basis, ``weather/data/morocco_grid.toml``), rescaled so that
    the year's demand-weighted life-cycle mean is the published 551 g/kWh
    (LowCarbonPower 2024; the unscaled mix gives 557). Marginal factor = the factor of
    the unit at the top of the stack (coal below C, gas up to G, fuel oil above),
    unscaled. :func:`redispatch` stacks an added load on the same fixed levels: the
    consequential emissions of the added load climb the merit order as it grows.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from weather.errors import WeatherFileError as WeatherError

__all__ = [
    "FACTOR_TABLES",
    "FOSSIL",
    "SOURCES",
    "NationalGrid",
    "align_hourly",
    "national_data",
    "national_grid",
    "redispatch",
]

NATIONAL_DATA_FILE = Path(__file__).parent / "data" / "morocco_national.toml"
TZ = "Africa/Casablanca"
#: Supply sources in stack order (bottom first) and the fossil units among them.
SOURCES = ("imports", "hydro", "wind", "solar", "coal", "gas", "fuel_oil")
FOSSIL = ("coal", "gas", "fuel_oil")
#: Published life-cycle mean of the Moroccan grid, 2024 (LowCarbonPower) [g/kWh].
PUBLISHED_MEAN_G_PER_KWH = 551.0


@lru_cache(maxsize=4)
def _read(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def national_data(path: str | Path | None = None) -> dict[str, Any]:
    """The parsed national data file (demand, mix, interconnection, shapes)."""
    return _read(str(path or NATIONAL_DATA_FILE))


@dataclass(frozen=True)
class NationalGrid:
    """One hourly year of the national system (all arrays of the index's length).

    ``demand_mw``: national net demand; ``gen_mw``: generation by source of
    :data:`SOURCES` [MW]; ``levels_mw``: the fossil levels (C, G) of the merit order;
    ``average_g_per_kwh`` and ``marginal_g_per_kwh``: the hour's factors on ``basis``.
    """

    index: pd.DatetimeIndex
    demand_mw: np.ndarray
    gen_mw: dict[str, np.ndarray]
    levels_mw: tuple[float, float]
    average_g_per_kwh: np.ndarray
    marginal_g_per_kwh: np.ndarray
    basis: str
    factors_g_per_kwh: dict[str, float] = field(default_factory=dict)

    @property
    def residual_mw(self) -> np.ndarray:
        """Demand left to the fossil fleet [MW]."""
        return np.sum([self.gen_mw[k] for k in FOSSIL], axis=0)

    @cached_property
    def _month_hour_cells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Local month - 1 and hour of each row, and the rows in each month x hour cell:
        the same for every series of the year (:meth:`month_hour` is called for each)."""
        m = self.index.month.to_numpy() - 1
        h = self.index.hour.to_numpy()
        count = np.zeros((12, 24))
        np.add.at(count, (m, h), 1.0)
        return m, h, count

    def month_hour(self, values: np.ndarray) -> np.ndarray:
        """Mean of an hourly series by local month x hour, (12, 24)."""
        m, h, count = self._month_hour_cells
        table = np.zeros((12, 24))
        np.add.at(table, (m, h), values)
        return table / np.maximum(count, 1.0)


def _local_index(year: int) -> pd.DatetimeIndex:
    start = pd.Timestamp(f"{year}-01-01", tz=TZ).tz_convert("UTC")
    end = pd.Timestamp(f"{year + 1}-01-01", tz=TZ).tz_convert("UTC")
    n = round((end - start).total_seconds() / 3600.0)
    return pd.date_range(start, periods=n, freq="h", tz="UTC").tz_convert(TZ)


def _demand_shape(idx: pd.DatetimeIndex, sh: dict[str, Any]) -> np.ndarray:
    m, h = idx.month.to_numpy(), idx.hour.to_numpy()
    summer = np.isin(m, np.asarray(sh["summer_months"]))
    # each day shape at unit mean: the monthly factors carry the energy of each month
    s_day = np.asarray(sh["demand_summer_hourly"]) / np.mean(sh["demand_summer_hourly"])
    w_day = np.asarray(sh["demand_winter_hourly"]) / np.mean(sh["demand_winter_hourly"])
    day = np.where(summer, s_day[h], w_day[h])
    return (
        day
        * np.asarray(sh["demand_monthly"])[m - 1]
        * np.asarray(sh["demand_weekday"])[idx.day_of_week.to_numpy()]
    )


def _stretch(shape: np.ndarray, mean_mw: float, peak_mw: float) -> np.ndarray:
    """*shape* stretched about its mean to mean *mean_mw* and maximum *peak_mw*."""
    rel = shape / shape.mean() - 1.0
    k = (peak_mw / mean_mw - 1.0) / rel.max()
    d = mean_mw * (1.0 + k * rel)
    if d.min() <= 0.0:
        raise WeatherError(f"national demand: peak {peak_mw} MW too high for the shape")
    return d


def _solar_shape(idx: pd.DatetimeIndex, lat_deg: float, noon_h: float) -> np.ndarray:
    """cos of the zenith angle at mid-hour (Cooper 1969 declination; hour angle 15°/h
    from solar noon; Duffie & Beckman, 4th ed., §1.6), 0 at night."""
    n = idx.day_of_year.to_numpy()
    dec = np.radians(23.45 * np.sin(np.radians(360.0 * (284 + n) / 365.0)))
    lat = math.radians(lat_deg)
    omega = np.radians(15.0 * (idx.hour.to_numpy() + 0.5 - noon_h))
    cosz = math.sin(lat) * np.sin(dec) + math.cos(lat) * np.cos(dec) * np.cos(omega)
    return np.maximum(cosz, 0.0)


def _level(residual: np.ndarray, energy: float) -> float:
    """Level C with Σ min(residual, C) = *energy* (bisection)."""
    lo, hi = 0.0, float(residual.max())
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if np.minimum(residual, mid).sum() < energy:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _fossil(residual: np.ndarray, levels: tuple[float, float]) -> dict[str, np.ndarray]:
    c, g = levels
    coal = np.minimum(residual, c)
    upto_g = np.minimum(residual, g)
    return {"coal": coal, "gas": upto_g - coal, "fuel_oil": residual - upto_g}


def _supply(idx: pd.DatetimeIndex, demand: np.ndarray, d: dict[str, Any]) -> dict:
    mix, sh, prod = d["mix"], d["shapes"], d["mix"]["production_share_of_demand"]
    total = float(demand.sum())
    m, h = idx.month.to_numpy() - 1, idx.hour.to_numpy()
    shapes = {
        "solar": _solar_shape(idx, sh["solar_latitude_deg"], sh["solar_noon_local_h"]),
        "wind": np.asarray(sh["wind_monthly"])[m] * np.asarray(sh["wind_hourly"])[h],
        "hydro": np.asarray(sh["hydro_monthly"])[m] * demand,
        "imports": np.ones(len(idx)),
    }
    share = {k: mix[k] * prod for k in ("solar", "wind", "hydro")}
    share["imports"] = 1.0 - prod
    gen = {k: s * (share[k] * total / s.sum()) for k, s in shapes.items()}
    cap = d["interconnection"]["spain_to_morocco_mw"]
    if gen["imports"].max() > cap:
        raise WeatherError(f"national imports {gen['imports'].max():.0f} MW > the {cap} MW link")
    residual = demand - sum(gen.values())
    if residual.min() < 0.0:
        raise WeatherError("national stack: renewables and imports exceed demand in some hour")
    c = _level(residual, mix["coal"] * prod * total)
    g = _level(residual, (mix["coal"] + mix["gas"]) * prod * total)
    gen.update(_fossil(residual, (c, g)))
    return {"gen": gen, "levels": (c, g)}


#: Emission-factor tables of ``weather/data/morocco_grid.toml`` by carbon basis.
FACTOR_TABLES = {
    "lifecycle": "emission_factors_g_per_kwh",
    "combustion": "emission_factors_direct_g_per_kwh",
}
GRID_FACTORS_FILE = Path(__file__).parent / "data" / "morocco_grid.toml"


def _factors(basis: str) -> dict[str, float]:
    if basis not in FACTOR_TABLES:
        raise WeatherError(f"carbon basis {basis!r}: must be one of {', '.join(FACTOR_TABLES)}")
    return dict(_read(str(GRID_FACTORS_FILE))[FACTOR_TABLES[basis]])


def _marginal(residual: np.ndarray, levels: tuple[float, float], ef: dict) -> np.ndarray:
    c, g = levels
    tol = 1e-9 * max(g, 1.0)
    return np.where(
        residual > g + tol, ef["fuel_oil"], np.where(residual > c + tol, ef["gas"], ef["coal"])
    )


@lru_cache(maxsize=8)
def national_grid(
    year: int | None = None, basis: str = "lifecycle", path: str | None = None
) -> NationalGrid:
    """The national year (:class:`NationalGrid`) on the calendar of *year* (default: the
    data year, 2024), carbon on *basis* (``lifecycle`` or ``combustion``).

    The year's energy is the data year's, per hour (``consumption / hours_in_data_year``
    MW on average); other calendars only move weekdays and leap days.
    """
    d = national_data(path)
    dem = d["demand"]
    idx = _local_index(int(year or d["meta"]["year"]))
    mean_mw = dem["consumption_gwh"] * 1e3 / dem["hours_in_data_year"]
    demand = _stretch(_demand_shape(idx, d["shapes"]), mean_mw, dem["peak_mw"])
    sup = _supply(idx, demand, d)
    gen, levels = sup["gen"], sup["levels"]
    ef = _factors(basis)
    life = _factors("lifecycle")
    raw = sum(gen[k] * ef[k] for k in SOURCES) / demand
    raw_life_mean = float(sum((gen[k] * life[k]).sum() for k in SOURCES) / demand.sum())
    raw_mean = float((raw * demand).sum() / demand.sum())
    # the published life-cycle mean, carried to the basis by the mix's own ratio
    scale = PUBLISHED_MEAN_G_PER_KWH * (raw_mean / raw_life_mean) / raw_mean
    return NationalGrid(
        index=idx,
        demand_mw=demand,
        gen_mw=gen,
        levels_mw=levels,
        average_g_per_kwh=raw * scale,
        marginal_g_per_kwh=_marginal(sum(gen[k] for k in FOSSIL), levels, ef),
        basis=basis,
        factors_g_per_kwh=ef,
    )


def redispatch(grid: NationalGrid, added_mw: np.ndarray) -> dict[str, np.ndarray]:
    """Generation by source [MW] with *added_mw* on top of the national demand.

    Renewables, hydro and imports are those of the year; the added load lands on the
    fossil fleet at the fixed levels (C, G) of the merit order: coal up to C, gas up
    to G, fuel oil above. A negative addition (export) is taken back from the top.
    """
    added = np.asarray(added_mw, dtype=float)
    if added.shape != grid.demand_mw.shape:
        raise WeatherError(f"added load has {added.shape} hours, the year {grid.demand_mw.shape}")
    residual = np.maximum(grid.residual_mw + added, 0.0)
    out = {k: grid.gen_mw[k] for k in SOURCES if k not in FOSSIL}
    out.update(_fossil(residual, grid.levels_mw))
    return out


def align_hourly(index: pd.DatetimeIndex, values: np.ndarray, grid: NationalGrid) -> np.ndarray:
    """An hourly or sub-hourly series of another year on the national year's hours.

    Matched by local (month, day, hour) and averaged within the hour; a day the series
    lacks (29 February, a clock-change hour) takes the previous hour's value.
    """
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_convert(TZ)
    s = pd.Series(np.asarray(values, dtype=float))
    key = [idx.month.to_numpy(), idx.day.to_numpy(), idx.hour.to_numpy()]
    by_hour = s.groupby(key).mean()
    gi = grid.index
    want = pd.MultiIndex.from_arrays([gi.month, gi.day, gi.hour])
    aligned = by_hour.reindex(want)
    return aligned.ffill().bfill().to_numpy()
