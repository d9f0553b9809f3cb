"""Weather, PV, price and carbon series on the kernel time grid.

Weather is hourly (a file or the offline typical year, :mod:`weather`); the
kernel grid may be 1 h, 15 min or 1 min. Hourly values are interval averages
labelled by the start of their hour; sub-hourly steps take a linear
interpolation between hour centres (PV power included, so hourly energy is
kept to within the curvature of the profile). Realistic sub-hourly variability
is the weather issue's.

The run covers a window of the weather year (``simulation.start``, ``simulation.days``):
weather row ``i`` is the hour that starts ``i`` hours after 1 January 00:00 local time of
``site.year``, and every series (weather, PV, wind, price, carbon) is taken from the
window's offset into that year, so a summer fortnight sees summer weather and the summer
tariff hours.

Every random draw of the weather (typical year, hourly wind speeds, sub-hourly clouds)
uses :data:`weather.WEATHER_SEED`, never ``simulation.seed``: the operational stream
(faults, workload) can be re-drawn on the same weather. With ``site.weather_year`` the
weather is that year of the ensemble ``site.weather_seed`` (:mod:`weather.ensemble`),
and its hourly wind draws have the year's own seed.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import weather
from twin.errors import WeatherError
from twin.scenario.model import Scenario
from twin.sim import input_cache
from twin.sim.grid_steps import grid_steps
from weather import WEATHER_SEED
from weather.epw import WeatherFileError
from weather.pvplant import PVPlant, PVPlantError, simulate_pv_plant
from weather.sites import UnknownSiteError, get_site
from weather.subhourly import to_subhourly

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inputs:
    """Exogenous series on the step grid (arrays of length ``n_steps``)."""

    index: pd.DatetimeIndex
    t_db_c: np.ndarray
    t_wb_c: np.ndarray
    rh_frac: np.ndarray
    ghi_w_m2: np.ndarray
    p_pv_w: np.ndarray
    price_mad_per_kwh: np.ndarray
    carbon_g_per_kwh: np.ndarray
    weather_source: str
    site_name: str
    #: grid carbon-free share of supply per step [-]
    carbon_free_frac: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: wind farm AC power per step [W]
    p_wind_w: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: off-site PPA power delivered over the grid per step [W]
    p_ppa_w: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: grid marginal emission factor per step [g/kWh] (consequential accounting,
    #: :func:`weather.grid.marginal_profile`)
    carbon_marginal_g_per_kwh: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: tariff calendar slot per step: 3 x (month - 1) + time-of-use period [-]
    #: (:func:`weather.grid.tou_period`: 0 peak, 1 full, 2 off-peak)
    tariff_slot: np.ndarray = field(default_factory=lambda: np.zeros(0))


def tariff_slot(inp: Inputs, n: int) -> np.ndarray:
    """The tariff slot series of *inp* as floats, or -1 (no slot) where it has none."""
    slot = inp.tariff_slot
    if len(slot) >= n:
        return np.ascontiguousarray(slot[:n], dtype=np.float64)
    return np.full(n, -1.0)


def carbon_marginal(inp: Inputs, n: int) -> np.ndarray:
    """The grid's marginal emission factor per step [g/kWh]: the series of *inp*, or its
    average intensity where *inp* has none."""
    m = inp.carbon_marginal_g_per_kwh
    if len(m) >= n:
        return np.ascontiguousarray(m[:n], dtype=np.float64)
    return np.ascontiguousarray(inp.carbon_g_per_kwh[:n], dtype=np.float64)


def carbon_free_frac(inp: Inputs, n: int, flat: float) -> np.ndarray:
    """The grid's carbon-free share per step [-]: the series of *inp*, or the
    scenario's flat share *flat* (``grid.carbon_free_frac``) when *inp* has none.

    The one place that decides it, for the kernel's signals and for the KPIs.
    """
    cf = inp.carbon_free_frac
    if len(cf) == n:
        return np.ascontiguousarray(cf, dtype=np.float64)
    return np.full(n, float(flat))


def _to_steps(hourly: np.ndarray, dt_s: int, n_steps: int, offset_s: int = 0) -> np.ndarray:
    """Hourly values on the steps of a window starting *offset_s* into the year."""
    if dt_s == 3600:
        h0 = offset_s // 3600
        return np.ascontiguousarray(hourly[h0 : h0 + n_steps], dtype=np.float64)
    t_h = np.arange(hourly.size) * 3600.0 + 1800.0
    # offset_s + k dt + dt / 2, in that order, in one array
    t_k = np.arange(n_steps, dtype=np.float64)
    t_k *= float(dt_s)
    t_k += offset_s
    t_k += 0.5 * dt_s
    # np.interp answers a new float64 array: no copy of it
    return np.interp(t_k, t_h, hourly)


def _nonnegative(values: np.ndarray) -> np.ndarray:
    """*values* with negatives set to 0: in place when it owns its data (a new array of
    :func:`_to_steps`), else a copy (a view of an hourly series at a 1-h step)."""
    if values.base is None and values.flags.writeable:
        return np.maximum(values, 0.0, out=values)
    return np.maximum(values, 0.0)


def pv_plant_ac_w(data: pd.DataFrame, lat: float, lon: float, elev: float, pv) -> np.ndarray:
    """AC power [W] of the scenario's PV plant (``sc.pv``) for each weather row."""
    try:
        plant = PVPlant(
            capacity_mwp=pv.capacity_mwp,
            tracking=pv.tracking,
            tilt_deg=pv.tilt_deg,
            azimuth_deg=pv.azimuth_deg,
            dc_ac_ratio=pv.dc_ac_ratio,
            inverter_efficiency=pv.inverter_efficiency,
            losses_frac=pv.losses_frac,
            soiling_model=pv.soiling_model,
            cleaning_interval_days=pv.cleaning_interval_days,
            soiling_frac=pv.soiling_frac,
            degradation_frac_per_year=pv.degradation_frac_per_year,
            age_years=pv.age_years,
            bifaciality=pv.bifaciality,
            gcr=pv.gcr,
        )
    except PVPlantError as exc:
        raise WeatherError(str(exc)) from None
    out = simulate_pv_plant(data, lat, lon, elev, plant)
    return out["p_ac_w"].to_numpy(dtype=float)


