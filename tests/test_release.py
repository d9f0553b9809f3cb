"""Citable and releasable: version, git revision in every output, licence, citation, changelog.

* ``twin.__version__`` and ``twin --version`` give the installed package's version (the
  ``pyproject.toml`` one in a source tree), with the git revision in a checkout;
* the revision is ``None`` outside a git checkout of this project, never an error;
* ``kpis.json`` (``meta``), ``report.html`` and ``sweep.nc`` (attributes) carry both;
* ``LICENSE`` is the MIT licence ``pyproject.toml`` declares, ``CITATION.cff`` is valid
  against the Citation File Format 1.2.0 schema (kept in ``tests/data``) and names the same
  version, ``CHANGELOG.md`` follows Keep a Changelog with a section for that version.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
import xarray as xr
import yaml

import twin
from tests.datafiles import CFF_SCHEMA
from twin import provenance
from twin.report.rundir import write_run

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def _expected_revision() -> str | None:
    """What the code under test should report: this checkout's HEAD when it runs from here."""
    if Path(twin.__file__).resolve().parents[1] != REPO:
        return None  # an installed copy outside the checkout: no revision
    try:
        head = _git(REPO, "rev-parse", "--short=12", "HEAD")
    except (OSError, subprocess.CalledProcessError):
        return None  # an exported tree without .git
    dirty = _git(REPO, "status", "--porcelain", "--untracked-files=no")
    return f"{head}+dirty" if dirty else head


def test_version_is_the_project_version():
    assert twin.__version__ == PYPROJECT["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", twin.__version__)


def test_cli_version_prints_version_and_revision():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-m", "twin.cli", "--version"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rev = _expected_revision()
    expected = f"atlas-twin {PYPROJECT['version']}" + (f" (git {rev})" if rev else "")
    assert proc.stdout.strip() == expected


def test_git_revision_only_in_a_checkout_of_this_project(tmp_path):
    # not a git checkout at all
    plain = tmp_path / "plain"
    plain.mkdir()
    assert provenance.git_revision(plain) is None
    # a checkout of another project (an install inside someone else's repository)
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text('[project]\nname = "other"\nversion = "1.0"\n')
    _git(other, "init", "-q")
    _git(other, "-c", "user.name=t", "-c", "user.email=t@t", "add", "pyproject.toml")
    _git(other, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    assert provenance.git_revision(other) is None
    # a checkout of this project: the short commit, +dirty once a tracked file changes
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "pyproject.toml").write_text('[project]\nname = "atlas-twin"\nversion = "9.9.9"\n')
    _git(ours, "init", "-q")
    _git(ours, "-c", "user.name=t", "-c", "user.email=t@t", "add", "pyproject.toml")
    _git(ours, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    head = _git(ours, "rev-parse", "--short=12", "HEAD")
    assert provenance.git_revision(ours) == head
    (ours / "pyproject.toml").write_text('[project]\nname = "atlas-twin"\nversion = "9.9.10"\n')
    provenance.git_revision.cache_clear()
    assert provenance.git_revision(ours) == f"{head}+dirty"
    provenance.git_revision.cache_clear()
    # a folder inside a checkout is not its top: no revision
    (ours / "sub").mkdir()
    assert provenance.git_revision(ours / "sub") is None


def test_label_names_version_and_revision():
    assert provenance.label({"version": "1.2.3"}) == "atlas-twin 1.2.3"
    assert (
        provenance.label({"twin_version": "1.2.3", "git_revision": "abc1234"})
        == "atlas-twin 1.2.3 (git abc1234)"
    )


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    result = twin.simulate(twin.Scenario().with_overrides(["simulation.days=1"]))
    return write_run(result, tmp_path_factory.mktemp("run") / "r", report=True)


def test_kpis_json_and_report_carry_version_and_revision(run_dir):
    meta = json.loads((run_dir / "kpis.json").read_text(encoding="utf-8"))["meta"]
    assert meta["version"] == twin.__version__
    assert meta.get("git_revision") == _expected_revision()
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert provenance.label(meta) in html


def test_sweep_netcdf_carries_version_and_revision(tmp_path):
    base = twin.Scenario().with_overrides(["simulation.days=1"])
    ds = twin.sweep(base, vary={"pv.capacity_mwp": [0, 10]}, out=tmp_path / "s", progress=False)
    assert ds.attrs["twin_version"] == twin.__version__
    with xr.open_dataset(tmp_path / "s" / "sweep.nc", engine="scipy") as on_disk:
        assert on_disk.attrs["twin_version"] == twin.__version__
        assert on_disk.attrs.get("git_revision") == _expected_revision()


# -- licence, citation, changelog -------------------------------------------------------
def test_license_is_the_mit_licence_pyproject_declares():
    assert PYPROJECT["license"] == {"text": "MIT"}
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_citation_cff_is_valid_cff_1_2_0_and_names_this_version():
    schema = json.loads(gzip.decompress(CFF_SCHEMA.read_bytes()))
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(cff, schema, format_checker=jsonschema.FormatChecker())
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == twin.__version__
    assert cff["license"] == "MIT"
    # the validator does catch a broken file: an author without a name, a bad date
    broken = {**cff, "authors": [{"email": "x@example.org"}], "date-released": "2026-13-45"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, format_checker=jsonschema.FormatChecker())


def test_changelog_keeps_a_changelog_with_this_version():
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog")
    assert "keepachangelog.com/en/1.1.0" in text
    assert "## [Unreleased]" in text
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, re.MULTILINE)
    assert versions and versions[0][0] == twin.__version__
    allowed = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    kinds = set(re.findall(r"^### (\w+)$", text, re.MULTILINE))
    assert kinds and kinds <= allowed, kinds - allowed


def test_coverage_data_is_ignored_and_untracked():
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert ".coverage" in ignored
    if (REPO / ".git").exists():
        assert _git(REPO, "ls-files", ".coverage") == ""
