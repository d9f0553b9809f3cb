"""Readers for weather files, mapped to the project's column names.

Columns (a contract shared with :func:`weather.typical_year.typical_year`):
``ghi_w_m2, dni_w_m2, dhi_w_m2`` [W/m²], ``t_air_c`` [°C], ``rh_frac`` [0–1],
``p_air_pa`` [Pa], ``wind_m_s`` [m/s], ``t_wb_c`` [°C]. Rows are hourly and
labelled by the START of each interval, index tz-aware ``Africa/Casablanca``.

References
----------
.. [1] U.S. DOE, *Auxiliary Programs* (EnergyPlus documentation), "Weather
   Converter Program", EPW data dictionary: hour ``h`` holds data for the
   interval ending at ``h``:00 local standard time.
.. [2] pvlib-python, ``pvlib.iotools.read_epw``.
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
from weather.compressed import pvlib_source
from weather.errors import WeatherFileError

__all__ = ["COLUMNS", "LOCAL_TZ", "WeatherFileError", "read_epw"]

logger = logging.getLogger(__name__)

#: Project weather columns, in order.
COLUMNS = (
    "ghi_w_m2",
    "dni_w_m2",
    "dhi_w_m2",
    "t_air_c",
    "rh_frac",
    "p_air_pa",
    "wind_m_s",
    "t_wb_c",
)
#: Local time zone of every Moroccan site.
LOCAL_TZ = "Africa/Casablanca"
_HOURS_PER_YEAR = 8760
#: Relabellings tried when checking a file's clock against the sun [h].
_CLOCK_SHIFTS_H = (0, 1, -1, 2, -2)


#: Physical bounds of each column; values outside (including the EPW "missing"
#: markers 9999 / 999 / 99.9 of the EnergyPlus Auxiliary Programs, ch. 2.9) or
#: non-numeric values count as missing.
VALID_RANGES = {
    "ghi": (
        0.0,
        1500.0,
    ),  # W/m2: solar constant 1361 W/m2 (Kopp & Lean 2011) + ~10 % cloud enhancement
    "dni": (0.0, 1500.0),
    "dhi": (0.0, 1000.0),
    "temp_air": (-90.0, 60.0),  # °C: the recorded extremes on Earth
    "relative_humidity": (0.0, 110.0),  # %: EnergyPlus accepts up to 110
    "atmospheric_pressure": (31000.0, 120000.0),  # Pa: EnergyPlus's valid range
    "wind_speed": (0.0, 40.0),  # m/s: EnergyPlus's valid range
}
#: Largest share of missing values per column that is filled by interpolation
#: (a policy choice: a few isolated gaps are repaired, a damaged column is refused).
MAX_MISSING_FRAC = 0.01


def clean_columns(raw: pd.DataFrame, where: str) -> pd.DataFrame:
    """Replace missing or unphysical values by linear interpolation in time.

    Raises :class:`WeatherFileError` naming the column when more than
    :data:`MAX_MISSING_FRAC` of a column is missing; logs a warning otherwise.
    """
    out = raw.copy()
    for col, (lo, hi) in VALID_RANGES.items():
        values = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float, copy=True)
        bad = ~np.isfinite(values) | (values < lo) | (values > hi)
        n_bad = int(bad.sum())
        if n_bad == 0:
            out[col] = values
            continue
        if n_bad > MAX_MISSING_FRAC * len(values):
            msg = (
                f"{where}: column {col!r} has {n_bad} missing or out-of-range values "
                f"(allowed range [{lo:g}, {hi:g}]); at most {MAX_MISSING_FRAC:.0%} are filled"
            )
            raise WeatherFileError(msg)
        values[bad] = np.nan
        filled = pd.Series(values).interpolate(limit_direction="both").to_numpy()
        logger.warning("%s: %d missing values of %r filled by interpolation", where, n_bad, col)
        out[col] = filled
    return out


def _calendar_year_for(first_year: int, n_rows: int) -> int:
    """The file's first year, or the latest earlier year whose length fits *n_rows*.

    TMY files have 8760 rows (no 29 February); stamping them with a leap year
    would leave a one-day gap, so e.g. a file starting in 1992 is read as 1991.
    """
    year = first_year
    while (n_rows == _HOURS_PER_YEAR) == pd.Timestamp(year=year, month=1, day=1).is_leap_year:
        year -= 1
    return year


def _clock_offset_h(ghi_w_m2: np.ndarray, index: pd.DatetimeIndex, lat: float, lon: float) -> int:
    """Hours to add to the labels so that GHI lines up with the sun.

    Correlates hourly GHI with the cosine of the solar zenith at each interval's
    middle for relabellings of −2..+2 h and returns the best one (0 for a file
    whose clock is right). Files from the wild do carry wrong offsets: the
    TMYx files for Rabat, Agadir and Tiznit declare UTC+1 but their irradiance
    follows a UTC+0 clock (validation tests).
    """
    import pvlib

    best_shift, best_r = 0, -np.inf
    for shift in _CLOCK_SHIFTS_H:
        mid = index + pd.Timedelta(hours=shift, minutes=30)
        zen = pvlib.solarposition.ephemeris(mid, lat, lon)["zenith"].to_numpy()
        r = float(np.corrcoef(ghi_w_m2, np.clip(np.cos(np.radians(zen)), 0.0, None))[0, 1])
        if r > best_r + 1e-9:
            best_shift, best_r = shift, r
    return best_shift


def read_epw(path: str | os.PathLike) -> tuple[pd.DataFrame, dict]:
    """Read an EnergyPlus weather (EPW) file into the project columns.

    Parameters
    ----------
    path : str or path-like
        EPW file, plain or gzip-compressed (``.epw.gz``, :mod:`weather.compressed`).

    Returns
    -------
    data : pandas.DataFrame
        8760 (or 8784) hourly rows with :data:`COLUMNS`, index tz-aware
        ``Africa/Casablanca`` labelled by interval start, one calendar year
        (the file's first year applied to all rows, since TMY files mix years;
        the previous non-leap year when that year is a leap year and the file
        has 8760 rows).
    meta : dict
        ``lat``, ``lon`` [degrees], ``elevation_m`` [m], ``name``, ``source``
        (the path as a string), ``tz_offset_h`` (the file's standard offset).

    Raises
    ------
    WeatherFileError
        If the file is missing, empty or cannot be parsed as EPW.

    Notes
    -----
    EPW hour ``h`` (1–24) covers ``h-1``:00 to ``h``:00 local standard time.
    ``pvlib.iotools.read_epw`` builds its index from ``hour - 1``, which is
    exactly the −1 h shift to interval-start labels. The clock is then checked
    against the sun (:func:`weather.align.align_to_sun`) and, when the irradiance
    is off by whole hours, the rows are relabelled and ``meta["clock_correction_h"]``
    records it (logged as a warning). The
    file's fixed standard offset is then converted to ``Africa/Casablanca``
    (absolute instants are kept; Morocco's Ramadan offset change does not
    create gaps). Wet bulb uses :func:`kernels.psychro.wet_bulb_c_array`.
    """

    p = Path(path)
    raw, meta_raw, first_year = _parse(p)
    lat_deg, lon_deg, tz_h, elev_m = _location(meta_raw, p)
    n = len(raw)
    t_air_c = raw["temp_air"].to_numpy(dtype=float)
    rh_frac = np.clip(raw["relative_humidity"].to_numpy(dtype=float) / 100.0, 0.0, 1.0)
    p_air_pa = raw["atmospheric_pressure"].to_numpy(dtype=float)
    if not np.all(np.isfinite(t_air_c)) or not np.all(np.isfinite(p_air_pa)):
        msg = f"EPW file {p} has non-numeric temperature or pressure values"
        raise WeatherFileError(msg)
    data = pd.DataFrame(
        {
            "ghi_w_m2": raw["ghi"].to_numpy(dtype=float),
            "dni_w_m2": raw["dni"].to_numpy(dtype=float),
            "dhi_w_m2": raw["dhi"].to_numpy(dtype=float),
            "t_air_c": t_air_c,
            "rh_frac": rh_frac,
            "p_air_pa": p_air_pa,
            "wind_m_s": raw["wind_speed"].to_numpy(dtype=float),
            "t_wb_c": wet_bulb_c_array(t_air_c, rh_frac, p_air_pa),
        },
        index=raw.index.tz_convert(LOCAL_TZ),
    )
    data.index.name = "time"
    data, clock = align_to_sun(data, {}, lat_deg, lon_deg, f"{p} (EPW, header TZ {tz_h:+.1f} h)")
    meta = {
        "lat": lat_deg,
        "lon": lon_deg,
        "elevation_m": elev_m,
        "name": str(meta_raw.get("city", p.stem)),
        "source": str(p),
        "tz_offset_h": tz_h,
        **clock,
    }
    logger.info("read %s: %d rows, year %d", p, n, first_year)
    return data, meta


def _parse(p: Path) -> tuple[pd.DataFrame, dict, int]:
    """pvlib's EPW table and header of *p* on one calendar year, checked for size and
    columns, and that year."""
    import pvlib

    if not p.is_file():
        msg = f"weather file not found: {p}"
        raise WeatherFileError(msg)
    if p.stat().st_size == 0:
        msg = f"weather file is empty: {p}"
        raise WeatherFileError(msg)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw, meta_raw = pvlib.iotools.read_epw(pvlib_source(p))
            first_year = _calendar_year_for(int(raw["year"].iloc[0]), len(raw))
            raw, meta_raw = pvlib.iotools.read_epw(pvlib_source(p), coerce_year=first_year)
    except WeatherFileError:
        raise
    except Exception as exc:  # pvlib/pandas raise many types for a bad file
        msg = f"cannot parse EPW file {p}: {type(exc).__name__}: {exc}"
        raise WeatherFileError(msg) from exc
    n = len(raw)
    if n not in (_HOURS_PER_YEAR, _HOURS_PER_YEAR + 24):
        msg = f"EPW file {p} has {n} hourly rows, expected 8760 or 8784"
        raise WeatherFileError(msg)
    needed = (
        "ghi",
        "dni",
        "dhi",
        "temp_air",
        "relative_humidity",
        "atmospheric_pressure",
        "wind_speed",
    )
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        msg = f"EPW file {p} lacks columns {missing}"
        raise WeatherFileError(msg)
    raw = clean_columns(raw, f"EPW file {p}")
    return raw, meta_raw, first_year


def _location(meta_raw: dict, p: Path) -> tuple[float, float, float, float]:
    """Latitude, longitude [degrees], standard offset [h] and elevation [m] of the header."""
    try:
        lat_deg, lon_deg = float(meta_raw["latitude"]), float(meta_raw["longitude"])
        tz_h = float(meta_raw["TZ"])
        elev_m = float(meta_raw["altitude"])
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"EPW file {p}: unreadable LOCATION header ({exc})"
        raise WeatherFileError(msg) from None
    if not (
        -90.0 <= lat_deg <= 90.0
        and -180.0 <= lon_deg <= 180.0
        and -12.0 <= tz_h <= 14.0
        and -500.0 <= elev_m <= 9000.0
    ):
        msg = (
            f"EPW file {p}: LOCATION latitude {lat_deg}, longitude {lon_deg}, TZ {tz_h}, "
            f"elevation {elev_m} m out of range"
        )
        raise WeatherFileError(msg)

    return lat_deg, lon_deg, tz_h, elev_m
