"""15-minute and 1-minute weather from an hourly table, with cloud variability.

Method
------
1. Temperature, humidity, pressure and wind: linear interpolation between hour
   centres (the values are hourly means at the interval middles).
2. Clear sky at every sub-hourly middle: Ineichen–Perez with pvlib's Linke
   turbidity climatology (``pvlib.location.Location.get_clearsky``); solar
   position by SPA, cached per site-year and step (:mod:`weather.solar`).
3. Clear-sky index: the hourly index k_h = GHI_h / mean(clear-sky GHI in the
   hour) is interpolated linearly between hour centres, then multiplied by
   (1 + ε), ε a zero-mean first-order autoregressive process with
   correlation time :data:`TAU_S` and a standard deviation that vanishes
   under clear (k ≥ 1) and overcast (k → 0) skies and peaks for broken clouds:
   σ(k) = :data:`SIGMA_MAX` · 4 k (1 − k). This is the clear-sky-index
   stochastic approach of the minute-resolution synthesisers (e.g. Hofmann et
   al. 2014; Bright, Smith & Crook 2015), with the two parameters *assumed*
   (not fitted to Moroccan minute data, which the project does not hold).
   Cloud enhancement is allowed up to 1.5 × clear sky (observed maxima ≈ 1.5,
   Yordanov et al. 2013).
4. Every hour is rescaled so that its mean GHI equals the hourly value exactly:
   the sub-hourly series conserves the file's irradiation hour by hour.
5. DNI and DHI: Erbs et al. (1982) split of the sub-hourly GHI
   (``pvlib.irradiance.erbs``), each rescaled per hour to the hourly DNI and
   DHI means where those are positive.
6. Wet bulb: the hourly wet bulb (:mod:`kernels.psychro`) interpolated between
   hour centres like the dry bulb (the exact solve on every minute costs ~5 s a
   year and differs by < 0.15 K; checked in the tests), capped at the dry bulb.

References
----------
.. [1] M. Hofmann, S. Riechelmann, C. Crisosto, R. Mubarak and G. Seckmeyer,
   "Improved synthesis of global irradiance with one-minute resolution for PV
   system simulations", International Journal of Photoenergy, 2014, 808509.
.. [2] J. M. Bright, C. J. Smith, P. G. Taylor and R. Crook, "Stochastic generation
   of synthetic minutely irradiance time series derived from mean hourly
   weather observation data", Solar Energy 115, 229–242, 2015.
.. [3] G. H. Yordanov, O.-M. Midtgård, T. O. Saetre, H. K. Nielsen and L. E. Norum,
   "Overirradiance (cloud enhancement) events at high latitudes", IEEE J.
   Photovoltaics 3(1), 271–277, 2013.
.. [4] D. G. Erbs, S. A. Klein and J. A. Duffie, Solar Energy 28(4), 293–302, 1982.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from weather.epw import COLUMNS
from weather.solar import solar_position_mid_step

__all__ = ["MAX_CLEAR_SKY_RATIO", "SIGMA_MAX", "STEPS", "TAU_S", "to_subhourly"]

#: Supported steps and their length [s].
STEPS = {"1h": 3600, "15min": 900, "1min": 60}
#: Correlation time of the clear-sky-index fluctuation [s] (assumed: minutes, the
#: time scale of cumulus passages).
TAU_S = 300.0
#: Largest relative standard deviation of the clear-sky index, at k = 0.5 [-] (assumed).
SIGMA_MAX = 0.35
#: Cap on GHI / clear-sky GHI (cloud enhancement, Yordanov et al. 2013) [-].
MAX_CLEAR_SKY_RATIO = 1.5


def _interp_centres(hourly: np.ndarray, n_sub: int) -> np.ndarray:
    t_h = np.arange(hourly.size) + 0.5
    t_k = (np.arange(hourly.size * n_sub) + 0.5) / n_sub
    return np.interp(t_k, t_h, hourly)


def _per_hour_rescale(sub: np.ndarray, hourly: np.ndarray, n_sub: int) -> np.ndarray:
    blocks = sub.reshape(-1, n_sub)
    mean = blocks.mean(axis=1)
    ratio = np.divide(hourly, mean, out=np.zeros_like(hourly), where=mean > 1e-9)
    # an hour with energy but no modelled shape (sunrise edge) gets a flat profile
    flat = (mean <= 1e-9) & (hourly > 0)
    out = blocks * ratio[:, None]
    out[flat] = hourly[flat, None]
    return out.ravel()


def to_subhourly(
    data: pd.DataFrame,
    lat: float,
    lon: float,
    elevation_m: float,
    step: str = "15min",
    seed: int = 0,
) -> pd.DataFrame:
    """Sub-hourly table (labels = interval starts) from an hourly one.

    Parameters
    ----------
    data : pandas.DataFrame
        Hourly weather with :data:`weather.epw.COLUMNS`, regular tz-aware index.
    lat, lon, elevation_m : float
        Site.
    step : {"1h", "15min", "1min"}
        Output step; ``"1h"`` returns a copy of *data*.
    seed : int
        Seed of the cloud-variability draw.

    Returns
    -------
    pandas.DataFrame
        :data:`weather.epw.COLUMNS` every *step*; hourly means of GHI, DNI and DHI
        equal the input's.
    """
    import pvlib

    if step not in STEPS:
        msg = f"step = {step!r}; allowed: {', '.join(STEPS)}"
        raise ValueError(msg)
    if step == "1h":
        return data[list(COLUMNS)].copy()
    dt_s = STEPS[step]
    n_sub = 3600 // dt_s
    n_h = len(data)
    index = pd.date_range(
        data.index[0].tz_convert("UTC"), periods=n_h * n_sub, freq=f"{dt_s}s"
    ).tz_convert(data.index.tz)
    out: dict[str, np.ndarray] = {}
    for col in ("t_air_c", "rh_frac", "p_air_pa", "wind_m_s"):
        out[col] = _interp_centres(data[col].to_numpy(float), n_sub)
    out["rh_frac"] = np.clip(out["rh_frac"], 0.0, 1.0)
    out["wind_m_s"] = np.clip(out["wind_m_s"], 0.0, None)

    sp = solar_position_mid_step(index, lat, lon, elevation_m)
    loc = pvlib.location.Location(lat, lon, altitude=elevation_m)
    mid = index + pd.Timedelta(seconds=dt_s / 2)
    cs = loc.get_clearsky(mid, solar_position=sp.set_axis(mid))
    ghi_cs = np.nan_to_num(cs["ghi"].to_numpy(float)).clip(min=0.0)

    ghi_h = data["ghi_w_m2"].to_numpy(float).clip(min=0.0)
    cs_h = ghi_cs.reshape(-1, n_sub).mean(axis=1)
    k_h = np.divide(ghi_h, cs_h, out=np.zeros(n_h), where=cs_h > 1.0)
    k_h = np.clip(k_h, 0.0, MAX_CLEAR_SKY_RATIO)
    k = _interp_centres(k_h, n_sub)
    rng = np.random.default_rng(seed)
    phi = float(np.exp(-dt_s / TAU_S))
    from scipy.signal import lfilter  # imported here: scipy.signal costs ~0.3 s at start-up

    z = lfilter([np.sqrt(1.0 - phi**2)], [1.0, -phi], rng.standard_normal(k.size))
    sigma = SIGMA_MAX * 4.0 * np.clip(k, 0.0, 1.0) * (1.0 - np.clip(k, 0.0, 1.0))
    k_sub = np.clip(k * (1.0 + sigma * z), 0.0, MAX_CLEAR_SKY_RATIO)
    ghi = _per_hour_rescale(ghi_cs * k_sub, ghi_h, n_sub)

    zen = sp["zenith"].to_numpy(float)
    split = pvlib.irradiance.erbs(ghi, zen, mid.day_of_year.to_numpy())
    dni = _per_hour_rescale(
        np.nan_to_num(np.asarray(split["dni"], dtype=float)).clip(min=0.0),
        data["dni_w_m2"].to_numpy(float).clip(min=0.0),
        n_sub,
    )
    dhi = _per_hour_rescale(
        np.nan_to_num(np.asarray(split["dhi"], dtype=float)).clip(min=0.0),
        data["dhi_w_m2"].to_numpy(float).clip(min=0.0),
        n_sub,
    )
    out.update(ghi_w_m2=ghi, dni_w_m2=dni, dhi_w_m2=dhi)
    # wet bulb: the hourly values (kernels.psychro) interpolated like the dry bulb;
    # the iterative solve on 525,600 minutes would cost ~5 s for < 0.15 K of difference
    out["t_wb_c"] = np.minimum(
        _interp_centres(data["t_wb_c"].to_numpy(float), n_sub), out["t_air_c"]
    )
    frame = pd.DataFrame({c: out[c] for c in COLUMNS}, index=index)
    frame.index.name = "time"
    return frame
