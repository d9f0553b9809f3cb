"""One front door: how a request becomes a validated scenario, for the CLI and HTTP alike.

``twin run``, ``twin sweep`` and the HTTP API of :mod:`twin.serve` build their scenarios,
sweep plans and answers here, so the same input gives the same scenario, the same KPIs
and the same one-line message whichever door it comes through:

* :func:`option_sets` turns the ``--site/--step/--start/--days/--seed`` options into
  ``--set`` assignments (the HTTP API takes the assignments directly);
* :func:`cli_scenario` reads a scenario file, an example by name, or the embedded default,
  then applies the assignments; relative file names are read relative to the scenario
  file (and ``--set`` ones to the working directory), as a user at a terminal expects;
* :func:`served_scenario` does the same for a client of the server, except that it
  reads no path a client names: a file field (:data:`FILE_FIELDS`) is a plain name inside
  the server's data directory (:func:`resolve_data_file`), or refused;
* :func:`check_vary` tries every varied value of a sweep alone on the base scenario
  before anything runs, so a typo in ``--vary`` is one message and exit status 2, not a
  sweep of failed scenarios;
* :func:`run_answer` simulates and returns the object ``twin run --json`` prints.

Every refusal is a :class:`~twin.errors.ScenarioError` whose message names the field,
the value and what is allowed: the CLI prints it and exits with 2, the server answers
422 with ``{"error": message}``.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from twin import examples
from twin.errors import ScenarioError
from twin.scenario.model import Scenario
from twin.scenario.overrides import apply_assignment
from twin.scenario.site import WEATHER_KEYWORDS

__all__ = [
    "FILE_FIELDS",
    "check_vary",
    "cli_scenario",
    "option_sets",
    "public_dict",
    "resolve_data_file",
    "run_answer",
    "served_scenario",
    "toml_value",
]

#: Scenario fields that name a file: (table, key). A served scenario resolves them in
#: the data directory; ``site.weather`` also takes the keywords of
#: :data:`twin.scenario.site.WEATHER_KEYWORDS`.
FILE_FIELDS = (("site", "weather"), ("it", "trace_file"))


def option_sets(
    site: str | None = None,
    step: str | None = None,
    start: str | None = None,
    days: int | None = None,
    seed: int | None = None,
) -> tuple[list[str], list[str]]:
    """``(before, after)``: the assignments of the shortcut options, ``--site`` first
    (so that a ``--set site.id=...`` still wins), the others after the ``--set`` list."""
    before = [f"site.id={json.dumps(site)}"] if site else []
    after = []
    if step:
        after.append(f"simulation.step={json.dumps(step)}")
    if start:
        after.append(f"simulation.start={json.dumps(start)}")
    if days is not None:
        after.append(f"simulation.days={days}")
    if seed is not None:
        after.append(f"simulation.seed={seed}")
    return before, after


def cli_scenario(path: str | None, example: str | None, sets: Iterable[str]) -> Scenario:
    """The scenario of a command line: a file, an example or the default, then ``sets``."""
    if path and example:
        msg = f"give a scenario file ({path}) or --example {example}, not both"
        raise ScenarioError(msg)
    if path:
        sc = Scenario.from_toml(path)
    elif example:
        sc = examples.load(example)
    else:
        sc = Scenario()
    sets = list(sets)
    return sc.with_overrides(sets) if sets else sc


# -- a client of the server --------------------------------------------------------------
def resolve_data_file(field: str, name: Any, data_dir: Path | None) -> Any:
    """The server-side path of the file a client names in *field*, or a refusal.

    A file is a plain name (no folder, no ``..``, not absolute) of a regular file inside
    *data_dir*, and stays inside it once links are followed. Without a data directory
    the server reads no file at all. Keywords and empty values pass unchanged. The
    message of a refusal repeats the client's value and nothing of any file.
    """
    if name is None or name == "" or (field == "site.weather" and name in WEATHER_KEYWORDS):
        return name
    if not isinstance(name, str):
        return name  # the scenario model refuses it with its own message
    if data_dir is None:
        msg = (
            f"{field} = {name!r}: this server reads no files (it was started without "
            "--data-dir); use a built-in site's typical year"
        )
        raise ScenarioError(msg)
    plain = Path(name).name == name and name not in (".", "..") and "\\" not in name
    if not plain or name.startswith("~"):
        msg = (
            f"{field} = {name!r}: a file is a plain name inside the server's data "
            "directory; paths (absolute, with folders or '..') are refused"
        )
        raise ScenarioError(msg)
    root = data_dir.resolve()
    target = (root / name).resolve()
    if not target.is_relative_to(root) or target.parent != root:
        msg = f"{field} = {name!r}: the name leads outside the server's data directory; refused"
        raise ScenarioError(msg)
    if not target.is_file():
        msg = f"{field} = {name!r}: no such file in the server's data directory"
        raise ScenarioError(msg)
    return str(target)


def _resolve_files(data: dict[str, Any], data_dir: Path | None) -> dict[str, str]:
    """Resolve the file fields of *data* in place; return {server path: client name}."""
    names = {}
    for table, key in FILE_FIELDS:
        section = data.get(table)
        if isinstance(section, dict) and key in section:
            value = section[key]
            resolved = resolve_data_file(f"{table}.{key}", value, data_dir)
            if resolved != value:
                names[resolved] = value
            section[key] = resolved
    return names


def served_scenario(
    scenario: Any = None,
    example: Any = None,
    sets: Any = (),
    data_dir: Path | None = None,
) -> tuple[Scenario, dict[str, str]]:
    """The scenario of an HTTP request and the data files it reads ({server path: name}).

    *scenario* is a scenario dict (the TOML tables as JSON), *example* an example's name;
    at most one of them, the default scenario when neither. *sets* are ``key=value``
    assignments, as ``--set`` on the command line.
    """
    if scenario is not None and example is not None:
        msg = "give scenario or example, not both"
        raise ScenarioError(msg)
    if scenario is not None and not isinstance(scenario, dict):
        msg = f"scenario = {_short(scenario)}: expected an object of scenario tables or null"
        raise ScenarioError(msg)
    if example is not None and not isinstance(example, str):
        msg = f"example = {_short(example)}: expected one of {', '.join(examples.names())}"
        raise ScenarioError(msg)
    if isinstance(sets, str) or not isinstance(sets, list | tuple):
        msg = f"set = {_short(sets)}: expected a list of KEY=VALUE strings"
        raise ScenarioError(msg)
    for item in sets:
        if not isinstance(item, str):
            msg = f"set item {_short(item)}: expected a KEY=VALUE string"
            raise ScenarioError(msg)
    if example is not None:
        data = examples.load_dict(example)
    else:
        data = copy.deepcopy(scenario) if scenario is not None else {}
    # validated once as given (no path is read), then completed with every default so that
    # each ``key=value`` finds its key, then the files resolved in the data directory
    base = Scenario._from_owned_dict(data, base_dir=None)
    data = base.to_dict()
    for item in sets:
        apply_assignment(data, item)
    files = _resolve_files(data, data_dir)
    return Scenario._from_owned_dict(data, base_dir=None), files


def public_dict(sc: Scenario, files: dict[str, str]) -> dict[str, Any]:
    """*sc* as a dict with each data file under the client's name, not the server's path."""
    data = sc.to_dict()
    for table, key in FILE_FIELDS:
        value = data.get(table, {}).get(key)
        if value in files:
            data[table][key] = files[value]
    return data


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- sweeps ------------------------------------------------------------------------------
def toml_value(value: Any) -> str:
    """*value* as the right-hand side of a ``key=value`` assignment (TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("nan" if value != value else "inf")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    msg = f"cannot write {type(value).__name__} as a scenario value"
    raise ScenarioError(msg)


def check_vary(
    base: Scenario,
    vary: dict[str, list[Any]],
    *,
    served: bool = False,
    data_dir: Path | None = None,
) -> None:
    """Try each varied value alone on *base*; the first that fails stops the sweep.

    The message names the key and the value, then what the scenario model says of it,
    e.g. ``--vary pv.capacity_mwp=-5: pv.capacity_mwp = -5 is outside [0, 10000] MWp``.
    Values that are fine alone but not together (a state of charge outside limits
    that are varied too) still fail only their own scenarios. For a client of the server
    (*served*), file fields must name files in *data_dir* (:func:`resolve_data_file`).
    """
    data = base.to_dict()
    for key, values in vary.items():
        for value in values:
            text = f"{key}={toml_value(value)}"
            try:
                trial = copy.deepcopy(data)
                apply_assignment(trial, text)
                if served:
                    _resolve_files(trial, data_dir)
                Scenario._from_owned_dict(trial, base_dir=None if served else Path.cwd())
            except ScenarioError as exc:
                raise ScenarioError(f"--vary {text}: {exc}") from None


# -- the answer --------------------------------------------------------------------------
def run_answer(sc: Scenario, files: dict[str, str] | None = None) -> str:
    """Simulate *sc*; the JSON text ``twin run --json`` prints (every KPI, then ``meta``).

    *files* ({server path: client name}, from :func:`served_scenario`) puts back the
    client's name of a data file where the run's ``meta`` would show the server's path.
    """
    from twin.results.simulate import simulate

    result = simulate(sc)
    if files and result.meta.get("weather") in files:
        result.meta["weather"] = files[result.meta["weather"]]
    return result.to_json()
