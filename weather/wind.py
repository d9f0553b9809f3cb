"""Wind farm output from hourly weather, on windpowerlib.

Steps (windpowerlib, Haas et al., "windpowerlib — a Python library to model
wind power plants", JOSS 2024; oedb turbine library):

1. hub-height wind speed from the 10 m measurement with the logarithmic wind
   profile, ``v_hub = v_10 · ln(h_hub/z0) / ln(10/z0)``
   (:func:`windpowerlib.wind_speed.logarithmic_profile`), roughness length
   ``z0`` = 0.03 m, "open flat terrain, grass, few isolated obstacles"
   (WMO Guide to Meteorological Instruments, Annex 5.B, Davenport class 3);
2. air density from the ideal gas law at the measured pressure and
   temperature, with the density correction of IEC 61400-12-1 applied to the
   manufacturer's power curve (:func:`windpowerlib.power_output.power_curve`);
   When the input holds smoothed (e.g. monthly mean) speeds, as the offline
   typical year does, a power curve applied to the mean speed would overstate
   the yield badly and hide calm spells. ``synthetic_seed`` then draws an
   hourly series around those means by the method of Brown, Katz & Murphy
   ("Time series models to simulate and forecast wind speed and wind power",
   J. Climate Appl. Meteor. 23, 1984): a Gaussian AR(1) process (lag-1 hour
   autocorrelation 0.95, assumed within the 0.9–0.97 they report) mapped to a
   Weibull distribution of shape k = 2 (Rayleigh, the usual default without a
   fitted shape; Manwell, McGowan & Rogers, Wind Energy Explained, 2nd ed.,
   §2.4.3) whose mean is the hour's speed. ``rayleigh=True`` instead uses the
   expected output of a Rayleigh distribution at each hour (right yield, no
   variability);
3. farm output = one turbine's output × capacity / rated power × (1 − losses),
   losses = wake + electrical + availability, 10 % by default (assumed;
   typical of onshore farm energy-yield assessments).

Default turbine: Siemens SWT113/2300, the 2.3 MW class of the Tarfaya farm
(131 × 2.3 MW Siemens; IPP Journal 2014), power curve from the oedb library
shipped with windpowerlib. Tarfaya's own SWT-2.3-101 (101 m rotor) is not in
that library; the 113 m rotor of the same maker and rating is. A data center's
station wind (an airport at 10 m) is not a farm's: :mod:`weather.windfarms`
gives Moroccan farms their own site, turbine and a wind calibrated to their
published output.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np
import pandas as pd
from windpowerlib import data as wpl_data
from windpowerlib.power_output import power_curve
from windpowerlib.wind_speed import logarithmic_profile

__all__ = ["DEFAULT_TURBINE", "ROUGHNESS_LENGTH_M", "turbine_curve", "wind_farm_w"]

DEFAULT_TURBINE = "SWT113/2300"
#: Davenport class 3 "open" roughness length [m] (WMO-No. 8, Annex 5.B).
ROUGHNESS_LENGTH_M = 0.03
#: Height of the wind measurement in EPW / typical-year data [m] (WMO standard).
MEASUREMENT_HEIGHT_M = 10.0
#: Dry-air gas constant [J/(kg K)].
R_DRY_AIR = 287.058
#: Wake, electrical and availability losses of the farm (assumed).
FARM_LOSSES_FRAC = 0.10


class UnknownTurbineError(ValueError):
    """The turbine type is not in windpowerlib's oedb library."""


@lru_cache(maxsize=16)
def turbine_curve(turbine: str) -> tuple[np.ndarray, np.ndarray, float]:
    with warnings.catch_warnings():
        # windpowerlib 0.2 calls pandas APIs that newer pandas deprecates
        warnings.simplefilter("ignore")
        return _read_curve(turbine)


def _read_curve(turbine: str) -> tuple[np.ndarray, np.ndarray, float]:
    df = wpl_data.get_turbine_types(print_out=False)
    if turbine not in set(df.turbine_type):
        msg = f"unknown turbine {turbine!r}; e.g. {DEFAULT_TURBINE!r}, E-126/4200, V112/3450"
        raise UnknownTurbineError(msg)
    from windpowerlib.wind_turbine import WindTurbine

    wt = WindTurbine(hub_height=100.0, turbine_type=turbine)
    pc = wt.power_curve
    return (
        pc["wind_speed"].to_numpy(dtype=float),
        pc["value"].to_numpy(dtype=float),
        float(wt.nominal_power),
    )


