"""Whole ``twin run --json`` processes of this tree against a baseline tree, side by side.

Each round runs, in fresh processes, ``python -m twin.cli run --step 1min --json`` and
``python -m twin.cli run --json`` (1 h) once with ``PYTHONPATH`` on the baseline tree and
once on this one, the order alternating from round to round (ABBA) so a busy machine
loads both alike. One input cache (``ATLAS_TWIN_CACHE``) serves both; each tree runs each
command once first, untimed, so its kernels are compiled and its prepared inputs cached
(the cache keys hold the input code, so each tree reads its own entries). Compare trees
of one kind: a git checkout runs ``git`` three times for ``meta.git_revision``
(:mod:`twin.provenance`), a copy without ``.git`` does not; ``--this`` takes such a copy
of this tree (``git archive HEAD | tar -x -C <dir>``) where the baseline is one.

Recorded per command and tree: median wall, user and system CPU seconds and peak
resident memory (``os.wait4``), the ratios of this tree's medians to the baseline's, and
whether the two trees answer the same JSON text apart from ``meta.wall_s`` and
``meta.git_revision`` (the numbers must be bit for bit the same). Each round also times a
bare ``python -c "import numpy, numba, pandas"``, the floor of any numba tool (the goal
of issue "Speed II": a 1-h ``twin run`` within 1.5x of it).

The whole process is dominated by the kernels, numba loading them and the imports, and
a shared machine spreads its wall time widely; so each round also runs :data:`PHASES`
in a fresh process per tree: the CPU time of the calling thread (``time.thread_time``,
page faults included) of the Python parts around a 1-min run: ``load_inputs`` (inputs
cache warm), ``supply_signals`` and ``Result.from_raw`` (its kernels and their loading
included, the same code in both trees).

    git archive <baseline commit> | tar -x -C <dir>;  git archive HEAD | tar -x -C <dir2>
    python benchmarks/bench_run_side_by_side.py --baseline <dir> --this <dir2> [--rounds 5]

writes ``benchmarks/results/run_side_by_side.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"run_1min": ["--step", "1min"], "run_1h": []}
#: one 1-min run of the default scenario with its Python phases timed (thread CPU time)
PHASES = r"""
import json, time
try:  # what the command does first (a tree before twin.cli.process had none of it)
    from twin.cli.process import no_hugepage_advice, skip_blas_probe
    skip_blas_probe(); no_hugepage_advice()
except ImportError:
    pass
from twin.frontdoor import cli_scenario
from twin.results.result import Result
from twin.sim import engine
spent = {}
def timed(name, f):
    def run(*a, **k):
        t = time.thread_time()
        try:
            return f(*a, **k)
        finally:
            spent[name] = spent.get(name, 0.0) + time.thread_time() - t
    return run
