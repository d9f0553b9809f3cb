"""KPIs for a person: energies in MWh or GWh, money in MAD or million MAD, thousands
grouped, aligned columns (the terminal's KPI table and the report's cost card).

The exact values stay in ``kpis.json`` and ``--json``; this module only chooses how
they are shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

#: a unit -> (threshold, the larger unit, its factor): values at or above the threshold
#: are shown in the larger unit
_LARGER = {
    "MWh": (1e4, "GWh", 1e-3),
    "MAD": (1e6, "M MAD", 1e-6),
    "MAD/yr": (1e6, "M MAD/yr", 1e-6),
    "m3": (1e6, "million m3", 1e-6),
}


def _number(v: float) -> str:
    """Four significant digits, thousands grouped, no exponent below 1e15."""
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    decimals = max(0, 3 - math.floor(math.log10(a)))
    return f"{v:,.{min(decimals, 6)}f}" if a >= 1e-4 else f"{v:.3g}"


def readable(value: float, unit: str) -> tuple[str, str]:
    """``(text, unit)`` of *value* in *unit*: e.g. 265,000 MWh -> ("265.0", "GWh")."""
    big = _LARGER.get(unit)
    if big and math.isfinite(value) and abs(value) >= big[0]:
        scaled = value * big[2]
        return (f"{scaled:,.1f}" if abs(scaled) < 1e4 else f"{scaled:,.0f}"), big[1]
    return _number(value), unit


def text_table(rows: Iterable[tuple[str, str, str]], indent: str = "  ") -> list[str]:
    """Lines of ``name  value unit``: names left-aligned, values right-aligned."""
    rows = list(rows)
    if not rows:
        return []
    w_name = max(len(r[0]) for r in rows)
    w_val = max(len(r[1]) for r in rows)
    return [f"{indent}{n:<{w_name}}  {v:>{w_val}} {u}".rstrip() for n, v, u in rows]


def kpi_lines(kpis: Mapping[str, float], units: Mapping[str, tuple[str, str]]) -> list[str]:
    """The KPI table of the terminal: every KPI of *units* present in *kpis*."""
    rows = []
    for name, (unit, _) in units.items():
        if name in kpis:
            text, shown = readable(float(kpis[name]), unit)
            rows.append((name, text, shown))
    return text_table(rows)
