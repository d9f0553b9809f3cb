"""The on-disk input cache (:mod:`twin.sim.input_cache`): a run from cached inputs equals
a run from fresh ones bit for bit, entries are keyed by content, a damaged entry is
recomputed and never used, the folder keeps to its cap, and a run whose inputs are all
cached does not import pvlib."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.datafiles import AGADIR_EPW
from twin.results.simulate import simulate
from twin.scenario.model import Scenario
from twin.sim import input_cache, inputs
from weather import load_weather

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The cache on, in an empty folder, with the in-process memos emptied."""
    monkeypatch.setenv("ATLAS_TWIN_CACHE", str(tmp_path))
    monkeypatch.setitem(input_cache._STATE, "enabled", True)
    for memo in (inputs._WEATHER_MEMO, inputs._PV_MEMO, inputs._COLUMN_MEMO):
        memo.clear()
    yield tmp_path / "inputs"
    for memo in (inputs._WEATHER_MEMO, inputs._PV_MEMO, inputs._COLUMN_MEMO):
        memo.clear()


def _scenario(*overrides: str) -> Scenario:
    base = ['site.id="ouarzazate"', "simulation.days=3", "pv.capacity_mwp=20", *overrides]
    return Scenario.from_toml(ROOT / "examples" / "default.toml").with_overrides(base)


def _kpis(sc: Scenario) -> dict:
    for memo in (inputs._WEATHER_MEMO, inputs._PV_MEMO, inputs._COLUMN_MEMO):
        memo.clear()
    return simulate(sc).kpis


def test_weather_table_round_trips_exactly():
    data, meta = load_weather("dakhla")
    back, meta_back = input_cache._decode_frame(input_cache._encode_frame(data, meta))
    pd.testing.assert_frame_equal(data, back, check_freq=True, check_exact=True)
    assert meta_back == meta


@pytest.mark.parametrize("step", ["1h", "15min"])
def test_cached_inputs_give_the_same_run_bit_for_bit(cache, step):
    overrides = [f'simulation.step="{step}"', 'site.subhourly="variability"']
    fresh = _kpis(_scenario(*overrides))  # computes and stores
    stored = sorted(p.name.split("-")[0] for p in cache.glob("*.npz"))
    assert "weather" in stored and "pv" in stored
    if step != "1h":
        assert "subhourly" in stored
    again = _kpis(_scenario(*overrides))  # reads
    assert again == fresh
    input_cache.disable()
    assert _kpis(_scenario(*overrides)) == fresh


def test_a_damaged_entry_is_recomputed_never_used(cache):
    fresh = _kpis(_scenario())
    for entry in cache.glob("*.npz"):
        raw = bytearray(entry.read_bytes())
        raw[len(raw) // 2 : len(raw) // 2 + 64] = b"\x17" * 64  # inside the arrays
        entry.write_bytes(bytes(raw))
    assert _kpis(_scenario()) == fresh
    for entry in cache.glob("*.npz"):  # rewritten whole
        with np.load(entry, allow_pickle=False) as z:
            for name in z.files:
                z[name]


def test_a_weather_file_is_keyed_by_its_content(cache, tmp_path):
    src = AGADIR_EPW
    a, b = tmp_path / "a.epw.gz", tmp_path / "b.epw.gz"
    shutil.copy(src, a)
    shutil.copy(src, b)
    _kpis(_scenario('site.id="agadir"', f'site.weather="{a.as_posix()}"'))
    n = len(list(cache.glob("weather-*.npz")))
    _kpis(_scenario('site.id="agadir"', f'site.weather="{b.as_posix()}"'))
    assert len(list(cache.glob("weather-*.npz"))) == n  # same bytes, same entry
    key_a = inputs._disk_weather_key("agadir", str(a), 2023, 0.0, 0, None)
    other = tmp_path / "c.epw"
    other.write_bytes(b"not the same bytes")
    assert key_a != inputs._disk_weather_key("agadir", str(other), 2023, 0.0, 0, None)


def test_an_edit_of_the_code_is_a_new_key(monkeypatch):
    before = input_cache._entry("weather", ("x",))
    monkeypatch.setattr(input_cache, "code_key", lambda: "another version")
    assert input_cache._entry("weather", ("x",)) != before


def test_the_folder_keeps_to_its_cap(cache, monkeypatch):
    monkeypatch.setenv("ATLAS_TWIN_INPUT_CACHE_MB", "0.1")  # 100 kB: the newest entry only
    for seed in range(3):
        input_cache.cached_array("probe", seed, lambda s=seed: np.full(5000, float(s)))  # 40 kB
    kept = list(cache.glob("probe-*.npz"))
    assert sum(p.stat().st_size for p in kept) <= 100_000
    assert input_cache.cached_array("probe", 2, lambda: np.zeros(1))[0] == 2.0  # the newest


def test_no_cache_writes_nothing(cache):
    input_cache.disable()
    _kpis(_scenario())
    assert not cache.exists() or not list(cache.glob("*.npz"))


def test_a_run_from_cached_inputs_does_not_import_pvlib(tmp_path):
    env = dict(os.environ, ATLAS_TWIN_CACHE=str(tmp_path), PYTHONPATH=str(ROOT))
    env.pop("ATLAS_TWIN_NO_INPUT_CACHE", None)
    code = (
        "import sys, json; from twin.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(json.dumps('pvlib' in sys.modules))"
    )
    run = ["run", "--site", "ouarzazate", "--days", "2", "--json"]

    def once() -> bool:
        out = (
            subprocess.run(
                [sys.executable, "-c", f"import sys; sys.argv = ['twin', *{run!r}]\n{code}"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()
        )
        return json.loads(out[-1])

    assert once() is True  # the first run prepares the inputs with pvlib
    assert once() is False  # the second reads them