#: Weather and PV-per-watt series of the last few sites, reused by later runs
#: in the same process (a sweep varies PV size, storage or plant far more often
#: than the site): they depend only on the key, and are never modified.
_MEMO_SIZE = 8
_WEATHER_MEMO: OrderedDict[Any, Any] = OrderedDict()
_PV_MEMO: OrderedDict[Any, Any] = OrderedDict()
_GRID_MEMO: OrderedDict[Any, Any] = OrderedDict()
_COLUMN_MEMO: OrderedDict[Any, Any] = OrderedDict()
_WIND_MEMO: OrderedDict[Any, Any] = OrderedDict()


def _weather_key(site_id: str, source: str | None, year: int, seed: int) -> tuple:
    stamp = None
    if source is not None and Path(source).is_file():
        st = Path(source).stat()
        stamp = (st.st_mtime_ns, st.st_size)
    return (site_id, source, stamp, year, seed)


def _memo(store: OrderedDict, key: Any, compute: Callable[[], Any]) -> Any:
    if key in store:
        store.move_to_end(key)
        return store[key]
    value = compute()
    store[key] = value
    while len(store) > _MEMO_SIZE:
        store.popitem(last=False)
    return value


def _disk_weather_key(
    site_id: str, source: str | None, year: int, warming_c: float, seed: int, weather_year
) -> Any:
    """What determines a weather table, for the on-disk cache (``None``: not cached,
    e.g. PVGIS, whose own cache follows the service)."""
    if source == "pvgis":
        return None
    content = None if source is None else input_cache.file_digest(source)
    return ("weather", site_id, content, year, seed, warming_c, weather_year)


