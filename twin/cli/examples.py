"""``twin examples``: the example campuses installed with the package (registered by
:mod:`twin.cli`)."""

from __future__ import annotations

import argparse


def register(sub) -> None:
    """Add the ``examples`` subcommand to the ``twin`` subparsers *sub*."""
    p = sub.add_parser(
        "examples",
        help="list the example campuses installed with the package",
        description="List the example campuses (run one with `twin run --example NAME`), "
        "or print one as TOML to start a scenario file from.",
        epilog="examples:\n  twin examples\n  twin examples dakhla > my_campus.toml\n"
        "  twin run --example dakhla",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", nargs="?", help="print this example's TOML")


def summary(text: str) -> str:
    """The first comment line of an example file, without the ``#``."""
    for line in text.splitlines():
        if line.startswith("#") and line.strip("# "):
            return line.strip("# ").strip()
    return ""


def run(args) -> int:
    from twin import examples

    if args.name:
        print(examples.text(args.name), end="")
        return 0
    for name in examples.names():
        print(f"{name:<22} {summary(examples.text(name))[:90]}")
    return 0
