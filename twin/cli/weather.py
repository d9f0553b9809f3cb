"""``twin weather SITE``: export a site's weather table (CSV or Parquet).

Example::

    twin weather ouarzazate --source typical --step 15min --year 2023 --out w.parquet
    twin weather rabat --source path/to/file.epw --out rabat.csv
    twin weather ouarzazate --source ensemble --years 30 --seed 1 --out years.parquet

Columns: ``ghi_w_m2, dni_w_m2, dhi_w_m2`` [W/m²], ``t_drybulb_c``,
``t_wetbulb_c`` [°C], ``rh_frac`` [0–1], ``wind_m_s`` [m/s], ``pressure_pa``
[Pa]; the index ``time`` is the interval start, ISO 8601 with offset
(Africa/Casablanca). With ``--source ensemble`` the table holds ``--years`` synthetic
weather years (:mod:`weather.ensemble`, the years ``site.weather_year`` indexes) one after
the other, with a ``weather_year`` and a ``time`` column and the rain ``precip_mm`` [mm per
row]. The file is written to a temporary name and renamed, so an error never leaves half
a file.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from twin.errors import WeatherError

#: Output column of each project weather column.
EXPORT_COLUMNS = {
    "ghi_w_m2": "ghi_w_m2",
    "dni_w_m2": "dni_w_m2",
    "dhi_w_m2": "dhi_w_m2",
    "t_air_c": "t_drybulb_c",
    "t_wb_c": "t_wetbulb_c",
    "rh_frac": "rh_frac",
    "wind_m_s": "wind_m_s",
    "p_air_pa": "pressure_pa",
}
#: Most rows of one exported table (held in memory before writing: ~80 bytes a row,
#: 1.6 GB; 100 hourly years are 876,000 rows, 100 one-minute years 52.6 million) [-].
MAX_EXPORT_ROWS = 20_000_000
_ROWS_PER_YEAR = {"1h": 8760, "15min": 35040, "1min": 525600}


def register(subparsers) -> argparse.ArgumentParser:
    """Register the ``weather`` subcommand."""
    w = subparsers.add_parser(
        "weather",
        help="export a site's weather table (typical year, PVGIS or a file)",
        description="Export a site's weather as CSV or Parquet. "
        "Example: twin weather ouarzazate --step 15min --out w.parquet",
    )
    w.add_argument("site", help="built-in site id (see `twin sites`)")
    w.add_argument(
        "--source",
        default="typical",
        help="typical (offline typical year, default), ensemble (--years synthetic "
        "weather years), pvgis (online once, then cached) "
        "or a weather file path (EPW, TMY3, PVGIS CSV/JSON)",
    )
    w.add_argument("--years", type=int, help="number of weather years (--source ensemble)")
    w.add_argument("--step", choices=["1h", "15min", "1min"], default="1h", help="time step")
    w.add_argument("--year", type=int, default=2023, help="calendar year (typical, pvgis)")
    w.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the synthetic weather (default: the weather `twin run` uses)",
    )
    w.add_argument(
        "--warming-c", type=float, default=0.0, help="climate what-if: dry-bulb shift [K]"
    )
    w.add_argument("--out", required=True, help="output file, .csv or .parquet")
    return w


def run(args) -> int:
    """Build the table and write it; :class:`WeatherError` on bad input."""
    import weather
    from weather.sites import UnknownSiteError, get_site
    from weather.subhourly import to_subhourly

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        msg = f"--out {args.out!r}: the file must end in .csv or .parquet"
        raise WeatherError(msg)
    if not 1950 <= args.year <= 2100:
        msg = f"--year {args.year} is outside [1950, 2100]"
        raise WeatherError(msg)
    if not out.parent.is_dir():
        msg = f"--out {args.out!r}: folder {out.parent} does not exist"
        raise WeatherError(msg)
    try:
        site = get_site(args.site)
    except UnknownSiteError as exc:
        raise WeatherError(str(exc.args[0])) from None
    source = args.source
    if source not in ("typical", "pvgis", "ensemble") and not Path(source).is_file():
        msg = f"--source {source!r}: not 'typical', 'ensemble', 'pvgis' or an existing file"
        raise WeatherError(msg)
    if args.years is not None and source != "ensemble":
        raise WeatherError(f"--years needs --source ensemble (got --source {source!r})")
    seed = weather.WEATHER_SEED if args.seed is None else args.seed
    try:
        if source == "ensemble":
            table, meta = _ensemble_table(site, args, seed)
        else:
            data, meta = weather.load_weather(
                site, source, year=args.year, seed=seed, warming_c=args.warming_c
            )
            lat = float(meta.get("lat", site.lat))
            lon = float(meta.get("lon", site.lon))
            elev = float(meta.get("elevation_m", site.elevation_m))
            table = to_subhourly(data, lat, lon, elev, args.step, seed=seed)
    except ValueError as exc:  # WeatherFileError, alignment, warming range
        raise WeatherError(str(exc)) from None
    cols = {**EXPORT_COLUMNS, "precip_mm": "precip_mm"}
    keep = [c for c in ("weather_year", "time", *cols) if c in table.columns]
    table = table[keep].rename(columns=cols)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    as_index = "time" not in table.columns
    try:
        if suffix == ".csv":
            table.to_csv(tmp, index=as_index, index_label="time", float_format="%.4f")
        else:
            table.to_parquet(tmp, index=None if as_index else False)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"{len(table)} rows ({args.step}) from {meta.get('source', source)} -> {out}")
    return 0


def _ensemble_table(site, args, seed: int):
    """``--years`` weather years of ensemble *seed* in one table, ``weather_year`` and
    ``time`` as columns."""
    import pandas as pd

    import weather
    from weather.subhourly import to_subhourly

    years = args.years
    if years is None or years < 1:
        raise WeatherError(f"--years {years}: --source ensemble needs --years >= 1")
    rows = years * _ROWS_PER_YEAR[args.step]
    if rows > MAX_EXPORT_ROWS:
        msg = (
            f"--years {years}: {rows:,} rows at {args.step} exceed the {MAX_EXPORT_ROWS:,} "
            f"rows one table may hold in memory; at most {MAX_EXPORT_ROWS // _ROWS_PER_YEAR[args.step]} "
            f"years at {args.step}"
        )
        raise WeatherError(msg)
    parts = []
    for k in range(years):
        data, meta = weather.load_weather(
            site, None, year=args.year, seed=seed, warming_c=args.warming_c, weather_year=k
        )
        sub = to_subhourly(data, site.lat, site.lon, site.elevation_m, args.step, seed=seed)
        if "precip_mm" not in sub.columns:  # sub-hourly: the hour's rain spread evenly
            per = _ROWS_PER_YEAR[args.step] // 8760
            sub["precip_mm"] = data["precip_mm"].to_numpy().repeat(per)[: len(sub)] / per
        sub = sub.reset_index(names="time")
        sub.insert(0, "weather_year", k)
        parts.append(sub)
    meta = {"source": f"weather ensemble of {site.id}, seed {seed}, years 0-{years - 1}"}
    return pd.concat(parts, ignore_index=True), meta
