"""The notebooks run, show their figures, and are committed without outputs.

Each notebook is executed in a Jupyter kernel (nbclient, the engine of nbmake and
nbconvert) from its own folder, as a researcher runs it; a cell that draws a plot must
leave an image in its outputs. Library code sets no matplotlib backend, so the inline
backend of the kernel shows every figure (forcing ``Agg`` at import had hidden them all).
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

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


def _drawing_functions() -> list[str]:
    """The functions of ``twin.plots`` that draw (they return an Axes or a Figure)."""
    from twin import plots

    return sorted(
        name
        for name, fn in inspect.getmembers(plots, inspect.isfunction)
        if fn.__module__ == plots.__name__
        and any(t in str(fn.__annotations__.get("return", "")) for t in ("Axes", "Figure"))
    )


#: A call that draws: ``plots.<drawing function>(...)``, ``result.plot.x(...)``,
#: ``plt.subplots(...)``; ``plots.kpi_table(...)`` and the like make tables, not figures.
DRAWS = re.compile(
    rf"\bplots\.(?:{'|'.join(_drawing_functions())})\(|\.plot\.\w+\(|\bplt\.subplots\("
)


def test_the_drawing_functions_are_found():
    assert {"supply_demand", "heatmap", "frontier", "duration_curve"} <= set(_drawing_functions())
    assert "kpi_table" not in _drawing_functions()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_every_plotting_cell_shows_a_figure(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    drawing = [
        (i, cell)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and DRAWS.search(cell.source)
    ]
    blank = [
        i
        for i, cell in drawing
        if not any("image/png" in out.get("data", {}) for out in cell.outputs)
    ]
    assert blank == [], f"{path.name}: cells {blank} draw a plot but show no image"
