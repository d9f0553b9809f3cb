"""The ensemble against the real files, statistic by statistic (:mod:`weather.daily_stats`).

Used by ``benchmarks/weather_ensemble_check.py`` (the table of ``docs/weather.md``) and by
the tests, so both measure the same thing. Every statistic is computed the same way on the
ensemble's years and on each data file:

* ``kc_lag1_<season>``: lag-1 autocorrelation of daily clearness within months, by season;
* ``cloudy_longest``: longest cloudy spell of each year (days with clearness a quarter
  below the month's mean, inside months) [days];
* ``t_sd_k`` and ``t_lag1``: standard deviation and lag-1 autocorrelation of the daily
  temperature anomaly (within-month, trend removed);
* ``t_p99_c``: 99th percentile of the daily mean temperature [°C];
* ``calm_mean_d`` and ``calm_longest``: mean length of calm spells (daily wind below 60 %
  of the month's mean) and the longest of each year [days];
* ``ghi_cv`` and ``t_annual_sd_k``: spread between years of annual GHI (coefficient of
  variation) and of the annual mean temperature (standard deviation; NASA POWER's with
  its linear trend removed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from weather.daily_stats import (
    CALM_WIND_RATIO,
    CLOUDY_KC_REL,
    daily_table,
    lag1_within_month,
    longest_runs,
    spells,
    within_month,
)
from weather.sites import Site

__all__ = ["DATA_FILES", "data_days", "ensemble_days", "statistics"]

#: Real files per built-in site: (label, loader, file name under tests/data).
DATA_FILES = {
    "rabat": (
        (
            "Rabat TMYx 2009-2023 (fitted)",
            "epw",
            "MAR_RK_Rabat-Sale.AP.601350_TMYx.2009-2023.epw.gz",
        ),
        ("Rabat TMYx 1943-2025 (held out)", "epw", "MAR_RK_Rabat-Sale.AP.601350_TMYx.epw.gz"),
    ),
    "agadir": (
        (
            "Agadir TMYx 1992-2023 (fitted)",
            "epw",
            "MAR_SS_Agadir-Massira.Intl.AP.602520_TMYx.epw.gz",
        ),
    ),
    "ouarzazate": (
        (
            "PVGIS-SARAH3 2023 (fitted)",
            "pvgis",
            "Timeseries_30.937_-6.906_SA3_32deg_-4deg_2023_2023.csv.gz",
        ),
        ("NASA POWER 2005-2025", "nasa", "donnees_meteo_ouarzazate_propre.csv.gz"),
    ),
}
_SEASONS = ("DJF", "MAM", "JJA", "SON")


def ensemble_days(site: Site, years: int, seed: int = 0) -> pd.DataFrame:
    """Daily table of *years* ensemble years, ``yr`` = the weather year."""
    from weather.ensemble import _base, ensemble_year

    cs = _base(site, 2023)["ghi_cs"]
    return pd.concat([daily_table(ensemble_year(site, k, seed), cs, yr=k) for k in range(years)])


def data_days(kind: str, path: Path) -> pd.DataFrame:
    """Daily table of one real file (``epw``, ``pvgis`` or ``nasa``)."""
    from weather import calibrate

    if kind == "epw":
        return calibrate._epw_daily(path)
    if kind == "pvgis":
        return calibrate._pvgis_daily(path)
    return calibrate.nasa_daily(path)


def statistics(day: pd.DataFrame) -> dict[str, object]:
    """Every statistic of the module docstring that *day* has the columns for."""
    out: dict[str, object] = {}
    if "kc" in day:
        kc = within_month(day, "kc", ratio=True)
        for s in _SEASONS:
            out[f"kc_lag1_{s}"] = lag1_within_month(day, kc, s)
        out["cloudy_longest"] = longest_runs(day, (kc < CLOUDY_KC_REL).to_numpy())
    if "t_mean_c" in day:
        t = within_month(day, "t_mean_c", ratio=False)
        out["t_sd_k"] = float(np.nanstd(t))
        out["t_lag1"] = lag1_within_month(day, t)
        out["t_p99_c"] = float(np.nanpercentile(day["t_mean_c"], 99))
    if "wind_m_s" in day:
        calm = (within_month(day, "wind_m_s", ratio=True) < CALM_WIND_RATIO).to_numpy()
        runs = spells(day, calm)
        out["calm_mean_d"] = float(runs.mean()) if runs.size else 0.0
        out["calm_longest"] = longest_runs(day, calm)
    n_years = day["yr"].nunique()
    if n_years > 1:
        ann = day.groupby("yr")
        if "h_kwh_m2" in day:
            g = ann["h_kwh_m2"].sum().to_numpy()
            out["ghi_cv"] = float(g.std(ddof=1) / g.mean())
        out["t_annual_sd_k"] = float(ann["t_mean_c"].mean().std(ddof=1))
    elif day.index.year.nunique() > 5:  # a multi-year record (NASA POWER)
        from weather.calibrate import annual_t_sd

        out["t_annual_sd_k"] = annual_t_sd(day)
    return out
