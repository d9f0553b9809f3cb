"""``twin sites``: the built-in Moroccan sites (registered by :mod:`twin.cli`)."""

from __future__ import annotations

import argparse


def register(sub) -> None:
    """Add the ``sites`` subcommand to the ``twin`` subparsers *sub*."""
    sub.add_parser(
        "sites",
        help="list the built-in Moroccan sites",
        description="List the built-in sites: id, name, coordinates, elevation, climate.",
        epilog="example:\n  twin sites\n  twin run --site dakhla      then run the default hall there",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def run(args) -> int:
    from weather.sites import list_sites

    print(f"{'id':<12} {'name':<24} {'lat':>8} {'lon':>9} {'elev m':>7}  climate")
    for s in list_sites():
        note = getattr(s, "climate_note", "") or ""
        print(
            f"{s.id:<12} {s.name:<24} {s.lat:8.3f} {s.lon:9.3f} {s.elevation_m:7.0f}  {note[:60]}"
        )
    return 0
