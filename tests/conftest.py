"""Shared pytest fixtures."""

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.datafiles import IDF_2ZONE, read_text

# The on-disk input cache (twin.sim.input_cache) is off for the suite, its own tests
# switch it on in a temporary folder: a test that replaces a weather function must see
# its replacement, and no test writes into the user's cache folder
os.environ.setdefault("ATLAS_TWIN_NO_INPUT_CACHE", "1")

# Property and fuzz tests: derandomised (the same examples on every run, so CI
# time is bounded and failures reproduce), no per-example deadline (the first
# example pays for JIT compilation).
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def idf_2zone_text() -> str:
    """Text of the EnergyPlus data-centre example 2ZoneDataCenterHVAC_wEconomizer.idf."""
    return read_text(IDF_2ZONE)
