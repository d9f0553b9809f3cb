"""Two source trees timed alternately in fresh interpreters (this tree and a baseline).

The benchmarks that compare a change with a baseline tree run one worker script per
tree and round: ``python SCRIPT --worker ARGS`` with ``PYTHONPATH`` on the tree, in the
tree, each tree with its own kernel cache; the worker prints one JSON line. The first
round of each tree compiles and is dropped; the others alternate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tree_parser(out: str, repeat: int, inner: int | None = None) -> argparse.ArgumentParser:
    """The command line of a two-tree benchmark: ``--baseline-tree``, ``--repeat``,
    ``--inner`` (when *inner* is given), the hidden ``--worker`` and ``--out``."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-tree")
    ap.add_argument("--repeat", type=int, default=repeat)
    if inner is not None:
        ap.add_argument("--inner", type=int, default=inner)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", default=out)
    return ap


def comparison_args(
    ap: argparse.ArgumentParser, worker: Callable[[argparse.Namespace], None]
) -> argparse.Namespace | None:
    """Parse the command line of :func:`tree_parser`: in a worker run, call *worker* with
    the arguments and return None; otherwise return them (``--baseline-tree`` required)."""
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return None
    if not args.baseline_tree:
        ap.error("--baseline-tree is required")
    return args


def run_worker(script: Path, tree: str, cache: str, args: list[str]) -> dict:
    """One worker run of *script* on *tree*: the JSON of its last output line."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(PYTHONPATH=tree, ATLAS_TWIN_CACHE=cache)
    cmd = [sys.executable, str(script), "--worker", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True, cwd=tree)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def interleaved(
    script: Path, baseline_tree: str, repeat: int, args: list[str], warm_args: list[str]
) -> dict[str, list[dict]]:
    """``{"this": [...], "baseline": [...]}``: *repeat* worker runs per tree, alternated,
    after one run per tree with *warm_args* (compiles its kernels)."""
    trees = {"this": str(ROOT), "baseline": str(Path(baseline_tree).resolve())}
    runs: dict[str, list[dict]] = {t: [] for t in trees}
    with tempfile.TemporaryDirectory() as c_this, tempfile.TemporaryDirectory() as c_base:
        caches = {"this": c_this, "baseline": c_base}
        for name, tree in trees.items():
            run_worker(script, tree, caches[name], warm_args)
        for _ in range(repeat):
            for name, tree in trees.items():
                runs[name].append(run_worker(script, tree, caches[name], args))
    return runs


def write_record(out: str, what: str, baseline_tree: str, options: dict, cases: dict) -> None:
    """Write the JSON record of a comparison: what was timed, the baseline's name, the
    options (repeats...), the machine and its load, the time, and the cases."""
    record = {
        "what": what,
        "baseline_tree": Path(baseline_tree).name,
        **options,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}",
        "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cases": cases,
    }
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(record, indent=2) + "\n")
