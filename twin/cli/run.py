"""``twin run [SCENARIO]``: simulate one scenario, print its KPIs (registered by :mod:`twin.cli`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from twin.cli.args import assignment
from twin.errors import TwinError

if TYPE_CHECKING:
    from twin.scenario.model import Scenario

EPILOG = """examples:
  twin run                                    embedded default scenario (40 MW AI hall, Casablanca)
  twin run --site dakhla --json               same hall at Dakhla, KPIs as JSON
  twin run --example dakhla                   the announced Dakhla campus (`twin examples`)
  twin run examples/default.toml --set pv.capacity_mwp=60 --set battery.energy_mwh=100
  twin run --set site.weather=weather.epw --step 15min --out runs/rabat
  twin run --start 2023-07-08 --days 14 --step 15min   a summer fortnight
  twin run docs/examples/summer_outage.toml --out runs/summer --report   a scheduled outage
"""


def register(sub) -> None:
    """Add the ``run`` subcommand to the ``twin`` subparsers *sub*."""
    r = sub.add_parser(
        "run",
        help="simulate one scenario",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Simulate one scenario and print its KPIs.",
    )
    r.add_argument("scenario", nargs="?", help="scenario TOML file (default: embedded default)")
    r.add_argument(
        "--example",
        metavar="NAME",
        help="an example campus installed with the package (e.g. dakhla; `twin examples` lists them)",
    )
    r.add_argument("--site", help="site id (see `twin sites`)")
    r.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        type=assignment("--set", "pv.capacity_mwp=20"),
        help="override a scenario key, e.g. pv.capacity_mwp=20 (repeatable)",
    )
    r.add_argument("--step", choices=["1h", "15min", "1min"], help="kernel time step")
    r.add_argument(
        "--start",
        metavar="YYYY-MM-DDTHH:MM",
        help="local start time (Africa/Casablanca) inside site.year (default: 1 January)",
    )
    r.add_argument("--days", type=int, help="simulated days from the start")
    r.add_argument("--seed", type=int, help="random seed")
    r.add_argument("--out", help="write time series, KPIs, scenario and plots to this directory")
    r.add_argument("--force", action="store_true", help="replace an existing --out directory")
    r.add_argument("--json", action="store_true", help="print KPIs and meta as one JSON object")
    r.add_argument("--report", action="store_true", help="also write report.html into --out")
    r.add_argument(
        "--no-cache",
        action="store_true",
        help="prepare the weather, PV and wind inputs afresh instead of reading them from "
        "the on-disk input cache (results are never cached: every run is simulated)",
    )
    r.add_argument(
        "--week",
        metavar="YYYY-MM-DD",
        help="with --out: first day (local) of the supply week plotted (default: the week "
        "of the largest unmet load, outage, inlet excursion or import peak)",
    )


def load_scenario(args) -> Scenario:
    """The scenario file, example or embedded default with the command line's overrides
    (built by :func:`twin.frontdoor.cli_scenario`, as the HTTP API builds its own)."""
    from twin.frontdoor import cli_scenario, option_sets

    before, after = option_sets(args.site, args.step, args.start, args.days, args.seed)
    return cli_scenario(args.scenario, args.example, [*before, *args.sets, *after])


def kpi_table(result) -> str:
    """The KPIs of *result* in readable units (GWh/MWh, M MAD, thousands grouped), one per
    line and aligned, and the run's counts (exact values: ``--json``)."""
    from twin.results.kpis import KPI_UNITS
    from twin.results.readable import kpi_lines
    from twin.workload.run import job_table

    lines = [
        (
            f"{result.meta['site_name']} — {result.meta['steps']} steps of "
            f"{result.meta['step']}, {result.meta['weather']}"
        )
    ]
    lines += kpi_lines(result.kpis, KPI_UNITS)
    m = result.meta
    if m.get("job_classes"):
        lines.append(job_table(m))
    lines.append(
        f"  simpy events {m['simpy_events']}, kernel calls {m['kernel_calls']}, "
        f"wall {m['wall_s']:.2f} s"
    )
    return "\n".join(lines)


def _check_date(text: str) -> None:
    import pandas as pd

    try:
        pd.Timestamp(text)
    except ValueError:
        msg = f"--week {text!r}: expected a local date YYYY-MM-DD"
        raise TwinError(msg) from None


def run(args) -> int:
    from twin.report.rundir import write_run
    from twin.results.simulate import simulate

    if args.week and not args.out:
        raise TwinError("--week needs --out DIR (it chooses the week of the plot written there)")
    if args.week:
        _check_date(args.week)
    if args.report and not args.out:
        msg = "--report needs --out DIR (the report is written into the run directory)"
        raise TwinError(msg)
    if args.no_cache:
        from twin.sim import input_cache

        input_cache.disable()
    sc = load_scenario(args)
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
        try:
            write_run(result, args.out, force=args.force, report=args.report, week_start=args.week)
        except ValueError as exc:  # a --week outside the run: nothing was written
            raise TwinError(f"--week: {exc}") from None
    if args.json:
        print(result.to_json())  # the same text as the server's POST /api/run
    else:
        print(kpi_table(result))
        if args.out:
            print(f"  written to {args.out}")
    return 0
