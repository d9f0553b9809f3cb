"""Fit the weather ensemble's parameters on real files; write ``weather/data/weather_ensemble.json``.

Run from the repository root (it reads the data files of ``tests/data``)::

    python -m weather.calibrate

Per calibration station and season (:data:`weather.daily_stats.SEASONS`), from the
within-month daily anomalies of :mod:`weather.daily_stats` (daily clearness over its
month's mean, temperature minus its month's mean, wind over its month's mean):

* the lag-1 coefficient ``phi`` of the latent Gaussian AR(1) and its standard deviation
  ``sd``, by indirect inference (Gouriéroux, Monfort & Renault, "Indirect inference",
  J. Applied Econometrics 8, S85–S118, 1993): the AR(1) whose simulated months, passed
  through what the ensemble does to it (the copula below; for temperature and wind the
  interpolation between noons, whose daily mean weighs the day before, the day and the
  day after 1/8, 3/4, 1/8) and measured as the data are (within months, temperature
  with its straight line removed), show the data's lag-1 autocorrelation and variance;
* the shape of the anomalies: 21 quantiles of the standardised anomalies (the ensemble
  maps the Gaussian process onto them, a Gaussian copula: skewed clearness with its
  long cloudy tail, the hot tail of chergui days);
* the same-day correlations of the normal scores of the three (cloudy days are cooler
  in winter, hotter calm days in summer...), the coupling of the ensemble;
* precipitation (Richardson, "Stochastic simulation of daily precipitation,
  temperature, and solar radiation", Water Resources Research 17(1), 182–190, 1981): a
  two-state Markov chain of wet days (>= :data:`WET_DAY_MM`) and a gamma distribution
  of wet-day amounts (maximum likelihood, ``scipy.stats.gamma.fit``).

Year-to-year spread (``year``): the standard deviation of the annual mean temperature
from NASA POWER at Ouarzazate 2005–2025 (linear trend removed), less what the daily
process gives by itself; the coefficient of variation of annual GHI from published
figures (no multi-year irradiance series is in the repository): Clean Power Research's
regional-aggregation study gives P99 annual insolation 4–8 % below P50 across the
continental US ("Improved model of solar resource variability based on regional
aggregation and climate zones"), i.e. a standard deviation of 1.7–3.4 % for a normal
distribution (P99 = P50 − 2.33 σ), and Gueymard & Wilcox ("Assessment of spatial and
temporal variability in the US solar resource from radiometric measurements and
predictions from models using ground-based or satellite data", Solar Energy 85,
1068–1084, 2011) report the lowest year-to-year variability of GHI in the sunny
arid south-west; the middle, 2.5 %, is taken (assumed: no Moroccan multi-year figure was
found). Wind: 6 % (assumed, the usual default of wind energy-yield assessments; no
multi-year Moroccan wind series in the repository).
"""

from __future__ import annotations

import datetime as _dt
import gzip
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from weather.daily_stats import SEASONS, daily_table, lag1_within_month, within_month
from weather.typical_year import clear_sky

__all__ = ["QUANTILE_PROBS", "WET_DAY_MM", "fit_ar1", "main", "simulated_moments"]

#: Probabilities of the stored anomaly quantiles.
QUANTILE_PROBS = np.r_[0.001, 0.01, np.linspace(0.05, 0.95, 19)[::1], 0.99, 0.999]
#: A wet day [mm] (Richardson 1981 uses 0.25 mm for gauges; reanalysis drizzle below
#: 1 mm neither cleans panels nor counts as a rain day in climatologies, assumed).
WET_DAY_MM = 1.0
#: Year-to-year coefficient of variation of annual GHI (module docstring) [-].
GHI_YEAR_CV = 0.025
#: Year-to-year coefficient of variation of the annual mean wind speed (assumed) [-].
WIND_YEAR_CV = 0.06
_VARS = ("kc", "t", "wind")
#: Largest latent lag-1 coefficient fitted from within-month statistics. Within one
#: month, with the month's mean or trend removed, an AR(1)'s lag-1 saturates near 0.74
#: as phi -> 1, so phi above ~0.85 is not identified there; 0.86 is the largest
#: seasonal lag-1 of the 21-year continuous NASA POWER series at Ouarzazate.
PHI_MAX = 0.86
_REPO = Path(__file__).resolve().parent.parent
_DATA = _REPO / "tests" / "data"
FILES = {
    "rabat": "MAR_RK_Rabat-Sale.AP.601350_TMYx.2009-2023.epw.gz",
    "agadir": "MAR_SS_Agadir-Massira.Intl.AP.602520_TMYx.epw.gz",
    "tiznit": "MAR_SS_Tiznit.602700_TMYx.epw.gz",
    "ouarzazate": "Timeseries_30.937_-6.906_SA3_32deg_-4deg_2023_2023.csv.gz",
    "nasa": "donnees_meteo_ouarzazate_propre.csv.gz",
}


