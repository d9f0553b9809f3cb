"""The total-cost-of-ownership table of every example campus, into ``docs/kpis.md``.

For each ``examples/*.toml`` this runs the campus and its grid-only baseline
(:func:`twin.results.tco.grid_only`: no PV, wind, battery or PPA) for the scenario's
horizon and writes, between the ``tco-table`` markers of ``docs/kpis.md``: capital cost
by component, O&M and fuel, the grid bill by term, water, replacements and salvage, the
headline cost KPIs and the NPV and payback of the design against its baseline.
Figures also go to ``examples/results/tco_table.json``.

Run::

    python docs/tco_table.py               # rewrites the table in docs/kpis.md
    python docs/tco_table.py --kpis OUT    # only the headline KPIs of each campus, as JSON
                                           # (works with any version of the twin)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import twin
from twin import Scenario
from twin.portfolios.spec import is_portfolio_file

REPO = Path(__file__).resolve().parents[1]
KPIS_MD = REPO / "docs" / "kpis.md"
OUT_JSON = REPO / "examples" / "results" / "tco_table.json"
BEGIN, END = "<!-- tco-table:begin -->", "<!-- tco-table:end -->"
HEADLINE = ("total_cost_mad_per_yr", "cost_per_it_mwh_mad", "lcoe_onsite_mad_per_mwh")


def campuses() -> list[Path]:
    """The example campuses (a portfolio file, with ``[[campus]]`` tables, is not one)."""
    return sorted(p for p in (REPO / "examples").glob("*.toml") if not is_portfolio_file(p))


def headline_kpis() -> dict[str, dict[str, float]]:
    """Headline cost KPIs of every example (only twin.simulate: any version)."""
    out = {}
    for f in campuses():
        k = twin.simulate(Scenario.from_toml(f)).kpis
        out[f.stem] = {x: float(k[x]) for x in HEADLINE if x in k}
    return out


def campus_row(path: Path) -> dict:
    """TCO terms of one campus and its NPV against the grid-only baseline."""
    from twin.results.economics import cost_breakdown
    from twin.results.tco import cash_flows, grid_only

    sc = Scenario.from_toml(path)
    r, rb = twin.simulate(sc), twin.simulate(grid_only(sc))
    horizon = r.meta.get("horizon_yr") or sc.n_steps * sc.dt_s / (365.0 * 86400.0)
    b = cost_breakdown(sc, r.kpis, horizon)
    bb = cost_breakdown(grid_only(sc), rb.kpis, horizon)
    flows = cash_flows(sc, b, bb)
    k, per_yr = r.kpis, 1.0 / horizon
    energy = k["energy_cost_mad"] - k["grid_premium_mad"] - k["grid_overrun_mad"]
    return {
        "capex": b["capex"],
        "om": sum(b["om"].values()),
        "fuel": b["fuel"],
        "bill_energy": energy * per_yr,
        "bill_premium": k["grid_premium_mad"] * per_yr,
        "bill_overrun": k["grid_overrun_mad"] * per_yr,
        "water": b["water"],
        "replacements": k["replacement_mad"],
        "salvage": k["salvage_mad"],
        "degradation": b["degradation"],
        "battery_life_yr": b["life"]["battery"],
        "total": k["total_cost_mad_per_yr"],
        "per_it_mwh": k["cost_per_it_mwh_mad"],
        "total_grid_only": rb.kpis["total_cost_mad_per_yr"],
        "npv": flows["npv"],
        "payback_yr": flows["payback_yr"],
    }


def _m(x: float) -> str:
    return f"{x / 1e6:,.1f}"


def markdown(rows: dict[str, dict]) -> str:
    comps = ("pv", "wind", "battery", "genset", "chillers", "heat_rejection", "cdus")
    lines = [
        "Capital cost by component [M MAD] (grid = grid connection):",
        "",
        (
            "| campus | PV | wind | battery | gensets | chillers | towers / coolers | CDUs | grid"
            " | total |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        c = r["capex"]
        cells = [_m(c[x]) for x in (*comps, "grid_connection")]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_m(sum(c.values()))} |")
    lines += [
        "",
        (
            "Annual terms [M MAD/yr, first year; replacements and salvage: present values, M MAD]"
            " and the result against the grid-only baseline:"
        ),
        "",
        (
            "| campus | O&M | fuel | bill: energy | bill: premium | bill: overrun | water"
            " | replacements | salvage | total annual cost | per IT MWh [MAD] | grid-only total"
            " | NPV vs grid only [M MAD] | payback [yr] |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        pb = "never" if r["payback_yr"] == float("inf") else f"{r['payback_yr']:.1f}"
        cells = [
            _m(r[x])
            for x in (
                "om",
                "fuel",
                "bill_energy",
                "bill_premium",
                "bill_overrun",
                "water",
                "replacements",
                "salvage",
                "total",
            )
        ]
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {r['per_it_mwh']:,.0f} | {_m(r['total_grid_only'])} | {_m(r['npv'])} | {pb} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--kpis"] and len(argv) == 2:
        Path(argv[1]).write_text(json.dumps(headline_kpis(), indent=1))
        return 0
    rows = {f.stem: campus_row(f) for f in campuses()}
    OUT_JSON.parent.mkdir(exist_ok=True)
    OUT_JSON.write_text(json.dumps(rows, indent=1, default=float))
    text = KPIS_MD.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{markdown(rows)}\n{END}"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    KPIS_MD.write_text(text, encoding="utf-8")
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