def _load_weather(
    site, source, year: int, warming_c: float, dkey: Any, seed: int, weather_year
) -> tuple:
    def compute() -> tuple:
        return weather.load_weather(
            site,
            source=source,
            year=year,
            seed=seed,
            warming_c=warming_c,
            weather_year=weather_year,
        )

    if dkey is None:
        return compute()
    return input_cache.cached_frame("weather", dkey, compute)


def _cached_pv(key: Any, data: pd.DataFrame, lat: float, lon: float, elev: float, pv) -> Any:
    """AC power of a PV design on a weather table [W], from the on-disk cache when the
    weather itself is cacheable (``key[1]`` is its key)."""
    if key[1] is None:
        return pv_plant_ac_w(data, lat, lon, elev, pv)
    return input_cache.cached_array("pv", key, lambda: pv_plant_ac_w(data, lat, lon, elev, pv))


def load_inputs(sc: Scenario) -> Inputs:
    """Site weather and derived series for a scenario; :class:`WeatherError` on bad input."""
    try:
        site = get_site(sc.site.id)
    except UnknownSiteError as exc:
        msg = f"site.id = {sc.site.id!r}: {exc.args[0] if exc.args else 'unknown site'}"
        raise WeatherError(msg) from None
    source = sc.site.weather or None
    if source == "typical":
        source = None
    if source is not None and source != "pvgis" and not Path(source).is_file():
        msg = f"site.weather = {source!r}: file not found"
        raise WeatherError(msg)
    wy = sc.site.weather_year
    wkey, dkey, data, meta = _site_weather(sc, site, source)
    dt_s, n_steps, off_s = sc.dt_s, sc.n_steps, sc.start_offset_s
    hours_needed = int(np.ceil((off_s + n_steps * dt_s) / 3600.0))
    if len(data) < hours_needed:
        msg = (
            f"weather for {site.id} has {len(data)} hours but simulation.days = "
            f"{sc.simulation.days} from simulation.start = "
            f"{sc.simulation.start or 'the start of the year'} needs {hours_needed}"
        )
        raise WeatherError(msg)
    lat = meta.get("lat", site.lat) if source else site.lat
    lon = meta.get("lon", site.lon) if source else site.lon
    elev = meta.get("elevation_m", site.elevation_m) if source else site.elevation_m
    pv = sc.pv
    if pv.capacity_mwp > 0:
        # AC power is proportional to the DC nameplate (the inverter is sized by the
        # DC/AC ratio), so one plant of 1 MWp per weather and design serves every size
        design = pv.model_dump(exclude={"capacity_mwp"})
        per_mwp = _memo(
            _PV_MEMO,
            (wkey, tuple(sorted(design.items()))),
            lambda: _cached_pv(
                ("pv", dkey, design, lat, lon, elev),
                data,
                lat,
                lon,
                elev,
                pv.model_copy(update={"capacity_mwp": 1.0}),
            ),
        )
        p_pv_hourly = np.asarray(per_mwp, dtype=float) * pv.capacity_mwp
    else:
        p_pv_hourly = np.zeros(len(data))
    index, price, carbon, cfree, slot, marginal = _memo(
        _GRID_MEMO,
        (sc.site.year, off_s, dt_s, n_steps, sc.grid.model_dump_json()),
        lambda: grid_steps(sc, dt_s, n_steps),
    )
    p_wind = _wind_w(sc, sc.wind.capacity_mw, data, dt_s, n_steps, off_s, sc.wind.farm)
    p_ppa = np.zeros(n_steps)
    if sc.ppa.capacity_mw > 0:
        if sc.ppa.profile == "wind":
            p_ppa = _wind_w(sc, sc.ppa.capacity_mw, data, dt_s, n_steps, off_s, sc.ppa.wind_farm)
        else:
            # a solar PPA: the scenario's PV design, AC rating = contracted capacity
            ppa_pv = pv.model_copy(update={"capacity_mwp": sc.ppa.capacity_mw * pv.dc_ac_ratio})
            hourly = pv_plant_ac_w(data, lat, lon, elev, ppa_pv)
            p_ppa = _nonnegative(_to_steps(hourly, dt_s, n_steps, off_s))
    p_sub = None
    if sc.site.subhourly == "variability" and dt_s < 3600:
        # the sub-hourly weather and PV instead of the interpolated ones
        p_sub, sub_arrays = _subhourly(sc, data, dkey, (lat, lon, elev), hours_needed)
        col = sub_arrays.__getitem__
    else:
        columns = _memo(
            _COLUMN_MEMO,
            (wkey, off_s, dt_s, n_steps),
            lambda: {
                name: _to_steps(data[name].to_numpy(dtype=float), dt_s, n_steps, off_s)
                for name in ("t_air_c", "t_wb_c", "rh_frac", "ghi_w_m2")
            },
        )
        col = columns.__getitem__
    p_pv = (
        p_sub if p_sub is not None else _nonnegative(_to_steps(p_pv_hourly, dt_s, n_steps, off_s))
    )
    return Inputs(
        index=index,
        t_db_c=col("t_air_c"),
        t_wb_c=col("t_wb_c"),
        rh_frac=col("rh_frac"),
        ghi_w_m2=np.maximum(col("ghi_w_m2"), 0.0),
        p_pv_w=p_pv,
        price_mad_per_kwh=price,
        carbon_g_per_kwh=carbon,
        weather_source=str(source)
        if source
        else (
            f"typical year ({site.id})"
            if wy is None
            else f"weather year {wy} ({site.id}, seed {sc.site.weather_seed})"
        ),
        site_name=site.name,
        carbon_free_frac=cfree,
        p_wind_w=p_wind,
        p_ppa_w=p_ppa,
        tariff_slot=slot,
        carbon_marginal_g_per_kwh=marginal,
    )


