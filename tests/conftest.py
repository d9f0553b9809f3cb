"""Shared pytest fixtures."""

import os
from pathlib import Path

import pytest


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
