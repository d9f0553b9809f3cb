"""The weather ensemble against the real files: writes the table of ``docs/weather.md``.

For every built-in site with a record in ``tests/data`` (Rabat, Agadir, Ouarzazate), 40
synthetic years (seed 0) against each record, statistic by statistic
(:mod:`weather.ensemble_check`), with the tolerance the tests assert
(``tests/unit/test_weather_ensemble.py``). Rewrites the part of ``docs/weather.md``
between the ``ensemble-check`` markers and ``benchmarks/results/weather_ensemble_check.json``.

Run:  python benchmarks/weather_ensemble_check.py [--years 40]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from weather.ensemble_check import DATA_FILES, compare
from weather.sites import get_site

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- ensemble-check:start -->", "<!-- ensemble-check:end -->"
LABELS = {
    "cloudy_longest": "longest cloudy spell of a year [d]",
    "t_sd_k": "temperature anomaly s.d. [K]",
    "t_lag1": "temperature anomaly lag-1",
    "t_p99_c": "99th percentile of daily mean T [°C]",
    "calm_mean_d": "mean calm spell [d]",
    "calm_longest": "longest calm spell of a year [d]",
    "t_annual_sd_k": "s.d. of annual mean T between years [K]",
    "t_month_sd_k": "s.d. of a month's mean T between years [K]",
    "ghi_cv": "c.v. of annual GHI between years",
}


def _fmt(v) -> str:
    if isinstance(v, tuple):
        return f"{v[0]:g}–{v[1]:g}"
    v = np.asarray(v)
    if v.size > 1:
        p = np.percentile(v, [10, 50, 90])
        return f"{p[1]:.3g} (P10–P90 {p[0]:.3g}–{p[2]:.3g})"
    return f"{float(v.ravel()[0]):.3g}"


def _label(stat: str) -> str:
    if stat.startswith("kc_lag1_"):
        return f"daily clearness lag-1, {stat[-3:]}"
    return LABELS[stat]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=40)
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = []
    for sid in DATA_FILES:
        rows += compare(get_site(sid), ROOT / "tests" / "data", years=args.years)
    lines = [
        START,
        f"Written by `python benchmarks/weather_ensemble_check.py` ({args.years} years, seed 0).",
        "",
        "| site | statistic | ensemble | record | record's value | tolerance | holds |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['site']} | {_label(r['stat'])} | {_fmt(r['ensemble'])} | {r['record']} | "
            f"{_fmt(r['data'])} | {r['tolerance']} | {'yes' if r['ok'] else '**no**'} |"
        )
    lines.append(END)
    doc = ROOT / "docs" / "weather.md"
    text = doc.read_text(encoding="utf-8")
    a, b = text.index(START), text.index(END) + len(END)
    doc.write_text(text[:a] + "\n".join(lines) + text[b:], encoding="utf-8")
    out = ROOT / "benchmarks" / "results" / "weather_ensemble_check.json"
    js = [
        {
            **r,
            "ensemble": np.asarray(r["ensemble"]).tolist(),
            "data": np.asarray(r["data"]).tolist(),
        }
        for r in rows
    ]
    meta = {"years": args.years, "seed": 0, "wall_s": round(time.perf_counter() - t0, 1)}
    out.write_text(json.dumps({"meta": meta, "rows": js}, indent=1) + "\n", encoding="utf-8")
    bad = [r for r in rows if not r["ok"]]
    print(
        f"{len(rows)} comparisons, {len(bad)} outside tolerance; {doc.name} and {out.name} written"
    )


if __name__ == "__main__":
    main()
