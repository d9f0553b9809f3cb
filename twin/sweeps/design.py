"""Which scenarios a sweep runs: full grid, Latin hypercube or random sampling.

``vary`` maps a scenario key (``--set`` syntax, e.g. ``pv.capacity_mwp``) to
a list of values.

* ``grid``: every combination of the listed values (``n`` is ignored), the
  last key varying fastest.
* ``latin_hypercube`` / ``random``: ``n`` scenarios. A key with exactly two
  numeric values is a range ``[lo, hi]`` sampled uniformly (integers stay
  integers when both bounds are); any other list is a set of levels, picked
  with equal probability. Latin hypercube sampling stratifies each key into
  ``n`` equal-probability intervals (McKay, Beckman and Conover 1979,
  Technometrics 21(2), as implemented by :class:`scipy.stats.qmc.LatinHypercube`).
  Both are reproducible from ``seed``.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from twin.errors import ScenarioError

DESIGNS = ("grid", "latin_hypercube", "random")
#: Most values one ``START:STOP:N`` range may give.
MAX_RANGE_N = 10_000


def _is_range(values: list[Any]) -> bool:
    return len(values) == 2 and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    )


def _from_unit(values: list[Any], u: float) -> Any:
    if _is_range(values):
        lo, hi = values
        if isinstance(lo, int) and isinstance(hi, int):
            return int(min(hi, math.floor(lo + u * (hi - lo + 1))))
        return float(lo + u * (hi - lo))
    return values[min(len(values) - 1, int(u * len(values)))]


def plan(
    vary: dict[str, list[Any]], design: str = "grid", n: int | None = None, seed: int = 0
) -> list[dict[str, Any]]:
    """The varied values of every scenario of the sweep, in order."""
    if design not in DESIGNS:
        msg = f"design = {design!r}: allowed are {', '.join(DESIGNS)}"
        raise ScenarioError(msg)
    keys = list(vary)
    for k, values in vary.items():
        if not isinstance(values, list | tuple) or len(values) == 0:
            msg = f"vary[{k!r}]: expected a non-empty list of values"
            raise ScenarioError(msg)
    if not keys:
        return [{}]
    if design == "grid":
        return [dict(zip(keys, combo)) for combo in itertools.product(*vary.values())]
    if n is None or n < 1:
        msg = f"n = {n!r}: {design} needs the number of scenarios, an integer >= 1"
        raise ScenarioError(msg)
    if design == "latin_hypercube":
        from scipy.stats import qmc

        u = qmc.LatinHypercube(d=len(keys), seed=np.random.default_rng(seed)).random(n)
    else:
        u = np.random.default_rng(seed).random((n, len(keys)))
    return [
        {k: _from_unit(list(vary[k]), float(u[i, j])) for j, k in enumerate(keys)} for i in range(n)
    ]


def parse_vary(items: list[str]) -> dict[str, list[Any]]:
    """``["pv.capacity_mwp=0,20,40", "site.id=casablanca,dakhla"]`` -> ``vary`` dict.

    A numeric range ``KEY=START:STOP:N`` stands for N evenly spaced values from START to
    STOP inclusive: ``pv.capacity_mwp=0:200:5`` is ``0,50,100,150,200``.
    """
    from twin.scenario.overrides import parse_value as _parse_value

    vary: dict[str, list[Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key or not raw.strip():
            msg = f"--vary {item!r}: expected KEY=V1,V2,..., e.g. pv.capacity_mwp=0,20,40"
            raise ScenarioError(msg)
        if key in vary:
            msg = f"--vary {key!r} given twice"
            raise ScenarioError(msg)
        vary[key] = _range(key, raw) or [_parse_value(v.strip()) for v in raw.split(",")]
    return vary


def _number(text: str) -> int | float | None:
    from twin.scenario.overrides import parse_value as _parse_value

    v = _parse_value(text.strip())
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def _range(key: str, raw: str) -> list[Any] | None:
    """``START:STOP:N`` -> N evenly spaced values from START to STOP, both included
    (integers when START, STOP and the spacing are); ``None`` for any other text."""
    parts = raw.split(":")
    if len(parts) != 3 or "," in raw:
        return None
    start, stop = _number(parts[0]), _number(parts[1])
    if start is None or stop is None:
        return None  # e.g. a time of day, 2023-07-08T12:00:00, is a plain value
    n = _number(parts[2])
    if not isinstance(n, int) or not 2 <= n <= MAX_RANGE_N:
        msg = (
            f"--vary {key}={raw}: a range is START:STOP:N with N an integer in "
            f"[2, {MAX_RANGE_N}] (the number of values), got N = {parts[2].strip()!r}"
        )
        raise ScenarioError(msg)
    if isinstance(start, int) and isinstance(stop, int) and (stop - start) % (n - 1) == 0:
        step = (stop - start) // (n - 1)
        return [start + i * step for i in range(n)]
    return [float(start + (stop - start) * i / (n - 1)) for i in range(n)]
