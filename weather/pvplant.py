"""A PV plant: fixed tilt or single-axis tracking, PVWatts-style losses, soiling.

The chain, per interval of a weather table (any regular step, rows labelled by
interval start):

1. Solar position at each interval's middle (:func:`weather.solar.solar_position_mid_step`).
2. Mounting: fixed plane, or horizontal single-axis tracker with backtracking
   (``pvlib.tracking.singleaxis``, Marion & Dobos 2013, NREL/TP-6A20-58891).
3. Plane-of-array irradiance by Perez 1990 transposition
   (``pvlib.irradiance.get_total_irradiance(model="perez")``), albedo 0.2 (the
   PVWatts default when the weather has none; Dobos 2014).
4. Cover reflection on the beam component: ``pvlib.iam.physical`` with the
   PVWatts glass cover n = 1.526, K = 4 /m, L = 2 mm (Dobos 2014, §3.3).
5. Optional bifacial gain: rear irradiance of infinite rows
   (``pvlib.bifacial.infinite_sheds``, Mikofski et al. 2019) times the
   bifaciality factor.
6. Soiling: ``"none"`` (no loss beyond ``losses_frac``), or ``"kimber"``
   (Kimber et al. 2006, ``pvlib.soiling.kimber``): linear dust build-up, reset by
   a day with ≥ 6 mm of rain or by a scheduled cleaning. The PVWatts total loss
   (14.08 %) already holds 2 % of soiling (Dobos 2014, Table 3: soiling 2, shading
   3, mismatch 2, wiring 2, connections 0.5, light-induced degradation 1.5,
   nameplate 1, availability 3 %, combined as 1 − Π(1 − lᵢ)); with the Kimber model
   on, that 2 % is taken out of ``losses_frac`` (:func:`dc_losses_frac`) so dust is
   not counted twice.
7. Cell temperature: SAPM, open rack glass/polymer (King et al. 2004,
   ``pvlib.temperature.sapm_cell``).
8. DC power: PVWatts ``pvlib.pvsystem.pvwatts_dc`` with γ = −0.37 %/°C (the
   PVWatts standard module since v6), times (1 − ``losses_frac``) and the
   degradation factor 1 − rate × age (linear; Jordan & Kurtz 2013,
   Prog. Photovolt. 21:12, median 0.5 %/yr).
9. Inverter: PVWatts efficiency curve (``pvlib.inverter.pvwatts``, Dobos 2014,
   eq. 12, η_nom given, η_ref 0.9637) and clipping at the AC nameplate
   = DC nameplate / ``dc_ac_ratio``.

References
----------
.. [1] A. P. Dobos, "PVWatts Version 5 Manual", NREL/TP-6A20-62641, 2014.
.. [2] M. Kimber, L. Mitchell, S. Nogradi, H. Wenger, "The effect of soiling on
   large grid-connected photovoltaic systems in California and the Southwest
   region of the United States", IEEE PVSC 2006.
.. [3] A. Ammari et al., "Experimental study on the impact of soiling on the modules
   temperature and performance of two different PV technologies under hot arid
   climate", Heliyon 8 (2022) e11395 (Benguerir, Morocco).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from weather.solar import solar_position_mid_step

__all__ = [
    "KIMBER_MOROCCO",
    "SOILING_MODELS",
    "PVPlant",
    "PVPlantError",
    "dc_losses_frac",
    "simulate_pv_plant",
]

#: Soiling models accepted by :attr:`PVPlant.soiling_model`.
SOILING_MODELS = ("none", "kimber")

#: Kimber-model parameters for Moroccan desert dust.
#: ``cleaning_threshold_mm`` 6 mm/day and ``grace_period_days`` 14 d: Kimber et al.
#: 2006 (pvlib defaults). ``soiling_loss_rate_per_day`` 0.0025/day and
#: ``max_soiling`` 0.30: assumed from Ammari et al. 2022 (Benguerir, uncleaned
#: poly-Si module reached a daily soiling ratio of 0.70, i.e. 30 % loss, and lost
#: 15 % of a year's energy); 0.25 %/day reaches 30 % in ~4 months without rain.
KIMBER_MOROCCO = {
    "cleaning_threshold_mm": 6.0,
    "soiling_loss_rate_per_day": 0.0025,
    "grace_period_days": 14,
    "max_soiling": 0.30,
}
#: PVWatts glass cover: refractive index, extinction coefficient [1/m], thickness [m]
#: (Dobos 2014, §3.3).
_COVER_N, _COVER_K_PER_M, _COVER_L_M = 1.526, 4.0, 0.002
#: PVWatts reference inverter efficiency (Dobos 2014, eq. 12) [-].
_ETA_INV_REF = 0.9637
#: PVWatts default albedo when the weather has none (Dobos 2014) [-].
ALBEDO_DEFAULT = 0.2


class PVPlantError(ValueError):
    """A PV plant parameter is outside its allowed range; the message names it."""


@dataclass(frozen=True)
class PVPlant:
    """Design of a PV plant (every field with its unit and allowed range).

    Attributes
    ----------
    capacity_mwp : float
        DC nameplate at STC [MWp], ≥ 0.
    tracking : {"fixed", "single_axis"}
        Mounting; single-axis trackers are horizontal with the axis pointing to
        ``azimuth_deg`` (180: north–south axis, the PVWatts convention), with
        backtracking.
    tilt_deg, azimuth_deg : float
        Fixed plane tilt [0–90°] and azimuth [0–360°, 180 = south].
    dc_ac_ratio : float
        DC nameplate / inverter AC nameplate [0.5–3].
    inverter_efficiency : float
        Nominal inverter efficiency [0.5–1] (PVWatts default 0.96).
    losses_frac : float
        PVWatts-style total DC losses [0–0.99] (PVWatts default 0.14).
    soiling_model : {"none", "kimber"}
        Dust model; ``"none"``: the only DC loss is ``losses_frac``.
    cleaning_interval_days : float
        Scheduled washing every N days for the Kimber model; 0 = never [d].
    soiling_frac : float
        Constant extra loss on plane-of-array irradiance [0–0.99] (the older
        ``pv.soiling_frac`` key; 0 by default).
    degradation_frac_per_year, age_years : float
        Linear output degradation [1/yr] and plant age [yr]; factor
        1 − rate × age (0.5 %/yr: Jordan & Kurtz 2013 median).
    bifaciality : float
        Rear/front efficiency ratio, 0 = monofacial [0–1] (0.7 typical of
        bifacial PERC, assumed).
    gcr : float
        Ground coverage ratio for backtracking and rear irradiance [0.1–0.9]
        (0.35 assumed; typical utility trackers 0.3–0.4).
    max_angle_deg : float
        Tracker rotation limit [deg] (60°, assumed typical).
    albedo : float
        Ground albedo [0–1].
    gamma_pdc_per_c : float
        DC temperature coefficient [1/°C] (PVWatts standard module −0.0037).
    """

    capacity_mwp: float = 1.0
    tracking: Literal["fixed", "single_axis"] = "fixed"
    tilt_deg: float = 30.0
    azimuth_deg: float = 180.0
    dc_ac_ratio: float = 1.2
    inverter_efficiency: float = 0.96
    losses_frac: float = 0.14
    soiling_model: str = "none"
    cleaning_interval_days: float = 0.0
    soiling_frac: float = 0.0
    degradation_frac_per_year: float = 0.005
    age_years: float = 0.0
    bifaciality: float = 0.0
    gcr: float = 0.35
    max_angle_deg: float = 60.0
    albedo: float = ALBEDO_DEFAULT
    gamma_pdc_per_c: float = -0.0037

    def __post_init__(self) -> None:
        bounds = {
            "capacity_mwp": (0.0, 1e5),
            "tilt_deg": (0.0, 90.0),
            "azimuth_deg": (0.0, 360.0),
            "dc_ac_ratio": (0.5, 3.0),
            "inverter_efficiency": (0.5, 1.0),
            "losses_frac": (0.0, 0.99),
            "cleaning_interval_days": (0.0, 3650.0),
            "soiling_frac": (0.0, 0.99),
            "degradation_frac_per_year": (0.0, 0.1),
            "age_years": (0.0, 60.0),
            "bifaciality": (0.0, 1.0),
            "gcr": (0.1, 0.9),
            "max_angle_deg": (0.0, 90.0),
            "albedo": (0.0, 1.0),
            "gamma_pdc_per_c": (-0.01, 0.0),
        }
        for name, (lo, hi) in bounds.items():
            v = getattr(self, name)
            if not (np.isfinite(v) and lo <= v <= hi):
                msg = f"pv.{name} = {v} is outside [{lo}, {hi}]"
                raise PVPlantError(msg)
        if self.tracking not in ("fixed", "single_axis"):
            msg = f"pv.tracking = {self.tracking!r}; allowed: 'fixed', 'single_axis'"
            raise PVPlantError(msg)
        if self.soiling_model not in SOILING_MODELS:
            msg = f"pv.soiling_model = {self.soiling_model!r}; allowed: {', '.join(SOILING_MODELS)}"
            raise PVPlantError(msg)


#: Soiling share of the PVWatts v5 default system losses (Dobos 2014, Table 3) [-].
PVWATTS_SOILING_FRAC = 0.02


def dc_losses_frac(plant: PVPlant) -> float:
    """DC system losses applied to the plant [-]: ``losses_frac``, less the PVWatts
    soiling term when the Kimber model counts the dust itself.

    The PVWatts losses combine as 1 − Π(1 − lᵢ) (Dobos 2014, eq. 9), so removing the
    2 % soiling term gives ``1 − (1 − losses_frac) / (1 − 0.02)`` (floored at 0).
    """
    if plant.soiling_model != "kimber":
        return plant.losses_frac
    return max(0.0, 1.0 - (1.0 - plant.losses_frac) / (1.0 - PVWATTS_SOILING_FRAC))


def _soiling_ratio(index: pd.DatetimeIndex, rain_mm: np.ndarray, plant: PVPlant) -> np.ndarray:
    """Transmission factor (1 − soiling loss) per interval, Kimber model."""
    import pvlib

    if plant.soiling_model == "none":
        return np.ones(len(index))
    p = KIMBER_MOROCCO
    # naive UTC labels: pvlib's kimber reads ``index.values`` (deprecated on tz-aware)
    naive = index.tz_convert("UTC").tz_localize(None) if index.tz is not None else index
    washes = None
    if plant.cleaning_interval_days > 0:
        wanted = pd.date_range(
            naive[0], naive[-1], freq=pd.Timedelta(days=plant.cleaning_interval_days)
        )[1:]
        washes = naive[naive.searchsorted(wanted).clip(max=len(naive) - 1)]
    loss = pvlib.soiling.kimber(
        pd.Series(rain_mm, index=naive),
        cleaning_threshold=p["cleaning_threshold_mm"],
        soiling_loss_rate=p["soiling_loss_rate_per_day"],
        grace_period=p["grace_period_days"],
        max_soiling=p["max_soiling"],
        manual_wash_dates=washes,
    )
    return 1.0 - np.clip(np.asarray(loss, dtype=float), 0.0, 1.0)


def simulate_pv_plant(
    data: pd.DataFrame, lat: float, lon: float, elevation_m: float, plant: PVPlant
) -> pd.DataFrame:
    """Run *plant* on the weather *data*.

    Parameters
    ----------
    data : pandas.DataFrame
        Weather with ``ghi_w_m2, dni_w_m2, dhi_w_m2`` [W/m²], ``t_air_c`` [°C],
        ``wind_m_s`` [m/s]; optional ``precip_mm`` (rain per interval, for
        soiling; absent = no rain) and ``poa_w_m2`` (measured plane-of-array
        irradiance, with ``data.attrs["poa_plane"] = (tilt, azimuth)``: used
        instead of transposition when the plant is fixed on that plane within
        1°). Regular,
        tz-aware index labelled by interval start.
    lat, lon, elevation_m : float
        Site [degrees, m].
    plant : PVPlant
        The design.

    Returns
    -------
    pandas.DataFrame
        Same index; ``poa_w_m2`` (effective, after cover and soiling),
        ``t_cell_c``, ``soiling_ratio`` [-], ``p_dc_w``, ``p_ac_w`` (≥ 0, ≤ AC
        nameplate), ``p_clipped_w`` (DC-side power lost to clipping, ≥ 0);
        ``attrs["irradiance"]`` says whether measured POA or Perez was used.
    """
    import pvlib

    n = len(data)
    solpos = solar_position_mid_step(data.index, lat, lon, elevation_m)
    zen = solpos["apparent_zenith"].to_numpy()
    azi = solpos["azimuth"].to_numpy()
    surf_tilt, surf_azi, aoi = _surface(plant, zen, azi, n)
    mid = data.index + (data.index[1] - data.index[0]) / 2 if n > 1 else data.index
    dni_extra = pvlib.irradiance.get_extra_radiation(mid).to_numpy()
    poa_eff, use_poa = _front_poa(data, plant, surf_tilt, surf_azi, aoi, zen, azi, dni_extra)
    if plant.bifaciality > 0:
        poa_eff = poa_eff + plant.bifaciality * _rear_poa(
            data, plant, surf_tilt, surf_azi, zen, azi, dni_extra
        )
    rain = data["precip_mm"].to_numpy(dtype=float) if "precip_mm" in data.columns else np.zeros(n)
    sr = _soiling_ratio(data.index, rain, plant) * (1.0 - plant.soiling_frac)
    poa_eff = np.clip(poa_eff * sr, 0.0, None)
    t_cell_c, p_dc, p_ac, p_clip = _power(data, plant, poa_eff)
    result = pd.DataFrame(
        {
            "poa_w_m2": poa_eff,
            "t_cell_c": t_cell_c,
            "soiling_ratio": sr,
            "p_dc_w": p_dc,
            "p_ac_w": p_ac,
            "p_clipped_w": p_clip,
        },
        index=data.index,
    )
    result.attrs["irradiance"] = (
        "measured plane-of-array" if use_poa else "Perez transposition of GHI/DNI/DHI"
    )
    return result


def _surface(plant: PVPlant, zen: np.ndarray, azi: np.ndarray, n: int) -> tuple:
    """Module plane per step: tilt, azimuth and angle of incidence [degrees]."""
    import pvlib

    if plant.tracking == "single_axis":
        trk = pvlib.tracking.singleaxis(
            zen,
            azi,
            axis_tilt=0.0,
            axis_azimuth=plant.azimuth_deg,
            max_angle=plant.max_angle_deg,
            backtrack=True,
            gcr=plant.gcr,
        )
        surf_tilt = np.nan_to_num(np.asarray(trk["surface_tilt"], dtype=float))
        surf_azi = np.nan_to_num(np.asarray(trk["surface_azimuth"], dtype=float), nan=180.0)
        aoi = np.asarray(trk["aoi"], dtype=float)
    else:
        surf_tilt = np.full(n, plant.tilt_deg)
        surf_azi = np.full(n, plant.azimuth_deg)
        aoi = pvlib.irradiance.aoi(plant.tilt_deg, plant.azimuth_deg, zen, azi)
    return surf_tilt, surf_azi, aoi


def _front_poa(data, plant, surf_tilt, surf_azi, aoi, zen, azi, dni_extra) -> tuple:
    """Front-side irradiance reaching the cells (Perez, then the cover's angular loss) [W/m²],
    or the measured plane-of-array irradiance when the file has it for this plane."""
    import pvlib

    n = len(data)
    airmass = pvlib.atmosphere.get_relative_airmass(zen)
    ghi = data["ghi_w_m2"].to_numpy(dtype=float)
    dni = data["dni_w_m2"].to_numpy(dtype=float)
    dhi = data["dhi_w_m2"].to_numpy(dtype=float)
    poa = pvlib.irradiance.get_total_irradiance(
        surf_tilt,
        surf_azi,
        zen,
        azi,
        dni,
        ghi,
        dhi,
        dni_extra=dni_extra,
        airmass=np.asarray(airmass),
        albedo=plant.albedo,
        model="perez",
    )
    beam = np.nan_to_num(np.asarray(poa["poa_direct"], dtype=float)).clip(min=0.0)
    diffuse = np.nan_to_num(np.asarray(poa["poa_diffuse"], dtype=float)).clip(min=0.0)
    iam = np.nan_to_num(
        np.asarray(
            pvlib.iam.physical(np.nan_to_num(aoi, nan=90.0), _COVER_N, _COVER_K_PER_M, _COVER_L_M)
        )
    )
    poa_eff = beam * iam + diffuse
    plane = data.attrs.get("poa_plane")
    use_poa = (
        "poa_w_m2" in data.columns
        and plane is not None
        and plant.tracking == "fixed"
        and abs(plane[0] - plant.tilt_deg) <= 1.0
        and abs((plane[1] - plant.azimuth_deg + 180.0) % 360.0 - 180.0) <= 1.0
    )
    if use_poa:
        # measured plane-of-array irradiance on this very plane (e.g. PVGIS G(i)):
        # used directly, with the modelled cover-loss ratio of the same instant
        measured = data["poa_w_m2"].to_numpy(dtype=float)
        modelled = beam + diffuse
        ratio = np.divide(poa_eff, modelled, out=np.ones(n), where=modelled > 1.0)
        poa_eff = measured * ratio
    return poa_eff, use_poa


def _rear_poa(data, plant, surf_tilt, surf_azi, zen, azi, dni_extra) -> np.ndarray:
    """Rear-side irradiance of a bifacial row (pvlib infinite sheds, isotropic) [W/m²]."""
    import pvlib

    pitch_m = 2.0 / plant.gcr  # assumed: 2 m collector width (two modules in portrait)
    rear = pvlib.bifacial.infinite_sheds.get_irradiance(
        surf_tilt,
        surf_azi,
        zen,
        azi,
        plant.gcr,
        1.5,  # assumed: 1.5 m axis height
        pitch_m,
        data["ghi_w_m2"].to_numpy(dtype=float),
        data["dhi_w_m2"].to_numpy(dtype=float),
        data["dni_w_m2"].to_numpy(dtype=float),
        plant.albedo,
        model="isotropic",
        dni_extra=dni_extra,
    )
    return np.nan_to_num(np.asarray(rear["poa_back"], dtype=float)).clip(min=0.0)


def _power(data, plant: PVPlant, poa_eff: np.ndarray) -> tuple:
    """Cell temperature (SAPM) [°C], then DC (PVWatts), AC and clipped power [W]."""
    import pvlib

    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    t_cell_c = np.asarray(
        pvlib.temperature.sapm_cell(
            poa_eff, data["t_air_c"].to_numpy(dtype=float), data["wind_m_s"].to_numpy(), **params
        ),
        dtype=float,
    )
    p_dc0_w = plant.capacity_mwp * 1e6
    derate = (1.0 - dc_losses_frac(plant)) * (
        1.0 - plant.degradation_frac_per_year * plant.age_years
    )
    p_dc = np.asarray(
        pvlib.pvsystem.pvwatts_dc(poa_eff, t_cell_c, p_dc0_w, plant.gamma_pdc_per_c), dtype=float
    )
    p_dc = np.clip(np.nan_to_num(p_dc) * derate, 0.0, None)
    p_ac0_w = p_dc0_w / plant.dc_ac_ratio
    p_ac = np.asarray(
        pvlib.inverter.pvwatts(
            p_dc,
            p_ac0_w / plant.inverter_efficiency,
            eta_inv_nom=plant.inverter_efficiency,
            eta_inv_ref=_ETA_INV_REF,
        ),
        dtype=float,
    )
    p_ac = np.clip(np.nan_to_num(p_ac), 0.0, p_ac0_w)
    p_clip = np.clip(p_dc - p_ac0_w / plant.inverter_efficiency, 0.0, None)
    return t_cell_c, p_dc, p_ac, p_clip
