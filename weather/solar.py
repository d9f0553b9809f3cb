"""Solar position for an hourly weather year, computed once per site-year.

The offline typical year (clear sky) and the PV chain both need the sun at the
middle of every hourly interval. This module computes it once with pvlib's SPA
(``pvlib.solarposition.get_solarposition``, Reda & Andreas 2004) and keeps the
last few site-years, so a run never computes the same 8,760 positions twice.
Refraction uses the standard pressure at the site's elevation
(``pvlib.atmosphere.alt2pres``) and pvlib's default 12 °C.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

_CACHE_SITE_YEARS = 16


@lru_cache(maxsize=_CACHE_SITE_YEARS)
def _cached(
    start: pd.Timestamp,
    periods: int,
    freq: pd.Timedelta,
    lat: float,
    lon: float,
    elevation_m: float,
) -> pd.DataFrame:
    import pvlib

    mid = pd.date_range(start.tz_convert("UTC") if start.tz else start, periods=periods, freq=freq)
    pressure = pvlib.atmosphere.alt2pres(elevation_m)
    if freq < pd.Timedelta(hours=1):
        # sub-hourly: pvlib's ephemeris algorithm, ~11x faster than SPA for a 1-minute
        # year (0.66 s vs 7.5 s for 525,600 instants) and within 0.012° of SPA in zenith
        # and 0.026° in azimuth while the sun is up (measured, Casablanca 2023)
        return pvlib.solarposition.ephemeris(mid, lat, lon, pressure=pressure)
    return pvlib.solarposition.get_solarposition(
        mid, lat, lon, altitude=elevation_m, pressure=pressure
    )


def solar_position_mid_interval(
    index: pd.DatetimeIndex, lat: float, lon: float, elevation_m: float
) -> pd.DataFrame:
    """pvlib solar position at ``index + 30 min`` for an hourly, regular index.

    Returns pvlib's frame (``apparent_zenith``, ``zenith``, ``azimuth`` ... in
    degrees), indexed by the interval middles. Treat it as read-only: it is
    shared between callers.
    """
    import pvlib

    mid = index + pd.Timedelta(minutes=30)
    steps = np.diff(mid.asi8)
    if len(mid) < 2 or not (steps == steps[0]).all():
        return pvlib.solarposition.get_solarposition(
            mid, lat, lon, altitude=elevation_m, pressure=pvlib.atmosphere.alt2pres(elevation_m)
        )
    shared = _cached(mid[0], len(mid), mid[1] - mid[0], float(lat), float(lon), float(elevation_m))
    return shared.set_axis(mid)


def solar_position_mid_step(
    index: pd.DatetimeIndex, lat: float, lon: float, elevation_m: float
) -> pd.DataFrame:
    """pvlib solar position at the middle of each interval of a regular index.

    Any step (1 h, 15 min, 1 min): the step is read from the index and the
    positions are cached per site-year and step like
    :func:`solar_position_mid_interval`. Hourly steps use SPA (Reda & Andreas
    2004, ``pvlib.solarposition.get_solarposition``); shorter steps use
    ``pvlib.solarposition.ephemeris`` (measured: within 0.012° of SPA in zenith,
    11x faster). A 1-minute year (525,600 positions, 0.7 s) is computed once
    and then shared.
    """
    import pvlib

    if len(index) < 2:
        mid = index + pd.Timedelta(minutes=30)
        return pvlib.solarposition.get_solarposition(
            mid, lat, lon, altitude=elevation_m, pressure=pvlib.atmosphere.alt2pres(elevation_m)
        )
    step = index[1] - index[0]
    mid = index + step / 2
    steps = np.diff(mid.asi8)
    if not (steps == steps[0]).all():
        return pvlib.solarposition.get_solarposition(
            mid, lat, lon, altitude=elevation_m, pressure=pvlib.atmosphere.alt2pres(elevation_m)
        )
    shared = _cached(mid[0], len(mid), step, float(lat), float(lon), float(elevation_m))
    return shared.set_axis(mid)
