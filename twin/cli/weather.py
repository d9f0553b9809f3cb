"""``twin weather SITE``: export a site's weather table (CSV or Parquet).

Example::

    twin weather ouarzazate --source typical --step 15min --year 2023 --out w.parquet
    twin weather rabat --source path/to/file.epw --out rabat.csv

Columns: ``ghi_w_m2, dni_w_m2, dhi_w_m2`` [W/m²], ``t_drybulb_c``,
``t_wetbulb_c`` [°C], ``rh_frac`` [0–1], ``wind_m_s`` [m/s], ``pressure_pa``
[Pa]; the index ``time`` is the interval start, ISO 8601 with offset
(Africa/Casablanca). The file is written to a temporary name and renamed, so an
error never leaves half a file.
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
        help="typical (offline typical year, default), pvgis (online once, then cached) "
        "or a weather file path (EPW, TMY3, PVGIS CSV/JSON)",
    )
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
    if source not in ("typical", "pvgis") and not Path(source).is_file():
        msg = f"--source {source!r}: not 'typical', 'pvgis' or an existing file"
        raise WeatherError(msg)
    seed = weather.WEATHER_SEED if args.seed is None else args.seed
    try:
        data, meta = weather.load_weather(
            site, source, year=args.year, seed=seed, warming_c=args.warming_c
        )
        lat = float(meta.get("lat", site.lat))
        lon = float(meta.get("lon", site.lon))
        elev = float(meta.get("elevation_m", site.elevation_m))
        table = to_subhourly(data, lat, lon, elev, args.step, seed=seed)
    except ValueError as exc:  # WeatherFileError, alignment, warming range
        raise WeatherError(str(exc)) from None
    table = table[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if suffix == ".csv":
            table.to_csv(tmp, index_label="time", float_format="%.4f")
        else:
            table.to_parquet(tmp)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"{len(table)} rows ({args.step}) from {meta.get('source', source)} -> {out}")
    return 0