def _subhourly(
    sc: Scenario, data: pd.DataFrame, dkey: Any, where: tuple, hours_needed: int
) -> tuple[np.ndarray | None, dict[str, np.ndarray]]:
    """Sub-hourly cloud variability (:mod:`weather.subhourly`) on the window's steps: the
    PV power (``None`` without PV) and the weather columns.

    Drawn from 1 January (one causal random series), so a window sees the clouds of the
    whole-year table that ``twin weather`` exports; one hour past the window keeps the
    interpolation between hour centres that of the whole year.
    """
    lat, lon, elev = where
    dt_s, n_steps, off_s, pv = sc.dt_s, sc.n_steps, sc.start_offset_s, sc.pv
    h_end = min(len(data), hours_needed + 1)
    j = slice(off_s // dt_s, off_s // dt_s + n_steps)
    skey = ("subhourly", dkey, lat, lon, elev, sc.simulation.step, h_end)
    sub, _ = input_cache.cached_frame(
        "subhourly",
        skey,
        lambda: (
            to_subhourly(data.iloc[:h_end], lat, lon, elev, sc.simulation.step, seed=WEATHER_SEED),
            {},
        ),
    )
    p_pv = None
    if pv.capacity_mwp > 0:
        # AC power scales with the DC nameplate: one 1 MWp plant per design
        design = pv.model_dump(exclude={"capacity_mwp"})
        unit = pv.model_copy(update={"capacity_mwp": 1.0})
        per_mwp = _cached_pv((*skey, design), sub, lat, lon, elev, unit)
        p_pv = _nonnegative(per_mwp[j] * pv.capacity_mwp)
    arrays = {
        c: np.ascontiguousarray(sub[c].to_numpy(dtype=float)[j])
        for c in ("t_air_c", "t_wb_c", "rh_frac", "ghi_w_m2")
    }
    return p_pv, arrays


def _site_weather(sc: Scenario, site, source: str | None) -> tuple:
    """The memo key, hourly table and metadata of the scenario's weather: the typical
    year, a weather year of the ensemble (``site.weather_year``), PVGIS or a file."""
    wy = sc.site.weather_year
    if wy is not None and source is not None:
        msg = (
            f"site.weather_year = {wy} needs the synthetic weather: leave site.weather "
            f"unset (or 'typical'), not {source!r}"
        )
        raise WeatherError(msg)
    wseed = WEATHER_SEED if wy is None else sc.site.weather_seed
    wkey = (*_weather_key(site.id, source, sc.site.year, wseed), sc.site.warming_c, wy)
    # the same weather on disk (twin.sim.input_cache): a file by its content, not its path
    dkey = _disk_weather_key(site.id, source, sc.site.year, sc.site.warming_c, wseed, wy)
    try:
        data, meta = _memo(
            _WEATHER_MEMO,
            wkey,
            lambda: _load_weather(site, source, sc.site.year, sc.site.warming_c, dkey, wseed, wy),
        )
    except (WeatherFileError, ValueError) as exc:
        raise WeatherError(str(exc)) from None
    return wkey, dkey, data, meta


def _wind_w(
    sc: Scenario,
    capacity_mw: float,
    data: pd.DataFrame,
    dt_s: int,
    n_steps: int,
    off_s: int,
    farm: str = "",
) -> np.ndarray:
    """Wind farm AC power on the step grid [W] (:mod:`weather.wind`).

    With *farm* (a :mod:`weather.windfarms` id), the farm's own site, turbine, hub height
    and calibrated wind, with ``wind.losses_frac``. Without, the data center's weather
    with the ``[wind]`` keys: the offline typical year holds smoothed monthly wind
    speeds, so an autocorrelated Weibull series is drawn around them there (seeded by
    the weather's own seed, :data:`weather.WEATHER_SEED`); a weather file's hourly
    speeds are used as they are.
    """
    if capacity_mw <= 0:
        return np.zeros(n_steps)
    from weather.wind import UnknownTurbineError, wind_farm_w

    w = sc.wind
    if farm:
        from weather.windfarms import get_farm

        f = get_farm(farm)
        wy, ws = sc.site.weather_year, sc.site.weather_seed
        per_mw = _memo(
            _WIND_MEMO,
            (farm, w.losses_frac, wy, ws if wy is not None else None),
            lambda: _farm_per_mw(f, w.losses_frac, wy, ws),
        )
        hourly = per_mw * capacity_mw
        return _nonnegative(_to_steps(hourly, dt_s, n_steps, off_s))
    if w.mean_speed_10m_m_s > 0.0:
        # an ensemble year keeps its own windiness: scaled by the typical year's mean
        mean = float(data["wind_m_s"].mean())
        if sc.site.weather_year is not None:
            from weather.ensemble import typical_wind_mean

            mean = typical_wind_mean(get_site(sc.site.id))
        if mean > 0.0:
            data = data.assign(wind_m_s=data["wind_m_s"] * (w.mean_speed_10m_m_s / mean))
    seed = None if sc.site.weather else WEATHER_SEED
    if sc.site.weather_year is not None:
        from weather.windfarms import year_seed

        seed = year_seed(sc.site.weather_seed, sc.site.weather_year)
    try:
        hourly = wind_farm_w(
            data,
            capacity_mw * 1e6,
            w.turbine,
            w.hub_height_m,
            w.losses_frac,
            synthetic_seed=seed,
        )
    except UnknownTurbineError as exc:
        raise WeatherError(f"wind.turbine = {w.turbine!r}: {exc}") from None
    return _nonnegative(_to_steps(np.asarray(hourly, dtype=float), dt_s, n_steps, off_s))


def _farm_per_mw(
    farm, losses_frac: float, weather_year: int | None = None, seed: int = 0
) -> np.ndarray:
    """Hourly output of 1 MW of a catalogue farm [W], with *losses_frac* instead of the
    calibration's losses (output scales with ``1 - losses``), in the typical year or
    in ensemble year *weather_year* of *seed*."""
    from weather.windfarms import FARM_LOSSES_FRAC, farm_hourly_w

    hourly = np.asarray(farm_hourly_w(farm, 1e6, weather_year=weather_year, seed=seed), dtype=float)
    return hourly * (1.0 - losses_frac) / (1.0 - FARM_LOSSES_FRAC)
