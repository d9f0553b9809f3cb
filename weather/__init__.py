"""Weather and irradiance for Moroccan sites, on pvlib."""

from __future__ import annotations

import os

import pandas as pd

from weather.io import COLUMNS, WeatherFileError, read_epw
from weather.sites import SITES, Site, UnknownSiteError, get_site, list_sites
from weather.typical_year import typical_year

__all__ = [
    "COLUMNS",
    "SITES",
    "Site",
    "UnknownSiteError",
    "WeatherFileError",
    "get_site",
    "list_sites",
    "load_weather",
    "read_epw",
    "typical_year",
]


def load_weather(
    site: Site | str, source: str | os.PathLike | None = None, year: int = 2023, seed: int = 0
) -> tuple[pd.DataFrame, dict]:
    """Weather for *site*: the offline typical year, or an EPW file.

    Parameters
    ----------
    site : Site or str
        Site or built-in site id.
    source : path-like or None
        ``None`` for :func:`weather.typical_year.typical_year`; else an EPW path.
    year, seed : int
        Typical-year calendar year and random seed (ignored for files).

    Returns
    -------
    data : pandas.DataFrame
        Hourly weather with :data:`weather.io.COLUMNS`.
    meta : dict
        ``lat``, ``lon``, ``elevation_m``, ``name``, ``source``.
    """
    s = get_site(site) if isinstance(site, str) else site
    if source is None:
        meta = {
            "lat": s.lat,
            "lon": s.lon,
            "elevation_m": s.elevation_m,
            "name": s.name,
            "source": f"typical_year(site={s.id!r}, year={year}, seed={seed})",
        }
        return typical_year(s, year=year, seed=seed), meta
    return read_epw(source)
