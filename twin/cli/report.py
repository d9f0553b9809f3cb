"""``twin report RUN_DIR``: the HTML report of a run directory (registered by :mod:`twin.cli`)."""

from __future__ import annotations

import argparse

EPILOG = """examples:
  twin run --set simulation.days=7 --out runs/week     write a run directory
  twin report runs/week                                then its report: runs/week/report.html
  twin run --out runs/casa --report                    both at once
"""


def register(sub) -> None:
    """Add the ``report`` subcommand to the ``twin`` subparsers *sub*."""
    p = sub.add_parser(
        "report",
        help="write one self-contained HTML report of a run directory",
        description="Write RUN_DIR/report.html: warnings, KPIs with definitions, plots, "
        "the scenario, assumptions and sources, in one file with no external resource.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("run_dir", metavar="RUN_DIR", help="a directory written by `twin run --out`")
    p.add_argument("--out", help="report file (default: RUN_DIR/report.html)")
    p.add_argument(
        "--week",
        metavar="YYYY-MM-DD",
        help="first day (local) of the supply week shown (default: where something happens)",
    )


def run(args) -> int:
    from twin.report.html import write_report

    path = write_report(args.run_dir, args.out, week_start=args.week)
    print(f"report written to {path}")
    return 0
