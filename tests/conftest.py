"""Shared pytest fixtures."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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
def shared_dir() -> Path:
    """The project's shared data folder (``$ATLAS_TWIN_SHARED`` or ``../shared``)."""
    path = Path(
        os.environ.get("ATLAS_TWIN_SHARED", Path(__file__).resolve().parents[1].parent / "shared")
    )
    if not path.is_dir():
        pytest.skip(f"shared data folder not found: {path}")
    return path


@pytest.fixture(scope="session")
def idf_2zone_text(shared_dir: Path) -> str:
    """Text of the EnergyPlus data-centre example 2ZoneDataCenterHVAC_wEconomizer.idf."""
    path = shared_dir / "energyplus" / "2ZoneDataCenterHVAC_wEconomizer.idf"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return path.read_text()
