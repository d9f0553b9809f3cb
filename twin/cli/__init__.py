"""The ``twin`` command line: one module per command, all registered the same way.

Each command module (:mod:`~twin.cli.sites`, :mod:`~twin.cli.run`,
:mod:`~twin.cli.weather`, :mod:`~twin.cli.report`, :mod:`~twin.cli.sweep`,
:mod:`~twin.cli.portfolio`, :mod:`~twin.cli.ensemble`) has
``register(subparsers)``, which adds its sub-parser, and ``run(args) -> int``, which
runs it. :func:`main` turns every :class:`~twin.errors.TwinError` into one line on
stderr and exit status 2: a user's typo never ends in a traceback.

Examples
--------
twin --version
twin sites
twin run                                   # the embedded default scenario
twin run --site dakhla --set pv.capacity_mwp=60 --json
twin run examples/default.toml --step 15min --out runs/casa
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from twin import provenance
from twin.cli import ensemble, examples, portfolio, report, run, serve, sites, sweep, weather
from twin.errors import TwinError

_DASK_LOG_KEY, _DASK_QUIET = "DASK_LOGGING__DISTRIBUTED", "warning"

#: The commands, in the order ``twin --help`` lists them.
COMMANDS = {
    "sites": sites,
    "examples": examples,
    "run": run,
    "weather": weather,
    "report": report,
    "sweep": sweep,
    "portfolio": portfolio,
    "ensemble": ensemble,
    "serve": serve,
}

EPILOG = """examples:
  twin sites                                  the built-in Moroccan sites
  twin run --site ouarzazate                  the default hall at Ouarzazate, KPI table
  twin run --example dakhla --json            an announced campus, KPIs as JSON
  twin run --out runs/casa --report           files, plots and report.html
  twin report runs/casa                       (re)write the report of a run directory
  twin portfolio --json                       Morocco's announced ~2 GW on the national grid
  twin ensemble --site ouarzazate --years 30  the same over 30 synthetic weather years
  twin serve                                  the what-if workbench on http://127.0.0.1:8000
"""


def parser() -> argparse.ArgumentParser:
    """The ``twin`` argument parser with every command registered."""
    p = argparse.ArgumentParser(
        prog="twin",
        description="Atlas Twin: energy-and-cooling digital twin for data centers in Morocco.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    p.add_argument(
        "-V",
        "--version",
        action="version",
        version=provenance.label(),
        help="print the version (and the git revision in a checkout) and exit",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS.values():
        module.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the ``twin`` command line; return the exit status."""
    try:
        args = parser().parse_args(argv)
    except TwinError as exc:  # an argument type's check (twin.cli.args)
        print(f"twin: error: {exc}", file=sys.stderr)
        return 2
    # Dask reads its logging levels from the environment when it is first imported, and
    # its worker processes inherit them: INFO lines stay off the terminal unless -v (a
    # level this function set in an earlier call of the same process is taken back)
    if not args.verbose:
        os.environ.setdefault(_DASK_LOG_KEY, _DASK_QUIET)
    elif os.environ.get(_DASK_LOG_KEY) == _DASK_QUIET:
        del os.environ[_DASK_LOG_KEY]
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return COMMANDS[args.command].run(args)
    except TwinError as exc:
        print(f"twin: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("twin: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _closed_pipe()


def _closed_pipe() -> int:
    """The reader of standard output went away (``twin sites | head``): stop quietly, as
    command-line tools do, instead of a traceback. Standard output is pointed at the null
    device so that the interpreter's final flush does not raise again (the recipe of the
    Python documentation, "Note on SIGPIPE"); the status is 141, a shell's for SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141
