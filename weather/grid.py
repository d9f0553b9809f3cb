"""Grid carbon intensity and an ONEE-style time-of-use price, by hour.

References
----------
.. [1] LowCarbonPower, "Morocco" (data from EIA/Ember/IEA), 2024 lifecycle
   intensity 551 gCO2eq/kWh, https://www.lowcarbonpower.org/region/Morocco
   (via docs/morocco.md, "Electricity system").
.. [2] L'Economiste, 2014-07-30: ONEE HT/THT tariff reform; "tres longue
   utilisation" premium 2,128.60 MAD/kVA/yr from January 2017.
.. [3] THT "tres longue utilisation" energy prices (LOW source; see
   ``twin/results/tariff.py``, which also holds the billing rules).
.. [4] IPCC AR5 WG3 (2014), Annex III, Table A.III.2: life-cycle and direct
   (combustion) emission factors by technology (medians).

Carbon basis: one basis for the grid and for diesel alike (``grid.carbon_basis``):
life-cycle (default: the only published Moroccan grid figure, 551 g/kWh [1], is
life-cycle, and it counts the upstream of imported coal, gas and diesel) or
combustion (direct emissions only). Average factors (:func:`hourly_profile`) serve
location- and market-based accounting; marginal factors (:func:`marginal_profile`)
the consequential one.

The month x hour profiles (:func:`hourly_profile`, :func:`marginal_profile`) are
the means of the national hourly year of :mod:`weather.national_grid` (data file
``weather/data/morocco_national.toml``: ANRE 2024 mix and demand, ONEE record
peaks), so a campus's carbon and the national view rest on one stack. Emission
factors and the tariff defaults come from the editable data file
``weather/data/morocco_grid.toml`` (sources and dates inside).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from weather.national_grid import FACTOR_TABLES, SOURCES, national_data, national_grid

__all__ = [
    "CARBON_BASES",
    "CARBON_INTENSITY_2024_G_PER_KWH",
    "basis_scale",
    "carbon_intensity_g_per_kwh",
    "grid_data",
    "grid_series",
    "hourly_profile",
    "marginal_profile",
    "marginal_series",
    "tou_period",
    "tou_price_mad_per_kwh",
]

GRID_DATA_FILE = Path(__file__).parent / "data" / "morocco_grid.toml"

#: Morocco grid lifecycle carbon intensity 2024 (LowCarbonPower) [gCO2eq/kWh].
CARBON_INTENSITY_2024_G_PER_KWH = 551.0
#: ONEE THT "tres longue utilisation" energy prices excl. VAT (2017 grid) [MAD/kWh]:
#: peak, full hours, off-peak. LOW source (an open-source ONEE bill calculator listing
#: them beside the option's 2,128.60 MAD/kVA/yr premium of L'Economiste 2014-07-30);
#: see ``twin/results/tariff.py``.
TOU_PEAK_MAD_PER_KWH = 0.7833
TOU_FULL_MAD_PER_KWH = 0.6473
TOU_OFFPEAK_MAD_PER_KWH = 0.6077
#: ASSUMED peak window [local hour start, end): 5 h in the evening (docs/morocco.md: "evening peak", 5 h/24 rule).
TOU_PEAK_HOURS = (17, 22)
#: ASSUMED off-peak window [start, end), wrapping midnight; the ONEE windows were not found.
TOU_OFFPEAK_HOURS = (22, 7)


def carbon_intensity_g_per_kwh(
    index: pd.DatetimeIndex, annual_mean: float = CARBON_INTENSITY_2024_G_PER_KWH
) -> np.ndarray:
    """Grid carbon intensity for each timestamp: flat at the annual mean.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Time stamps.
    annual_mean : float
        Annual mean intensity [gCO2eq/kWh]; 551 (2024) by default.

    Returns
    -------
    numpy.ndarray
        Intensity [gCO2eq/kWh], one value per stamp. Flat because no hourly
        Moroccan profile was found (docs/morocco.md, "Electricity system").
    """
    return np.full(len(index), float(annual_mean))


def _in_window(hour: np.ndarray, window: tuple[int, int]) -> np.ndarray:
    start, end = window
    if start <= end:
        return (hour >= start) & (hour < end)
    return (hour >= start) | (hour < end)


#: Codes of the three time-of-use periods returned by :func:`tou_period`.
PERIOD_PEAK, PERIOD_FULL, PERIOD_OFFPEAK = 0, 1, 2


def tou_period(
    index: pd.DatetimeIndex,
    peak_hours: tuple[int, int] = TOU_PEAK_HOURS,
    offpeak_hours: tuple[int, int] = TOU_OFFPEAK_HOURS,
    summer_shift_h: int = 0,
    summer_months: tuple[int, ...] = (4, 5, 6, 7, 8, 9),
) -> np.ndarray:
    """ONEE time-of-use period of each stamp by LOCAL (Africa/Casablanca) hour.

    0 = "heures de pointe" (peak), 1 = "heures pleines" (full), 2 = "heures
    creuses" (off-peak) (:data:`PERIOD_PEAK` ...). Windows are ``[start, end)``
    local hours, may wrap midnight, and peak wins where they overlap; in
    ``summer_months`` every window starts and ends ``summer_shift_h`` later.
    """
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_convert("Africa/Casablanca")
    hour = idx.hour.to_numpy()
    if summer_shift_h:
        summer = np.isin(idx.month.to_numpy(), np.asarray(summer_months))
        hour = np.where(summer, (hour - summer_shift_h) % 24, hour)
    period = np.full(hour.shape, PERIOD_FULL, dtype=np.int64)
    period[_in_window(hour, offpeak_hours)] = PERIOD_OFFPEAK
    period[_in_window(hour, peak_hours)] = PERIOD_PEAK
    return period


def tou_price_mad_per_kwh(
    index: pd.DatetimeIndex,
    peak: float = TOU_PEAK_MAD_PER_KWH,
    full: float = TOU_FULL_MAD_PER_KWH,
    offpeak: float = TOU_OFFPEAK_MAD_PER_KWH,
    peak_hours: tuple[int, int] = TOU_PEAK_HOURS,
    offpeak_hours: tuple[int, int] = TOU_OFFPEAK_HOURS,
    summer_shift_h: int = 0,
    summer_months: tuple[int, ...] = (4, 5, 6, 7, 8, 9),
) -> np.ndarray:
    """ONEE three-period energy price by LOCAL (Africa/Casablanca) hour [MAD/kWh].

    *peak*, *full*, *offpeak* are the prices of "heures de pointe / pleines /
    creuses"; the periods are those of :func:`tou_period` (same arguments).
    """
    period = tou_period(index, peak_hours, offpeak_hours, summer_shift_h, summer_months)
    prices = np.array([float(peak), float(full), float(offpeak)])
    return prices[period]


@lru_cache(maxsize=4)
def _read_grid_data(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def grid_data(path: str | Path | None = None) -> dict[str, Any]:
    """The parsed grid data file (mix, emission factors, shapes, tariff)."""
    return _read_grid_data(str(path or GRID_DATA_FILE))


#: Carbon accounting bases: life-cycle (IPCC AR5 Annex III life-cycle medians,
#: diesel with its upstream) or combustion (direct emissions only, both sides).
CARBON_BASES = ("lifecycle", "combustion")
_FACTOR_TABLES = FACTOR_TABLES


def _generation(path: str | Path | None = None) -> dict[str, np.ndarray]:
    """Supply by source, month x local hour (12, 24) [MW]: the means of the national
    hourly year (:func:`weather.national_grid.national_grid`, 2024 data).

    Also returns the residual left to the fossil fleet (``"residual"``) and the
    national demand (``"demand"``). *path* is a national data file (default: the
    packaged one).
    """
    nat = national_grid(None, "lifecycle", None if path is None else str(path))
    gen = {k: nat.month_hour(nat.gen_mw[k]) for k in SOURCES}
    gen["residual"] = nat.month_hour(nat.residual_mw)
    gen["demand"] = nat.month_hour(nat.demand_mw)
    return gen


def _mean_intensity(gen: dict[str, np.ndarray], ef: dict[str, float]) -> tuple:
    """Intensity (12, 24) of the mix *gen* with factors *ef*, and its supply-weighted mean."""
    names = [k for k in gen if k not in ("residual", "demand")]
    supply: np.ndarray = np.sum([gen[k] for k in names], axis=0)
    ci: np.ndarray = np.sum([gen[k] * ef[k] for k in names], axis=0) / supply
    return ci, float((ci * supply).sum() / supply.sum()), supply


def basis_scale(basis: str = "lifecycle", path: str | Path | None = None) -> float:
    """Mean intensity of the mix on *basis* / its life-cycle mean [-].

    The published grid mean (551 g/kWh, [1]) is life-cycle; the combustion mean is
    taken as that figure times this ratio of the data file's two factor tables.
    """
    d, gen = grid_data(), _generation(path)
    own = _mean_intensity(gen, d[_FACTOR_TABLES[basis]])[1]
    return own / _mean_intensity(gen, d[_FACTOR_TABLES["lifecycle"]])[1]


def hourly_profile(
    mean_g_per_kwh: float = CARBON_INTENSITY_2024_G_PER_KWH,
    mean_carbon_free_frac: float | None = None,
    path: str | Path | None = None,
    basis: str = "lifecycle",
) -> tuple[np.ndarray, np.ndarray]:
    """Grid average carbon intensity and carbon-free share by month × local hour.

    Built from the annual mix of the data file and the merit order of its fossil
    units (:func:`_generation`, the same dispatch as :func:`marginal_profile`). Intensity =
    Σ source × factor of *basis* [4] / supply, rescaled so the demand-weighted annual
    mean is ``mean_g_per_kwh`` (life-cycle, 551 in 2024 [1]) × :func:`basis_scale`.
    The carbon-free share is (wind + solar + hydro [+ imports]) / supply, rescaled
    to ``mean_carbon_free_frac`` when given and clipped to [0, 1].

    Returns
    -------
    carbon_g_per_kwh, carbon_free_frac : ndarray (12, 24)
    """
    d = grid_data()
    gen = _generation(path)
    ci, mean, supply = _mean_intensity(gen, d[_FACTOR_TABLES[basis]])
    ci = ci * (mean_g_per_kwh * basis_scale(basis, path) / mean)
    clean = gen["solar"] + gen["wind"] + gen["hydro"]
    if national_data()["mix"].get("imports_carbon_free", False):
        clean = clean + gen["imports"]
    cf = clean / supply
    if mean_carbon_free_frac is not None:
        cf *= mean_carbon_free_frac / ((cf * supply).sum() / supply.sum())
    return ci, np.clip(cf, 0.0, 1.0)


def marginal_profile(basis: str = "lifecycle", path: str | Path | None = None) -> np.ndarray:
    """Marginal emission factor by month × local hour [g/kWh], (12, 24).

    The mean, over the hours of each cell, of the national year's marginal factor
    (:func:`weather.national_grid.national_grid`): the factor on *basis* (IPCC AR5
    Annex III medians [4]) of the fossil unit at the top of the assumed merit order
    coal, gas, fuel oil in that hour. Not rescaled: a marginal factor is the factor of
    one unit, not of the mix.
    """
    nat = national_grid(None, basis, None if path is None else str(path))
    return nat.month_hour(nat.marginal_g_per_kwh)


def grid_series(
    index: pd.DatetimeIndex,
    mean_g_per_kwh: float = CARBON_INTENSITY_2024_G_PER_KWH,
    mean_carbon_free_frac: float | None = None,
    hourly: bool = True,
    basis: str = "lifecycle",
) -> tuple[np.ndarray, np.ndarray]:
    """Average carbon intensity [g/kWh] on *basis* and carbon-free share [-] for each
    time stamp.

    ``hourly=False`` gives flat series at the means (the carbon-free share at
    the profile's own mean when ``mean_carbon_free_frac`` is None).
    """
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_convert("Africa/Casablanca")
    ci, cf = hourly_profile(mean_g_per_kwh, mean_carbon_free_frac, basis=basis)
    if not hourly:
        frac = float(cf.mean()) if mean_carbon_free_frac is None else mean_carbon_free_frac
        flat = float(mean_g_per_kwh) * basis_scale(basis)
        return np.full(len(idx), flat), np.full(len(idx), frac)
    m = idx.month.to_numpy() - 1
    h = idx.hour.to_numpy()
    return ci[m, h].astype(float), cf[m, h].astype(float)


def marginal_series(index: pd.DatetimeIndex, basis: str = "lifecycle") -> np.ndarray:
    """Marginal emission factor [g/kWh] on *basis* for each time stamp (local month and
    hour of :func:`marginal_profile`)."""
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_convert("Africa/Casablanca")
    mef = marginal_profile(basis)
    return mef[idx.month.to_numpy() - 1, idx.hour.to_numpy()].astype(float)
