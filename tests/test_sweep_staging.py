"""The sweep's Python stage does less work per scenario, and gives the same scenarios.

:meth:`twin.scenario.model.Scenario.with_overrides` validates again only the sections
that a row changes; :func:`twin.sweeps.batch.stage` with a pool has each scenario's
signals written straight into its row of the batch's array. Both must give exactly
what the whole-dict validation and a stage without a pool give: equal scenarios, the
same error text, bit-identical KPIs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from kernels import layout as L
from twin.errors import ScenarioError
from twin.scenario.model import Scenario, _with_section_overrides
from twin.scenario.overrides import apply_assignment
from twin.sweeps.arrays import A_SIG, BufferPool
from twin.sweeps.batch import complete, compute, run_batch, stage
from twin.sweeps.chunks import scenarios
from twin.sweeps.prepare import InputCache

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _whole_dict(sc: Scenario, sets: list[str]) -> Scenario:
    """The scenario as the whole dict validated gives it (the path before sections)."""
    data = sc.to_dict()
    for item in sets:
        apply_assignment(data, item)
    return Scenario._from_owned_dict(data, base_dir=Path.cwd())


OVERRIDES = [
    ["pv.capacity_mwp=12.5", "battery.energy_mwh=100.0"],
    ["battery.capacity_mwh=3.0"],  # an old name of battery.energy_mwh
    ["cooling.t_inlet_setpoint_c=24.0", "simulation.seed=7"],
    ["it.groups.0.utilisation_mean=0.5"],
    ['simulation.step="15min"', 'power.dispatch="tou_arbitrage"'],
]


@pytest.mark.parametrize("example", ["default", "dakhla", "rabat_colo"])
def test_section_overrides_give_the_whole_dict_scenario(example):
    base = Scenario.from_toml(EXAMPLES / f"{example}.toml")
    for sets in OVERRIDES:
        fast = _with_section_overrides(base, sets)
        assert fast is not None  # the sections path is the one taken
        whole = _whole_dict(base, sets)
        assert fast == whole
        assert fast.to_dict() == whole.to_dict()


BAD = [
    ["pv.capacity_mwp=-5.0"],  # a field's range
    ["battery.soc_min=0.6"],  # a cross-field rule: battery.soc_init below it
    ["battery.energy_mwh=0.0005"],  # below 1 kWh
    ["pv.no_such_key=1.0"],  # an unknown key
    ['simulation.start="2023-03-26T02:30"'],  # a local time the clock change skips
]


@pytest.mark.parametrize("sets", BAD)
def test_a_bad_value_gives_the_same_error_as_the_whole_dict(sets):
    base = Scenario()
    with pytest.raises(ScenarioError) as whole:
        _whole_dict(base, sets)
    with pytest.raises(ScenarioError) as fast:
        base.with_overrides(sets)
    assert str(fast.value) == str(whole.value)


def test_a_relative_weather_file_is_resolved_as_before(tmp_path, monkeypatch):
    weather = tmp_path / "site.csv"
    weather.write_text("unused\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    base = Scenario.model_construct(**{**Scenario().__dict__})  # no check: a file, unread
    base = base.model_copy(update={"site": base.site.model_copy(update={"weather": "site.csv"})})
    assert _with_section_overrides(base, ["pv.capacity_mwp=5.0"]) is None  # not taken
    assert base.with_overrides(["pv.capacity_mwp=5.0"]).site.weather == str(weather.resolve())


def _kpis(outcomes):
    return [(o.error, o.kpis) for o in outcomes]


def _same(a, b) -> bool:
    """Equal KPIs bit for bit (NaN equal to NaN), equal errors."""
    if a[0] != b[0] or (a[1] is None) != (b[1] is None):
        return False
    if a[1] is None:
        return True
    return a[1].keys() == b[1].keys() and all(
        x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))
        for x, y in ((a[1][k], b[1][k]) for k in a[1])
    )


def test_signals_written_into_the_batch_give_the_kpis_of_a_stage_without_pool():
    base = Scenario().with_overrides(["simulation.days=7", 'simulation.step="15min"'])
    rows = [
        {"battery.energy_mwh": 40.0, "power.dispatch": "tou_arbitrage"},
        {"battery.energy_mwh": 0.0005},  # fails its check: an error, its row left to the next
        {"battery.energy_mwh": 0.0, "grid.carbon_free_frac": 0.3},
        {"simulation.step": "1h", "pv.capacity_mwp": 30.0},  # another grid, another array
        {"pv.capacity_mwp": 50.0, "power.dispatch": "carbon_aware", "battery.energy_mwh": 20.0},
    ]
    alone = run_batch(scenarios(base, rows), cache=InputCache())
    pool = BufferPool()
    # twice: the second stage gets the arrays of the first back, holding its signals
    for _ in range(2):
        staged = stage(scenarios(base, rows), InputCache(), pool=pool)
        sig = [arrays[A_SIG] for _, arrays, _ in staged.parts]
        for part, arrays, _ in staged.parts:
            for j, (_, p) in enumerate(part):
                assert np.shares_memory(p.sig, arrays[A_SIG][j])  # no copy
                assert p.sig.shape == (p.scenario.n_steps, L.N_SIG)
        compute(staged)
        pooled = complete(staged)
        assert all(map(_same, _kpis(pooled), _kpis(alone)))
    assert "below 0.001" in pooled[1].error
    assert len(sig) == 2 and all(s.shape[0] for s in sig)
