"""The portfolio file: ``[[campus]]`` tables, each a scenario file with overrides.

::

    [national]
    year = 2030                      # the year the national view looks at (phases)

    [[campus]]
    name = "igoudar_dakhla"
    scenario = "dakhla.toml"         # relative to the portfolio file
    set = ["cooling.water_source=\\"desalination\\""]
    online_year = 2027               # optional: first year with IT in service
    ramp_years = 3                   # optional: years to full capacity, linear

Every mistake is a :class:`~twin.errors.ScenarioError` whose one line names the campus:
an unknown scenario file, a duplicate name, an override that does not validate.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from twin.errors import ScenarioError, TwinError
from twin.scenario.model import Scenario

__all__ = ["Campus", "Portfolio", "default_portfolio_path", "load_portfolio"]

_CAMPUS_KEYS = {"name", "scenario", "set", "online_year", "ramp_years"}
_NATIONAL_KEYS = {"year"}


def is_portfolio_file(path: str | Path) -> bool:
    """Whether the TOML file *path* is a portfolio (it has ``[[campus]]`` tables) rather
    than a scenario; a file that is not valid TOML is neither (``False``)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("campus"), list)


def default_portfolio_path() -> Path:
    """The embedded default, Morocco's announced pipeline (a copy of
    ``examples/morocco_2gw.toml`` packaged with its campus scenarios)."""
    return Path(str(resources.files("twin.portfolios") / "data" / "morocco_2gw.toml"))


@dataclass(frozen=True)
class Campus:
    """One campus: its scenario with the overrides applied, and its phasing."""

    name: str
    scenario_file: Path
    sets: tuple[str, ...]
    scenario: Scenario
    online_year: int | None = None
    ramp_years: int = 1

    def online_frac(self, year: int) -> float:
        """Share of the campus in service in *year*: 0 before ``online_year``, then
        linear over ``ramp_years`` (1 in the year ``online_year + ramp_years - 1``)."""
        if self.online_year is None:
            return 1.0
        return min(max((year - self.online_year + 1) / self.ramp_years, 0.0), 1.0)


@dataclass(frozen=True)
class Portfolio:
    path: Path
    campuses: tuple[Campus, ...]
    year: int
    raw: dict[str, Any] = field(default_factory=dict)


def _err(where: str, msg: str) -> ScenarioError:
    return ScenarioError(f"{where}: {msg}")


def _campus(entry: Any, i: int, base: Path, extra_sets: list[str]) -> Campus:
    where = f"campus #{i + 1}"
    if not isinstance(entry, dict):
        raise _err(where, "each [[campus]] must be a table")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _err(where, "name must be a non-empty string")
    where = f"campus {name!r}"
    unknown = set(entry) - _CAMPUS_KEYS
    if unknown:
        allowed = ", ".join(sorted(_CAMPUS_KEYS))
        raise _err(where, f"unknown key {sorted(unknown)[0]!r}; allowed: {allowed}")
    rel = entry.get("scenario")
    if not isinstance(rel, str) or not rel:
        raise _err(where, "scenario must be the path of a scenario file")
    path = (base / rel).resolve()
    if not path.is_file():
        raise _err(where, f"scenario file {rel!r} not found (relative to {base})")
    sets = entry.get("set", [])
    if not isinstance(sets, list) or not all(isinstance(s, str) for s in sets):
        raise _err(where, 'set must be a list of "key=value" strings')
    online, ramp = entry.get("online_year"), entry.get("ramp_years", 1)
    if online is not None and (not isinstance(online, int) or not 2000 <= online <= 2100):
        raise _err(where, f"online_year = {online!r}: must be a year in 2000..2100")
    if not isinstance(ramp, int) or not 1 <= ramp <= 30:
        raise _err(where, f"ramp_years = {ramp!r}: must be an integer in 1..30")
    try:
        sc = Scenario.from_toml(path)
        all_sets = [*sets, *extra_sets]
        if all_sets:
            sc = sc.with_overrides(all_sets)
    except TwinError as exc:
        raise _err(where, str(exc)) from None
    return Campus(name, path, tuple(sets), sc, online, ramp)


def load_portfolio(
    path: str | Path | None = None,
    extra_sets: list[str] | None = None,
    campus_sets: dict[str, list[str]] | None = None,
) -> Portfolio:
    """Read and check a portfolio file (default: :func:`default_portfolio_path`).

    *extra_sets* apply to every campus after its own (``--step``, what-ifs);
    *campus_sets* add overrides to named campuses.
    """
    p = Path(path) if path is not None else default_portfolio_path()
    if not p.is_file():
        raise ScenarioError(f"portfolio file {str(p)!r} not found")
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"portfolio file {p}: {exc}") from None
    unknown = set(data) - {"campus", "national", "name", "description"}
    if unknown:
        raise ScenarioError(f"portfolio file {p}: unknown table {sorted(unknown)[0]!r}")
    entries = data.get("campus")
    if not isinstance(entries, list) or not entries:
        raise ScenarioError(f"portfolio file {p}: needs at least one [[campus]] table")
    national = data.get("national", {})
    if set(national) - _NATIONAL_KEYS:
        raise ScenarioError(f"portfolio file {p}: [national] takes only 'year'")
    year = national.get("year", 2030)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ScenarioError(f"[national] year = {year!r}: must be a year in 2000..2100")
    seen: set[str] = set()
    campuses = []
    per = campus_sets or {}
    for i, entry in enumerate(entries):
        name = entry.get("name") if isinstance(entry, dict) else None
        if name in seen:
            raise ScenarioError(f"campus {name!r}: duplicate name (names must be unique)")
        sets = [*(extra_sets or []), *per.get(name, [])] if isinstance(name, str) else []
        campuses.append(_campus(entry, i, p.parent, sets))
        seen.add(campuses[-1].name)
    missing = set(per) - seen
    if missing:
        raise ScenarioError(f"campus {sorted(missing)[0]!r}: not in the portfolio")
    return Portfolio(p.resolve(), tuple(campuses), year, data)
