"""Hostile input: every input ends in a result or a :class:`TwinError`, never a
traceback, a hang or a NaN result.

Fuzzed with Hypothesis (derandomised, fixed example counts, see the ``ci``
profile in tests/conftest.py): scenario dicts with junk at any key, TOML text
and bytes, ``--set`` assignments, command lines, and corrupted EPW files.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import string
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twin
from tests.datafiles import RABAT_EPW, read_text
from tests.property.strategies import scenarios
from twin import Scenario, TwinError
from twin.cli import main as cli_main

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),  # NaN, ±inf, subnormals, -0.0
    st.text(max_size=12),
    st.lists(st.integers(-5, 5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _set_path(node: Any, path: tuple, value: Any) -> None:
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value


#: outcomes by test and kind, written to $ATLAS_TWIN_FUZZ_TALLY (JSON) when set
TALLY: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _write_tally():
    yield
    target = os.environ.get("ATLAS_TWIN_FUZZ_TALLY")
    if target:
        Path(target).write_text(json.dumps(dict(sorted(TALLY.items())), indent=1))


def _result_or_twin_error(make, what: str = "") -> Any:
    """Call *make*; a TwinError is an answer, anything else escaping is a bug."""
    try:
        got = make()
    except TwinError as exc:
        assert str(exc).strip(), "a TwinError without a message"
        TALLY[f"{what}: {type(exc).__name__}"] += 1
        return exc
    TALLY[f"{what}: {type(got).__name__}"] += 1
    return got


def _assert_finite_result(r) -> None:
    if isinstance(r, TwinError):
        return
    bad = {k: v for k, v in r.kpis.items() if not math.isfinite(v)}
    assert not bad, f"non-finite KPIs {bad}"


@settings(max_examples=150)
@given(base=scenarios(days=(1, 1), faults=True), data=st.data())
def test_junk_at_any_scenario_key_is_a_twin_error_or_a_valid_run(base, data):
    target = data.draw(st.sampled_from(_paths(base)))
    value = data.draw(JUNK)
    bad = copy.deepcopy(base)
    _set_path(bad, target, value)
    got = _result_or_twin_error(lambda: Scenario.from_dict(bad), "junk value: scenario")
    if isinstance(got, Scenario):
        _assert_finite_result(_result_or_twin_error(lambda: twin.simulate(got), "junk value: run"))


@settings(max_examples=100)
@given(
    extra=st.dictionaries(
        st.text(string.ascii_letters + "._-", min_size=1, max_size=10), JUNK, max_size=3
    ),
    where=st.sampled_from(["", "site", "simulation", "it", "cooling", "pv", "battery", "grid"]),
)
def test_unknown_keys_are_named(extra, where):
    data: dict[str, Any] = {}
    if where:
        data[where] = dict(extra)
    else:
        data.update(extra)
    got = _result_or_twin_error(lambda: Scenario.from_dict(data), "unknown keys")
    model = Scenario if not where else Scenario.model_fields[where].annotation
    unknown = [k for k in extra if k not in model.model_fields]
    if unknown:  # every unknown key is refused, by its dotted name
        assert isinstance(got, TwinError)
        for k in unknown:
            dotted = f"{where}.{k}" if where else k
            assert f"unknown key {dotted!r}" in str(got) or k in ("capacity_mwh",)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_any_toml_file_is_a_scenario_or_a_twin_error(tmp_path: Path, text):
    path = tmp_path / "s.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8", errors="replace"))
    got = _result_or_twin_error(lambda: Scenario.from_toml(path), "TOML text/bytes")
    assert isinstance(got, Scenario | TwinError)


KEYS = [
    "pv.capacity_mwp",
    "battery.capacity_mwh",
    "battery.energy_mwh",
    "power.dispatch",
    "simulation.days",
    "simulation.step",
    "simulation.seed",
    "it.groups.0.racks",
    "it.groups.7.racks",
    "cooling.air.chiller",
    "cooling.t_inlet_setpoint_c",
    "site.id",
    "site.weather",
    "grid.tariff.peak_start_h",
    "faults.grid_outage_mean_h",
    "nope",
    "pv",
    "",
    "pv..tilt_deg",
]
VALUES = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "1e400", "-0", "[1,2]", "{a=1}", '"x"', "true", "''"]),
    st.text(max_size=15),
    st.integers(-(10**12), 10**12).map(str),
    st.floats().map(repr),
)


@settings(max_examples=300)
@given(
    key=st.one_of(st.sampled_from(KEYS), st.text(max_size=20)),
    value=VALUES,
    sep=st.sampled_from(["=", " = ", "", "=="]),
)
def test_any_set_assignment_is_applied_or_a_twin_error(key, value, sep):
    base = Scenario(simulation={"days": 1})
    got = _result_or_twin_error(lambda: base.with_overrides([f"{key}{sep}{value}"]), "--set")
    if isinstance(got, Scenario) and got.simulation.days == 1 and got.site.weather is None:
        _assert_finite_result(_result_or_twin_error(lambda: twin.simulate(got), "--set: run"))


ARGV_TOKENS = st.sampled_from(
    [
        "run", "sites", "--set", "pv.capacity_mwp=5", "simulation.days=1", "--step", "1h",
        "15min", "--days", "1", "0", "-3", "400", "--seed", "x", "--json", "--out", "o",
        "--force", "--help", "missing.toml", "=", "--bogus", "weather", "sweep", "report",
    ]
)  # fmt: skip


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=st.lists(st.one_of(ARGV_TOKENS, st.text(max_size=8)), max_size=6))
def test_any_command_line_exits_cleanly_without_a_traceback(tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    if "run" in argv and "--days" not in argv:
        argv = [*argv, "--days", "1"]
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = cli_main(argv)
        except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
            code = exc.code
    assert code in (0, 2, None), (argv, code, err.getvalue()[-500:])
    TALLY[f"command line: exit {code or 0}"] += 1
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert err.getvalue().strip(), "a failing command must say why"


# -- weather files -----------------------------------------------------------------
EPW_JUNK = st.sampled_from(["", "nan", "NaN", "-9999", "1e309", "abc", "99999", "-1", "9", ",,"])


@pytest.fixture(scope="module")
def epw_lines() -> list[str]:
    """The lines of the repository's Rabat EPW (decompressed once per module)."""
    return read_text(RABAT_EPW).splitlines()


