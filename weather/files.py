"""Weather-file readers beyond EPW: TMY3, PVGIS typical year, PVGIS hourly series.

Every reader returns ``(data, meta)`` like :func:`weather.epw.read_epw`: hourly
rows with :data:`weather.epw.COLUMNS`, tz-aware ``Africa/Casablanca`` labels of
interval starts, checked against the sun by :func:`weather.align.align_to_sun`.
:func:`read_weather_file` picks the reader from the file's content. Every reader also
takes the file gzip-compressed (``.epw.gz``, ``.csv.gz``; :mod:`weather.compressed`).

Conventions of the formats (and what is done with them)
-------------------------------------------------------
* **TMY3** (NREL, Wilcox & Marion 2008): hour 1–24 ends the interval, local
  standard time; ``pvlib.iotools.read_tmy3`` labels rows by interval end, so
  rows are moved back 1 h.
* **PVGIS** (JRC, PVGIS 5.x user manual): times are UTC; irradiance values are
  instantaneous satellite estimates at HH:MM (the hourly series shows the
  minute, e.g. ``20230101:0009``; the TMY states an "Irradiance Time Offset").
  Values are linearly interpolated in time to each interval's middle (HH:30),
  then labelled by the interval start.
* A year of UTC rows is re-based to start at local midnight, 1 January, by
  wrapping the final hour(s) to the start (what ``pvlib``'s ``roll_utc_offset``
  does for TMY data); ``meta["wrapped_h"]`` says by how many hours.
* **Plane-of-array only** (a PVGIS hourly series without components, e.g.
  Ouarzazate ``G(i)`` on a 32° plane): GHI, DNI and DHI are *estimated* from POA
  with the GTI-DIRINT model (Marion 2015, ``pvlib.irradiance.gti_dirint``), and the
  measured POA is kept as ``poa_w_m2`` with its plane in
  ``data.attrs["poa_plane"]`` = (tilt, azimuth [180 = south]). The PV plant uses
  the measured POA directly when its plane matches (fixed mount, within 1°);
  otherwise it transposes the estimated components (Perez).
* Missing humidity or pressure (PVGIS series): relative humidity from the monthly
  normal of the nearest built-in site, pressure from the elevation (standard
  atmosphere, ``pvlib.atmosphere.alt2pres``); ``meta["filled"]`` lists each fill.

References
----------
.. [1] S. Wilcox and W. Marion, "Users Manual for TMY3 Data Sets",
   NREL/TP-581-43156, 2008.
.. [2] European Commission JRC, PVGIS 5.3 user manual, "Hourly radiation" and
   "Typical meteorological year" tools.
.. [3] B. Marion, "A model for deriving the direct normal and diffuse horizontal
   irradiance from the global tilted irradiance", Solar Energy 122, 1037–1046, 2015.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from kernels.psychro import wet_bulb_c_array
from weather.align import align_to_sun
from weather.compressed import open_text, pvlib_source
from weather.epw import COLUMNS, LOCAL_TZ, WeatherFileError, read_epw
from weather.sites import SITES

__all__ = [
    "read_pvgis_hourly",
    "read_pvgis_tmy",
    "read_tmy3",
    "read_weather_file",
    "sniff_format",
]

logger = logging.getLogger(__name__)


def sniff_format(path: str | os.PathLike) -> str:
    """``"epw"``, ``"tmy3"``, ``"pvgis_tmy"``, ``"pvgis_hourly"`` or ``"pvgis_json"``."""
    p = Path(path)
    if not p.is_file():
        msg = f"weather file not found: {p}"
        raise WeatherFileError(msg)
    with open_text(p) as f:
        head = [f.readline() for _ in range(24)]
    text = "".join(head)
    if head[0].startswith("LOCATION,"):
        return "epw"
    if len(head) > 1 and head[1].startswith("Date (MM/DD/YYYY)"):
        return "tmy3"
    if text.lstrip().startswith("{"):
        return "pvgis_json"
    if "time(UTC)," in text or "month,year" in text:
        return "pvgis_tmy"
    if "time,G" in text or "time,Gb(i)" in text:
        return "pvgis_hourly"
    if head[0].startswith("Latitude (decimal degrees)"):
        return "pvgis_hourly"
    msg = f"cannot tell the format of weather file {p} (EPW, TMY3, PVGIS CSV/JSON accepted)"
    raise WeatherFileError(msg)


def read_weather_file(path: str | os.PathLike) -> tuple[pd.DataFrame, dict]:
    """Read any supported weather file (format from its content)."""
    fmt = sniff_format(path)
    if fmt == "epw":
        return read_epw(path)
    if fmt == "tmy3":
        return read_tmy3(path)
    if fmt == "pvgis_hourly":
        return read_pvgis_hourly(path)
    return read_pvgis_tmy(path)


def _nearest_site_rh(lat: float, lon: float, months: np.ndarray) -> tuple[np.ndarray, str]:
    site = min(SITES.values(), key=lambda s: (s.lat - lat) ** 2 + (s.lon - lon) ** 2)
    rh = np.asarray(site.monthly["rh_frac"], dtype=float)[months - 1]
    return rh, f"rh_frac: monthly normal of built-in site {site.id!r}"


def _finish(
    frame: pd.DataFrame, meta: dict, source: str, irr_column: str = "ghi_w_m2"
) -> tuple[pd.DataFrame, dict]:
    """Fill, compute wet bulb, order columns, check the clock."""
    import pvlib

    filled = list(meta.get("filled", []))
    months = frame.index.month.to_numpy()
    if "rh_frac" not in frame or frame["rh_frac"].isna().all():
        frame["rh_frac"], note = _nearest_site_rh(meta["lat"], meta["lon"], months)
        filled.append(note)
    if "p_air_pa" not in frame or frame["p_air_pa"].isna().all():
        frame["p_air_pa"] = float(pvlib.atmosphere.alt2pres(meta["elevation_m"]))
        filled.append("p_air_pa: standard atmosphere at the elevation")
    frame["rh_frac"] = frame["rh_frac"].clip(0.0, 1.0)
    for c in ("ghi_w_m2", "dni_w_m2", "dhi_w_m2"):
        frame[c] = frame[c].clip(lower=0.0)
    num = frame[["t_air_c", "rh_frac", "p_air_pa", "wind_m_s"]]
    if not np.isfinite(num.to_numpy(dtype=float)).all():
        msg = f"{source}: non-numeric temperature, humidity, pressure or wind values"
        raise WeatherFileError(msg)
    frame["t_wb_c"] = wet_bulb_c_array(
        frame["t_air_c"].to_numpy(float),
        frame["rh_frac"].to_numpy(float),
        frame["p_air_pa"].to_numpy(float),
    )
    extra = [c for c in ("poa_w_m2",) if c in frame]
    data = frame[[*COLUMNS, *extra]].copy()
    data.attrs.update(frame.attrs)
    data.index.name = "time"
    meta = {**meta, "filled": filled}
    data, meta = align_to_sun(data, meta, meta["lat"], meta["lon"], source, irr_column)
    return data, meta


def read_tmy3(path: str | os.PathLike) -> tuple[pd.DataFrame, dict]:
    """Read an NREL TMY3 file (``pvlib.iotools.read_tmy3``) into the project columns."""
    import pvlib

    p = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw, m = pvlib.iotools.read_tmy3(pvlib_source(p), coerce_year=2023, map_variables=True)
    except WeatherFileError:
        raise
    except Exception as exc:  # pvlib/pandas raise many types for a bad file
        msg = f"cannot parse TMY3 file {p}: {type(exc).__name__}: {exc}"
        raise WeatherFileError(msg) from exc
    if len(raw) != 8760:
        msg = f"TMY3 file {p} has {len(raw)} rows, expected 8760"
        raise WeatherFileError(msg)
    # labels are interval ends in local standard time; the year is coerced, so the
    # 24:00 of 31 December wraps to 1 January: sort back into file order
    index = raw.index - pd.Timedelta(hours=1)
    frame = pd.DataFrame(
        {
            "ghi_w_m2": raw["ghi"].to_numpy(float),
            "dni_w_m2": raw["dni"].to_numpy(float),
            "dhi_w_m2": raw["dhi"].to_numpy(float),
            "t_air_c": raw["temp_air"].to_numpy(float),
            "rh_frac": raw["relative_humidity"].to_numpy(float) / 100.0,
            "p_air_pa": raw["pressure"].to_numpy(float) * 100.0,  # mbar → Pa
            "wind_m_s": raw["wind_speed"].to_numpy(float),
        },
        index=index,
    ).sort_index()
    frame.index = pd.date_range(
        frame.index[0].tz_convert("UTC"), periods=len(frame), freq="h"
    ).tz_convert(LOCAL_TZ)
    meta = {
        "lat": float(m["latitude"]),
        "lon": float(m["longitude"]),
        "elevation_m": float(m["altitude"]),
        "name": str(m.get("Name", p.stem)),
        "source": str(p),
        "format": "TMY3",
        "tz_offset_h": float(m["TZ"]),
    }
    return _finish(frame, meta, f"{p} (TMY3)")


def _instants_to_intervals(
    values: pd.DataFrame, instants_utc: pd.DatetimeIndex, year: int
) -> tuple[pd.DataFrame, int]:
    """Interpolate instantaneous values to hour middles; re-base to local midnight.

    *values* are one year of hourly rows in time order from 1 January 00:xx UTC.
    """
    t = instants_utc.asi8.astype(float)
    mids = (instants_utc.floor("h") + pd.Timedelta(minutes=30)).asi8.astype(float)
    out = np.column_stack([np.interp(mids, t, values[c].to_numpy(float)) for c in values])
    local0 = pd.Timestamp(year=year, month=1, day=1, tz=LOCAL_TZ).tz_convert("UTC")
    utc0 = pd.Timestamp(year=year, month=1, day=1, tz="UTC")
    wrap_h = round((utc0 - local0).total_seconds() / 3600.0)
    frame = pd.DataFrame(np.roll(out, wrap_h, axis=0), columns=list(values.columns))
    frame.index = pd.date_range(local0, periods=len(frame), freq="h").tz_convert(LOCAL_TZ)
    return frame, wrap_h


def read_pvgis_tmy(path: str | os.PathLike, year: int = 2023) -> tuple[pd.DataFrame, dict]:
    """Read a PVGIS typical-year file (CSV or JSON, ``pvlib.iotools.read_pvgis_tmy``).

    The TMY's months come from different years; rows are kept in order as the
    hours of *year* (a non-leap year: the file has 8760 rows).
    """
    import pvlib

    p = Path(path)
    fmt = "json" if sniff_format(p) == "pvgis_json" else "csv"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # pvlib's TMY CSV parser reads bytes, its JSON parser text
            src = pvlib_source(p, binary=fmt == "csv")
            raw, m = pvlib.iotools.read_pvgis_tmy(src, pvgis_format=fmt, map_variables=True)
    except WeatherFileError:
        raise
    except Exception as exc:  # pvlib/pandas raise many types for a bad file
        msg = f"cannot parse PVGIS TMY file {p}: {type(exc).__name__}: {exc}"
        raise WeatherFileError(msg) from exc
    return pvgis_tmy_frame(raw, m, str(p), year)


def pvgis_tmy_frame(raw: pd.DataFrame, m: dict, source: str, year: int = 2023):
    """Project table from pvlib's parsed PVGIS TMY (``map_variables=True``)."""
    if len(raw) != 8760:
        msg = f"{source}: PVGIS TMY has {len(raw)} rows, expected 8760"
        raise WeatherFileError(msg)
    if pd.Timestamp(year=year, month=1, day=1).is_leap_year:
        msg = f"{source}: a PVGIS TMY has 8760 h; year {year} is a leap year"
        raise WeatherFileError(msg)
    inputs = m.get("inputs", m)
    loc = inputs.get("location", inputs)
    lat = float(loc["latitude"])
    lon = float(loc["longitude"])
    elev = float(loc.get("elevation", 0.0))
    offset_h = float(inputs.get("irradiance time offset", 0.0) or 0.0)
    # the TMY's months come from several years: its hours are taken in order as the
    # UTC hours of *year*
    hours = pd.date_range(pd.Timestamp(year=year, month=1, day=1, tz="UTC"), periods=8760, freq="h")
    values = pd.DataFrame(
        {
            "ghi_w_m2": raw["ghi"].to_numpy(float),
            "dni_w_m2": raw["dni"].to_numpy(float),
            "dhi_w_m2": raw["dhi"].to_numpy(float),
            "t_air_c": raw["temp_air"].to_numpy(float),
            "rh_frac": raw["relative_humidity"].to_numpy(float) / 100.0,
            "p_air_pa": raw["pressure"].to_numpy(float),
            "wind_m_s": raw["wind_speed"].to_numpy(float),
        }
    )
    # irradiance is instantaneous at HH:00 + offset (PVGIS "Irradiance Time Offset")
    frame, wrap_h = _instants_to_intervals(values, hours + pd.Timedelta(hours=offset_h), year)
    meta = {
        "lat": lat,
        "lon": lon,
        "elevation_m": elev,
        "name": f"PVGIS TMY {lat:.3f} {lon:.3f}",
        "source": source,
        "format": "PVGIS TMY",
        "irradiance_time_offset_h": offset_h,
        "wrapped_h": wrap_h,
    }
    return _finish(frame, meta, f"{source} (PVGIS TMY)")


