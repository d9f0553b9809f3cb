"""The notebooks are committed without outputs (pytest --nbmake executes them; see pyproject)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_the_six_notebooks_are_there():
    stems = {p.stem.split("_", 1)[1] for p in NOTEBOOKS}
    assert {
        "quick_start",
        "eight_sites",
        "sizing_pv_storage",
        "chiller_trip_and_outage",
        "sweep",
        "real_epw",
    } <= stems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_absolute_path(path):
    text = path.read_text(encoding="utf-8")
    for needle in ('"/work', '"/home', '"/tmp', "C:\\\\"):
        assert needle not in text, needle
