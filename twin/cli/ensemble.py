"""``twin ensemble``: one scenario over many synthetic weather years, P10/P50/P90 of its KPIs.

Registered in :mod:`twin.cli` with :func:`register` and :func:`run`.
"""

from __future__ import annotations

import argparse
import json
import sys

EPILOG = """examples:
  twin ensemble --site ouarzazate --set pv.capacity_mwp=100 --years 30 --json
  twin ensemble examples/dakhla.toml --years 50 --seed 7 --out runs/dakhla_years

--json prints {"p10": {KPI: value}, "p50": ..., "p90": ..., "mean": ..., "meta": {"years",
"seed", "wall_s"}}: each KPI's percentiles over the years (p90 is the 90th percentile
of the KPI's values, whichever direction is good). --out writes kpis_by_year.csv,
summary.json and distributions.png (one panel per headline KPI).
"""

#: KPIs drawn in ``distributions.png``.
PLOTTED = (
    "pv_energy_mwh",
    "renewable_fraction",
    "pue",
    "grid_import_mwh",
    "water_m3",
    "cfe_score",
)


def register(sub) -> None:
    """Add the ``ensemble`` subcommand to the ``twin`` sub-parsers."""
    p = sub.add_parser(
        "ensemble",
        help="run a scenario over many synthetic weather years (P10/P50/P90 of its KPIs)",
        description="Run one scenario over N synthetic weather years of its site "
        "(site.weather_year = 0..N-1) through the batched sweep path.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("scenario", nargs="?", help="scenario TOML (default: embedded default)")
    p.add_argument(
        "--example",
        metavar="NAME",
        help="an example campus installed with the package (e.g. dakhla; `twin examples` lists them)",
    )
    p.add_argument("--site", help="site id (see `twin sites`)")
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario key (repeatable)",
    )
    p.add_argument("--years", type=int, required=True, help="number of weather years")
    p.add_argument("--seed", type=int, default=0, help="seed of the weather ensemble")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--out", help="folder for per-year KPIs, summary.json and plots")


def run(args) -> int:
    """Execute ``twin ensemble``; errors are :class:`~twin.errors.TwinError` (exit 2)."""
    from pathlib import Path

    from twin.cli.run import load_scenario
    from twin.errors import ScenarioError
    from twin.sweeps.ensemble import check_years, ensemble, summary

    check_years(args.years)
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise ScenarioError(f"--out {args.out!r}: exists and is not a folder")
    args.step = args.start = args.days = None
    seed, args.seed = args.seed, None
    sc = load_scenario(args)
    ds = ensemble(sc, years=args.years, seed=seed, progress=sys.stderr.isatty())
    result = summary(ds)
    if out is not None:
        _write(out, ds, result)
    if args.json:
        print(json.dumps(result, allow_nan=False))
    else:
        _print_table(result)
    return 0


def _print_table(result: dict) -> None:
    meta = result["meta"]
    print(f"{meta['years']} weather years (seed {meta['seed']}), {meta['wall_s']:.1f} s")
    print(f"{'KPI':<34}{'P10':>14}{'P50':>14}{'P90':>14}{'mean':>14}")
    for k in result["p50"]:
        vals = [result[b][k] for b in ("p10", "p50", "p90", "mean")]
        cells = "".join(f"{v:>14.4g}" if v is not None else f"{'-':>14}" for v in vals)
        print(f"{k:<34}{cells}")


def _write(out, ds, result: dict) -> None:
    """Per-year KPIs (CSV), the summary (JSON) and the distributions (PNG)."""
    from matplotlib.figure import Figure  # no pyplot: no backend chosen for the caller

    out.mkdir(parents=True, exist_ok=True)
    table = ds.drop_vars(["error", "simpy_events"]).to_dataframe()
    table.to_csv(out / "kpis_by_year.csv", float_format="%.6g")
    (out / "summary.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    fig = Figure(figsize=(12, 6.5))
    axes = fig.subplots(2, 3)
    for ax, name in zip(axes.ravel(), PLOTTED):
        v = ds[name].values
        ax.hist(v, bins=min(20, max(5, v.size // 3)), color="#4c78a8", edgecolor="white")
        for p, style in (("p10", ":"), ("p50", "-"), ("p90", ":")):
            if result[p][name] is not None:
                ax.axvline(result[p][name], color="k", ls=style, lw=1)
        ax.set_title(f"{name} [{ds[name].attrs.get('units', '')}]", fontsize=9)
        ax.set_ylabel("years")
    fig.suptitle(
        f"{result['meta']['years']} weather years, seed {result['meta']['seed']} "
        "(lines: P10, P50, P90)"
    )
    fig.tight_layout()
    fig.savefig(out / "distributions.png", dpi=110)
