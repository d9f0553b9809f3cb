"""PVGIS typical year fetched online through pvlib, with an on-disk cache.

``pvlib.iotools.get_pvgis_tmy`` queries the JRC PVGIS API (the only network
access of the weather layer). The response is written to the cache as a PVGIS
TMY CSV file (the format PVGIS itself serves, read back by
``pvlib.iotools.read_pvgis_tmy``), so a site is downloaded once and later runs
work offline. The cache folder is ``$ATLAS_TWIN_CACHE/pvgis`` or
``~/.cache/atlas-twin/pvgis``.

References
----------
.. [1] European Commission JRC, PVGIS 5.3 non-interactive service, "tmy" tool.
.. [2] pvlib-python, ``iotools.get_pvgis_tmy`` / ``read_pvgis_tmy``.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import pandas as pd

from weather.epw import WeatherFileError
from weather.files import pvgis_tmy_frame, read_pvgis_tmy

__all__ = ["cache_dir", "load_pvgis_tmy", "write_pvgis_tmy_csv"]

logger = logging.getLogger(__name__)

#: PVGIS CSV column of each pvlib name (inverse of ``pvlib.iotools.pvgis.VARIABLE_MAP``).
_PVGIS_COLUMNS = {
    "temp_air": "T2m",
    "relative_humidity": "RH",
    "ghi": "G(h)",
    "dni": "Gb(n)",
    "dhi": "Gd(h)",
    "IR(h)": "IR(h)",
    "wind_speed": "WS10m",
    "wind_direction": "WD10m",
    "pressure": "SP",
}


def cache_dir() -> Path:
    """Folder of cached PVGIS responses."""
    root = os.environ.get("ATLAS_TWIN_CACHE")
    base = Path(root) if root else Path.home() / ".cache" / "atlas-twin"
    return base / "pvgis"


def write_pvgis_tmy_csv(raw: pd.DataFrame, meta: dict, path: Path) -> None:
    """Write pvlib's parsed PVGIS TMY (``map_variables=True``) as a PVGIS TMY CSV file.

    Written to a temporary name and renamed, so a crash never leaves half a file.
    """
    inputs = meta.get("inputs", meta)
    loc = inputs.get("location", inputs)
    lines = [
        f"Latitude (decimal degrees): {float(loc['latitude']):.3f}",
        f"Longitude (decimal degrees): {float(loc['longitude']):.3f}",
        f"Elevation (m): {float(loc.get('elevation', 0.0)):.1f}",
    ]
    offset = inputs.get("irradiance time offset")
    if offset is not None:
        lines.append(f"Irradiance Time Offset (h): {float(offset):.4f}")
    lines.append("month,year")
    months = meta.get("months_selected") or [{"month": m, "year": 1990} for m in range(1, 13)]
    lines += [f"{int(m['month'])},{int(m['year'])}" for m in months]
    cols = [c for c in _PVGIS_COLUMNS if c in raw.columns]
    lines.append(",".join(["time(UTC)", *(_PVGIS_COLUMNS[c] for c in cols)]))
    idx = raw.index.tz_convert("UTC") if raw.index.tz else raw.index
    stamps = idx.strftime("%Y%m%d:%H%M")
    values = raw[cols].to_numpy(float)
    lines += [
        ",".join([t, *(f"{v:.2f}" for v in row)]) for t, row in zip(stamps, values, strict=True)
    ]
    lines += ["", "T2m: 2-m air temperature (degree Celsius)", "PVGIS (c) European Union"]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    tmp.replace(path)


def load_pvgis_tmy(
    lat: float, lon: float, year: int = 2023, cache: Path | None = None, timeout_s: float = 30.0
) -> tuple[pd.DataFrame, dict]:
    """PVGIS typical year at (*lat*, *lon*): from the cache, else online (then cached).

    Raises
    ------
    WeatherFileError
        If there is no cached copy and the request fails (no network, PVGIS error).
    """
    import pvlib

    folder = cache if cache is not None else cache_dir()
    path = folder / f"pvgis_tmy_{lat:.3f}_{lon:.3f}.csv"
    if path.is_file():
        logger.info("PVGIS TMY from cache %s", path)
        data, meta = read_pvgis_tmy(path, year=year)
        return data, {**meta, "source": f"PVGIS TMY (cached {path.name})"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw, meta_raw = pvlib.iotools.get_pvgis_tmy(
                lat,
                lon,
                outputformat="json",
                map_variables=True,
                roll_utc_offset=None,
                coerce_year=None,
                timeout=timeout_s,
            )
    except Exception as exc:  # requests raises many types; no network is the usual one
        msg = (
            f"PVGIS request for lat={lat}, lon={lon} failed ({type(exc).__name__}: {exc}) "
            f"and there is no cached copy at {path}; use site.weather = 'typical' or a file"
        )
        raise WeatherFileError(msg) from None
    write_pvgis_tmy_csv(raw, meta_raw, path)
    data, meta = pvgis_tmy_frame(raw, meta_raw, "PVGIS TMY (online)", year)
    return data, meta