EDITS = st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.floats(0, 1, exclude_max=True), EPW_JUNK),
    min_size=1,
    max_size=5,
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["field", "field", "truncate", "drop_header", "swap", "dup"]),
    edits=EDITS,
)
def test_corrupted_epw_is_read_cleanly_or_refused(tmp_path, epw_lines, kind, edits):
    """Reading costs about a second, so the example count is kept small."""
    from weather.epw import WeatherFileError, read_epw

    lines = list(epw_lines)
    n_head, n = 8, len(lines)
    (a, b, _junk), *_ = edits
    row, other = n_head + int(a * (n - n_head)), n_head + int(b * (n - n_head))
    if kind == "field":
        for fa, fb, j in edits:
            r = n_head + int(fa * (n - n_head))
            cells = lines[r].split(",")
            cells[int(fb * len(cells))] = j
            lines[r] = ",".join(cells)
    elif kind == "truncate":
        lines = lines[: int(a * n)]
    elif kind == "drop_header":
        del lines[int(a * n_head)]
    elif kind == "swap":
        lines[row], lines[other] = lines[other], lines[row]
    else:
        lines.insert(row, lines[row])
    path = tmp_path / "fuzz.epw"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        got = read_epw(path)
    except WeatherFileError as exc:  # the weather layer's error; the twin wraps it
        assert str(path) in str(exc), "the message must name the file"
        TALLY[f"EPW {kind}: WeatherFileError"] += 1
        return
    TALLY[f"EPW {kind}: table"] += 1
    if not isinstance(got, TwinError):
        table, _meta = got
        assert table.notna().all().all(), f"{kind}: NaN in the table"
        assert (table["ghi_w_m2"] >= 0).all() and (table["dni_w_m2"] >= 0).all(), kind
        assert table["t_air_c"].between(-90, 60).all(), kind
        assert table["rh_frac"].between(0, 1).all(), kind
