"""Whole ``twin run`` processes of this tree against a baseline tree, side by side.

Each round runs, alternately and in fresh processes (kernels compiled beforehand in a
cache per tree, prepared inputs in a shared input cache): a bare
``python -c "import numpy, numba, pandas"``, then ``python -m twin.cli run --json`` at
1 h and ``--step 1min`` for each tree. Wall time, user and system CPU time and the peak
resident memory of each process are taken from the operating system
(:func:`os.wait4`). The medians, and this tree's over the baseline's, are written to
``benchmarks/results/cli_process.json``; the JSON answers of the two trees are compared
(every KPI equal, the run facts aside).

    python benchmarks/bench_cli_process.py --baseline-tree DIR [--rounds 5]
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


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[dict[str, float], str]:
    """Run *cmd* in a neutral folder (``python -m`` puts the working folder first on the
    path, before ``PYTHONPATH``); its wall, user and system seconds, peak memory [MiB] and
    stdout."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=env["BENCH_CWD"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    out = proc.stdout.read() if proc.stdout else b""
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} exited with {proc.returncode}")
    return {
        "wall_s": wall,
        "user_s": ru.ru_utime,
        "sys_s": ru.ru_stime,
        "max_rss_mib": ru.ru_maxrss / 1024,
    }, out.decode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-tree", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "cli_process.json"))
    args = ap.parse_args()
    py = sys.executable
    trees = {"this": str(ROOT), "baseline": str(Path(args.baseline_tree).resolve())}
    runs = {"1h": ["run", "--json"], "1min": ["run", "--step", "1min", "--json"]}
    samples: dict[str, list[dict]] = {}
    answers: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base_env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
        base_env["ATLAS_TWIN_CACHE"] = str(Path(tmp) / "shared")  # inputs: one cache
        base_env["BENCH_CWD"] = tmp

        def env_of(tree: str) -> dict[str, str]:
            name = "this" if tree == trees["this"] else "baseline"
            return {**base_env, "PYTHONPATH": tree, "NUMBA_CACHE_DIR": str(Path(tmp) / name)}

        for tree in trees.values():  # compile and prepare once per tree
            for argv in runs.values():
                _timed([py, "-m", "twin.cli", *argv], env_of(tree))
        for _ in range(args.rounds):
            bare, _ = _timed([py, "-c", "import numpy, numba, pandas"], base_env)
            samples.setdefault("bare", []).append(bare)
            for name, tree in trees.items():
                for step, argv in runs.items():
                    m, out = _timed([py, "-m", "twin.cli", *argv], env_of(tree))
                    samples.setdefault(f"{name}_{step}", []).append(m)
                    answer = json.loads(out)
                    answer.pop("meta")
                    answers[f"{name}_{step}"] = answer
    med = {
        key: {f: round(statistics.median(s[f] for s in ss), 3) for f in ss[0]}
        for key, ss in samples.items()
    }
    ratios = {
        step: {
            f: round(med[f"this_{step}"][f] / med[f"baseline_{step}"][f], 3) for f in med["bare"]
        }
        for step in runs
    }
    record = {
        "what": "whole twin run --json processes, this tree and a baseline alternately "
        "(kernels compiled, inputs prepared beforehand), medians of --rounds",
        "baseline_tree": Path(args.baseline_tree).name,
        "rounds": args.rounds,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}",
        "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "median": med,
        "this_over_baseline": ratios,
        "over_bare_wall": {
            k: round(v["wall_s"] / med["bare"]["wall_s"], 2) for k, v in med.items()
        },
        "same_answers": {
            step: answers[f"this_{step}"] == answers[f"baseline_{step}"] for step in runs
        },
    }
    print(json.dumps(record, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
