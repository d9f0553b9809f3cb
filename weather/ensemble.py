"""Synthetic weather years: many plausible years of a site, seeded and reproducible.

``ensemble_year(site, k, seed)`` is weather year *k* of the ensemble *seed*: the same
hourly columns as :func:`weather.typical_year.typical_year` plus ``precip_mm``, on the
same smooth construction (no step at midnight), but driven by day-to-day weather
calibrated on real files (:mod:`weather.calibrate`, parameters in
``weather/data/weather_ensemble.json``):

1. Three daily latent Gaussian series, clearness, temperature and wind, follow a
   first-order vector autoregression ``z_d = Φ z_{d-1} + L ε_d`` with the season's
   fitted lag-1 coefficients on the diagonal of Φ and innovations whose covariance
   ``R − Φ R Φ`` keeps the fitted same-day correlation R of the three (the
   multivariate AR(1) of Richardson 1981's weather generator, on normal scores).
2. Each series is mapped through the normal CDF onto the fitted quantiles of its
   standardised anomaly (a Gaussian copula), times its fitted standard deviation:
   daily clearness relative to its month's mean ``kc_rel``, the daily temperature
   anomaly [K], the daily wind ratio.
3. A year effect on each, drawn once per year: annual GHI factor (lognormal, the
   published year-to-year spread less the daily process's share), temperature offset
   and wind factor (``year`` in the parameters).
4. Hourly GHI = clear sky × ``s_m`` × ``kc_rel``, capped as the typical year's, × the
   year factor (which moves the cap too: at clear desert sites the spread between
   years is largely the year's dust and aerosol load, which changes clear-sky
   irradiance); ``s_m`` is set once per site and month so that the *expected* monthly GHI
   over the fitted clearness distribution equals the catalogue's: every month keeps
   the catalogue climate on average and varies around it from year to year.
   DNI/DHI by Erbs; temperature = the catalogue's smooth seasonal curve + the daily
   anomaly and year offset + the diurnal wave scaled by the clearness, anomalies and
   scalings interpolated between noons as in the typical year; wind = the smooth
   monthly curve × daily ratio × year factor (a local mean, as the typical year's:
   hourly speeds are drawn around it by :func:`weather.wind.synthetic_speeds`).
5. Rain: a wet-day Markov chain and gamma amounts per season (Richardson 1981),
   spread evenly over the day, for Kimber soiling's rain cleaning.

Each site draws on the calibration station whose file gave its catalogue irradiance
(:data:`STATION_OF`). Every site draws the same standard-normal numbers for the same
``(seed, k)``: a weather year is one regime over Morocco (assumed full spatial
correlation: a data center and its wind farm see the same year).

References
----------
.. [1] C. W. Richardson, "Stochastic simulation of daily precipitation, temperature,
   and solar radiation", Water Resources Research 17(1), 182–190, 1981.
.. [2] V. T. Graham and K. G. T. Hollands, "A method to generate synthetic hourly solar
   radiation globally", Solar Energy 44(6), 333–341, 1990.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from scipy.special import ndtr

from kernels.psychro import (
    sat_vapor_pressure_pa,
    sat_vapor_pressure_pa_array,
    station_pressure_pa,
    wet_bulb_c_array,
)
from weather.epw import COLUMNS
from weather.sites import Site
from weather.typical_year import (
    MAX_CLEAR_SKY_RATIO,
    RANGE_CLOUD_CLIP,
    T_PEAK_HOUR_LOCAL,
    _between_days,
    _index,
    _monthly_range,
    _smooth_monthly,
    _standard_hour,
    clear_sky,
)

__all__ = [
    "ENSEMBLE_COLUMNS",
    "MAX_WEATHER_YEAR",
    "STATION_OF",
    "ensemble_year",
    "params",
    "typical_wind_mean",
]

#: Columns of an ensemble year: the typical year's and the rain per hour [mm].
ENSEMBLE_COLUMNS = (*COLUMNS, "precip_mm")
#: Largest weather-year index [-].
MAX_WEATHER_YEAR = 99_999
#: Calibration station of each built-in site: the data file its catalogue GHI comes
#: from (weather/data/sites.toml, ``ghi_kwh_m2_day`` source lines).
STATION_OF = {
    "casablanca": "rabat",
    "rabat": "rabat",
    "tetouan": "rabat",
    "tangier": "rabat",
    "fes": "rabat",
    "oujda": "rabat",
    "agadir": "agadir",
    "laayoune": "tiznit",
    "dakhla": "tiznit",
    "tarfaya": "tiznit",
    "benguerir": "ouarzazate",
    "marrakech": "ouarzazate",
    "ouarzazate": "ouarzazate",
    "errachidia": "ouarzazate",
}
_SEASONS = ("DJF", "MAM", "JJA", "SON")
_VARS = ("kc", "t", "wind")
_SEASON_OF_MONTH = np.array([0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0])  # Jan..Dec -> DJF..SON
#: Bounds of daily clearness relative to its month [-] (a day is never black, and the
#: clear-sky cap bounds it above anyway).
KC_REL_BOUNDS = (0.03, 1.6)
#: Lowest daily wind ratio [-] (a calm day still has some air movement).
WIND_RATIO_MIN = 0.05
_N_CAL = 200  # equal-probability clearness points for the monthly calibration


@lru_cache(maxsize=1)
def params() -> dict:
    """The fitted parameters (``weather/data/weather_ensemble.json``)."""
    text = resources.files("weather").joinpath("data/weather_ensemble.json").read_text("utf-8")
    return json.loads(text)


def _quantile_fn(entry: dict):
    """Standardised quantile function of one fitted anomaly (linear between quantiles)."""
    probs = np.asarray(params()["provenance"]["quantile_probs"], dtype=float)
    q = np.asarray(entry["q"], dtype=float)
    grid = (np.arange(4000) + 0.5) / 4000.0
    vals = np.interp(grid, probs, q)
    mean, sd = vals.mean(), vals.std()

    def f(u: np.ndarray) -> np.ndarray:
        return (np.interp(u, probs, q) - mean) / sd

    return f


@lru_cache(maxsize=8)
def _station(station: str):
    """Per-season VAR(1) matrices, quantile functions and rain parameters."""
    st = params()["stations"][station]
    phi, chol, qf, sd = [], [], [], []
    for s in _SEASONS:
        e = st["seasons"][s]
        p = np.diag([e[v]["phi"] for v in _VARS])
        r = np.asarray(e["corr"], dtype=float)
        cov = r - p @ r @ p
        w, v = np.linalg.eigh(cov)  # keep it positive definite
        cov = (v * np.maximum(w, 1e-6)) @ v.T
        phi.append(p)
        chol.append(np.linalg.cholesky(cov))
        qf.append([_quantile_fn(e[v]) for v in _VARS])
        sd.append(np.array([e[v]["sd"] for v in _VARS]))
    return phi, chol, qf, np.array(sd), st["precip"]


def _daily_drivers(station: str, season: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Daily anomalies (n_days x 3): kc_rel - 1, temperature [K], wind ratio - 1."""
    phi, chol, qf, sd, _ = _station(station)
    n = season.size
    eps = rng.standard_normal((n, 3))
    z = np.empty((n, 3))
    z[0] = eps[0]
    for d in range(1, n):
        s = season[d]
        z[d] = phi[s] @ z[d - 1] + chol[s] @ eps[d]
    u = ndtr(z)
    out = np.empty((n, 3))
    for s in range(4):
        sel = season == s
        for j in range(3):
            out[sel, j] = sd[s, j] * qf[s][j](u[sel, j])
    return out


