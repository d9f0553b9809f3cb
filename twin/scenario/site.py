"""``[site]``: where the hall is and which weather it sees."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from twin.scenario.base import Section

#: ``site.weather`` values that name a source rather than a file.
WEATHER_KEYWORDS = ("typical", "pvgis")


class SiteConfig(Section):
    id: str = Field("casablanca", description="Built-in site id; `twin sites` lists them.")
    weather: str | None = Field(
        None,
        description="'typical' (or empty) for the site's offline typical year, 'pvgis' for "
        "the PVGIS typical year (online, cached on disk), or a weather file path (EPW, "
        "TMY3, PVGIS CSV, plain or gzip-compressed; relative to the scenario file).",
    )
    year: int = Field(2023, ge=1950, le=2100, description="Calendar year of the time axis.")
    warming_c: float = Field(
        0.0,
        ge=-6,
        le=6,
        description="Climate what-if: dry bulb + warming at constant RH [K] (Belcher 2005 shift).",
    )
    weather_year: int | None = Field(
        None,
        ge=0,
        le=99_999,
        description="Synthetic weather year: index of a year of the site's weather ensemble "
        "(weather.ensemble: day-to-day persistence, coupling and year-to-year spread "
        "fitted on real files); unset for the typical year. `twin ensemble` varies it.",
    )
    weather_seed: int = Field(
        0,
        ge=0,
        le=2**32 - 1,
        description="Seed of the weather ensemble that site.weather_year indexes.",
    )
    subhourly: Literal["interpolate", "variability"] = Field(
        "interpolate",
        description="15 min / 1 min weather: linear interpolation of the hourly values, or "
        "stochastic cloud variability conserving each hour's irradiation (weather.subhourly).",
    )
