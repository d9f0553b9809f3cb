"""Which code made an output: the package version and, in a git checkout, the revision.

Every output carries it (``kpis.json`` ``meta``, the attributes of ``sweep.nc``, the
report's heading), so a number can be traced back to the code that computed it.

The version comes from the installed package's metadata (``importlib.metadata``); a
source tree used without installing falls back to the ``version`` of its
``pyproject.toml``. The revision is read with ``git`` only when the package sits at the
top of a git work tree whose ``pyproject.toml`` names this project, so an installed copy
inside someone else's repository never reports that repository's commit; outside a
checkout, without ``git`` or when ``git`` fails, there is simply no revision.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: The distribution name in ``pyproject.toml`` and on the package index.
DISTRIBUTION = "atlas-twin"

#: The folder that holds the ``twin`` package (a source checkout's root, or site-packages).
_ROOT = Path(__file__).resolve().parents[1]


def _pyproject_version(root: Path) -> str | None:
    """The ``[project] version`` of *root*/pyproject.toml when it describes this project."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None
    if project.get("name") != DISTRIBUTION:
        return None
    value = project.get("version")
    return str(value) if value else None


@functools.cache
def package_version() -> str:
    """The version of the running package (``0+unknown`` when nothing says)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return _pyproject_version(_ROOT) or "0+unknown"


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


@functools.cache
def git_revision(root: Path = _ROOT) -> str | None:
    """The commit of the checkout that holds the package, ``+dirty`` with local edits.

    ``None`` outside a git checkout of this project, without ``git``, or when it fails.
    """
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != root.resolve() or not _pyproject_version(root):
        return None
    rev = _git(root, "rev-parse", "--short=12", "HEAD")
    if rev is None or not re.fullmatch(r"[0-9a-f]{7,40}", rev):
        return None
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    return f"{rev}+dirty" if status else rev


def stamp() -> dict[str, str]:
    """``{"twin_version": ..., "git_revision": ...}``; no revision key without one.

    Plain strings only, so the same mapping goes into JSON and netCDF attributes.
    """
    out = {"twin_version": package_version()}
    rev = git_revision()
    if rev:
        out["git_revision"] = rev
    return out


def label(meta: dict | None = None) -> str:
    """``atlas-twin 0.1.0 (git 0123456789ab)`` for a run's *meta* (default: this code)."""
    meta = stamp() if meta is None else meta
    ver = meta.get("twin_version") or meta.get("version") or "unknown version"
    rev = meta.get("git_revision")
    return f"{DISTRIBUTION} {ver}" + (f" (git {rev})" if rev else "")
