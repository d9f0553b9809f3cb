"""Offline hourly typical year for a :class:`weather.sites.Site` (no network, no file).

Model, step by step (every step seeded by ``numpy.random.default_rng(seed)``):

1. Clear sky: pvlib Ineichen–Perez with pvlib's shipped Linke turbidity
   (``pvlib.clearsky.lookup_linke_turbidity``), solar position at the middle of
   each hourly interval.
2. Cloudiness: one factor per day, ``k_d = exp(σ z_d − σ²/2)`` with ``z_d`` a
   first-order autoregressive standard-normal series (lag-1 coefficient
   :data:`AR1_PHI`), the AR(1) structure of daily clearness used by Graham &
   Hollands (1990). Hourly GHI = clear sky × k_d, capped at clear sky ×
   :data:`MAX_CLEAR_SKY_RATIO`, then rescaled month by month (fixed-point
   iterations) so that the monthly mean daily GHI equals the catalogue figure.
3. DNI and DHI from GHI with the Erbs et al. (1982) decomposition
   (``pvlib.irradiance.erbs``), DNI capped at clear-sky DNI.
4. Air temperature: a smooth seasonal curve through the monthly means (linear
   between mid-month points, corrected so each month keeps its catalogue mean),
   plus a day-to-day anomaly — AR(1) with lag-1 coefficient
   :data:`T_DAY_AR1_PHI` and standard deviation :data:`T_DAY_SD_K`, the means of
   the values measured in the Rabat, Agadir and Tiznit TMYx files, with a smooth
   curve of its monthly means removed — plus a cosine diurnal wave peaking at
   :data:`T_PEAK_HOUR_LOCAL` local standard time (the sinusoidal approximation
   of the ASHRAE design-day profile, Fundamentals 2017 ch. 14) whose amplitude
   is the smooth curve of the monthly mean daily range scaled by the day's
   clearness factor: clear days have wide ranges, overcast days narrow ones
   (the relation of Bristow & Campbell 1984, taken as proportional). The daily
   anomaly and the clearness scaling are values at each day's noon,
   interpolated linearly between noons, so the temperature has no step at
   midnight, at a month boundary or at the Ramadan clock change: the
   hour-to-hour change at midnight is that of the neighbouring hours.
5. Humidity: the vapour pressure follows the smooth monthly curve of the mean
   humidity ratio (from the monthly mean temperature and RH, ASHRAE ch. 1), so
   RH falls as temperature rises. Pressure from elevation (ASHRAE ch. 1 eq 3).
   Wind: the smooth curve through the monthly means. Wet bulb: :mod:`kernels.psychro`.

Index: 8760 hourly absolute instants starting at local midnight of 1 January of
``year`` in ``Africa/Casablanca``, labelled by interval start. The grid is built
in absolute time (fixed 1 h steps), so Morocco's Ramadan switch between UTC+1
and UTC+0 shifts wall-clock labels but never creates gaps or duplicates.

References
----------
.. [1] P. Ineichen and R. Perez, "A new airmass independent formulation for the
   Linke turbidity coefficient", Solar Energy 73(3), 151–157, 2002.
.. [2] V. T. Graham and K. G. T. Hollands, "A method to generate synthetic
   hourly solar radiation globally", Solar Energy 44(6), 333–341, 1990.
.. [3] D. G. Erbs, S. A. Klein and J. A. Duffie, "Estimation of the diffuse
   radiation fraction for hourly, daily and monthly-average global
   radiation", Solar Energy 28(4), 293–302, 1982.
.. [4] ASHRAE Handbook—Fundamentals 2017 (SI), ch. 1 and ch. 14.
.. [5] K. L. Bristow and G. S. Campbell, "On the relationship between incoming
   solar radiation and daily maximum and minimum temperature", Agricultural
   and Forest Meteorology 31, 159–166, 1984.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from kernels.psychro import (
    MOLAR_MASS_RATIO_WATER_AIR,
    sat_vapor_pressure_pa,
    station_pressure_pa,
    wet_bulb_c_array,
)
from weather.epw import COLUMNS, LOCAL_TZ
from weather.sites import Site
from weather.solar import solar_position_mid_interval

__all__ = [
    "AR1_PHI",
    "MAX_CLEAR_SKY_RATIO",
    "T_PEAK_HOUR_LOCAL",
    "clear_sky",
    "typical_year",
]

logger = logging.getLogger(__name__)

#: Lag-1 autocorrelation of the daily cloudiness series (Graham & Hollands 1990 report ~0.3) [-].
AR1_PHI = 0.3
#: Spread of the log daily cloudiness factor [-]; chosen, then calibrated away month by month.
DAILY_LOG_SIGMA = 0.25
#: Upper cap on hourly GHI relative to Ineichen clear sky [-].
MAX_CLEAR_SKY_RATIO = 1.05
#: Day-to-day anomaly of the daily mean temperature: lag-1 autocorrelation and
#: standard deviation [K], means of the values measured (daily means minus a
#: 31-day running mean) in the Rabat-Salé (0.62, 1.33 K), Agadir (0.75, 2.47 K)
#: and Tiznit (0.73, 2.21 K) TMYx files.
T_DAY_AR1_PHI = 0.70
T_DAY_SD_K = 2.0
#: Bounds on the cloudiness scaling of the daily range, ±[-]: keeps overcast
#: days from a zero range and clear days from doubling it.
RANGE_CLOUD_CLIP = 0.5
#: Hour of the daily temperature maximum, local standard time (ASHRAE design-day profile
#: peaks at 15 h) [h].
T_PEAK_HOUR_LOCAL = 15.0
#: Morocco's standard (legal, outside Ramadan) offset from UTC [h] (decree 2-18-855, 2018).
STANDARD_UTC_OFFSET_H = 1.0
_CALIBRATION_ITERATIONS = 8


def _index(year: int) -> pd.DatetimeIndex:
    start = pd.Timestamp(f"{year}-01-01 00:00", tz=LOCAL_TZ)
    return pd.date_range(start=start, periods=8760, freq="h", name="time")


def _smooth_monthly(values: tuple[float, ...], doy: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Periodic piecewise-linear curve through mid-month nodes, keeping monthly means.

    Node values start at the monthly means and are corrected a few times by the
    error of each month's mean, so the curve has no steps at month boundaries
    and every month keeps its catalogue mean (to ~1e-3 of the seasonal swing).
    """
    target = np.asarray(values, dtype=float)
    mid = (
        np.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30])
        + np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) / 2.0
    )
    nodes = target.copy()
    for _ in range(8):
        curve = np.interp(
            doy, np.r_[mid[-1] - 365.0, mid, mid[0] + 365.0], np.r_[nodes[-1], nodes, nodes[0]]
        )
        err = np.array([curve[months == m].mean() for m in range(1, 13)]) - target
        nodes -= err
    return curve - err[months - 1]


