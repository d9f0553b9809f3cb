"""The validation envelope: the twin's cooling plants against EnergyPlus 25.2, case by case.

IT heat at 25, 50, 75 and 100 % of design x three Moroccan climates (the Rabat-Salé,
Agadir and Tiznit TMYx EPWs of ``tests/data``) x every plant EnergyPlus models with an
equivalent object (``tests/validation/eplus_envelope.py``). Writes the table into
``docs/validation.md`` (between its envelope markers) and the figures to
``benchmarks/results/validation_envelope.json``; ``tests/validation/test_envelope.py``
asserts the same cases.

Run:  python benchmarks/validation_envelope.py [--jobs N] [--no-docs]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "validation"))
sys.path.insert(0, str(REPO))

from envelope_run import envelope_cases, failures, run_envelope, table_markdown  # noqa: E402
from eplus_compare import energyplus_binary  # noqa: E402

DOC = REPO / "docs" / "validation.md"
BEGIN, END = "<!-- envelope table: begin -->", "<!-- envelope table: end -->"


def write_doc(table: str) -> None:
    """Replace the text between the envelope markers of docs/validation.md."""
    text = DOC.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{table}{END}{tail}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=0, help="EnergyPlus runs at once (0: CPUs)")
    ap.add_argument("--no-docs", action="store_true", help="do not rewrite docs/validation.md")
    ap.add_argument(
        "--out", type=Path, default=REPO / "benchmarks/results/validation_envelope.json"
    )
    args = ap.parse_args()
    exe, why = energyplus_binary()
    if exe is None:
        print(f"EnergyPlus not available: {why}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    rows = run_envelope(exe, envelope_cases(), args.jobs)
    wall = time.perf_counter() - t0
    for r in rows:
        r["misses"] = failures(r)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"wall_s": round(wall, 1), "cases": rows}, indent=1) + "\n")
    table = table_markdown(rows)
    print(table)
    if not args.no_docs:
        write_doc(table)
    print(f"{len(rows)} cases, {sum(not r['misses'] for r in rows)} within every tolerance, "
          f"{wall:.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
