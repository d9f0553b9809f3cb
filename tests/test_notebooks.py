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
#: ``df.plot(...)``, ``plt.subplots(...)``, ``plt.figure(...)`` and pyplot's own drawing
#: calls; ``plots.kpi_table(...)`` and the like make tables, not figures.
DRAWS = re.compile(
    rf"\bplots\.(?:{'|'.join(_drawing_functions())})\(|\.plot\.\w+\(|\.plot\("
    r"|\bplt\.(?:subplots|subplot|figure|plot|bar|barh|scatter|imshow)\("
)


def _execute(nb, path: Path) -> None:
    NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path)}}
    ).execute()


def blank_plotting_cells(nb) -> list[int]:
    """Indices of the executed cells that draw (:data:`DRAWS`) but show no image."""
    return [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        and DRAWS.search(cell.source)
        and not any("image/png" in out.get("data", {}) for out in cell.outputs)
    ]


def test_the_drawing_functions_are_found():
    assert {"supply_demand", "heatmap", "frontier", "duration_curve"} <= set(_drawing_functions())
    assert "kpi_table" not in _drawing_functions()


def test_the_figure_check_sees_a_hidden_figure_and_the_library_keeps_the_inline_backend(
    tmp_path,
):
    """The check is real: in a Jupyter kernel (inline backend), importing every module of
    the twin that draws leaves the backend inline and a figure shows; once a cell forces
    ``Agg`` (what ``twin/plots.py`` used to do at import), the same drawing shows nothing
    and the check names the cell."""
    repo = Path(__file__).resolve().parents[1]
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            f"import sys; sys.path.insert(0, {str(repo)!r})\n"
            "import matplotlib\n"
            "import twin.cli, twin.report.html, twin.results.figures, twin.results.plots\n"
            "from twin import plots\n"
            "print(matplotlib.get_backend())"
        ),
        nbformat.v4.new_code_cell("import pandas as pd\npd.Series([1.0, 2.0]).plot();"),
        nbformat.v4.new_code_cell("import matplotlib\nmatplotlib.use('Agg')"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()"),
    ]
    _execute(nb, tmp_path)
    backend = "".join(out.get("text", "") for out in nb.cells[0].outputs)
    assert "inline" in backend, backend
    assert blank_plotting_cells(nb) == [3]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_every_plotting_cell_shows_a_figure(path):
    nb = nbformat.read(path, as_version=4)
    _execute(nb, path.parent)
    assert any(DRAWS.search(c.source) for c in nb.cells if c.cell_type == "code") or (
        path.stem == "06_real_epw"
    ), f"{path.name} draws nothing"
    blank = blank_plotting_cells(nb)
    assert blank == [], f"{path.name}: cells {blank} draw a plot but show no image"


def test_the_notebook_page_lists_every_notebook_and_shows_its_screenshots():
    """docs/notebooks.md names each notebook and shows committed screenshots (PNG files)."""
    repo = Path(__file__).resolve().parents[1]
    page = (repo / "docs" / "notebooks.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"`{path.stem}`" in page, path.stem
    shots = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", page)
    assert len(shots) >= 3
    for shot in shots:
        data = (repo / "docs" / shot).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", shot


def test_library_code_sets_no_matplotlib_backend():
    """No module of the installed packages calls ``matplotlib.use`` (or sets MPLBACKEND):
    the backend is the caller's choice, Jupyter's inline one in a notebook."""
    repo = Path(__file__).resolve().parents[1]
    hits = [
        f"{p.relative_to(repo)}"
        for package in ("twin", "kernels", "weather")
        for p in (repo / package).rglob("*.py")
        if re.search(
            r"matplotlib\.use\(|\buse\(\s*[\"']agg[\"']|MPLBACKEND",
            p.read_text(encoding="utf-8"),
            re.I,
        )
    ]
    assert hits == []
