"""PV AC output per W-peak installed, PVWatts v5 through pvlib.

References
----------
.. [1] A. P. Dobos, "PVWatts Version 5 Manual", NREL/TP-6A20-62641, 2014.
.. [2] pvlib-python: ``irradiance.get_total_irradiance`` (Perez 1990),
   ``tracking.singleaxis`` (Marion & Dobos 2013), ``temperature.sapm_cell``
   (King et al. 2004), ``pvsystem.pvwatts_dc``, ``inverter.pvwatts``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from weather.solar import solar_position_mid_interval

__all__ = [
    "PVWATTS_ETA_INV_NOM",
    "PVWATTS_GAMMA_PDC_PER_C",
    "PVWATTS_SYSTEM_LOSSES_FRAC",
    "pv_ac_w_per_wp",
]

#: PVWatts v5 default total system losses (Dobos 2014, Table 3: 14.08 %) [0–1].
PVWATTS_SYSTEM_LOSSES_FRAC = 0.1408
#: Standard-module temperature coefficient of PVWatts since version 6 (-0.37 %/°C;
#: version 5, Dobos 2014 Table 2, used -0.47 %/°C for the same module type) [1/°C].
PVWATTS_GAMMA_PDC_PER_C = -0.0037
#: PVWatts v5 default DC/AC ratio (Dobos 2014) [-].
PVWATTS_DC_AC_RATIO = 1.1
#: PVWatts v5 nominal inverter efficiency (Dobos 2014, eq. 12 default 0.96) [-].
PVWATTS_ETA_INV_NOM = 0.96
#: Ground albedo for transposition [-] (pvlib default 0.25).
ALBEDO = 0.25
#: Maximum tracker rotation [degrees] and ground coverage ratio [-] for backtracking.
TRACKER_MAX_ANGLE_DEG = 60.0
TRACKER_GCR = 0.35


def pv_ac_w_per_wp(
    data: pd.DataFrame,
    lat: float,
    lon: float,
    elevation_m: float,
    tilt_deg: float,
    azimuth_deg: float,
    tracking: bool,
    dc_ac_ratio: float = PVWATTS_DC_AC_RATIO,
    system_losses_frac: float = PVWATTS_SYSTEM_LOSSES_FRAC,
    soiling_frac: float = 0.0,
    gamma_pdc_per_c: float = PVWATTS_GAMMA_PDC_PER_C,
) -> np.ndarray:
    """AC power per W-peak of DC installed, for each hourly row of *data*.

    Parameters
    ----------
    data : pandas.DataFrame
        Weather with ``ghi_w_m2, dni_w_m2, dhi_w_m2`` [W/m²], ``t_air_c`` [°C],
        ``wind_m_s`` [m/s], ``p_air_pa`` [Pa]; tz-aware index labelled by interval start.
    lat, lon : float
        Site [degrees].
    elevation_m : float
        Site elevation [m].
    tilt_deg, azimuth_deg : float
        Fixed-tilt plane [degrees; azimuth 180 = south]. For tracking, the axis
        azimuth (tilt ignored, horizontal axis).
    tracking : bool
        Single-axis tracking with backtracking instead of fixed tilt.
    dc_ac_ratio : float
        DC nameplate / inverter AC nameplate [-].
    system_losses_frac : float
        PVWatts lumped losses (wiring, mismatch, availability ...) [0–1].
    soiling_frac : float
        Soiling (dust) loss on POA irradiance [0–1].
    gamma_pdc_per_c : float
        DC power temperature coefficient [1/°C].

    Returns
    -------
    numpy.ndarray
        AC power [W per W-peak DC], ≥ 0, finite, ≤ 1/dc_ac_ratio.

    Notes
    -----
    Solar position at each interval's middle (index + 30 min); Perez
    transposition with extraterrestrial DNI and relative airmass; SAPM cell
    temperature ('open_rack_glass_polymer'); ``pvwatts_dc`` with 1 W at STC;
    DC losses; ``inverter.pvwatts`` with AC nameplate = 1/dc_ac_ratio and
    eta 0.96 (Dobos 2014).
    """
    import pvlib

    mid = data.index + pd.Timedelta(minutes=30)
    solpos = solar_position_mid_interval(data.index, lat, lon, elevation_m)
    zen = solpos["apparent_zenith"]
    azi = solpos["azimuth"]
    if tracking:
        trk = pvlib.tracking.singleaxis(
            zen,
            azi,
            axis_tilt=0.0,
            axis_azimuth=azimuth_deg,
            max_angle=TRACKER_MAX_ANGLE_DEG,
            backtrack=True,
            gcr=TRACKER_GCR,
        )
        surf_tilt = trk["surface_tilt"].fillna(0.0)
        surf_azi = trk["surface_azimuth"].fillna(azimuth_deg)
    else:
        surf_tilt, surf_azi = tilt_deg, azimuth_deg
    dni_extra = pvlib.irradiance.get_extra_radiation(mid)
    airmass = pvlib.atmosphere.get_relative_airmass(zen)
    poa = pvlib.irradiance.get_total_irradiance(
        surf_tilt,
        surf_azi,
        zen,
        azi,
        data["dni_w_m2"].to_numpy(),
        data["ghi_w_m2"].to_numpy(),
        data["dhi_w_m2"].to_numpy(),
        dni_extra=dni_extra.to_numpy(),
        airmass=airmass.to_numpy(),
        albedo=ALBEDO,
        model="perez",
    )
    poa_w_m2 = np.nan_to_num(np.asarray(poa["poa_global"], dtype=float)).clip(min=0.0)
    poa_w_m2 *= 1.0 - soiling_frac
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    t_cell_c = pvlib.temperature.sapm_cell(
        poa_w_m2, data["t_air_c"].to_numpy(), data["wind_m_s"].to_numpy(), **params
    )
    p_dc = pvlib.pvsystem.pvwatts_dc(poa_w_m2, t_cell_c, 1.0, gamma_pdc_per_c)
    p_dc = np.asarray(p_dc, dtype=float) * (1.0 - system_losses_frac)
    p_ac0 = 1.0 / dc_ac_ratio
    p_ac = pvlib.inverter.pvwatts(
        p_dc, p_ac0 / PVWATTS_ETA_INV_NOM, eta_inv_nom=PVWATTS_ETA_INV_NOM
    )
    p_ac = np.nan_to_num(np.asarray(p_ac, dtype=float))
    return np.clip(p_ac, 0.0, p_ac0)
