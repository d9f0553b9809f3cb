"""Shared pytest fixtures."""

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.datafiles import IDF_2ZONE, read_text

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
