"""Sweeps: designs, the batched kernel against ``twin run``, backends, files, resume."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from twin import KPI_NAMES, KPI_UNITS, Scenario, simulate
from twin.errors import ScenarioError
from twin.results.labels import KPI_LABELS
from twin.sim.compile import compile_scenario
from twin.sim.timeline import sample_timeline
from twin.sweeps.batch import run_batch
from twin.sweeps.chunks import make_scenario
from twin.sweeps.design import parse_vary, plan
from twin.sweeps.front import sweep

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def base() -> Scenario:
    """The default hall over 20 days, with frequent outages and chiller failures so
    every kind of exogenous event and early stop shows up in a short run."""
    return Scenario.from_toml(REPO / "examples" / "default.toml").with_overrides(
        [
            "simulation.days=20",
            "faults.grid_outages_per_year=150",
            "faults.grid_outage_mean_h=3",
            "faults.chiller_failures_per_year=40",
        ]
    )


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


# -- designs ---------------------------------------------------------------------------
def test_grid_is_every_combination_last_key_fastest():
    rows = plan({"a": [1, 2, 3], "b": ["x", "y"]})
    assert len(rows) == 6
    assert rows[0] == {"a": 1, "b": "x"} and rows[1] == {"a": 1, "b": "y"}
    assert {(r["a"], r["b"]) for r in rows} == {(a, b) for a in (1, 2, 3) for b in "xy"}


def test_latin_hypercube_puts_one_sample_in_each_stratum():
    n = 25
    rows = plan(
        {"x": [0.0, 10.0], "k": [1, 5], "s": ["a", "b", "c", "d", "e"]}, "latin_hypercube", n, 3
    )
    strata = sorted(int(r["x"] / 10.0 * n) for r in rows)
    assert strata == list(range(n))  # McKay et al. 1979: one point per interval
    assert all(isinstance(r["k"], int) and 1 <= r["k"] <= 5 for r in rows)
    # 25 strata over 5 integer levels: each level exactly 5 times
    assert sorted(np.bincount([r["k"] for r in rows])[1:]) == [5] * 5
    assert sorted(np.unique([r["s"] for r in rows], return_counts=True)[1]) == [5] * 5


def test_random_design_is_reproducible_and_in_range():
    a = plan({"x": [2.0, 3.0]}, "random", 50, seed=9)
    assert a == plan({"x": [2.0, 3.0]}, "random", 50, seed=9)
    assert a != plan({"x": [2.0, 3.0]}, "random", 50, seed=10)
    assert all(2.0 <= r["x"] <= 3.0 for r in a)


def test_design_errors_name_the_field():
    with pytest.raises(ScenarioError, match="design"):
        plan({"x": [1]}, "sobol")
    with pytest.raises(ScenarioError, match="n = None"):
        plan({"x": [1, 2]}, "random")
    with pytest.raises(ScenarioError, match="--vary"):
        parse_vary(["pv.capacity_mwp"])
    assert parse_vary(["pv.capacity_mwp=0,20.5", "site.id=dakhla,rabat"]) == {
        "pv.capacity_mwp": [0, 20.5],
        "site.id": ["dakhla", "rabat"],
    }


# -- timeline --------------------------------------------------------------------------
def test_timeline_segments_cover_the_run_and_respect_the_plant(base):
    design = compile_scenario(base)
    tl = sample_timeline(base, design)
    horizon_s = base.n_steps * base.dt_s
    assert tl.t0_s[0] == 0.0 and np.all(np.diff(tl.t0_s) > 0) and tl.t0_s[-1] < horizon_s
    assert np.all(tl.n_chillers <= np.array(design.n_chillers)) and np.all(tl.n_chillers >= 0)
    assert np.all((tl.u_groups >= 0.0) & (tl.u_groups <= 1.0))
    assert (~tl.grid_up).any()  # 150 outages a year: some in 20 days
    # an outage's start lies before the segment it covers
    down = ~tl.grid_up
    assert np.all(tl.outage_start_s[down] <= tl.t0_s[down])


# -- the batched kernel is the engine, scenario by scenario -----------------------------
def test_batch_kpis_equal_twin_run_bit_for_bit(base):
    rows = plan(
        {
            "simulation.seed": [1, 2],
            "battery.capacity_mwh": [0.0, 80.0],
            "genset.capacity_mw": [0.0, 60.0],
        }
    )
    scenarios = [make_scenario(base, r) for r in rows]
    outcomes = run_batch(scenarios)
    unmet_seen = False
    for sc, o in zip(scenarios, outcomes):
        assert o.error == "" and o.kpis is not None
        alone = simulate(sc)
        for name in KPI_NAMES:
            assert _same(o.kpis[name], alone.kpis[name]), (name, o.kpis[name], alone.kpis[name])
        assert o.kernel_calls == alone.meta["kernel_calls"]
        unmet_seen |= alone.kpis["unmet_energy_mwh"] > 0
    assert unmet_seen  # no genset, no battery: outages outlast the UPS


def test_pipelined_chunks_with_reused_buffers_equal_twin_run(base):
    """Chunks of 3 (the last of 1): the local backend stages one chunk while the
    kernels of the previous run, and reuses its output arrays; every KPI still equals
    the scenario run alone, bit for bit."""
    vary = {"pv.capacity_mwp": [0.0, 70.0], "battery.energy_mwh": [0.0, 120.0]}
    ds = sweep(base, vary, design="latin_hypercube", n=7, seed=3, chunk_size=3, progress=False)
    rows = plan(vary, "latin_hypercube", 7, 3)
    assert (ds["error"].values == "").all()
    for i, r in enumerate(rows):
        alone = simulate(make_scenario(base, r))
        for name in KPI_NAMES:
            got = float(ds[name].values[i])
            assert _same(got, alone.kpis[name]), (i, name, got, alone.kpis[name])


def test_named_batch_positions_match_the_kernels_arrays():
    """``twin.sweeps.arrays.A_*`` name positions in the one list of the batched kernels'
    arrays (``kernels.batch.BATCH_ARRAYS``), and the post pass reads them in its order."""
    from kernels.batch import BATCH_ARRAYS, POST_ARRAYS, Batch, Post
    from twin.sweeps import arrays as batch

    assert Batch._fields == BATCH_ARRAYS and Post._fields == POST_ARRAYS
    assert [BATCH_ARRAYS[i] for i in (batch.A_PLANT, batch.A_SIG, batch.A_OUT, batch.A_INFO)] == [
        "plant", "sig", "out", "info",
    ]  # fmt: skip
    assert [BATCH_ARRAYS[i] for i in batch.A_POST] + list(batch.POST_OWN) == list(POST_ARRAYS)


def test_more_pv_imports_less_and_keeps_it_energy(base):
    ds = sweep(base, {"pv.capacity_mwp": [0.0, 20.0, 60.0]})
    assert (ds["error"] == "").all()
    it = ds["it_energy_mwh"].values
    assert np.all(it == it[0])  # PV does not change the IT load
    assert np.all(np.diff(ds["pv_energy_mwh"].values) > 0)
    assert np.all(np.diff(ds["grid_import_mwh"].values) < 0)
    assert ds["pv_energy_mwh"].values[0] == 0.0
    for name in KPI_NAMES:
        # a short name to label a plot with, the unit, and the definition apart
        assert ds[name].attrs["units"] == KPI_UNITS[name][0]
        assert ds[name].attrs["description"] == KPI_UNITS[name][1]
        assert ds[name].attrs["long_name"] == KPI_LABELS[name]
    np.testing.assert_array_equal(ds["pv.capacity_mwp"].values, [0.0, 20.0, 60.0])
    assert ds["pv.capacity_mwp"].attrs["units"] == "MWp"
    assert ds["pv.capacity_mwp"].attrs["long_name"] == "pv.capacity_mwp"


# -- CLI, files, errors, resume ---------------------------------------------------------
def _twin(*args: str, env: dict | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "twin.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=600,
    )


SWEEP_ARGS = (
    "--set",
    "simulation.days=10",
    "--set",
    "faults.grid_outages_per_year=100",
    "--vary",
    "battery.soc_max=1.0,0.9",
    "--vary",
    "battery.soc_init=0.5,0.95",
)


def test_cli_writes_csv_and_netcdf_and_records_failures(tmp_path):
    r = _twin("sweep", *SWEEP_ARGS, "--chunk", "1", "--out", str(tmp_path / "s"))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # no progress bar when stderr is not a terminal
    csv = pd.read_csv(tmp_path / "s" / "kpis.csv")
    csv["error"] = csv["error"].fillna("")
    assert list(csv.columns) == [
        "scenario",
        "battery.soc_max",
        "battery.soc_init",
        *KPI_NAMES,
        "error",
    ]
    assert len(csv) == 4 and list(csv["scenario"]) == [0, 1, 2, 3]
    # each value is fine alone (checked before the sweep runs); one pair is not
    bad = (csv["battery.soc_max"] == 0.9) & (csv["battery.soc_init"] == 0.95)
    assert bad.sum() == 1
    assert all("battery.soc_init" in e for e in csv.loc[bad, "error"])
    assert (csv.loc[~bad, "error"] == "").all() and (csv.loc[~bad, "pue"] > 1.0).all()
    with xr.open_dataset(tmp_path / "s" / "sweep.nc", engine="scipy") as ds:
        assert ds.sizes["scenario"] == 4
        assert ds["pue"].attrs["units"] == "-"
        np.testing.assert_array_equal(ds["pue"].values[~bad.values], csv.loc[~bad, "pue"])
    assert len(list((tmp_path / "s" / "chunks").glob("chunk_*.nc"))) == 4


def test_resume_runs_only_unfinished_scenarios(tmp_path):
    out = tmp_path / "s"
    assert _twin("sweep", *SWEEP_ARGS, "--chunk", "1", "--out", str(out)).returncode == 0
    first = (out / "kpis.csv").read_text()
    chunks = sorted((out / "chunks").glob("chunk_*.nc"))
    mtimes = {p.name: p.stat().st_mtime_ns for p in chunks}
    chunks[2].unlink()  # as if killed while scenario 2 was in flight
    (out / "sweep.nc").unlink()
    r = _twin("sweep", *SWEEP_ARGS, "--chunk", "1", "--out", str(out))
    assert r.returncode == 2 and "--resume" in r.stderr
    r = _twin("sweep", *SWEEP_ARGS, "--chunk", "1", "--out", str(out), "--resume")
    assert r.returncode == 0, r.stderr
    assert (out / "kpis.csv").read_text() == first
    after = {p.name: p.stat().st_mtime_ns for p in (out / "chunks").glob("chunk_*.nc")}
    assert {k for k in after if after[k] != mtimes[k]} == {chunks[2].name}
    # a different sweep in the same folder is refused
    r = _twin("sweep", "--vary", "pv.capacity_mwp=0,5", "--out", str(out), "--resume")
    assert r.returncode == 2 and "different sweep" in r.stderr


def test_cli_errors_are_one_line_and_write_nothing(tmp_path):
    r = _twin("sweep", "--vary", "pv.capacty_mwp=0,20", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "pv.capacty_mwp" in r.stderr
    assert not (tmp_path / "x").exists()
    r = _twin("sweep", "--vary", "pv.capacity_mwp", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "KEY=V1,V2" in r.stderr
    # a value the scenario refuses on its own stops the sweep before it runs
    r = _twin("sweep", "--vary", "battery.soc_init=0.5,1.5", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "--vary battery.soc_init=1.5: battery.soc_init = 1.5 is outside [0, 1]" in r.stderr
    assert not (tmp_path / "x").exists()


def test_cuda_without_a_gpu_is_a_clear_error(tmp_path):
    from numba import cuda

    if cuda.is_available():
        pytest.skip("a CUDA GPU is present here")
    r = _twin(
        "sweep",
        "--vary",
        "pv.capacity_mwp=0,20",
        "--backend",
        "cuda",
        "--out",
        str(tmp_path / "x"),
        env={"NUMBA_ENABLE_CUDASIM": "0"},
    )
    assert r.returncode == 2 and "no CUDA GPU" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x").exists()


# -- backends give the same kpis.csv ----------------------------------------------------
BACKEND_ARGS = (
    "--set",
    "simulation.days=10",
    "--set",
    "faults.grid_outages_per_year=100",
    "--set",
    "faults.chiller_failures_per_year=30",
    "--vary",
    "pv.capacity_mwp=0,30",
    "--vary",
    "simulation.seed=5,6",
    "--chunk",
    "2",
)


@pytest.fixture(scope="module")
def local_csv(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("local") / "s"
    r = _twin("sweep", *BACKEND_ARGS, "--out", str(out))
    assert r.returncode == 0, r.stderr
    return (out / "kpis.csv").read_text()


def test_local_sweep_equals_twin_run(local_csv, tmp_path):
    csv = pd.read_csv(io.StringIO(local_csv))
    row = csv.iloc[3]
    r = _twin(
        "run",
        *BACKEND_ARGS[:6],
        "--set",
        f"pv.capacity_mwp={row['pv.capacity_mwp']}",
        "--seed",
        str(int(row["simulation.seed"])),
        "--json",
    )
    assert r.returncode == 0, r.stderr
    alone = json.loads(r.stdout)
    for name in KPI_NAMES:
        assert _same(float(row[name]), alone[name]), name


def test_dask_localcluster_gives_the_same_kpis_csv(local_csv, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "d"
    r = _twin("sweep", *BACKEND_ARGS, "--backend", "dask", "--workers", "2", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert (out / "kpis.csv").read_text() == local_csv


def test_cuda_simulator_gives_the_same_kpis_csv(local_csv, tmp_path):
    pytest.importorskip("numba.cuda")
    out = tmp_path / "c"
    r = _twin(
        "sweep",
        *BACKEND_ARGS,
        "--backend",
        "cuda",
        "--out",
        str(out),
        env={"NUMBA_ENABLE_CUDASIM": "1"},
    )
    assert r.returncode == 0, r.stderr
    assert (out / "kpis.csv").read_text() == local_csv


def test_local_worker_processes_give_the_same_kpis_csv(local_csv, tmp_path):
    out = tmp_path / "w"
    r = _twin("sweep", *BACKEND_ARGS, "--workers", "2", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert (out / "kpis.csv").read_text() == local_csv


def test_timeseries_are_written_on_request_and_add_up_to_the_kpis(tmp_path):
    out = tmp_path / "t"
    r = _twin("sweep", *SWEEP_ARGS, "--timeseries", "--out", str(out))
    assert r.returncode == 0, r.stderr
    csv = pd.read_csv(out / "kpis.csv")
    files = sorted((out / "timeseries").glob("scenario_*.parquet"))
    ok = csv[csv["error"].isna()]
    assert [f.name for f in files] == [f"scenario_{i:08d}.parquet" for i in ok["scenario"]]
    for f, (_, row) in zip(files, ok.iterrows()):
        ts = pd.read_parquet(f)
        assert len(ts) == 10 * 24  # 10 days of 1 h steps
        # energy = sum of step-average power x 1 h
        assert ts["p_it_mw"].sum() == pytest.approx(row["it_energy_mwh"], rel=1e-12)
        assert ts["p_grid_import_mw"].sum() == pytest.approx(row["grid_import_mwh"], rel=1e-12)
        assert ts["t_inlet_peak_c"].max() == pytest.approx(row["max_inlet_c"], rel=1e-12)
    assert not (tmp_path / "plain").exists()
    r = _twin("sweep", *SWEEP_ARGS, "--out", str(tmp_path / "plain"))
    assert r.returncode == 0 and not (tmp_path / "plain" / "timeseries").exists()


def test_dask_existing_scheduler_is_used(base, tmp_path):
    distributed = pytest.importorskip("distributed")
    small = base.with_overrides(["simulation.days=3"])
    vary = {"pv.capacity_mwp": [0.0, 25.0], "battery.capacity_mwh": [0.0, 40.0]}
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        ds = sweep(small, vary, backend="dask", scheduler=cluster.scheduler_address, chunk_size=2)
    ref = sweep(small, vary)
    for name in KPI_NAMES:
        np.testing.assert_array_equal(ds[name].values, ref[name].values)


def test_a_sweep_scenario_series_is_the_run_table_column_for_column():
    """The per-scenario series of a sweep (``--timeseries``) is ``Result.timeseries`` of the
    same scenario run alone: same columns, same values, outages and chiller trips included
    (one table builder for both doors, ``twin.results.result.step_table``)."""
    from twin.sweeps.prepare import InputCache

    sc = Scenario(
        simulation={"days": 5},
        faults={"grid_outages_per_year": 200.0, "chiller_failures_per_year": 50.0},
    )
    alone = simulate(sc).timeseries
    (outcome,) = run_batch([sc], cache=InputCache(), timeseries=True)
    assert outcome.error == ""
    assert not alone["grid_up"].all() and alone["n_chillers_air"].nunique() > 1
    pd.testing.assert_frame_equal(outcome.series, alone, check_exact=True)


# -- the backend registry -----------------------------------------------------------------
class _OneByOne:
    """A backend of another package's kind: every chunk through the shared chunk runner."""

    name = "one_by_one"
    chunks_seen: ClassVar[list[list[int]]] = []

    def check_available(self) -> None:
        pass

    def chunk_size(self, n_steps: int) -> int:
        return 2

    def execute(self, base, rows, chunks, *, scheduler=None, workers=None, timeseries=False):
        from twin.sweeps.chunks import run_chunk

        for ids in chunks:
            type(self).chunks_seen.append(list(ids))
            yield ids, run_chunk(base, [rows[i] for i in ids], timeseries)


def test_a_registered_backend_runs_the_sweep_and_gives_the_local_kpis(monkeypatch):
    from twin.sweeps import backends

    monkeypatch.setattr(backends, "_REGISTERED", {})
    backends.register_backend("one_by_one", _OneByOne)
    assert "one_by_one" in backends.backend_names()
    small = Scenario(simulation={"days": 2})
    vary = {"pv.capacity_mwp": [0.0, 20.0, 40.0]}
    _OneByOne.chunks_seen = []
    mine = sweep(small, vary, backend="one_by_one", progress=False)
    local = sweep(small, vary, backend="local", progress=False)
    assert _OneByOne.chunks_seen == [[0, 1], [2]]
    for name in KPI_NAMES:
        np.testing.assert_array_equal(mine[name].values, local[name].values)


def test_an_unknown_backend_is_refused_with_the_names_that_exist():
    with pytest.raises(ScenarioError, match=r"backend = 'gpu2': allowed are local, dask, cuda"):
        sweep(Scenario(simulation={"days": 1}), {"pv.capacity_mwp": [0.0]}, backend="gpu2")
