"""Check a weather table's clock against the sun, for every reader.

Weather files in the wild carry wrong time-zone headers and mixed interval
conventions (interval start, end or middle; local standard time or UTC). Each
table read by :mod:`weather.epw` or :mod:`weather.files` passes through
:func:`align_to_sun`:

1. For candidate relabellings of −3 … +3 h, the solar zenith is computed at the
   middle of every (relabelled) interval (``pvlib.solarposition.ephemeris``, fast
   and accurate to < 0.1° for this purpose) and the clear-sky GHI of Haurwitz
   (1945) (``pvlib.clearsky.haurwitz``) follows.
2. The Pearson correlation between the measured irradiance and the clear-sky
   GHI is computed for each candidate; the best candidate wins.
3. A best shift of 0 keeps the table; a whole-hour shift relabels the rows and
   logs the shift at INFO level (``meta["clock_correction_h"]``: the file is
   corrected, there is nothing for a user to act on, so the command line shows
   it with ``--verbose`` only); a best
   correlation under :data:`MIN_CORRELATION` means the irradiance does not
   follow the sun at any offset, and :class:`WeatherAlignmentError` is raised.

The residual sub-hour offset (the best of finer relabellings, 0.1 h steps, within
±0.5 h of the best whole hour) is recorded as ``meta["clock_residual_h"]`` and
logged when it reaches :data:`RESIDUAL_WARN_H` (a warning, or INFO after a
whole-hour correction, where it is the known pattern below); it is not corrected,
because a file whose labels mark instants instead of interval averages and a site whose
mornings are foggier than its afternoons look alike. The Moroccan TMYx files show
+0.3 to +0.4 h (after their +1 h correction).

References
----------
.. [1] B. Haurwitz, "Insolation in relation to cloudiness and cloud density",
   Journal of Meteorology 2, 154–166, 1945.
.. [2] pvlib-python, ``solarposition.ephemeris`` and ``clearsky.haurwitz``.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from weather.errors import WeatherAlignmentError

__all__ = [
    "CANDIDATE_SHIFTS_H",
    "MIN_CORRELATION",
    "WeatherAlignmentError",
    "align_to_sun",
    "clock_shift_h",
]

logger = logging.getLogger(__name__)

#: Whole-hour relabellings tried [h] (time-zone errors of up to 3 h).
CANDIDATE_SHIFTS_H = (0, 1, -1, 2, -2, 3, -3)
#: Minimum correlation of measured irradiance with clear-sky GHI at the best shift
#: (assumed: hourly GHI of real sites correlates at r ≈ 0.9–0.98 with clear sky, and
#: a table that is not irradiance, or is scrambled, stays far below 0.6).
MIN_CORRELATION = 0.6
#: Sub-hour residual that is reported as a warning [h] (not corrected: coastal
#: morning fog shifts the correlation peak later by a similar amount; assumed).
RESIDUAL_WARN_H = 0.3


def _correlation(irr: np.ndarray, index: pd.DatetimeIndex, lat: float, lon: float) -> float:
    import pvlib

    step = index[1] - index[0] if len(index) > 1 else pd.Timedelta(hours=1)
    zen = pvlib.solarposition.ephemeris(index + step / 2, lat, lon)["apparent_zenith"]
    cs = np.asarray(pvlib.clearsky.haurwitz(zen)["ghi"], dtype=float)
    ok = np.isfinite(irr) & np.isfinite(cs)
    if ok.sum() < 48 or np.std(irr[ok]) == 0 or np.std(cs[ok]) == 0:
        return float("nan")
    return float(np.corrcoef(irr[ok], cs[ok])[0, 1])


def clock_shift_h(
    irr_w_m2: np.ndarray, index: pd.DatetimeIndex, lat: float, lon: float
) -> tuple[int, float, float]:
    """Best whole-hour relabelling, its correlation and the residual sub-hour offset.

    Parameters
    ----------
    irr_w_m2 : numpy.ndarray
        Measured irradiance (GHI, or plane-of-array when that is all there is).
    index : pandas.DatetimeIndex
        tz-aware labels of interval starts.
    lat, lon : float
        Site [degrees].

    Returns
    -------
    shift_h : int
        Hours to add to the labels.
    r : float
        Correlation with clear-sky GHI at that shift.
    residual_h : float
        Remaining offset within ±0.5 h: the best of relabellings by
        ``shift_h`` + −0.5 … +0.5 h in 0.1 h steps.
    """
    irr = np.asarray(irr_w_m2, dtype=float)
    r = {s: _correlation(irr, index + pd.Timedelta(hours=s), lat, lon) for s in CANDIDATE_SHIFTS_H}
    best = max(r, key=lambda s: -np.inf if np.isnan(r[s]) else r[s])
    fine = np.round(np.arange(-0.5, 0.501, 0.1), 1)
    r_fine = [
        _correlation(irr, index + pd.Timedelta(hours=best + f), lat, lon) if f else r[best]
        for f in fine
    ]
    residual = float(fine[int(np.nanargmax(r_fine))])
    return best, r[best], residual


def align_to_sun(
    data: pd.DataFrame,
    meta: dict,
    lat: float,
    lon: float,
    source: str,
    column: str = "ghi_w_m2",
) -> tuple[pd.DataFrame, dict]:
    """Relabel *data* so its irradiance follows the sun, or raise.

    Parameters
    ----------
    data : pandas.DataFrame
        Table with *column* and a regular, tz-aware index of interval starts.
    meta : dict
        Updated in a copy with ``clock_correction_h``, ``clock_r`` and
        ``clock_residual_h``.
    lat, lon : float
        Site [degrees].
    source : str
        Name used in messages (file path, "PVGIS" ...).
    column : str
        Irradiance column to test.

    Raises
    ------
    WeatherAlignmentError
        If the best correlation is below :data:`MIN_CORRELATION`.
    """
    shift, r, residual = clock_shift_h(data[column].to_numpy(), data.index, lat, lon)
    if not np.isfinite(r) or r < MIN_CORRELATION:
        msg = (
            f"{source}: {column} does not follow the sun (best correlation with clear-sky "
            f"irradiance r = {r:.2f} < {MIN_CORRELATION} for clock shifts of "
            f"{min(CANDIDATE_SHIFTS_H)}..{max(CANDIDATE_SHIFTS_H)} h); check the file's "
            "time stamps and columns"
        )
        raise WeatherAlignmentError(msg)
    meta = dict(meta)
    if shift != 0:
        # corrected: nothing for the user to do, so logged at INFO (``--verbose``)
        logger.info(
            "%s: irradiance is %+d h off its stated clock (r = %.3f); rows shifted by %+d h",
            source,
            shift,
            r,
            shift,
        )
        data = data.set_axis(data.index + pd.Timedelta(hours=shift))
    if abs(residual) >= RESIDUAL_WARN_H:
        # after a whole-hour correction the residual is the known TMYx pattern (see the
        # module notes): logged at INFO; on a file that needed none, a WARNING
        logger.log(
            logging.INFO if shift != 0 else logging.WARNING,
            "%s: irradiance peaks %+.1f h from the interval middles after the whole-hour "
            "check (labels may mark instants or interval ends, or mornings are foggier "
            "than afternoons); not corrected",
            source,
            residual,
        )
    meta.update(clock_correction_h=shift, clock_r=r, clock_residual_h=residual)
    return data, meta
