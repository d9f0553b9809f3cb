"""Weather and irradiance for Moroccan sites, on pvlib."""

from __future__ import annotations

import os

import pandas as pd

from weather.epw import COLUMNS, WeatherFileError, read_epw
from weather.sites import SITES, Site, UnknownSiteError, get_site, list_sites
from weather.typical_year import typical_year

__all__ = [
    "COLUMNS",
    "SITES",
    "WEATHER_SEED",
    "Site",
    "UnknownSiteError",
    "WeatherFileError",
    "get_site",
    "list_sites",
    "load_weather",
    "read_epw",
    "typical_year",
]

#: Seed of the synthetic weather a run uses (typical year, hourly wind speeds drawn
#: around its monthly means, sub-hourly clouds). It is the weather's own random
#: stream, apart from the operational one (``simulation.seed``: faults, workload),
#: so re-drawing faults never re-draws the weather, and ``twin weather`` without
#: ``--seed`` exports the weather that ``twin run`` uses.
WEATHER_SEED = 0


def load_weather(
    site: Site | str,
    source: str | os.PathLike | None = None,
    year: int = 2023,
    seed: int = WEATHER_SEED,
    warming_c: float = 0.0,
    weather_year: int | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Weather for *site*: the offline typical year, PVGIS, or a weather file.

    Parameters
    ----------
    site : Site or str
        Site or built-in site id.
    source : str, path-like or None
        ``None`` or ``"typical"`` for :func:`weather.typical_year.typical_year`;
        ``"pvgis"`` for the PVGIS typical year at the site (online once, then
        cached: :mod:`weather.pvgis_online`); else a weather file (EPW, TMY3,
        PVGIS CSV/JSON, plain or gzip-compressed; :func:`weather.files.read_weather_file`).
    year, seed : int
        Calendar year (typical year and PVGIS) and random seed (typical year).
    warming_c : float
        Climate what-if: warming applied by :func:`weather.climate.apply_warming` [K].
    weather_year : int or None
        With the synthetic weather (*source* ``None`` or ``"typical"``): year
        *weather_year* of the ensemble *seed* (:func:`weather.ensemble.ensemble_year`)
        instead of the typical year.

    Returns
    -------
    data : pandas.DataFrame
        Hourly weather with :data:`weather.epw.COLUMNS` (plus ``poa_w_m2`` for
        plane-of-array files), labelled by interval start, ``Africa/Casablanca``.
    meta : dict
        ``lat``, ``lon``, ``elevation_m``, ``name``, ``source`` and, for files,
        the clock check (``clock_correction_h`` ...) and the file's distance from
        the site (``site_distance_km``, ``site_elevation_diff_m``; a warning is
        logged when the file is far from it: :mod:`weather.nearby`).
    """
    s = get_site(site) if isinstance(site, str) else site
    src = None if source is None else str(source)
    if weather_year is not None:
        if src not in (None, "typical"):
            msg = (
                f"site.weather_year = {weather_year} needs the synthetic weather "
                f"(site.weather unset or 'typical'), not {src!r}"
            )
            raise ValueError(msg)
        from weather.ensemble import ensemble_year

        data = ensemble_year(s, weather_year, seed=seed, year=year)
        meta = {
            "lat": s.lat,
            "lon": s.lon,
            "elevation_m": s.elevation_m,
            "name": s.name,
            "source": f"ensemble_year(site={s.id!r}, weather_year={weather_year}, seed={seed})",
        }
    elif src is None or src == "typical":
        meta = {
            "lat": s.lat,
            "lon": s.lon,
            "elevation_m": s.elevation_m,
            "name": s.name,
            "source": f"typical_year(site={s.id!r}, year={year}, seed={seed})",
        }
        data = typical_year(s, year=year, seed=seed)
    elif src == "pvgis":
        from weather.pvgis_online import load_pvgis_tmy

        data, meta = load_pvgis_tmy(s.lat, s.lon, year=year)
        meta = {**meta, "name": s.name}
    else:
        from weather.files import read_weather_file
        from weather.nearby import check_file_near_site

        data, meta = read_weather_file(src)
        meta = check_file_near_site(meta, s, src)
    if warming_c:
        from weather.climate import apply_warming

        data = apply_warming(data, warming_c)
        meta = {**meta, "warming_c": warming_c}
    return data, meta