engine.load_inputs = timed("load_inputs", engine.load_inputs)
engine.supply_signals = timed("supply_signals", engine.supply_signals)
sc = cli_scenario(None, None, ["simulation.step=1min"])
raw = engine.run_raw(sc)
timed("from_raw", Result.from_raw)(raw)
print(json.dumps(spent))
"""
#: the floor any numba tool pays: its three libraries imported
BARE = "import numpy, numba, pandas"
#: meta keys that may differ between two trees with the same numbers
VOLATILE_META = ("wall_s", "git_revision")


def _run(tree: Path, args: list[str], env: dict) -> tuple[dict[str, float], str]:
    """Wall, user, system seconds and peak RSS [MiB] of one ``twin run --json``, and its text."""
    return _process([sys.executable, "-m", "twin.cli", "run", *args, "--json"], tree, env)


def _process(cmd: list[str], tree: Path, env: dict) -> tuple[dict[str, float], str]:
    """Wall, user, system seconds and peak RSS [MiB] of *cmd* run in *tree*, and its output."""
    env = dict(env, PYTHONPATH=str(tree))
    with tempfile.TemporaryFile("w+") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"{cmd} in {tree}: exit {proc.returncode}")
        out.seek(0)
        text = out.read()
    cost = {
        "wall_s": wall,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "max_rss_mib": usage.ru_maxrss / 1024.0,
    }
    return cost, text


def _phases(tree: Path, env: dict) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", PHASES],
        cwd=tree,
        env=dict(env, PYTHONPATH=str(tree)),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _numbers(text: str) -> str:
    """The JSON answer without its volatile meta keys, as canonical text."""
    answer = json.loads(text)
    for key in VOLATILE_META:
        answer.get("meta", {}).pop(key, None)
    return json.dumps(answer, sort_keys=True)


def _revision(tree: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "not a git checkout"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, help="a checkout of the baseline commit")
    ap.add_argument("--baseline-label", default="", help="what the baseline is (commit)")
    ap.add_argument("--this", default=str(ROOT), help="this tree (default: this checkout)")
    ap.add_argument("--this-label", default="", help="what this tree is (commit)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/run_side_by_side.json"))
    args = ap.parse_args(argv)
    trees = {"baseline": Path(args.baseline).resolve(), "this": Path(args.this).resolve()}
    env = dict(os.environ)
    env.pop("ATLAS_TWIN_NO_INPUT_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its .pyc files
    with tempfile.TemporaryDirectory() as cache:
        env["ATLAS_TWIN_CACHE"] = os.environ.get("ATLAS_TWIN_CACHE", cache)
        answers: dict[str, dict[str, str]] = {name: {} for name in COMMANDS}
        for name, cmd in COMMANDS.items():  # warm: kernels compiled, inputs cached
            for tree_name, tree in trees.items():
                answers[name][tree_name] = _numbers(_run(tree, cmd, env)[1])
        costs = {n: {t: [] for t in trees} for n in COMMANDS}
        phases: dict[str, list[dict]] = {t: [] for t in trees}
        bare: list[dict[str, float]] = []
        for r in range(args.rounds):
            order = list(trees) if r % 2 == 0 else list(reversed(list(trees)))
            bare.append(_process([sys.executable, "-c", BARE], trees["this"], env)[0])
            for name, cmd in COMMANDS.items():
                for tree_name in order:
                    cost, text = _run(trees[tree_name], cmd, env)
                    costs[name][tree_name].append(cost)
                    if _numbers(text) != answers[name][tree_name]:
                        raise SystemExit(f"{name}: {tree_name} answered other numbers")
            for tree_name in order:
                phases[tree_name].append(_phases(trees[tree_name], env))
    result: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end",
        "baseline": args.baseline_label or _revision(trees["baseline"]),
        "this": args.this_label or _revision(trees["this"]),
        "rounds": args.rounds,
        "commands": {
            n: "python -m twin.cli run " + " ".join([*c, "--json"]) for n, c in COMMANDS.items()
        },
    }
    bare_wall = statistics.median(b["wall_s"] for b in bare)
    result["bare_import_wall_s"] = round(bare_wall, 3)
    for name in COMMANDS:
        med = {
            t: {k: round(statistics.median(c[k] for c in costs[name][t]), 3) for k in c0}
            for t, c0 in ((t, costs[name][t][0]) for t in trees)
        }
        cpu = {t: med[t]["user_s"] + med[t]["sys_s"] for t in trees}
        result[name] = {
            "same_json_but_wall_s": answers[name]["baseline"] == answers[name]["this"],
            "median": med,
            "all_wall_s": {t: [round(c["wall_s"], 3) for c in costs[name][t]] for t in trees},
            "ratio_this_over_baseline": {
                "wall_s": round(med["this"]["wall_s"] / med["baseline"]["wall_s"], 3),
                "cpu_s": round(cpu["this"] / cpu["baseline"], 3),
                "max_rss_mib": round(
                    med["this"]["max_rss_mib"] / med["baseline"]["max_rss_mib"], 3
                ),
            },
            "over_bare_import_wall": {t: round(med[t]["wall_s"] / bare_wall, 2) for t in trees},
            "saved_median_s": {
                "wall_s": round(med["baseline"]["wall_s"] - med["this"]["wall_s"], 3),
                "cpu_s": round(cpu["baseline"] - cpu["this"], 3),
            },
        }
    med_ph = {
        t: {k: round(statistics.median(p[k] for p in phases[t]), 3) for k in phases[t][0]}
        for t in trees
    }
    result["python_phases_1min_thread_cpu_s"] = {
        "median": med_ph,
        "all": {t: [{k: round(v, 3) for k, v in p.items()} for p in phases[t]] for t in trees},
        "ratio_this_over_baseline": {
            k: round(med_ph["this"][k] / med_ph["baseline"][k], 3) for k in med_ph["this"]
        },
        "sum_median": {t: round(sum(med_ph[t].values()), 3) for t in trees},
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
