"""Ensembles: one scenario over many synthetic weather years, at sweep throughput.

>>> import twin
>>> ds = twin.ensemble(twin.Scenario(site={"id": "ouarzazate"}), years=30)  # doctest: +SKIP
>>> float(ds["pv_energy_mwh"].quantile(0.1))  # doctest: +SKIP

An ensemble is a sweep that varies ``site.weather_year`` over ``0 .. years-1`` with
``site.weather_seed = seed`` (:mod:`weather.ensemble`): the same batched kernels, the
same input cache (keyed on the weather year, so each year's weather is built once and
every year after the first reuses the compiled code), the same KPIs as ``twin run``.
The result is the sweep's :class:`xarray.Dataset` along ``weather_year`` instead of
``scenario``. :func:`summary` gives each KPI's 10th, 50th and 90th percentiles and
mean over the years.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import xarray as xr

from twin.errors import ScenarioError, TwinError, WeatherError
from twin.results.kpis import KPI_NAMES
from twin.scenario.model import Scenario

#: Most weather years of one ensemble [-]. Memory: the sweep holds one chunk of years
#: and the input cache at most 64 years of series at a time, so memory is flat in the
#: years; what grows is the result (KPIs x years) and the time (~0.2 s a year to build
#: its weather, plus the runs): 10,000 years is hours of work, more is refused.
MAX_YEARS = 10_000
#: Percentiles reported by :func:`summary` [%].
PERCENTILES = (10, 50, 90)


def check_years(years: int) -> None:
    """Refuse an ensemble that is empty or too large (one line, naming the field)."""
    if isinstance(years, bool) or not isinstance(years, int | np.integer):
        raise ScenarioError(f"years = {years!r}: must be an integer in [1, {MAX_YEARS}]")
    if not 1 <= years <= MAX_YEARS:
        raise ScenarioError(f"years = {years}: must be in [1, {MAX_YEARS}]")


def ensemble(
    scenario: Scenario | None = None,
    years: int = 30,
    seed: int = 0,
    backend: str = "local",
    **sweep_kw: Any,
) -> xr.Dataset:
    """KPIs of *scenario* in each of *years* synthetic weather years of ensemble *seed*.

    Returns the sweep's Dataset along ``weather_year`` (``0 .. years-1``), with attributes
    ``years``, ``seed`` and ``wall_s``. Raises :class:`~twin.errors.TwinError` on bad
    input (unknown site, a weather file, years out of range) and when a year fails.
    """
    from twin.sweeps.front import sweep
    from weather.sites import UnknownSiteError, get_site

    base = scenario if scenario is not None else Scenario()
    check_years(years)
    if not 0 <= int(seed) <= 2**32 - 1:
        raise ScenarioError(f"seed = {seed}: must be in [0, 4294967295]")
    try:
        get_site(base.site.id)
    except UnknownSiteError as exc:
        raise WeatherError(f"site.id = {base.site.id!r}: {exc.args[0]}") from None
    if base.site.weather not in (None, "", "typical"):
        msg = f"site.weather = {base.site.weather!r}: an ensemble needs the synthetic weather"
        raise WeatherError(msg)
    base = base.with_overrides([f"site.weather_seed={int(seed)}"])
    t0 = time.perf_counter()
    ds = sweep(base, {"site.weather_year": list(range(years))}, backend=backend, **sweep_kw)
    wall_s = time.perf_counter() - t0
    errors = [str(e) for e in ds["error"].values if str(e)]
    if errors:
        raise TwinError(f"{len(errors)} of {years} weather years failed; first: {errors[0]}")
    # a grid sweep comes back with one dimension per varied key (twin.sweeps.dataset.to_grid)
    ds = ds.rename({"site.weather_year": "weather_year"})
    if "scenario" in ds.dims:
        ds = ds.swap_dims({"scenario": "weather_year"})
    ds = ds.drop_vars("scenario")
    ds.attrs.update(years=int(years), seed=int(seed), wall_s=round(wall_s, 3))
    return ds


def summary(ds: xr.Dataset) -> dict[str, Any]:
    """``{"p10": {KPI: value}, "p50": ..., "p90": ..., "mean": ..., "meta": ...}``: each
    KPI's percentiles (linear interpolation) and mean over the weather years."""
    out: dict[str, Any] = {f"p{p}": {} for p in PERCENTILES}
    out["mean"] = {}
    for name in KPI_NAMES:
        v = np.asarray(ds[name].values, dtype=float)
        for p in PERCENTILES:
            out[f"p{p}"][name] = _num(np.nanpercentile(v, p)) if np.isfinite(v).any() else None
        out["mean"][name] = _num(np.nanmean(v)) if np.isfinite(v).any() else None
    out["meta"] = {
        "years": int(ds.attrs.get("years", ds.sizes["weather_year"])),
        "seed": int(ds.attrs.get("seed", 0)),
        "wall_s": float(ds.attrs.get("wall_s", float("nan"))),
    }
    return out


def _num(x: float) -> float:
    return float(round(float(x), 6))