def _rain(station: str, season: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Daily rain [mm]: wet-day Markov chain and gamma amounts (Richardson 1981)."""
    pr = _station(station)[4]
    wet_mm = float(params()["provenance"]["wet_day_mm"])
    u = rng.random(season.size)
    g = rng.standard_gamma([pr[_SEASONS[s]]["shape"] for s in season])
    out = np.zeros(season.size)
    wet = False
    for d, s in enumerate(season):
        p = pr[_SEASONS[s]]
        wet = u[d] < (p["p11"] if wet else p["p01"])
        if wet:
            out[d] = wet_mm + g[d] * p["scale_mm"]
    return out


@lru_cache(maxsize=16)
def _base(site: Site, year: int) -> dict:
    """What every weather year of *site* shares: clear sky, smooth curves, the monthly
    scaling ``s_m`` of the clearness (module docstring, step 4)."""
    idx = _index(year)
    ghi_cs, dni_cs, solpos = clear_sky(idx, site.lat, site.lon, site.elevation_m)
    local = idx.tz_convert("Africa/Casablanca")
    months = local.month.to_numpy()
    day_no = ((idx - idx[0]) // pd.Timedelta(days=1)).to_numpy()
    n_days = int(day_no.max()) + 1
    day_month = np.array([months[day_no == d][0] for d in range(n_days)])
    doy = (local.day_of_year - 1 + local.hour / 24.0).to_numpy()
    station = STATION_OF.get(site.id, "rabat")
    _, _, qf, sd, _ = _station(station)
    cap = ghi_cs * MAX_CLEAR_SKY_RATIO
    u = (np.arange(_N_CAL) + 0.5) / _N_CAL
    scale = np.ones(12)
    for m in range(1, 13):
        s = _SEASON_OF_MONTH[m - 1]
        k = np.clip(1.0 + sd[s, 0] * qf[s][0](u), *KC_REL_BOUNDS)
        sel = months == m
        target = site.monthly["ghi_kwh_m2_day"][m - 1] * 1000.0 * (sel.sum() / 24.0)
        cs, cp = ghi_cs[sel][:, None], cap[sel][:, None]
        lo, hi = 0.05, 50.0  # bisection: the capped mean saturates, a ratio update stalls
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            if np.minimum(cs * mid * k, cp).sum(axis=0).mean() < target:
                lo = mid
            else:
                hi = mid
        scale[m - 1] = 0.5 * (lo + hi)
    rh = np.asarray(site.monthly["rh_frac"], dtype=float)
    pw = rh * np.array([sat_vapor_pressure_pa(t) for t in site.monthly["t_mean_c"]])
    return {
        "idx": idx,
        "ghi_cs": ghi_cs,
        "dni_cs": dni_cs,
        "zenith": solpos["zenith"].to_numpy(dtype=float),
        # day of year of each interval middle (Erbs' extraterrestrial irradiance)
        "doy": (idx + pd.Timedelta(minutes=30)).tz_convert("UTC").day_of_year.to_numpy(float),
        "cap": cap,
        "months": months,
        "day_no": day_no,
        "season": _SEASON_OF_MONTH[day_month - 1],
        "scale_h": scale[months - 1],
        "t_mean": _smooth_monthly(site.monthly["t_mean_c"], doy, months),
        "t_range": _smooth_monthly(_monthly_range(site), doy, months),
        "pw": _smooth_monthly(tuple(pw), doy, months),
        "wind": _smooth_monthly(site.monthly["wind_m_s"], doy, months),
        "wave": np.cos(2.0 * np.pi * (_standard_hour(idx) - T_PEAK_HOUR_LOCAL) / 24.0),
        "station": station,
    }


@lru_cache(maxsize=32)
def typical_wind_mean(site: Site, year: int = 2023) -> float:
    """Annual mean of the typical year's (and the ensemble's smooth) wind curve [m/s]."""
    return float(_base(site, int(year))["wind"].mean())


def _year_effects(rng: np.random.Generator, station: str) -> tuple[float, float, float]:
    """Annual GHI factor, temperature offset [K] and wind factor of one year."""
    y = params()["year"]
    _, _, _, sd, _ = _station(station)
    st = params()["stations"][station]["seasons"]
    # variance of the annual mean clearness that the daily AR(1) gives by itself
    daily = (
        np.mean(
            [
                sd[i, 0] ** 2 * (1 + st[s]["kc"]["phi"]) / (1 - st[s]["kc"]["phi"])
                for i, s in enumerate(_SEASONS)
            ]
        )
        / 365.0
    )
    g_sd = np.sqrt(max(y["ghi_cv"] ** 2 - daily, 0.0))
    e = rng.standard_normal(3)
    return (
        float(np.exp(g_sd * e[0] - 0.5 * g_sd**2)),
        float(y["t_sd_k"] * e[1]),
        float(np.exp(y["wind_cv"] * e[2] - 0.5 * y["wind_cv"] ** 2)),
    )


def ensemble_year(site: Site, weather_year: int, seed: int = 0, year: int = 2023) -> pd.DataFrame:
    """Weather year *weather_year* of the ensemble *seed* at *site* (module docstring).

    Returns 8760 hourly rows on the typical year's index (calendar *year*), columns
    :data:`ENSEMBLE_COLUMNS`. The same ``(site, weather_year, seed, year)`` gives the
    same frame.
    """
    import pvlib

    k = int(weather_year)
    if not 0 <= k <= MAX_WEATHER_YEAR:
        msg = f"site.weather_year = {weather_year} is outside [0, {MAX_WEATHER_YEAR}]"
        raise ValueError(msg)
    b = _base(site, int(year))
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, k, 17])
    g_year, t_year, w_year = _year_effects(rng, b["station"])
    drv = _daily_drivers(b["station"], b["season"], rng)
    rain_day = _rain(b["station"], b["season"], rng)
    n = b["idx"].size
    kc_rel = np.clip(1.0 + drv[:, 0], *KC_REL_BOUNDS)
    # the year factor scales the clear-sky cap too: the spread between years at a clear
    # site is largely the year's aerosol (dust) load, which moves clear-sky irradiance
    ghi = np.minimum(b["ghi_cs"] * b["scale_h"] * kc_rel[b["day_no"]], b["cap"]) * g_year
    erbs = pvlib.irradiance.erbs(ghi, b["zenith"], b["doy"])
    dni = np.minimum(np.nan_to_num(np.asarray(erbs["dni"], dtype=float)), b["dni_cs"])
    cosz = np.clip(np.cos(np.radians(b["zenith"])), 0.0, None)
    dhi = np.clip(ghi - dni * cosz, 0.0, None)
    k_rel = _between_days(np.clip(kc_rel, 1.0 - RANGE_CLOUD_CLIP, 1.0 + RANGE_CLOUD_CLIP), n)
    t_air = (
        b["t_mean"] + _between_days(drv[:, 1] + t_year, n) + 0.5 * b["t_range"] * k_rel * b["wave"]
    )
    p_air = np.full(n, station_pressure_pa(site.elevation_m))
    pws = sat_vapor_pressure_pa_array(t_air)
    rh = np.clip(b["pw"] / pws, 0.02, 1.0)
    wind = b["wind"] * _between_days(np.maximum(1.0 + drv[:, 2], WIND_RATIO_MIN), n) * w_year
    data = pd.DataFrame(
        {
            "ghi_w_m2": ghi,
            "dni_w_m2": dni,
            "dhi_w_m2": dhi,
            "t_air_c": t_air,
            "rh_frac": rh,
            "p_air_pa": p_air,
            "wind_m_s": wind,
            "t_wb_c": wet_bulb_c_array(t_air, rh, p_air),
            "precip_mm": (rain_day / 24.0)[b["day_no"]],
        },
        index=b["idx"],
    )
    return data[list(ENSEMBLE_COLUMNS)]
