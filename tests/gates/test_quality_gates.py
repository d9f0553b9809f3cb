"""Code-quality gates, run by the one test command of the README.

* ruff: lint and format check of the whole repository;
* mypy on ``twin/`` and ``weather/`` (configuration in pyproject.toml);
* import-linter: the one-way layers of ``docs/architecture.md`` (``twin.cli`` on top,
  ``weather`` and ``kernels`` at the bottom, every import counted); ``kernels`` imports
  nothing from ``twin`` or ``weather`` and no pandas, SimPy, xarray or pvlib; ``weather``
  does not import the twin (``test_architecture.py`` adds: no import circle between
  modules, no function over 120 lines);
* the kernel tests once more as plain Python (``NUMBA_DISABLE_JIT=1``), so the
  kernels are checked as written, not only as compiled, and coverage can see them.

Each gate runs the tool in a subprocess and fails with its output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: kernel tests run again as plain Python (fast enough without JIT; the psychrometric
#: tests compare with psychrolib, which itself needs numba, so they stay compiled-only)
KERNEL_TESTS = [
    "tests/unit/test_chiller.py",
    "tests/unit/test_eir_public.py",
    "tests/unit/test_economizer.py",
    "tests/unit/test_movers.py",
    "tests/unit/test_room.py",
    "tests/unit/test_storage_supply.py",
    "tests/unit/test_tower.py",
    "tests/unit/test_controls.py",
    "tests/unit/test_plants.py",
    "tests/unit/test_ridethrough.py",
    "tests/unit/test_twonode.py",
    "tests/unit/test_integrate.py",
    "tests/supply/test_components.py",
]


def _tool(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        pytest.fail(
            f"{name} is not installed: it is part of the test extra (pip install '.[test]')"
        )
    return exe


def _run(args: list[str], env: dict[str, str] | None = None, timeout: int = 600) -> None:
    proc = subprocess.run(
        args, cwd=REPO, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(args[:3])} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}")


def test_ruff_lint():
    _run([_tool("ruff"), "check", "."])


def test_ruff_format():
    _run([_tool("ruff"), "format", "--check", "."])


def test_mypy_twin_and_weather():
    _run([_tool("mypy"), "twin", "weather"])


def test_import_contracts():
    _run([_tool("lint-imports")])


def test_kernel_tests_pass_as_plain_python():
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    tests = [t for t in KERNEL_TESTS if (REPO / t).is_file()]
    assert tests, "no kernel tests found"
    _run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-cov", *tests],
        env=env,
        timeout=1200,
    )
