"""Is a weather file's location that of the chosen site? (distance and elevation).

A weather file measured far from the site, or at another elevation, describes
another climate: the run would size cooling and solar on the wrong weather
without saying so. :func:`check_file_near_site` records the great-circle
distance and the elevation difference in the file's metadata and logs a
warning naming both places when either is over its limit (logging, so the
command line prints it on stderr and a library user's logging decides).

Distance: haversine on a sphere of the mean Earth radius 6371.0 km (IUGG
mean radius, Moritz, "Geodetic Reference System 1980", Bulletin Géodésique
54, 1980). Elevation: the near-surface lapse rate of the ICAO standard
atmosphere, 6.5 K/km (ICAO Doc 7488/3, 1993), turns an elevation difference
into a mean temperature offset.
"""

from __future__ import annotations

import logging

import numpy as np

from weather.sites import Site

__all__ = ["MAX_DISTANCE_KM", "MAX_ELEVATION_DIFF_M", "check_file_near_site", "distance_km"]

logger = logging.getLogger(__name__)

#: Mean Earth radius [km] (IUGG, GRS 80).
EARTH_RADIUS_KM = 6371.0
#: Distance beyond which a file is not the site's weather [km] (assumed: Morocco's
#: climate changes within tens of kilometres between the Atlantic coast and the
#: interior, e.g. annual means of 17.8 °C at Casablanca and 19.5 °C at Benguerir,
#: 131 km apart, in the site catalogue; 50 km keeps a nearby airport station and
#: refuses the next city).
MAX_DISTANCE_KM = 50.0
#: Elevation difference beyond which a file is not the site's weather [m]
#: (assumed: 150 m is ~1 K of mean temperature at the ICAO 6.5 K/km lapse rate).
MAX_ELEVATION_DIFF_M = 150.0
#: ICAO standard atmosphere lapse rate [K/m].
LAPSE_RATE_K_PER_M = 0.0065


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points [km] (haversine)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(min(1.0, a))))


def check_file_near_site(meta: dict, site: Site, source: str) -> dict:
    """A copy of *meta* with ``site_distance_km`` and ``site_elevation_diff_m``;
    logs a warning naming the file's location and the site's when the file is
    more than :data:`MAX_DISTANCE_KM` away or :data:`MAX_ELEVATION_DIFF_M` off.

    Metadata without coordinates is returned unchanged.
    """
    try:
        lat, lon = float(meta["lat"]), float(meta["lon"])
    except (KeyError, TypeError, ValueError):
        return dict(meta)
    dist = distance_km(lat, lon, site.lat, site.lon)
    elev = meta.get("elevation_m")
    d_elev = float(elev) - site.elevation_m if elev is not None else 0.0
    out = {**meta, "site_distance_km": dist, "site_elevation_diff_m": d_elev}
    if dist > MAX_DISTANCE_KM or abs(d_elev) > MAX_ELEVATION_DIFF_M:
        logger.warning(
            "weather file %s (%s, %.3f N %.3f E, %.0f m) is %.0f km from site %s "
            "(%.3f N %.3f E, %.0f m) and %+.0f m in elevation (~%+.1f K of mean "
            "temperature at 6.5 K/km); limits %.0f km and %.0f m: is it the site's weather?",
            source,
            meta.get("name", "?"),
            lat,
            lon,
            site.elevation_m + d_elev,
            dist,
            site.id,
            site.lat,
            site.lon,
            site.elevation_m,
            d_elev,
            -LAPSE_RATE_K_PER_M * d_elev,
            MAX_DISTANCE_KM,
            MAX_ELEVATION_DIFF_M,
        )
    return out