#: Weights of the day before, the day and the day after in a daily mean of a series
#: interpolated linearly between noons (the ensemble's temperature and wind) [-].
NOON_FILTER = (0.125, 0.75, 0.125)


def simulated_moments(
    phi: float, q: tuple[float, ...], treat: str, smooth: bool, n: int = 2000, seed: int = 1
) -> tuple[float, float]:
    """Lag-1 autocorrelation and variance (per unit latent variance) of what the ensemble
    makes of a unit AR(1) with coefficient *phi*, measured as the data are.

    The Gaussian AR(1) is mapped through the normal CDF onto the standardised quantiles
    *q* (the copula), averaged over days with :data:`NOON_FILTER` when *smooth* (the
    daily mean of a series interpolated between noons), then *treat*-ed: ``"mean"``
    (each 30-day month less its mean), ``"trend"`` (less its straight line) or
    ``"none"`` (one long series). Simulated with a fixed seed.
    """
    from scipy.signal import lfilter
    from scipy.special import ndtr

    rng = np.random.default_rng(seed)
    days = 30 if treat != "none" else 30 * n
    rows = n if treat != "none" else 1
    e = rng.standard_normal((rows, days + 2)) * np.sqrt(1.0 - phi**2)
    e[:, 0] = rng.standard_normal(rows)  # stationary start
    z = lfilter([1.0], [1.0, -phi], e, axis=1)  # z_t = phi z_{t-1} + e_t
    probs = QUANTILE_PROBS
    qa = np.asarray(q, dtype=float)
    grid = np.interp((np.arange(4000) + 0.5) / 4000.0, probs, qa)
    x = (np.interp(ndtr(z), probs, qa) - grid.mean()) / grid.std()
    if smooth:
        w = NOON_FILTER
        x = w[0] * x[:, :-2] + w[1] * x[:, 1:-1] + w[2] * x[:, 2:]
    else:
        x = x[:, 1:-1]
    if treat != "none":
        x = x - x.mean(axis=1, keepdims=True)
    if treat == "trend":
        k = np.arange(days) - (days - 1) / 2.0
        x = x - np.outer(x @ k / (k @ k), k)
    r = float(np.corrcoef(x[:, :-1].ravel(), x[:, 1:].ravel())[0, 1])
    return r, float(x.var())


_PHI_GRID = np.linspace(0.0, 0.96, 49)


def fit_ar1(
    r_obs: float, var_obs: float, q: tuple[float, ...], treat: str, smooth: bool
) -> tuple[float, float]:
    """Latent AR(1) coefficient and standard deviation whose simulated ensemble
    (:func:`simulated_moments`) shows the data's lag-1 *r_obs* and variance *var_obs*;
    the coefficient is capped at :data:`PHI_MAX`."""
    table = np.array([simulated_moments(float(p), q, treat, smooth) for p in _PHI_GRID])
    r_sim, frac = table[:, 0], table[:, 1]
    phi = float(np.interp(r_obs, r_sim, _PHI_GRID)) if r_obs > r_sim[0] else 0.0
    phi = min(phi, PHI_MAX)
    f = float(np.interp(phi, _PHI_GRID, frac))
    return phi, float(np.sqrt(var_obs / f))


def _normal_scores(x: np.ndarray) -> np.ndarray:
    ok = np.isfinite(x)
    out = np.full(x.size, np.nan)
    out[ok] = stats.norm.ppf((stats.rankdata(x[ok]) - 0.5) / ok.sum())
    return out


def _anomalies(day: pd.DataFrame) -> dict[str, pd.Series]:
    out = {}
    if "kc" in day:
        out["kc"] = within_month(day, "kc", ratio=True)
    if "t_mean_c" in day:
        out["t"] = within_month(day, "t_mean_c", ratio=False)
    if "wind_m_s" in day:
        out["wind"] = within_month(day, "wind_m_s", ratio=True)
    return out


