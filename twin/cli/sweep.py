"""``twin sweep``: many scenarios around a base, KPIs to a folder.

Registered in :mod:`twin.cli` with :func:`register` and :func:`run`.
"""

from __future__ import annotations

import argparse

from twin.cli.args import assignment

EPILOG = """examples:
  twin sweep examples/default.toml --vary pv.capacity_mwp=0,20,40 --vary battery.energy_mwh=0,50 --out runs/pv_bess
  twin sweep examples/default.toml --vary pv.capacity_mwp=0,80 --vary site.id=casablanca,dakhla \\
      --design latin_hypercube --n 200 --out runs/lhs
  twin sweep examples/default.toml --vary simulation.seed=1,2,3,4 --backend dask --workers 2 --out runs/seeds
  twin sweep examples/default.toml --vary pv.capacity_mwp=0,20,40 --out runs/pv_bess --resume

  twin sweep --example dakhla --vary pv.capacity_mwp=0:800:5 --out runs/dakhla_pv   0,200,...,800

A numeric range START:STOP:N is N evenly spaced values, both ends included.
Every value is checked on the base scenario before anything runs (exit 2 naming it).
With latin_hypercube/random, two numeric values are a range [v1, v2]; more values are levels.
Writes OUT/kpis.csv (scenario, varied keys, KPIs, error), OUT/sweep.nc, OUT/chunks/, OUT/plan.json.
"""


def register(sub) -> None:
    """Add the ``sweep`` subcommand to the ``twin`` sub-parsers."""
    p = sub.add_parser(
        "sweep",
        help="run many scenarios (grid, Latin hypercube or random) and collect KPIs",
        description="Run a sweep of scenarios around a base scenario; write KPIs per scenario.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("scenario", nargs="?", help="base scenario TOML (default: embedded default)")
    p.add_argument("--example", metavar="NAME", help="an installed example campus as the base")
    p.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY=V1,V2,...|KEY=START:STOP:N",
        type=assignment("--vary", "pv.capacity_mwp=0,20,40", "KEY=V1,V2,... or KEY=START:STOP:N"),
        help="a varied scenario key and its values, or N values from START to STOP (repeatable)",
    )
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        type=assignment("--set", "pv.capacity_mwp=20"),
        help="override a base-scenario key (repeatable)",
    )
    p.add_argument(
        "--design", choices=["grid", "latin_hypercube", "random"], default="grid", help="sampling"
    )
    p.add_argument("--n", type=int, help="number of scenarios (latin_hypercube, random)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sampling design")
    p.add_argument("--backend", choices=["local", "dask", "cuda"], default="local")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="existing Dask scheduler")
    p.add_argument(
        "--workers",
        type=int,
        help="local: worker processes (default 1, kernel threaded); dask: LocalCluster workers",
    )
    p.add_argument("--chunk", type=int, help="scenarios per chunk (default: up to 256)")
    p.add_argument("--resume", action="store_true", help="skip scenarios finished in --out")
    p.add_argument(
        "--timeseries",
        action="store_true",
        help="also write each scenario's per-step series (OUT/timeseries/*.parquet)",
    )
    p.add_argument("--out", required=True, help="output folder")


def run(args) -> int:
    """Execute ``twin sweep``; errors are :class:`~twin.errors.TwinError` (exit code 2)."""
    from twin.errors import ScenarioError
    from twin.frontdoor import check_vary, cli_scenario
    from twin.sweeps.design import parse_vary
    from twin.sweeps.front import sweep

    if args.workers is not None and args.workers < 1:
        raise ScenarioError(f"--workers = {args.workers}: must be >= 1")
    if args.chunk is not None and args.chunk < 1:
        raise ScenarioError(f"--chunk = {args.chunk}: must be >= 1")
    base = cli_scenario(args.scenario, args.example, args.sets)
    vary = parse_vary(args.vary)
    check_vary(base, vary)
    ds = sweep(
        base,
        vary,
        design=args.design,
        n=args.n,
        backend=args.backend,
        seed=args.seed,
        out=args.out,
        resume=args.resume,
        scheduler=args.scheduler,
        workers=args.workers,
        chunk_size=args.chunk,
        timeseries=args.timeseries,
    )
    n_err = int((ds["error"] != "").sum())
    print(
        f"{ds['error'].size} scenarios, {n_err} failed; written to {args.out} (kpis.csv, sweep.nc)"
    )
    return 0