def _pvgis_hourly_header(p: Path) -> dict[str, float]:
    head: dict[str, float] = {}
    with open_text(p) as f:
        for _ in range(12):
            line = f.readline()
            if ":" in line and not line.startswith("time"):
                key, _, val = line.partition(":")
                try:
                    head[key.strip()] = float(val.strip().split()[0])
                except (ValueError, IndexError):
                    continue
    return head


def read_pvgis_hourly(path: str | os.PathLike) -> tuple[pd.DataFrame, dict]:
    """Read a PVGIS hourly-radiation series (CSV, ``pvlib.iotools.read_pvgis_hourly``).

    With horizontal components (``G(h)``/``Gb(n)``/``Gd(h)``) they are used. With
    in-plane components only (``Gb(i)``, ``Gd(i)``, ``Gr(i)``) or the in-plane total
    ``G(i)``, GHI/DNI/DHI are estimated by GTI-DIRINT (Marion 2015) and the POA is
    kept as ``poa_w_m2`` (see the module notes).
    """
    import pvlib

    p = Path(path)
    fmt = "json" if sniff_format(p) == "pvgis_json" else "csv"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            src = pvlib_source(p)
            raw = pvlib.iotools.read_pvgis_hourly(src, pvgis_format=fmt, map_variables=True)[0]
    except WeatherFileError:
        raise
    except Exception as exc:  # pvlib/pandas raise many types for a bad file
        msg = f"cannot parse PVGIS hourly file {p}: {type(exc).__name__}: {exc}"
        raise WeatherFileError(msg) from exc
    head = _pvgis_hourly_header(p)
    try:
        lat = float(head["Latitude (decimal degrees)"])
        lon = float(head["Longitude (decimal degrees)"])
        elev = float(head.get("Elevation (m)", 0.0))
    except KeyError:
        msg = f"PVGIS hourly file {p} lacks its latitude/longitude header"
        raise WeatherFileError(msg) from None
    tilt = float(head.get("Slope", 0.0))
    azi_pvgis = float(head.get("Azimuth", 0.0))
    azimuth = (azi_pvgis + 180.0) % 360.0  # PVGIS 0 = south, −90 = east
    instants = raw.index.tz_convert("UTC") if raw.index.tz else raw.index.tz_localize("UTC")
    year = int(instants[len(instants) // 2].year)
    if len(instants) != (8784 if pd.Timestamp(year=year, month=1, day=1).is_leap_year else 8760):
        msg = f"PVGIS hourly file {p} must hold one calendar year of hours; it has {len(raw)}"
        raise WeatherFileError(msg)
    if "poa_global" not in raw and {"poa_direct", "poa_sky_diffuse"} <= set(raw.columns):
        raw["poa_global"] = (
            raw["poa_direct"] + raw["poa_sky_diffuse"] + raw.get("poa_ground_diffuse", 0.0)
        )
    cols: dict[str, np.ndarray] = {
        "t_air_c": raw["temp_air"].to_numpy(float),
        "wind_m_s": raw["wind_speed"].to_numpy(float),
    }
    has_horizontal = {"ghi", "dni", "dhi"} <= set(raw.columns)
    if has_horizontal:
        cols.update(
            ghi_w_m2=raw["ghi"].to_numpy(float),
            dni_w_m2=raw["dni"].to_numpy(float),
            dhi_w_m2=raw["dhi"].to_numpy(float),
        )
    if "poa_global" in raw:
        cols["poa_w_m2"] = raw["poa_global"].to_numpy(float)
    if not has_horizontal and "poa_w_m2" not in cols:
        msg = f"PVGIS hourly file {p} has neither horizontal nor in-plane irradiance"
        raise WeatherFileError(msg)
    frame, wrap_h = _instants_to_intervals(pd.DataFrame(cols), instants, year)
    meta: dict = {
        "lat": lat,
        "lon": lon,
        "elevation_m": elev,
        "name": f"PVGIS series {lat:.3f} {lon:.3f}",
        "source": str(p),
        "format": "PVGIS hourly",
        "wrapped_h": wrap_h,
        "filled": [],
    }
    if "poa_w_m2" in frame:
        frame.attrs["poa_plane"] = (tilt, azimuth)
        meta["poa_plane"] = {"tilt_deg": tilt, "azimuth_deg": azimuth}
    if not has_horizontal:
        frame = _decompose_poa(frame, lat, lon, elev, tilt, azimuth)
        meta["filled"].append(
            "ghi/dni/dhi: estimated from plane-of-array G(i) by GTI-DIRINT (Marion 2015)"
        )
    irr_col = "ghi_w_m2" if has_horizontal else "poa_w_m2"
    return _finish(frame, meta, f"{p} (PVGIS hourly)", irr_col)


def _decompose_poa(
    frame: pd.DataFrame, lat: float, lon: float, elev: float, tilt: float, azimuth: float
) -> pd.DataFrame:
    """GHI, DNI, DHI from plane-of-array irradiance (``pvlib.irradiance.gti_dirint``)."""
    import pvlib

    mid = frame.index + pd.Timedelta(minutes=30)
    sp = pvlib.solarposition.get_solarposition(
        mid, lat, lon, altitude=elev, pressure=pvlib.atmosphere.alt2pres(elev)
    )
    aoi = pvlib.irradiance.aoi(tilt, azimuth, sp["apparent_zenith"], sp["azimuth"])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        est = pvlib.irradiance.gti_dirint(
            pd.Series(frame["poa_w_m2"].to_numpy(), index=mid),
            aoi,
            sp["apparent_zenith"],
            sp["azimuth"],
            mid,
            tilt,
            azimuth,
            pressure=pvlib.atmosphere.alt2pres(elev),
            albedo=0.2,
        )
    frame = frame.copy()
    for col, key in (("ghi_w_m2", "ghi"), ("dni_w_m2", "dni"), ("dhi_w_m2", "dhi")):
        frame[col] = np.nan_to_num(est[key].to_numpy(float)).clip(min=0.0)
    return frame