def _fit_variable(day: pd.DataFrame, a: pd.Series, season: str, var: str) -> dict:
    """One variable's entry: clearness (a ratio, applied day by day), temperature (a
    difference, trend removed, interpolated between noons) or wind (a ratio,
    interpolated between noons)."""
    ratio = var != "t"
    sel = (day["season"] == season).to_numpy() & np.isfinite(a.to_numpy())
    x = a.to_numpy()[sel] - (1.0 if ratio else 0.0)  # deviations around 0
    q = _quantiles(x)
    r = lag1_within_month(day, a, season)
    treat = "mean" if ratio else "trend"
    phi, sd = fit_ar1(r, float(np.var(x)), q, treat, smooth=var != "kc")
    return _entry(phi, sd, q)


def _quantiles(x: np.ndarray) -> tuple[float, ...]:
    return tuple(round(float(v), 4) for v in np.quantile((x - x.mean()) / x.std(), QUANTILE_PROBS))


def _entry(phi: float, sd: float, q: tuple[float, ...]) -> dict:
    return {"phi": round(phi, 4), "sd": round(sd, 5), "q": list(q)}


def deseasonalised_t(nasa: pd.DataFrame) -> np.ndarray:
    """NASA POWER daily temperature less a 3-harmonic climatology and each year's mean
    anomaly [K]: the day-to-day process of a long continuous series."""
    doy = nasa.index.day_of_year.to_numpy(float)
    t = nasa["t_mean_c"].to_numpy(float)
    w = 2.0 * np.pi * doy / 365.25
    x = np.column_stack([np.ones_like(t)] + [f(k * w) for k in (1, 2, 3) for f in (np.sin, np.cos)])
    r = t - x @ np.linalg.lstsq(x, t, rcond=None)[0]
    return r - pd.Series(r).groupby(nasa.index.year.to_numpy()).transform("mean").to_numpy()


def _fit_t_continuous(nasa: pd.DataFrame, season: str) -> dict:
    """Temperature of a long continuous daily series: the latent AR(1) whose simulated
    daily means (copula and noon interpolation included) have the deseasonalised
    series' lag-1 autocorrelation and variance."""
    r = deseasonalised_t(nasa)
    m = (nasa["season"] == season).to_numpy()
    pair = m[:-1] & m[1:]
    r1 = float(np.corrcoef(r[:-1][pair], r[1:][pair])[0, 1])
    q = _quantiles(r[m])
    phi, sd = fit_ar1(r1, float(r[m].var()), q, "none", smooth=True)
    return _entry(phi, sd, q)


def _coupling(day: pd.DataFrame, an: dict[str, pd.Series], season: str) -> list[list[float]]:
    sel = (day["season"] == season).to_numpy()
    z = np.column_stack([_normal_scores(an[v].to_numpy()[sel]) for v in _VARS])
    z = z[np.all(np.isfinite(z), axis=1)]
    return np.round(np.corrcoef(z.T), 3).tolist()


def _precip(day: pd.DataFrame) -> dict:
    out = {}
    p = day["precip_mm"].to_numpy(float)
    wet = p >= WET_DAY_MM
    nxt = np.r_[np.diff(day.index.to_numpy()) == np.timedelta64(1, "D")]
    for season in ("DJF", "MAM", "JJA", "SON"):
        s = (day["season"].to_numpy()[:-1] == season) & nxt
        dry_prev, wet_prev = s & ~wet[:-1], s & wet[:-1]
        p01 = wet[1:][dry_prev].mean() if dry_prev.any() else 0.0
        p11 = wet[1:][wet_prev].mean() if wet_prev.sum() >= 3 else p01
        amounts = p[(day["season"] == season).to_numpy() & wet] - WET_DAY_MM
        if amounts.size >= 5:
            shape, _, scale = stats.gamma.fit(np.maximum(amounts, 0.01), floc=0.0)
        else:
            shape, scale = 1.0, float(amounts.mean()) if amounts.size else 1.0
        out[season] = {
            "p01": round(float(p01), 4),
            "p11": round(float(p11), 4),
            "shape": round(float(shape), 4),
            "scale_mm": round(float(scale), 4),
        }
    return out


def _epw_daily(path: Path) -> pd.DataFrame:
    import pvlib

    from weather.files import read_weather_file

    data, meta = read_weather_file(path)
    raw, _ = pvlib.iotools.read_epw(io.StringIO(gzip.open(path, "rt").read()))
    data = data.assign(precip_mm=raw["liquid_precipitation_depth"].to_numpy(float))
    cs, _, _ = clear_sky(data.index, meta["lat"], meta["lon"], meta["elevation_m"])
    return daily_table(data, cs)


def _pvgis_daily(path: Path) -> pd.DataFrame:
    from weather.files import read_weather_file

    data, meta = read_weather_file(path)
    cs, _, _ = clear_sky(data.index, meta["lat"], meta["lon"], meta["elevation_m"])
    return daily_table(data, cs)


