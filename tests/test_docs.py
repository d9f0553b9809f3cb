"""Docs stay true: the generated scenario reference is current, every KPI is defined, CI = README."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from twin import KPI_UNITS
from twin.scenario.reference import iter_fields, scenario_markdown

REPO = Path(__file__).resolve().parents[1]
INSTALL = "python3 -m venv .venv && . .venv/bin/activate && pip install . && twin run"
TEST = 'python3 -m venv .venv && . .venv/bin/activate && pip install ".[test]" && pytest'


def test_scenario_reference_is_generated_from_the_current_schema():
    on_disk = (REPO / "docs" / "scenario.md").read_text(encoding="utf-8")
    assert on_disk == scenario_markdown(), (
        "docs/scenario.md is stale: run `python -m twin.scenario.reference docs/scenario.md`"
    )


def test_scenario_reference_lists_every_key_with_its_range():
    text = (REPO / "docs" / "scenario.md").read_text(encoding="utf-8")
    for row in iter_fields():
        assert f"| `{row.key}` |" in text, row.key
    assert "| `pv.capacity_mwp` | float | MWp | [0, 10000] | 20 |" in text


def test_every_kpi_is_defined_with_its_unit_in_docs_kpis():
    text = (REPO / "docs" / "kpis.md").read_text(encoding="utf-8")
    for name, (unit, _) in KPI_UNITS.items():
        m = re.search(rf"^\| `{name}` \| ([^|]+) \|", text, flags=re.MULTILINE)
        assert m, name
        shown = m.group(1).strip()
        assert shown == unit.replace("m3", "m³").replace("degC", "°C"), (name, shown, unit)


def test_readme_has_the_two_commands_verbatim_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert INSTALL in readme and TEST in readme
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == TEST


def test_readme_pictures_and_links_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)\)", readme)
    assert "docs/report.png" in targets
    for t in targets:
        if not t.startswith("http"):
            assert (REPO / t).exists(), t


def test_api_reference_builds_from_the_docstrings_without_a_warning(tmp_path):
    """Sphinx (autodoc + napoleon, numpydoc style) builds ``docs/api`` with warnings as
    errors: a broken docstring, a missing member or a bad cross-reference fails here."""
    out = tmp_path / "html"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "-d",
            str(tmp_path / "doctrees"),
            str(REPO / "docs" / "api"),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    pages = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.html")}
    for page, anchor in (
        ("twin.html", 'id="twin.results.simulate.simulate"'),
        ("twin.html", 'id="twin.scenario.model.Scenario.with_overrides"'),
        ("twin.html", 'id="twin.provenance.git_revision"'),
        ("results.html", 'id="twin.results.result.Result.to_json"'),
        ("results.html", 'id="twin.results.plots.frontier"'),
        ("sweeps.html", 'id="twin.sweeps.front.sweep"'),
        ("weather.html", 'id="weather.read_epw"'),
    ):
        assert anchor in pages[page], (page, anchor)


def _project_text_files() -> list[Path]:
    skip = {".git", ".venv", "venv", "build", "_build", "__pycache__", ".ipynb_checkpoints"}
    suffixes = {".py", ".md", ".toml", ".ipynb", ".cff", ".rst", ".sh", ".txt", ".csv"}
    return [
        p
        for p in REPO.rglob("*")
        if p.is_file()
        and p.suffix in suffixes
        and not skip & set(p.relative_to(REPO).parts)
        and not p.name.startswith(".")
    ]


def test_the_facts_the_code_cites_live_in_the_repository():
    """A citation of a facts sheet, a design note or a folder outside the repository would
    send a reader nowhere: the Moroccan facts are ``docs/morocco.md``, and every ``docs/…``
    page a file names exists."""
    outside = (
        "MOROCCO" + ".md",
        "DESIGN" + ".md",
        "STYLE" + ".md",
        "/work" + "/",
        "../" + "shared",
    )
    hits, missing = [], []
    # tests/test_datafiles.py names the outside folders it refuses
    for path in set(_project_text_files()) - {REPO / "tests" / "test_datafiles.py"}:
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(REPO)
        hits += [f"{rel}: {n}" for n in outside if n in text]
        for page in set(re.findall(r"\bdocs/[\w./-]+?\.(?:md|png|toml)\b", text)):
            if not (REPO / page).exists():
                missing.append(f"{rel}: {page}")
    assert hits == [], hits
    assert missing == [], missing
    morocco = (REPO / "docs" / "morocco.md").read_text(encoding="utf-8")
    for section in ("## Sites", "## Electricity system", "## Solar, wind and water"):
        assert section in morocco
    # the facts the code takes from it are there, with their sources
    for fact in ("33.367", "551", "2,128.60", "1,633", "7.64", "301 MW", "165 USD/kWh"):
        assert fact in morocco, fact
