"""Catalogue of built-in Moroccan sites and their monthly climate figures.

The figures live in ``weather/data/sites.toml`` with one source line per monthly
array (``derived:`` marks values computed from a sourced figure, with the
arithmetic stated). Coordinates come from ``docs/morocco.md`` (section
"Sites").

References
----------
.. [1] Atlas Twin, ``docs/morocco.md``, "Sites".
.. [2] climate.onebuilding.org TMYx EPW files for Rabat-Salé, Agadir and Tiznit;
   PVGIS 5.3 (SARAH-3) and NASA POWER series for Ouarzazate (see the TOML).
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from importlib import resources

__all__ = ["MONTHLY_FIELDS", "SITES", "Site", "UnknownSiteError", "get_site", "list_sites"]

logger = logging.getLogger(__name__)

#: Monthly arrays every site carries (12 values, January..December).
MONTHLY_FIELDS = (
    "t_mean_c",
    "t_max_c",
    "t_min_c",
    "rh_frac",
    "ghi_kwh_m2_day",
    "wind_m_s",
)


class UnknownSiteError(LookupError):
    """Raised by :func:`get_site` for an id that is not in the catalogue."""


@dataclass(frozen=True)
class Site:
    """A site with its location and monthly climate.

    Attributes
    ----------
    id : str
        Lowercase ASCII identifier (``"casablanca"``).
    name : str
        Display name, with accents.
    lat, lon : float
        Latitude and longitude [degrees, north and east positive].
    elevation_m : float
        Elevation above sea level [m].
    tz : str
        IANA time zone, ``"Africa/Casablanca"``.
    climate_note : str
        Short climate description with its source.
    monthly : dict[str, tuple[float, ...]]
        12 monthly values per name in :data:`MONTHLY_FIELDS`: ``t_mean_c``,
        ``t_max_c``, ``t_min_c`` [°C], ``rh_frac`` [0–1], ``ghi_kwh_m2_day``
        [kWh/m²/day], ``wind_m_s`` [m/s at 10 m].
    sources : dict[str, str]
        One source line per monthly array.
    """

    id: str
    name: str
    lat: float
    lon: float
    elevation_m: float
    tz: str
    climate_note: str
    monthly: dict[str, tuple[float, ...]] = field(hash=False)
    sources: dict[str, str] = field(hash=False)


def _site_from_record(rec: dict) -> Site:
    monthly_raw = rec["monthly"]
    sources = rec["sources"]
    monthly: dict[str, tuple[float, ...]] = {}
    for key in MONTHLY_FIELDS:
        values = tuple(float(v) for v in monthly_raw[key])
        if len(values) != 12:
            msg = f"site {rec['id']!r}: monthly.{key} has {len(values)} values, expected 12"
            raise ValueError(msg)
        if key not in sources:
            msg = f"site {rec['id']!r}: monthly.{key} has no source line"
            raise ValueError(msg)
        monthly[key] = values
    return Site(
        id=rec["id"],
        name=rec["name"],
        lat=float(rec["lat"]),
        lon=float(rec["lon"]),
        elevation_m=float(rec["elevation_m"]),
        tz=rec["tz"],
        climate_note=rec["climate_note"],
        monthly=monthly,
        sources=dict(sources),
    )


def _load_catalogue() -> dict[str, Site]:
    text = resources.files("weather").joinpath("data/sites.toml").read_text("utf-8")
    records = tomllib.loads(text)["site"]
    sites = {rec["id"]: _site_from_record(rec) for rec in records}
    logger.debug("loaded %d built-in sites", len(sites))
    return sites


#: Built-in sites by id.
SITES: dict[str, Site] = _load_catalogue()


def get_site(site_id: str) -> Site:
    """Return the built-in site *site_id*.

    Parameters
    ----------
    site_id : str
        Site identifier, case-insensitive (``"rabat"``).

    Returns
    -------
    Site

    Raises
    ------
    UnknownSiteError
        If the id is unknown; the message lists the known ids.
    """
    key = str(site_id).strip().lower()
    if key not in SITES:
        msg = f"unknown site {site_id!r}; known sites: {', '.join(sorted(SITES))}"
        raise UnknownSiteError(msg)
    return SITES[key]


def list_sites() -> list[Site]:
    """Return all built-in sites, in catalogue order."""
    return list(SITES.values())
