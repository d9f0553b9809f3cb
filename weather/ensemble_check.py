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
* ``t_month_sd_k``: standard deviation of a calendar month's mean temperature between
  years, averaged over the months [K];
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

__all__ = ["DATA_FILES", "TOLERANCES", "compare", "data_days", "ensemble_days", "statistics"]

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
#: Tolerance of each statistic: ("abs", d) |ensemble - data| <= d; ("rel", f) within the
#: fraction f of the data; ("range", d) the data's yearly value(s) inside the ensemble's
#: 5th-95th percentile range widened by d days; ("band", lo, hi) the ensemble inside a
#: published band. Sized to the sampling error of the records (one TMY month per calendar
#: month: the standard error of a lag-1 over ~90 day pairs is ~0.1).
TOLERANCES: dict[str, tuple] = {
    **{f"kc_lag1_{s}": ("abs", 0.15) for s in _SEASONS},
    "cloudy_longest": ("range", 1),
    "t_sd_k": ("rel", 0.2),
    "t_lag1": ("abs", 0.1),
    "t_p99_c": ("abs", 2.0),
    "calm_mean_d": ("rel", 0.35),
    "calm_longest": ("range", 1),
    "t_annual_sd_k": ("rel", 0.35),
    "t_month_sd_k": ("rel", 0.35),
    # published year-to-year spread of annual GHI (weather/calibrate.py): 1.7-3.4 %
    "ghi_cv": ("band", 0.017, 0.034),
}
#: Statistics not compared with a record because the ensemble was not fitted on it:
#: Ouarzazate's temperature comes from NASA POWER's 21 years, not PVGIS's one.
_NOT_FROM = {"pvgis": ("t_sd_k", "t_lag1", "t_p99_c")}


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
    if n_years > 1 or day.index.year.nunique() > 5:
        year = day["yr"].to_numpy() if n_years > 1 else day.index.year.to_numpy()
        months = day.groupby([year, day["month"].to_numpy()])["t_mean_c"].mean().unstack()
        out["t_month_sd_k"] = float(months.std(ddof=1).mean())
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


def _judge(stat: str, ens, data) -> tuple[bool, str]:
    kind, *arg = TOLERANCES[stat]
    if kind == "range":
        lo, hi = np.percentile(ens, [5, 95])
        ok = bool(np.all((data >= lo - arg[0]) & (data <= hi + arg[0])))
        return ok, f"data in ensemble P5-P95 ± {arg[0]} d"
    if kind == "abs":
        return bool(abs(ens - data) <= arg[0]), f"± {arg[0]:g}"
    if kind == "rel":
        return bool(abs(ens - data) <= arg[0] * abs(data)), f"± {100 * arg[0]:.0f} %"
    lo, hi = arg
    return bool(lo <= ens <= hi), f"in [{lo:g}, {hi:g}]"


def compare(site: Site, data_dir: Path, years: int = 40, seed: int = 0) -> list[dict]:
    """One row per statistic and record of *site*: the ensemble's value (its yearly
    values for per-year statistics), the record's, the tolerance and whether it holds."""
    ens = statistics(ensemble_days(site, years, seed))
    rows = []
    for label, kind, name in DATA_FILES[site.id]:
        dat = statistics(data_days(kind, data_dir / name))
        for stat, value in dat.items():
            if stat in _NOT_FROM.get(kind, ()) or stat not in ens:
                continue
            ok, tol = _judge(stat, ens[stat], value)
            rows.append(
                {
                    "site": site.id,
                    "stat": stat,
                    "ensemble": ens[stat],
                    "record": label,
                    "data": value,
                    "tolerance": tol,
                    "ok": ok,
                }
            )
    ok, tol = _judge("ghi_cv", ens["ghi_cv"], None)
    rows.append(
        {
            "site": site.id,
            "stat": "ghi_cv",
            "ensemble": ens["ghi_cv"],
            "record": "published (weather/calibrate.py)",
            "data": (0.017, 0.034),
            "tolerance": tol,
            "ok": ok,
        }
    )
    return rows
