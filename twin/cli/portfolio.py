"""``twin portfolio [PORTFOLIO]``: every campus of a portfolio, then the national view.

Registered in :mod:`twin.cli` with :func:`register` and :func:`run`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from twin.errors import TwinError

EPILOG = """examples:
  twin portfolio                               Morocco's announced ~2 GW (embedded default)
  twin portfolio --json                        campuses, total, national and meta as one object
  twin portfolio examples/morocco_2gw.toml --step 15min --out runs/2gw --report
  twin portfolio --set 'cooling.plant="dry_coolers"'      a what-if on every campus
  twin portfolio --delay 2                     every phased campus two years later
"""


def register(sub) -> None:
    """Add the ``portfolio`` subcommand to the ``twin`` sub-parsers."""
    p = sub.add_parser(
        "portfolio",
        help="run a portfolio of campuses and put it on the national grid",
        description="Run every campus of a portfolio file, then the national grid view.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("portfolio", nargs="?", help="portfolio TOML (default: embedded Morocco 2 GW)")
    p.add_argument("--step", choices=["1h", "15min"], help="kernel time step of every campus")
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario key of every campus (repeatable)",
    )
    p.add_argument("--delay", type=int, default=0, help="years later for every phased campus")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--out", help="write tables and plots to this directory")
    p.add_argument("--force", action="store_true", help="replace an existing --out directory")
    p.add_argument("--report", action="store_true", help="also write report.html into --out")


def _summary(result) -> str:
    n = result.national.kpis
    lines = [f"{result.meta['portfolio_file']}: {len(result.campuses)} campuses, year {n['year']}"]
    for name, k in result.campuses.items():
        lines.append(
            f"  {name:<26} {k['facility_energy_mwh'] / 1e6:7.2f} TWh  PUE {k['pue']:.3f}  "
            f"{k['water_m3'] / 1e6:6.2f} Mm3  {k['co2_marginal_t'] / 1e6:6.2f} MtCO2 (marginal)"
        )
    lines += [
        f"  national consumption {n['consumption_twh']:.1f} TWh, peak {n['peak_mw']:.0f} MW",
        (
            f"  added {n['added_energy_twh']:.2f} TWh ({n['added_share_of_consumption']:.1%}), "
            f"{n['added_peak_mw']:.0f} MW at the national peak hour"
        ),
        (
            f"  CO2 {n['average_co2_t'] / 1e6:.2f} Mt (average), "
            f"{n['marginal_co2_t'] / 1e6:.2f} Mt (marginal, "
            f"{n['marginal_factor_g_per_kwh']:.0f} g/kWh)"
        ),
        f"  to cover it: {n['wind_build_mw']:.0f} MW of wind or {n['solar_build_mw']:.0f} MW of solar",
        f"  wall {result.meta['wall_s']:.1f} s",
    ]
    return "\n".join(lines)


def run(args) -> int:
    """Execute ``twin portfolio``; errors are :class:`~twin.errors.TwinError` (exit 2)."""
    from twin.portfolios.outputs import write_portfolio
    from twin.portfolios.run import portfolio

    if args.report and not args.out:
        raise TwinError("--report needs --out DIR (the report is written into it)")
    if args.out and Path(args.out).exists() and not args.force:
        raise TwinError(f"output directory {args.out} already exists (use --force to replace it)")
    if not -10 <= args.delay <= 30:
        raise TwinError(f"--delay = {args.delay}: must be in -10..30 years")
    result = portfolio(args.portfolio, step=args.step, sets=args.sets, delay_years=args.delay)
    if args.out:
        write_portfolio(result, args.out, force=args.force, report=args.report)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(_summary(result))
        if args.out:
            print(f"  written to {args.out}")
    return 0
