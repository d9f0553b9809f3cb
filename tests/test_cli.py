"""The ``twin`` command line, run as a real subprocess: output contract, files, errors."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.contract import DESIGN_KPIS
from tests.datafiles import RABAT_EPW
from twin import KPI_NAMES, Scenario

REPO = Path(__file__).resolve().parents[1]
SITE_IDS = (
    "casablanca",
    "rabat",
    "tetouan",
    "benguerir",
    "marrakech",
    "ouarzazate",
    "laayoune",
    "dakhla",
)


def cli_env() -> dict[str, str]:
    """The environment of a ``twin`` subprocess that tests this checkout, whatever the
    install state of the package."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def twin_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "twin.cli", *args],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _assert_clean_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.strip()
    assert "Traceback" not in proc.stderr
    assert len(err.splitlines()) == 1, err
    assert err.startswith("twin: error: "), err
    for needle in needles:
        assert needle in err, (needle, err)
    assert proc.stdout == ""
    return err


# -- twin sites ------------------------------------------------------------------------
def test_sites_lists_the_eight_built_in_sites(tmp_path):
    proc = twin_cli("sites", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    ids = {line.split()[0] for line in proc.stdout.splitlines()[1:] if line.strip()}
    assert set(SITE_IDS) <= ids
    # coordinates are Moroccan: lat 20-36 N, lon -18..-1 E
    seen = set()
    for line in proc.stdout.splitlines()[1:]:
        m = re.match(r"^(\S+)\s.*?\s(-?\d+\.\d{3})\s+(-?\d+\.\d{3})\s+(-?\d+)\s", line)
        if m and m.group(1) in SITE_IDS:
            lat, lon = float(m.group(2)), float(m.group(3))
            assert 20 < lat < 36 and -18 < lon < -1, line
            seen.add(m.group(1))
    assert seen == set(SITE_IDS)


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path):
    """``twin sites | head -1``: the reader closes the pipe; the command stops with a
    shell's SIGPIPE status and no traceback (before: BrokenPipeError and its traceback)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "twin.cli", "sites"],
        cwd=tmp_path,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_no_command_is_a_usage_error(tmp_path):
    proc = twin_cli(cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage" in proc.stderr.lower()
    assert "Traceback" not in proc.stderr


# -- twin run --json -------------------------------------------------------------------
@pytest.fixture(scope="module")
def json_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("json")
    proc = twin_cli("run", "--json", "--set", "simulation.days=3", cwd=cwd)
    return proc


def test_run_json_prints_one_object_with_every_kpi_and_meta(json_run):
    assert json_run.returncode == 0, json_run.stderr
    assert "Traceback" not in json_run.stderr
    data = json.loads(json_run.stdout)  # the whole stdout is ONE JSON document
    assert isinstance(data, dict)
    for name in DESIGN_KPIS:
        assert name in data, name
        assert isinstance(data[name], float) and math.isfinite(data[name]), name
    assert set(KPI_NAMES) <= set(data)
    meta = data["meta"]
    for key in ("simpy_events", "kernel_calls", "steps", "seed", "wall_s", "version"):
        assert key in meta, key
    assert meta["steps"] == 72 and meta["seed"] == 42
    assert isinstance(meta["simpy_events"], int) and 0 < meta["simpy_events"]
    assert 1 <= meta["kernel_calls"] <= meta["steps"]
    assert data["energy_balance_error"] <= 1e-6
    assert 1.02 <= data["pue"] <= 1.6


def test_run_json_matches_the_python_api(json_run):
    import twin

    data = json.loads(json_run.stdout)
    r = twin.simulate(Scenario().with_overrides(["simulation.days=3"]))
    for name in DESIGN_KPIS:
        assert data[name] == pytest.approx(r.kpis[name], rel=1e-12, abs=1e-12), name


def test_run_options_step_days_seed_site(tmp_path):
    proc = twin_cli(
        "run",
        "--json",
        "--site",
        "dakhla",
        "--days",
        "2",
        "--step",
        "15min",
        "--seed",
        "5",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    meta = json.loads(proc.stdout)["meta"]
    assert meta["site"] == "dakhla"
    assert meta["steps"] == 2 * 96 and meta["step"] == "15min" and meta["seed"] == 5


def test_run_table_output_lists_every_kpi(tmp_path):
    proc = twin_cli("run", "--set", "simulation.days=2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in DESIGN_KPIS:
        assert name in proc.stdout, name
    assert "simpy events" in proc.stdout


# -- twin run --out --------------------------------------------------------------------
@pytest.fixture(scope="module")
def out_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("out")
    proc = twin_cli(
        "run",
        "--json",
        "--set",
        "simulation.days=3",
        "--set",
        "pv.capacity_mwp=33",
        "--out",
        "run1",
        cwd=cwd,
    )
    return cwd, proc


def test_out_writes_every_file(out_run):
    cwd, proc = out_run
    assert proc.returncode == 0, proc.stderr
    out = cwd / "run1"
    names = {p.name for p in out.iterdir()}
    for f in (
        "timeseries.parquet",
        "kpis.json",
        "scenario.toml",
        "events.csv",
        "energy_flows.png",
        "temperatures.png",
        "supply_mix.png",
    ):
        assert f in names, f
        assert (out / f).stat().st_size > 0, f
    for png in ("energy_flows.png", "temperatures.png", "supply_mix.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the atomic write leaves no temporary sibling behind
    assert sorted(p.name for p in cwd.iterdir()) == ["run1"]


def test_out_kpis_json_equals_the_printed_json(out_run):
    cwd, proc = out_run
    printed = json.loads(proc.stdout)
    on_disk = json.loads((cwd / "run1" / "kpis.json").read_text(encoding="utf-8"))
    for name in DESIGN_KPIS:
        assert on_disk[name] == printed[name], name
    assert on_disk["meta"]["steps"] == printed["meta"]["steps"] == 72


def test_out_scenario_toml_reloads_to_the_run_scenario(out_run):
    cwd, _ = out_run
    sc = Scenario.from_toml(cwd / "run1" / "scenario.toml")
    expected = Scenario().with_overrides(["simulation.days=3", "pv.capacity_mwp=33"])
    assert sc.to_dict() == expected.to_dict()


def test_out_timeseries_parquet_matches_the_kpis(out_run):
    cwd, proc = out_run
    ts = pd.read_parquet(cwd / "run1" / "timeseries.parquet")
    assert len(ts) == 72
    assert str(ts.index.tz) == "Africa/Casablanca"
    k = json.loads(proc.stdout)
    assert ts.p_it_mw.sum() == pytest.approx(k["it_energy_mwh"], rel=1e-9)  # 1 h steps
    assert ts.p_grid_import_mw.sum() == pytest.approx(k["grid_import_mwh"], rel=1e-9)


def test_out_events_csv_has_the_event_columns(out_run):
    cwd, proc = out_run
    ev = pd.read_csv(cwd / "run1" / "events.csv")
    assert list(ev.columns) == ["time", "time_s", "kind", "detail"]
    meta_events = json.loads(proc.stdout)["meta"]["events"]
    assert len(ev) == sum(meta_events.values())


def test_existing_out_without_force_is_refused_and_untouched(tmp_path):
    out = tmp_path / "existing"
    out.mkdir()
    (out / "keep.txt").write_text("precious", encoding="utf-8")
    proc = twin_cli("run", "--set", "simulation.days=2", "--out", "existing", cwd=tmp_path)
    _assert_clean_error(proc, "existing", "--force")
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert (out / "keep.txt").read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"]


def test_existing_out_with_force_is_replaced(tmp_path):
    out = tmp_path / "existing"
    out.mkdir()
    (out / "keep.txt").write_text("old", encoding="utf-8")
    proc = twin_cli(
        "run", "--set", "simulation.days=2", "--out", "existing", "--force", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in out.iterdir()}
    assert "keep.txt" not in names and "kpis.json" in names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"]


# -- bad inputs --------------------------------------------------------------------------
def _garbage_epw(folder: Path) -> None:
    (folder / "x.epw").write_text("this is not\nan EPW,file\n\x00\x01 garbage\n", encoding="utf-8")


def _bad_toml(folder: Path) -> None:
    (folder / "bad.toml").write_text("[pv\ncapacity_mwp = = 3\n", encoding="utf-8")


BAD_INPUTS = [
    pytest.param(
        ["--set", "pv.capacity_mwp=-5"],
        ("pv.capacity_mwp = -5 is outside [0, 10000] MWp",),
        None,
        id="out-of-range",
    ),
    pytest.param(["--set", "pv.nope=1"], ("pv.nope", "capacity_mwp"), None, id="unknown-key"),
    pytest.param(
        ["--set", "pv.capacity_mwp"], ("pv.capacity_mwp", "KEY=VALUE"), None, id="missing-equals"
    ),
    pytest.param(["--site", "atlantis"], ("atlantis", *SITE_IDS), None, id="unknown-site"),
    pytest.param(["missing.toml"], ("missing.toml",), None, id="missing-toml"),
    pytest.param(["bad.toml"], ("bad.toml", "TOML"), _bad_toml, id="malformed-toml"),
    pytest.param(
        ["--set", "site.weather=missing.epw"],
        ("site.weather", "missing.epw"),
        None,
        id="missing-epw",
    ),
    pytest.param(["--set", "site.weather=x.epw"], ("x.epw",), _garbage_epw, id="malformed-epw"),
]


@pytest.mark.parametrize(("args", "needles", "prepare"), BAD_INPUTS)
def test_bad_input_exits_2_with_one_clean_line_and_no_output(tmp_path, args, needles, prepare):
    if prepare is not None:
        prepare(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = twin_cli("run", *args, "--set", "simulation.days=2", "--out", "result", cwd=tmp_path)
    _assert_clean_error(proc, *needles)
    # no output directory, and no hidden temporary directory beside it
    assert not (tmp_path / "result").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_bad_input_with_json_prints_nothing_on_stdout(tmp_path):
    proc = twin_cli("run", "--json", "--set", "pv.capacity_mwp=-5", cwd=tmp_path)
    _assert_clean_error(proc, "pv.capacity_mwp")


def test_scenario_file_with_relative_weather_path_runs_from_another_cwd(tmp_path):
    """A relative ``site.weather`` resolves against the scenario file, not the working
    folder; the file here is the repository's gzip-compressed Rabat EPW."""
    epw = RABAT_EPW
    scen_dir = tmp_path / "scen"
    scen_dir.mkdir()
    rel = os.path.relpath(epw, scen_dir)
    (scen_dir / "rabat.toml").write_text(
        f'name = "rabat"\n[site]\nid = "rabat"\nweather = "{Path(rel).as_posix()}"\n'
        "[simulation]\ndays = 2\n",
        encoding="utf-8",
    )
    other = tmp_path / "other"
    other.mkdir()
    proc = twin_cli("run", str(scen_dir / "rabat.toml"), "--json", cwd=other)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert Path(data["meta"]["weather"]).resolve() == epw.resolve()
    assert data["meta"]["steps"] == 48


# -- help and terminal output ------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [(), ("sites",), ("run",), ("report",), ("ensemble",)],
    ids=lambda a: " ".join(a) or "twin",
)
def test_every_help_shows_an_example(tmp_path, args):
    proc = twin_cli(*args, "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "example" in proc.stdout.lower()
    assert re.search(r"^\s+twin \w+", proc.stdout, flags=re.MULTILINE), proc.stdout


def test_run_table_shows_units_and_no_json(tmp_path):
    from twin import KPI_UNITS

    proc = twin_cli("run", "--set", "simulation.days=2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not proc.stdout.lstrip().startswith("{")
    for name, (unit, _) in KPI_UNITS.items():
        line = next(x for x in proc.stdout.splitlines() if x.split() and x.split()[0] == name)
        assert line.rstrip().endswith(unit), (name, line)
