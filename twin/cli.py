"""The ``twin`` command line.

Examples
--------
twin sites
twin run                                   # the embedded default scenario
twin run --site dakhla --set pv.capacity_mwp=60 --json
twin run examples/default.toml --step 15min --out runs/casa
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from twin import cli_report, cli_weather
from twin.errors import TwinError

if TYPE_CHECKING:
    from twin.scenario import Scenario

logger = logging.getLogger("twin")

EPILOG_RUN = """examples:
  twin run                                    embedded default scenario (40 MW AI hall, Casablanca)
  twin run --site dakhla --json               same hall at Dakhla, KPIs as JSON
  twin run examples/default.toml --set pv.capacity_mwp=60 --set battery.energy_mwh=100
  twin run --set site.weather=weather.epw --step 15min --out runs/rabat
"""


EPILOG_MAIN = """examples:
  twin sites                                  the built-in Moroccan sites
  twin run --site ouarzazate                  the default hall at Ouarzazate, KPI table
  twin run examples/dakhla.toml --json        an announced campus, KPIs as JSON
  twin run --out runs/casa --report           files, plots and report.html
  twin report runs/casa                       (re)write the report of a run directory
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="twin",
        description="Atlas Twin: energy-and-cooling digital twin for data centers in Morocco.",
        epilog=EPILOG_MAIN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser(
        "sites",
        help="list the built-in Moroccan sites",
        description="List the built-in sites: id, name, coordinates, elevation, climate.",
        epilog="example:\n  twin sites\n  twin run --site dakhla      then run the default hall there",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r = sub.add_parser(
        "run",
        help="simulate one scenario",
        epilog=EPILOG_RUN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Simulate one scenario and print its KPIs.",
    )
    r.add_argument("scenario", nargs="?", help="scenario TOML file (default: embedded default)")
    r.add_argument("--site", help="site id (see `twin sites`)")
    r.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario key, e.g. pv.capacity_mwp=20 (repeatable)",
    )
    r.add_argument("--step", choices=["1h", "15min", "1min"], help="kernel time step")
    r.add_argument("--days", type=int, help="simulated days from 1 January")
    r.add_argument("--seed", type=int, help="random seed")
    r.add_argument("--out", help="write time series, KPIs, scenario and plots to this directory")
    r.add_argument("--force", action="store_true", help="replace an existing --out directory")
    r.add_argument("--json", action="store_true", help="print KPIs and meta as one JSON object")
    cli_weather.add_parser(sub)
    r.add_argument("--report", action="store_true", help="also write report.html into --out")
    cli_report.register(sub)
    from twin import cli_sweep

    cli_sweep.add_parser(sub)
    return p


def _load(args) -> Scenario:
    from twin.scenario import Scenario

    sc = Scenario.from_toml(args.scenario) if args.scenario else Scenario()
    sets = list(args.sets)
    if args.site:
        sets.insert(0, f"site.id={json.dumps(args.site)}")
    if args.step:
        sets.append(f'simulation.step="{args.step}"')
    if args.days is not None:
        sets.append(f"simulation.days={args.days}")
    if args.seed is not None:
        sets.append(f"simulation.seed={args.seed}")
    return sc.with_overrides(sets) if sets else sc


def _cmd_sites() -> int:
    from weather.sites import list_sites

    print(f"{'id':<12} {'name':<24} {'lat':>8} {'lon':>9} {'elev m':>7}  climate")
    for s in list_sites():
        note = getattr(s, "climate_note", "") or ""
        print(
            f"{s.id:<12} {s.name:<24} {s.lat:8.3f} {s.lon:9.3f} {s.elevation_m:7.0f}  {note[:60]}"
        )
    return 0


def _kpi_table(result) -> str:
    from twin.results import KPI_UNITS

    lines = [
        (
            f"{result.meta['site_name']} — {result.meta['steps']} steps of "
            f"{result.meta['step']}, {result.meta['weather']}"
        )
    ]
    for name, (unit, _) in KPI_UNITS.items():
        v = result.kpis[name]
        lines.append(f"  {name:<22} {v:>14.4g} {unit}")
    m = result.meta
    from twin.workload.run import job_table

    if m.get("job_classes"):
        lines.append(job_table(m))
    lines.append(
        f"  simpy events {m['simpy_events']}, kernel calls {m['kernel_calls']}, "
        f"wall {m['wall_s']:.2f} s"
    )
    return "\n".join(lines)


def _cmd_run(args) -> int:
    from twin.engine import simulate
    from twin.files import write_run

    if args.report and not args.out:
        msg = "--report needs --out DIR (the report is written into the run directory)"
        raise TwinError(msg)
    sc = _load(args)
    if args.out and Path(args.out).exists() and not args.force:
        msg = f"output directory {args.out} already exists (use --force to replace it)"
        raise TwinError(msg)
    if sys.stderr.isatty():  # progress for people, never in pipes or tests
        print(
            f"twin: simulating {sc.name}: {sc.n_steps} steps of {sc.simulation.step} at "
            f"{sc.site.id} (the first run compiles the kernels, about a minute)…",
            file=sys.stderr,
            flush=True,
        )
    result = simulate(sc)
    if args.out:
        write_run(result, args.out, force=args.force, report=args.report)
    if args.json:
        print(result.to_json())
    else:
        print(_kpi_table(result))
        if args.out:
            print(f"  written to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "sites":
            return _cmd_sites()
        if args.command == "weather":
            return cli_weather.run(args)
        if args.command == "report":
            return cli_report.cmd_report(args)
        if args.command == "sweep":
            from twin import cli_sweep

            return cli_sweep.run(args)
        return _cmd_run(args)
    except TwinError as exc:
        print(f"twin: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("twin: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
