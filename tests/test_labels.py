"""Result Datasets read well: a short ``long_name``, the formula apart, units on coordinates.

xarray labels a plot ``long_name [units]``; a definition with its formula there makes an
unreadable axis. Every KPI therefore has a short name (:data:`KPI_LABELS`), its definition
goes into ``description``, and a varied scenario key carries the unit of its field.
"""

from __future__ import annotations

import numpy as np
import pytest

from twin import KPI_NAMES, KPI_UNITS
from twin.results.labels import KPI_LABELS, key_attrs, kpi_attrs
from twin.scenario.fields import field_at
from twin.scenario.model import Scenario
from twin.sweeps.batch import Outcome
from twin.sweeps.dataset import to_dataset


def test_every_kpi_has_a_short_distinct_name():
    assert set(KPI_LABELS) == set(KPI_NAMES)
    assert len(set(KPI_LABELS.values())) == len(KPI_LABELS)
    for name, label in KPI_LABELS.items():
        # a name, not a formula: short, no arithmetic, no "see ..." remarks
        assert len(label) <= 40, name
        assert not any(op in label for op in (" / ", " x ", " + ", "=", "(", ";")), (name, label)


@pytest.mark.parametrize("name", KPI_NAMES)
def test_kpi_attributes_keep_unit_and_definition(name):
    attrs = kpi_attrs(name)
    assert attrs == {
        "long_name": KPI_LABELS[name],
        "units": KPI_UNITS[name][0],
        "description": KPI_UNITS[name][1],
    }


@pytest.mark.parametrize(
    ("key", "values", "unit"),
    [
        ("pv.capacity_mwp", [0.0, 30.0], "MWp"),
        ("battery.energy_mwh", [0, 40], "MWh"),
        ("wind.capacity_mw", [np.float64(0.0), np.float64(40.0)], "MW"),
        ("simulation.days", [7, 14], "d"),
        ("it.groups.0.utilisation_mean", [0.5, 0.7], "-"),
    ],
)
def test_a_numeric_key_carries_the_unit_of_its_field(key, values, unit):
    attrs = key_attrs(key, values)
    assert attrs["units"] == unit
    assert attrs["long_name"] == key
    loc = tuple(int(p) if p.isdigit() else p for p in key.split("."))
    assert attrs["description"] == field_at(Scenario, loc).description


def test_a_text_key_has_no_unit():
    attrs = key_attrs("power.dispatch", ["self_consumption", "carbon_aware"])
    assert "units" not in attrs and attrs["long_name"] == "power.dispatch"
    assert "units" not in key_attrs("pv.tracking", ["fixed", "single_axis"])


def test_the_sweep_dataset_carries_the_attributes():
    kpis = dict.fromkeys(KPI_NAMES, 1.0)
    rows = [
        {"pv.capacity_mwp": 0.0, "pv.tracking": "fixed"},
        {"pv.capacity_mwp": 30.0, "pv.tracking": "fixed"},
    ]
    ds = to_dataset([0, 1], rows, [Outcome(kpis, ""), Outcome(kpis, "")])
    assert ds["cfe_score"].attrs["long_name"] == "24/7 CFE share"
    assert "hourly-matched" in ds["cfe_score"].attrs["description"]
    assert ds["pv.capacity_mwp"].attrs["units"] == "MWp"
    assert "units" not in ds["pv.tracking"].attrs
    assert ds["scenario"].attrs["long_name"] == "scenario number"