def wind_farm_w(
    weather: pd.DataFrame,
    capacity_w: float,
    turbine: str = DEFAULT_TURBINE,
    hub_height_m: float = 80.0,
    losses_frac: float = FARM_LOSSES_FRAC,
    rayleigh: bool = False,
    synthetic_seed: int | None = None,
) -> np.ndarray:
    """Wind farm AC output for each hour of ``weather`` [W].

    Parameters
    ----------
    weather : pandas.DataFrame
        Hourly weather with ``wind_m_s`` (10 m), ``t_air_c``, ``p_air_pa``.
    capacity_w : float
        Installed capacity [W].
    turbine : str
        oedb turbine type (see :func:`windpowerlib.data.get_turbine_types`).
    hub_height_m : float
        Hub height [m].
    losses_frac : float
        Farm losses [-].
    rayleigh : bool
        Treat each hour's speed as a Rayleigh mean (smoothed input data).
    synthetic_seed : int or None
        Draw an autocorrelated Weibull series around the input speeds
        (smoothed input data), with this seed.
    """
    if capacity_w <= 0:
        return np.zeros(len(weather))
    speeds, power, rated = turbine_curve(turbine)
    v10_arr = np.maximum(weather["wind_m_s"].to_numpy(dtype=float), 0.0)
    if synthetic_seed is not None:
        v10_arr = synthetic_speeds(v10_arr, synthetic_seed)
    v10 = pd.Series(v10_arr)
    v_hub = logarithmic_profile(v10, MEASUREMENT_HEIGHT_M, hub_height_m, ROUGHNESS_LENGTH_M)
    rho = weather["p_air_pa"].to_numpy(dtype=float) / (
        R_DRY_AIR * (weather["t_air_c"].to_numpy(dtype=float) + 273.15)
    )
    if rayleigh:
        p_one = _rayleigh_expected_w(np.asarray(v_hub, dtype=float), rho, speeds, power)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p_one = power_curve(
                v_hub,
                pd.Series(speeds),
                pd.Series(power),
                density=pd.Series(rho),
                density_correction=True,
            )
    out = np.asarray(p_one, dtype=float) * capacity_w / rated * (1.0 - losses_frac)
    return np.clip(np.nan_to_num(out), 0.0, capacity_w)


def _rayleigh_expected_w(
    v_mean: np.ndarray, rho: np.ndarray, speeds: np.ndarray, power: np.ndarray
) -> np.ndarray:
    """Expected turbine output for Rayleigh-distributed speeds of mean ``v_mean`` [W].

    Density correction of the speed, ``v · (ρ / 1.225)^(1/3)`` (IEC 61400-12-1
    normalisation for pitch-regulated turbines).
    """
    v = np.linspace(0.0, 40.0, 401)
    dv = v[1] - v[0]
    out = np.zeros(v_mean.size)
    for i, (vm, r) in enumerate(zip(v_mean, rho)):
        if vm <= 0:
            continue
        pdf = np.pi * v / (2.0 * vm**2) * np.exp(-np.pi * v**2 / (4.0 * vm**2))
        p = np.interp(v * (r / 1.225) ** (1.0 / 3.0), speeds, power, left=0.0, right=0.0)
        out[i] = float((pdf * p).sum() * dv)
    return out


#: lag-1 (hourly) autocorrelation of the Gaussian process (assumed; Brown et al. 1984)
AR1_PHI = 0.95
#: Weibull shape of hourly speeds (Rayleigh)
WEIBULL_K = 2.0


def synthetic_speeds(v_mean: np.ndarray, seed: int) -> np.ndarray:
    """Autocorrelated Weibull speeds whose local mean is ``v_mean`` [m/s].

    Brown, Katz & Murphy (1984): Gaussian AR(1) ``z_t = φ z_{t−1} + √(1−φ²) ε_t``
    mapped through the normal CDF to a Weibull quantile with shape k and scale
    ``c = v̄ / Γ(1 + 1/k)``.
    """
    from scipy.special import gamma, ndtr

    rng = np.random.default_rng(seed)
    n = v_mean.size
    eps = rng.standard_normal(n)
    z = np.empty(n)
    z[0] = eps[0]
    a = np.sqrt(1.0 - AR1_PHI**2)
    for t in range(1, n):
        z[t] = AR1_PHI * z[t - 1] + a * eps[t]
    u = np.clip(ndtr(z), 1e-12, 1.0 - 1e-12)
    scale = v_mean / gamma(1.0 + 1.0 / WEIBULL_K)
    return scale * (-np.log1p(-u)) ** (1.0 / WEIBULL_K)