def _between_days(daily: np.ndarray, n_hours: int) -> np.ndarray:
    """Hourly values from one value per day, linear between day centres (12:00).

    Hour ``i`` (interval ``[i, i+1)`` h from the start of the year) takes the
    value at its middle, ``i + 0.5`` h; the first and last half days hold the
    first and last values. A day-to-day change is spread over the 24 h between
    two noons instead of falling at midnight as a step.
    """
    t_h = np.arange(n_hours) + 0.5
    t_day = 24.0 * np.arange(daily.size) + 12.0
    return np.interp(t_h, t_day, daily)


def _standard_hour(idx: pd.DatetimeIndex) -> np.ndarray:
    """Hour of day at each interval middle in Morocco's standard time, UTC+1 [h].

    The legal clock drops to UTC+0 during Ramadan; a diurnal wave on the legal
    hour would jump by an hour at each switch, so it runs on the fixed offset.
    """
    utc = idx.tz_convert("UTC")
    hours = utc.hour.to_numpy() + utc.minute.to_numpy() / 60.0
    return np.mod(hours + 0.5 + STANDARD_UTC_OFFSET_H, 24.0)


def clear_sky(
    idx: pd.DatetimeIndex, lat: float, lon: float, elevation_m: float
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Ineichen–Perez clear-sky GHI and DNI [W/m²] at the middle of each hourly
    interval of *idx*, with pvlib's Linke turbidity, and the solar position."""
    import pvlib

    mid = idx + pd.Timedelta(minutes=30)
    loc = pvlib.location.Location(lat, lon, tz=LOCAL_TZ, altitude=elevation_m)
    solpos = solar_position_mid_interval(idx, lat, lon, elevation_m)
    linke = pvlib.clearsky.lookup_linke_turbidity(mid, lat, lon)
    cs = loc.get_clearsky(mid, model="ineichen", solar_position=solpos, linke_turbidity=linke)
    return cs["ghi"].to_numpy(dtype=float), cs["dni"].to_numpy(dtype=float), solpos


def _monthly_range(site: Site) -> tuple[float, ...]:
    """Monthly mean daily range, ``t_max_c - t_min_c`` [K]."""
    return tuple(hi - lo for hi, lo in zip(site.monthly["t_max_c"], site.monthly["t_min_c"]))


def _monthly(values: tuple[float, ...], months: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=float)[months - 1]


def typical_year(site: Site, year: int = 2023, seed: int = 0) -> pd.DataFrame:
    """Generate an hourly typical year for *site*.

    Parameters
    ----------
    site : weather.sites.Site
        Site with monthly climate figures.
    year : int
        Calendar year of the index (2023 by default).
    seed : int
        Seed for ``numpy.random.default_rng``; the same seed gives an identical frame.

    Returns
    -------
    pandas.DataFrame
        8760 rows, index tz-aware ``Africa/Casablanca`` labelled by interval start,
        columns :data:`weather.epw.COLUMNS`: irradiance [W/m²], ``t_air_c`` [°C],
        ``rh_frac`` [0–1], ``p_air_pa`` [Pa], ``wind_m_s`` [m/s], ``t_wb_c`` [°C].

    References
    ----------
    See the module docstring (Ineichen & Perez 2002, Graham & Hollands 1990,
    Erbs et al. 1982, ASHRAE Fundamentals 2017).
    """
    import pvlib

    rng = np.random.default_rng(seed)
    idx = _index(year)
    mid = idx + pd.Timedelta(minutes=30)
    ghi_cs, dni_cs, solpos = clear_sky(idx, site.lat, site.lon, site.elevation_m)

    local = idx.tz_convert(LOCAL_TZ)
    months = local.month.to_numpy()
    day_no = ((idx - idx[0]) // pd.Timedelta(days=1)).to_numpy()
    n_days = int(day_no.max()) + 1

    z = np.empty(n_days)
    z[0] = rng.standard_normal()
    eps = rng.standard_normal(n_days)
    for d in range(1, n_days):
        z[d] = AR1_PHI * z[d - 1] + np.sqrt(1.0 - AR1_PHI**2) * eps[d]
    k_day = np.exp(DAILY_LOG_SIGMA * z - 0.5 * DAILY_LOG_SIGMA**2)
    ghi = ghi_cs * k_day[day_no]

    target = _monthly(site.monthly["ghi_kwh_m2_day"], months)
    days_in_month = local.days_in_month.to_numpy()
    cap = ghi_cs * MAX_CLEAR_SKY_RATIO
    for _ in range(_CALIBRATION_ITERATIONS):
        for m in range(1, 13):
            sel = months == m
            have = ghi[sel].sum() / 1000.0 / days_in_month[sel][0]
            if have > 0:
                ghi[sel] *= target[sel][0] / have
        ghi = np.minimum(ghi, cap)
    for m in range(1, 13):
        sel = months == m
        have = ghi[sel].sum() / 1000.0 / days_in_month[sel][0]
        if abs(have / target[sel][0] - 1.0) > 0.01:
            logger.info(
                "%s month %d: GHI %.2f kWh/m²/day cannot reach %.2f under the clear-sky cap",
                site.id,
                m,
                have,
                target[sel][0],
            )

    zenith = solpos["zenith"].to_numpy(dtype=float)
    erbs = pvlib.irradiance.erbs(ghi, zenith, mid)
    dni = np.minimum(np.nan_to_num(np.asarray(erbs["dni"], dtype=float)), dni_cs)
    cosz = np.clip(np.cos(np.radians(zenith)), 0.0, None)
    dhi = np.clip(ghi - dni * cosz, 0.0, None)

    doy = (local.day_of_year - 1 + local.hour / 24.0).to_numpy()
    t_mean = _smooth_monthly(site.monthly["t_mean_c"], doy, months)
    t_range = _smooth_monthly(_monthly_range(site), doy, months)
    anomaly = np.empty(n_days)
    anomaly[0] = rng.standard_normal()
    shocks = rng.standard_normal(n_days)
    for d in range(1, n_days):
        anomaly[d] = T_DAY_AR1_PHI * anomaly[d - 1] + np.sqrt(1.0 - T_DAY_AR1_PHI**2) * shocks[d]
    t_day = _between_days(T_DAY_SD_K * anomaly, idx.size)
    month_mean = tuple(float(t_day[months == m].mean()) for m in range(1, 13))
    t_day -= _smooth_monthly(month_mean, doy, months)
    k_rel = _between_days(np.clip(k_day, 1.0 - RANGE_CLOUD_CLIP, 1.0 + RANGE_CLOUD_CLIP), idx.size)
    wave = np.cos(2.0 * np.pi * (_standard_hour(idx) - T_PEAK_HOUR_LOCAL) / 24.0)
    t_air = t_mean + t_day + 0.5 * t_range * k_rel * wave

    p_air = np.full(idx.size, station_pressure_pa(site.elevation_m))
    rh_month = np.asarray(site.monthly["rh_frac"], dtype=float)
    pw_month = rh_month * np.array([sat_vapor_pressure_pa(t) for t in site.monthly["t_mean_c"]])
    pw = _smooth_monthly(tuple(pw_month), doy, months)  # vapour pressure (W at fixed p)
    pws = np.array([sat_vapor_pressure_pa(t) for t in t_air])
    rh = np.clip(pw / pws, 0.02, 1.0)
    _ = MOLAR_MASS_RATIO_WATER_AIR  # W = 0.621945 pw / (p - pw) is constant when pw is

    data = pd.DataFrame(
        {
            "ghi_w_m2": ghi,
            "dni_w_m2": dni,
            "dhi_w_m2": dhi,
            "t_air_c": t_air,
            "rh_frac": rh,
            "p_air_pa": p_air,
            "wind_m_s": _smooth_monthly(site.monthly["wind_m_s"], doy, months),
            "t_wb_c": wet_bulb_c_array(t_air, rh, p_air),
        },
        index=idx,
    )[list(COLUMNS)]
    logger.info("typical year for %s (seed %d): GHI %.0f kWh/m²", site.id, seed, ghi.sum() / 1000)
    return data