def nasa_daily(path: Path) -> pd.DataFrame:
    """NASA POWER daily table in the shape of :func:`weather.daily_stats.daily_table`."""
    raw = pd.read_csv(path, parse_dates=["DATE"])
    day = pd.DataFrame(
        {"t_mean_c": raw["T2M"].to_numpy(float), "precip_mm": raw["PRECTOTCORR"].to_numpy(float)},
        index=pd.DatetimeIndex(raw["DATE"]),
    )
    day.insert(0, "season", [SEASONS[m] for m in day.index.month])
    day.insert(0, "month", day.index.month.to_numpy())
    day.insert(0, "yr", 0)
    return day


def annual_t_sd(day: pd.DataFrame) -> float:
    """Standard deviation of the annual mean temperature, linear trend removed [K]."""
    ann = day.groupby(day.index.year)["t_mean_c"].mean()
    years = ann.index.to_numpy(float)
    resid = ann.to_numpy() - np.polyval(np.polyfit(years, ann.to_numpy(), 1), years)
    return float(np.std(resid, ddof=2))


def _station(day: pd.DataFrame, t_day: pd.DataFrame | None = None) -> dict:
    an = _anomalies(day)
    seasons = {}
    for season in ("DJF", "MAM", "JJA", "SON"):
        seasons[season] = {
            "kc": _fit_variable(day, an["kc"], season, "kc"),
            "t": _fit_t_continuous(t_day, season)
            if t_day is not None
            else _fit_variable(day, an["t"], season, "t"),
            "wind": _fit_variable(day, an["wind"], season, "wind"),
            "corr": _coupling(day, an, season),
        }
    return seasons


def _year_t_sd(nasa: pd.DataFrame, seasons: dict) -> float:
    """Year effect of temperature: observed annual spread less the daily process's."""
    obs = annual_t_sd(nasa)
    phi = np.mean([seasons[s]["t"]["phi"] for s in seasons])
    sd = np.sqrt(np.mean([seasons[s]["t"]["sd"] ** 2 for s in seasons]))
    daily_var = sd**2 * (1 + phi) / (1 - phi) / 365.0  # variance of a year's mean of AR(1)
    return float(np.sqrt(max(obs**2 - daily_var, 0.0)))


def fit_all(data: Path = _DATA) -> dict:
    """Every station's parameters (see the module docstring)."""
    nasa = nasa_daily(data / FILES["nasa"])
    stations = {}
    for sid in ("rabat", "agadir", "tiznit"):
        day = _epw_daily(data / FILES[sid])
        stations[sid] = {"seasons": _station(day), "precip": _precip(day)}
    pv = _pvgis_daily(data / FILES["ouarzazate"])
    stations["ouarzazate"] = {"seasons": _station(pv, t_day=nasa), "precip": _precip(nasa)}
    year_t = _year_t_sd(nasa, stations["ouarzazate"]["seasons"])
    return {
        "provenance": {
            "script": "python -m weather.calibrate (weather/calibrate.py)",
            "written": _dt.date.today().isoformat(),
            "files": {k: f"tests/data/{v}" for k, v in FILES.items()},
            "stations": {
                "rabat": "Rabat-Salé TMYx 2009-2023 EPW: clearness, temperature, wind, rain",
                "agadir": "Agadir-Massira TMYx 1992-2023 EPW: the same",
                "tiznit": "Tiznit TMYx 1988-2006 EPW: the same",
                "ouarzazate": "PVGIS-SARAH3 2023 hourly (clearness, wind, coupling); NASA "
                "POWER daily 2005-2025 (temperature anomalies, rain)",
            },
            "year": "t_sd_k: NASA POWER Ouarzazate annual means 2005-2025, detrended, less "
            "the daily process; ghi_cv, wind_cv: see weather/calibrate.py",
            "wet_day_mm": WET_DAY_MM,
            "quantile_probs": [round(float(p), 4) for p in QUANTILE_PROBS],
        },
        "year": {
            "t_sd_k": round(year_t, 4),
            "ghi_cv": GHI_YEAR_CV,
            "wind_cv": WIND_YEAR_CV,
            "nasa_annual_t_sd_k": round(annual_t_sd(nasa), 4),
        },
        "stations": stations,
    }


def main() -> None:
    params = fit_all()
    out = Path(__file__).resolve().parent / "data" / "weather_ensemble.json"
    out.write_text(json.dumps(params, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.name}: stations {', '.join(params['stations'])}; year {params['year']}")


if __name__ == "__main__":  # pragma: no cover - calibration run
    main()
